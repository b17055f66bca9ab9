"""seed_demo's results: three years of every procedure, aggregated, flags computed without error."""

from assessments.demo import load_demo_results
from assessments.flagging import flags_refresh
from assessments.models import Campaign, Result, ResultAggregate, SchoolFlag


def test_demo_results_are_complete_and_anonymous(people):
    rows = load_demo_results()
    assert rows == Result.objects.count() > 300
    assert set(Campaign.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert set(Campaign.objects.values_list("kind", flat=True)) == {"EGE", "OGE", "VPR"}
    assert ResultAggregate.objects.filter(campaign__kind="EGE", campaign__year=2026).exists()
    assert not Result.objects.filter(participant_code__icontains="иванов").exists()
    assert load_demo_results() == 0  # loading twice changes nothing
    flags_refresh(2026)  # three schools are below the minimum group size for most signs: no crash, no noise
    assert all(flag.reasons for flag in SchoolFlag.objects.all())

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


def test_task_points_reach_the_statistics_per_school_and_task(people):
    from assessments.flagging import _task_results
    from assessments.models import AssessmentKind, Scale
    from tests.assessments.factories import subject

    math = subject("math", "Математика", "математика")
    scale = Scale.objects.create(
        kind=AssessmentKind.VPR, subject=math, year=2026, grade=5, task_max=[1, 2, 3]
    )
    campaign = Campaign.objects.create(
        region=people.region, kind=AssessmentKind.VPR, subject=math, year=2026, grade=5, scale=scale
    )
    Result.objects.bulk_create([
        Result(campaign=campaign, school=people.school_a, participant_code="a1", mark=4, task_points=[1, 2, 0]),
        Result(campaign=campaign, school=people.school_a, participant_code="a2", mark=3, task_points=[0, 1, 3]),
        Result(campaign=campaign, school=people.school_b, participant_code="b1", mark=3, task_points=[1, 1]),  # wrong length
    ])  # fmt: skip
    found = {(t.school, t.task): (t.points, t.max_points, t.participants) for t in _task_results(campaign)}
    assert found == {("04001", 1): (1, 1, 2), ("04001", 2): (3, 2, 2), ("04001", 3): (3, 3, 2)}

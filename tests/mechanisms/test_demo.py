"""seed_demo loads the monitoring: 7 directions × 6 documents and municipalities in every state."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from mechanisms.matrix import build_matrix
from mechanisms.models import Direction, MechanismDocument, RequiredDocument
from municipalities.models import Alias, Municipality, School, User


@pytest.fixture
def demo(db, settings):
    settings.DEMO = True
    User.objects.all().delete()
    Alias.objects.all().delete()
    School.objects.all().delete()
    Municipality.objects.all().delete()
    call_command("seed_demo", "--without-results")


def test_the_demo_region_has_the_monitoring_in_every_state(demo):
    assert Direction.objects.filter(region__code="47").count() == 7
    assert RequiredDocument.objects.filter(direction__region__code="47").count() == 42
    _, rows, totals = build_matrix(User.objects.get(username="committee"), timezone.localdate().year)
    states = {row.municipality.code: row.total for row in rows}
    assert len(states) == 18
    assert sum(1 for t in states.values() if t.accepted == t.required) >= 2  # complete
    assert sum(1 for t in states.values() if t.returned) >= 2  # returned
    assert sum(1 for t in states.values() if t.submitted and not t.returned) >= 2  # on review
    assert sum(1 for t in states.values() if t.accepted == t.submitted == t.returned == 0) >= 3  # nothing yet
    assert 0 < totals.total.percent < 100
    assert build_matrix(User.objects.get(username="municipality"), timezone.localdate().year)[1][
        0
    ].total.submitted


def test_the_omsk_region_has_the_same_directions_and_nothing_submitted(demo):
    omsk = Direction.objects.filter(region__code="55").order_by("number")
    leningrad = Direction.objects.filter(region__code="47").order_by("number")
    assert [d.name for d in omsk] == [d.name for d in leningrad] and len(omsk) == 7
    assert RequiredDocument.objects.filter(direction__region__code="55").count() == 42
    assert not MechanismDocument.objects.filter(municipality__region__code="55").exists()
    _, rows, _totals = build_matrix(User.objects.get(username="omsk-committee"), timezone.localdate().year)
    assert rows and all(row.municipality.region.code == "55" and not row.total.submitted for row in rows)

"""The busiest pages read a fixed number of queries however many rows they show: no N+1 can come back.

Each page is requested with a little data, then with ten times the decisions and obligations (to
municipalities, schools and an organisation alike); the number of queries must not move. The figures
themselves live in `make bench` and `make load`, never here.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Decision, Obligation
from municipalities.models import School
from tests.assessments.factories import ege
from tests.meetings.factories import committee_meeting, decision, written

EVERYONE = "руководители ОМСУ; ЛОИРО; СОШ № 1 Всеволожск; Агалатовская СОШ; Гимназия Выборга"


def protocol(people, decisions: int):
    return committee_meeting(
        people,
        *[
            decision(str(n), f"Поручение {n}.", f"до {written(n % 9 - 4)}", EVERYONE)
            for n in range(1, decisions + 1)
        ],
    )


def queries(client, url: str) -> int:
    client.get(url)  # sessions, content types and the like are warm, as on a busy server
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(captured)


PAGES = [
    ("committee", "/"),
    ("committee", "/obligations/"),
    ("committee", "/obligations/?state=overdue"),
    ("committee", "/discipline/"),
    ("committee", "/meetings/"),
    ("committee", "/api/v1/obligations/"),
    ("committee", "/api/v1/decisions/"),
    ("committee", "/api/v1/meetings/"),
    ("head_a", "/"),
    ("head_a", "/obligations/"),
    ("head_a", "/api/v1/obligations/"),
    ("director_a", "/"),
    ("director_a", "/obligations/"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_list_pages_read_a_fixed_number_of_queries(client_for, people, who, url):
    protocol(people, 1)
    client = client_for(getattr(people, who))
    few = queries(client, url)
    protocol(people, 10)
    assert Obligation.objects.count() > 50
    assert queries(client, url) == few


@pytest.mark.parametrize("who", ["committee", "head_a", "director_a"])
def test_decision_and_protocol_pages_read_a_fixed_number_of_queries(client_for, people, who):
    """A decision addressed to every municipality used to read its meeting again for each addressee."""
    client = client_for(getattr(people, who))
    small = protocol(people, 1)
    big = protocol(people, 10)
    one = Decision.objects.filter(item__meeting=small).get()
    many = Decision.objects.filter(item__meeting=big).first()
    assert queries(client, f"/decisions/{many.pk}/") == queries(client, f"/decisions/{one.pk}/")
    assert queries(client, f"/meetings/{big.pk}/") == queries(client, f"/meetings/{small.pk}/")


def _schools(people, count: int) -> list[School]:
    """More schools in both municipalities, each with a year of ЕГЭ results (and the year before)."""
    municipalities = [people.mun_b, people.mun_a]
    return School.objects.bulk_create([
        School(municipality=municipalities[n % 2], region_id=municipalities[n % 2].region_id, code=f"09{n:03d}",
               name=f"Школа № {n}", short_name=f"Школа № {n}", kind="sosh")
        for n in range(count)
    ])  # fmt: skip


RESULT_PAGES = [
    ("committee", "/results/"),
    ("committee", "/results/{campaign}/"),
    ("committee", "/results/{campaign}/?municipality={mun_a}"),
    ("committee", "/results/school/{school_a}/"),
    ("committee", "/api/v1/campaigns/{campaign}/summary/?by=municipality"),
    ("committee", "/api/v1/campaigns/{campaign}/summary/?by=school"),
    ("head_a", "/results/{campaign}/"),
    ("head_a", "/results/school/{school_a}/"),
    ("director_a", "/results/{campaign}/"),
    ("director_a", "/results/school/{school_a}/"),
]


@pytest.mark.parametrize(("who", "url"), RESULT_PAGES)
def test_results_pages_read_a_fixed_number_of_queries(client_for, people, who, url):
    """Region, municipality and school tables read the per-school aggregates: more schools, same queries."""
    ege(2025, {people.school_a: [50, 70]})
    campaign = ege(2026, {people.school_a: [60, 80]})
    url = url.format(campaign=campaign.pk, mun_a=people.mun_a.pk, school_a=people.school_a.pk)
    client = client_for(getattr(people, who))
    few = queries(client, url)
    schools = _schools(people, 12)
    ege(2025, {school: [40 + n] for n, school in enumerate(schools)})
    ege(2026, {school: [45 + n, 90] for n, school in enumerate(schools)})
    assert queries(client, url) == few

"""The federal observer's lists: each shows both regions' rows with a «Регион» column and narrows to one region by
the «Регион» filter; a regional committee member passing ``?region=`` of the other region still sees only their own.
"""

# ruff: noqa: F811  (the omsk fixture is imported, then requested by name)

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import SchoolFlag
from meetings.models import Obligation
from roadmaps.models import Roadmap
from roadmaps.services import roadmap_for_obligation
from tests.portal.test_regions import omsk  # noqa: F401  (a fixture: a little of everything in region 55)
from tests.roadmaps.factories import roadmap_meeting


@pytest.fixture
def leningrad(people):
    """Region 47's own rows: a signed protocol asking both municipalities for a roadmap, a roadmap, a flag."""
    decision = roadmap_meeting(people)
    roadmap = roadmap_for_obligation(obligation=decision.obligations.get(municipality=people.mun_a),
                                     actor=people.head_a)  # fmt: skip
    flag = SchoolFlag.objects.create(kind=SchoolFlag.Kind.LOW_RESULTS, school=people.school_a,
                                     municipality=people.mun_a, subject="Математика", year=2025,
                                     reasons=[{"code": "bottom_decile", "text": "Ниже области"}], score=1.0)  # fmt: skip
    return decision.item.meeting, roadmap, flag


def _rows(html: str, marks: list[str]) -> set[str]:
    return {mark for mark in marks if mark in html}


def _lists(people, omsk, leningrad):
    """Per list: its URL and each row's mark in the page → the row's region code."""
    meeting_47 = leningrad[0]
    flags = SchoolFlag.objects.select_related("municipality__region")
    return {
        "board": (reverse("meetings:obligation_list"), {
            f'data-obligation="{o.pk}"': o.region.code for o in Obligation.objects.all()
        }),
        "protocols": (reverse("meetings:meeting_list"), {
            meeting_47.get_absolute_url(): "47", omsk.meeting.get_absolute_url(): "55",
        }),
        "flags": (reverse("assessments:flags"), {
            reverse("assessments:flag", args=[f.pk]) + '"': f.municipality.region.code for f in flags
        }),
        "roadmaps": (reverse("roadmaps:list"), {
            f'href="{r.get_absolute_url()}"': (r.municipality or r.school).region.code for r in Roadmap.objects.all()
        }),
    }  # fmt: skip


@pytest.mark.parametrize("name", ["board", "protocols", "flags", "roadmaps"])
def test_federal_observer_sees_both_regions_and_narrows_to_one(client, people, omsk, leningrad, name):
    url, marks = _lists(people, omsk, leningrad)[name]
    assert {"47", "55"} <= set(marks.values()), marks
    client.force_login(people.federal)
    page = client.get(url).content.decode()
    assert _rows(page, list(marks)) == set(marks)
    assert "Регион" in page and "Омская область" in page and "Ленинградская область" in page
    narrowed = client.get(url, {"region": people.region_c.pk}).content.decode()
    assert _rows(narrowed, list(marks)) == {mark for mark, code in marks.items() if code == "55"}


@pytest.mark.parametrize("name", ["board", "protocols", "flags", "roadmaps"])
def test_regional_committee_passing_another_region_still_sees_only_their_own(client, people, omsk, leningrad,
                                                                            name):  # fmt: skip
    url, marks = _lists(people, omsk, leningrad)[name]
    client.force_login(people.committee)
    for query in ({}, {"region": people.region_c.pk}, {"region": "abc"}):
        response = client.get(url, query)
        assert response.status_code == 200
        page = response.content.decode()
        assert _rows(page, list(marks)) == {mark for mark, code in marks.items() if code == "47"}, query
        assert 'id="id_region"' not in page


@pytest.mark.parametrize(("name", "first"), [("board", "Срок"), ("flags", "Признак")])
def test_xlsx_names_the_region_first_for_the_federal_observer_only(
    client, people, omsk, leningrad, name, first
):
    url = _lists(people, omsk, leningrad)[name][0]
    client.force_login(people.federal)
    sheet = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Регион", first)
    assert {row[0] for row in rows[1:]} == {"Ленинградская область", "Омская область"}
    narrowed = load_workbook(
        BytesIO(client.get(url, {"format": "xlsx", "region": people.region_c.pk}).content)
    )
    assert {row[0] for row in list(narrowed.active.iter_rows(values_only=True))[1:]} == {"Омская область"}
    client.force_login(people.committee)
    sheet = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert next(sheet.iter_rows(values_only=True))[0] == first

"""Averages, failures, bands and dynamics as the committee reads them — each role within its scope."""

import json
from io import BytesIO, StringIO

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import ResultAggregate
from tests.assessments.factories import ege


def two_years(people):
    ege(2025, {people.school_a: [50, 60, 70], people.school_b: [40, 50]})
    return ege(
        2026,
        {people.school_a: [20, 30, 70, 100], people.school_a2: [80, 90], people.school_b: [23, 35, 61, 81]},
    )


def test_aggregates_hold_the_figures_of_each_school(people):
    campaign = two_years(people)
    a = ResultAggregate.objects.get(campaign=campaign, school=people.school_a)
    assert (a.participants, a.scored, a.score_sum) == (4, 4, 220)
    assert (a.below_min, a.below_university, a.band_61_80, a.band_81_100, a.hundreds) == (1, 2, 1, 1, 1)
    b = ResultAggregate.objects.get(campaign=campaign, school=people.school_b)
    assert (b.below_min, b.below_university, b.band_min_60, b.band_61_80, b.band_81_100) == (1, 2, 1, 1, 1)


def test_committee_sees_municipalities_with_means_failures_and_change(people, client):
    campaign = two_years(people)
    client.force_login(people.committee)
    response = client.get(campaign.get_absolute_url())
    rows = {r.name: r for r in response.context["rows"]}
    vsevolozhsk = rows[people.mun_a.name]
    assert vsevolozhsk.mean == round((20 + 30 + 70 + 100 + 80 + 90) / 6, 2)
    assert vsevolozhsk.below_min_pct == round(100 / 6, 1)
    assert vsevolozhsk.change == round(vsevolozhsk.mean - 60.0, 2)
    vyborg = rows[people.mun_b.name]
    assert vyborg.below_min_pct == 25.0 and vyborg.below_university_pct == 50.0
    assert response.context["total"].participants == 10
    assert [r.rank for r in response.context["rows"]] == [1, 2]


def test_drill_down_to_schools_and_xlsx(people, client):
    campaign = two_years(people)
    client.force_login(people.committee)
    page = client.get(campaign.get_absolute_url(), {"municipality": people.mun_a.pk})
    assert [r.name for r in page.context["rows"]] == ["Агалатовская СОШ", "СОШ № 1 Всеволожск"]
    export = client.get(campaign.get_absolute_url(), {"municipality": people.mun_a.pk, "format": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][2] == "Образовательная организация"
    assert values[1][2] == "Агалатовская СОШ" and values[1][4] == 85
    assert values[-1][2] == "Итого" and values[-1][3] == 6


def test_a_head_sees_own_schools_and_a_director_only_own_school(people, client):
    campaign = two_years(people)
    client.force_login(people.head_b)
    names = [r.name for r in client.get(campaign.get_absolute_url()).context["rows"]]
    assert names == ["Гимназия Выборга"]
    assert client.get(campaign.get_absolute_url(), {"municipality": people.mun_a.pk}).status_code == 404
    client.force_login(people.director_a)
    names = [r.name for r in client.get(campaign.get_absolute_url()).context["rows"]]
    assert names == ["СОШ № 1 Всеволожск"]
    assert client.get(reverse("assessments:school", args=[people.school_b.pk])).status_code == 404
    school_page = client.get(reverse("assessments:school", args=[people.school_a.pk]))
    assert school_page.status_code == 200 and "Русский язык" in school_page.text


def test_api_summary_is_scoped(people, client):
    campaign = two_years(people)
    client.force_login(people.head_a)
    rows = client.get(reverse("api:campaign-summary", args=[campaign.pk])).json()
    assert sorted(r["code"] for r in rows) == ["04001", "04002"]
    assert {r["subject"] for r in rows} == {"Русский язык"}


def test_results_summary_command(people):
    two_years(people)
    out = StringIO()
    call_command(
        "results_summary", "--kind", "EGE", "--year", "2026", "--by", "municipality", "--json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert {r["code"] for r in rows} == {"04", "05"}
    row = next(r for r in rows if r["code"] == "05")
    assert {"code", "name", "subject", "participants", "mean_score", "below_min_pct"} <= set(row)
    assert row["participants"] == 4 and row["mean_score"] == 50.0 and row["below_min_pct"] == 25.0


def test_one_click_from_a_school_to_an_agenda_question(people, client):
    from tests.html_forms import form_data

    client.force_login(people.committee)
    review = client.get(reverse("meetings:meeting_new"), {"about_school": people.school_a.pk})
    data = form_data(review.text, reverse("meetings:meeting_review"))
    assert data["items-0-title"] == ["О результатах оценочных процедур СОШ № 1 Всеволожск"]
    assert data["decisions-0-responsible_text"] == ["СОШ № 1 Всеволожск"]
    assert "СОШ № 1 Всеволожск → СОШ № 1 Всеволожск" in review.text  # resolved to the school itself
    client.force_login(people.head_b)
    assert (
        client.get(reverse("meetings:meeting_new"), {"about_school": people.school_a.pk}).status_code == 404
    )

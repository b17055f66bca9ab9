"""A roadmap indicator bound to a figure of the portal fills itself: the progress page shows it read-only,
the saved report and the attainment use it, whoever reports."""

from decimal import Decimal

from django.urls import reverse

from assessments.figures import figure_value, school_year_start
from assessments.models import OlympiadResult
from roadmaps import services
from roadmaps.models import Roadmap, RoadmapStatus
from tests.assessments.factories import ege, subject
from tests.roadmaps.factories import filled_template

PERIODS = ["2026/2027 учебный год", "2027/2028 учебный год"]
BOUND = "Победители и призёры регионального этапа ВсОШ"


def _roadmap(people) -> Roadmap:
    content = {"periods": PERIODS, "items": [{"number": "1", "activity": "Кружки олимпиадной подготовки",
                                              "responsible": "КО", "deadline": "в течение года", "expected_result": ""}],
               "indicators": [
                   {"name": BOUND, "unit": "чел.", "baseline": "2", "targets": dict(zip(PERIODS, ["3", "5"], strict=True)),
                    "source": "olympiad_regional_winners"},
                   {"name": "Участники курсов", "unit": "чел.", "baseline": None, "targets": {PERIODS[0]: "10"}},
               ]}  # fmt: skip
    return Roadmap.objects.create(municipality=people.mun_a, topic="gifted", title="Одарённые дети", period="2026–2028",
                                  status=RoadmapStatus.APPROVED, content=content, created_by=people.head_a)  # fmt: skip


def _olympiad(people):
    russian = subject()
    OlympiadResult.objects.create(year=2026, stage="regional", subject=russian, school=people.school_a,
                                  participants=9, winners=1, prize_winners=2)  # fmt: skip
    OlympiadResult.objects.create(year=2026, stage="regional", subject=russian, school=people.school_a2,
                                  participants=4, winners=0, prize_winners=1)  # fmt: skip
    OlympiadResult.objects.create(year=2026, stage="regional", subject=russian, school=people.school_b,
                                  participants=7, winners=3, prize_winners=3)  # fmt: skip
    OlympiadResult.objects.create(year=2025, stage="regional", subject=russian, school=people.school_a,
                                  participants=5, winners=1, prize_winners=0)  # fmt: skip


def test_periods_name_school_years():
    assert school_year_start("2026/2027 учебный год") == 2026
    assert school_year_start("2026/27") == 2026
    assert school_year_start("2026") == 2025  # the school year that ends in 2026
    assert school_year_start("I полугодие") is None


def test_figures_for_a_municipality_and_a_school(people):
    _olympiad(people)
    value = figure_value(
        "olympiad_regional_winners", municipality_id=people.mun_a.pk, school_id=None, period=PERIODS[0]
    )
    assert value == Decimal(4)
    assert figure_value("olympiad_regional_winners", municipality_id=None, school_id=people.school_a.pk,
                        period="2025/2026") == Decimal(1)  # fmt: skip
    assert figure_value("olympiad_regional_winners", municipality_id=people.mun_a.pk, school_id=None,
                        period=PERIODS[1]) is None  # no results of that year yet  # fmt: skip
    ege(2027, {people.school_a: [20, 30, 40, 100], people.school_b: [10]})
    assert figure_value(
        "ege_below_min_pct", municipality_id=people.mun_a.pk, school_id=None, period=PERIODS[0]
    ) == Decimal("25.0")
    assert (
        figure_value("ege_hundreds", municipality_id=people.mun_a.pk, school_id=None, period=PERIODS[0]) == 1
    )


def test_the_progress_page_shows_the_computed_value_read_only_and_the_report_keeps_it(people, client):
    _olympiad(people)
    roadmap = _roadmap(people)
    client.force_login(people.head_a)
    url = reverse("roadmaps:progress", args=[roadmap.pk]) + f"?period={PERIODS[0]}"
    page = client.get(url)
    field = page.context["form"]["actual_0"]
    assert field.field.disabled and field.value() == Decimal(4)
    assert "рассчитано по данным портала" in page.text
    response = client.post(url, {"period": PERIODS[0], "actual_0": "99", "actual_1": "12", "item_0": "done",
                                 "comment": ""})  # fmt: skip
    assert response.status_code == 302
    saved = roadmap.progress.get(period=PERIODS[0])
    assert saved.actuals == {BOUND: "4", "Участники курсов": "12"}
    # the API (or any caller of the service) cannot put another number there either
    services.progress_save(roadmap=roadmap, actor=people.head_a, period=PERIODS[0],
                           actuals={BOUND: Decimal(50), "Участники курсов": Decimal(12)}, item_statuses={})  # fmt: skip
    assert roadmap.progress.get(period=PERIODS[0]).actuals[BOUND] == "4"
    detail = client.get(roadmap.get_absolute_url())
    row = next(r for r in detail.context["rows"] if r.name == BOUND)
    assert [c.actual for c in row.cells] == [Decimal(4), None] and row.attained(row.cells[0])


def test_the_binding_is_chosen_on_the_edit_page_and_kept_by_a_template_upload(people, client):
    roadmap = _roadmap(people)
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.DRAFT)
    client.force_login(people.head_a)
    page = client.get(reverse("roadmaps:edit", args=[roadmap.pk]))
    assert page.status_code == 200 and "Факт заполняется" in page.text
    assert page.context["indicators"].forms[0]["source"].value() == "olympiad_regional_winners"
    template = client.get(reverse("roadmaps:template", args=[roadmap.pk])).content
    upload = filled_template(template, items=[("1", "Кружки", "КО", "в течение года", "")],
                             indicators=[(1, BOUND, "чел.", 2, 3, 5), (2, "Новый показатель", "%", 1, 2, 3)])  # fmt: skip
    client.post(reverse("roadmaps:upload", args=[roadmap.pk]), {"file": upload})
    roadmap.refresh_from_db()
    assert [i.get("source", "") for i in roadmap.indicators] == ["olympiad_regional_winners", ""]

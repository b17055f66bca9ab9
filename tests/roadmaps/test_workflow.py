"""The issue's path: the committee asks every municipality for a roadmap; a head fills the template,
is returned once, resubmits, is approved, reports actual values; the committee sees the region."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import Obligation, ObligationStatus
from meetings.reminders import obligation_candidates
from roadmaps import services
from roadmaps.models import Roadmap, RoadmapEvent, RoadmapStatus
from tests.meetings.factories import days
from tests.roadmaps.factories import INDICATORS, ITEMS, filled_template, roadmap_meeting

pytestmark = pytest.mark.django_db


def _obligation(decision, municipality):
    return Obligation.objects.get(decision=decision, municipality=municipality)


def test_a_decision_asking_for_roadmaps_puts_every_municipality_under_control(people):
    decision = roadmap_meeting(people)
    assert decision.requires_roadmap
    assert set(decision.obligations.values_list("municipality__code", flat=True)) == {"04", "05"}


def test_whole_path_through_the_pages(people, client):
    decision = roadmap_meeting(people)
    mine = _obligation(decision, people.head_a.municipality)

    client.force_login(people.head_a)
    listing = client.get(reverse("roadmaps:list")).text
    assert "Нужно представить" in listing and "дорожные карты по повышению качества" in listing
    response = client.post(reverse("roadmaps:start", args=[mine.pk]))
    roadmap = Roadmap.objects.get(obligation=mine)
    assert response.url == roadmap.get_absolute_url()
    assert roadmap.topic == "gia" and roadmap.status == RoadmapStatus.DRAFT

    # the head downloads the template, fills it in Excel and uploads it
    template = client.get(reverse("roadmaps:template", args=[roadmap.pk]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = filled_template(template.content, items=ITEMS, indicators=INDICATORS)
    page = client.post(reverse("roadmaps:upload", args=[roadmap.pk]), {"file": upload}, follow=True).text
    assert "Шаблон загружен" in page
    roadmap.refresh_from_db()
    assert [i["number"] for i in roadmap.items] == ["1.1", "1.2"]
    assert roadmap.indicators[0]["baseline"] == "12.5"
    assert len(roadmap.periods) == 2

    client.post(reverse("roadmaps:action", args=[roadmap.pk, "submit"]))
    roadmap.refresh_from_db()
    mine.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED and mine.status == ObligationStatus.REPORTED

    # the committee sees the region and returns it with comments
    client.force_login(people.committee)
    region = client.get(reverse("roadmaps:request", args=[decision.pk])).text
    assert "КО Всеволожского района" in region and "КО Выборгского района" in region
    assert "представлена" in region and "не начата" in region
    page = client.post(
        reverse("roadmaps:action", args=[roadmap.pk, "return"]), {"comment": ""}, follow=True
    ).text
    assert "Напишите замечания" in page
    client.post(reverse("roadmaps:action", args=[roadmap.pk, "return"]),
                {"comment": "Добавьте мероприятие по работе с ШНОР"})  # fmt: skip
    roadmap.refresh_from_db()
    mine.refresh_from_db()
    assert roadmap.status == RoadmapStatus.RETURNED and mine.status == ObligationStatus.RETURNED

    # the head sees the comments, adds an item on the page and resubmits
    client.force_login(people.head_a)
    assert "Добавьте мероприятие по работе с ШНОР" in client.get(roadmap.get_absolute_url()).text
    form = _edit_post(roadmap, extra_item=("1.3", "Адресная помощь школам с низкими результатами", "КО",
                                           "до 01.02.2027", "Планы школ"))  # fmt: skip
    response = client.post(reverse("roadmaps:edit", args=[roadmap.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(reverse("roadmaps:action", args=[roadmap.pk, "submit"]))
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED and roadmap.versions.count() == 2
    diff = client.get(reverse("roadmaps:version", args=[roadmap.pk, 2])).text
    assert "1.3" in diff and "добавлено" in diff

    # approved: the obligation is closed
    client.force_login(people.committee)
    client.post(reverse("roadmaps:action", args=[roadmap.pk, "approve"]), {"comment": "Согласовано"})
    roadmap.refresh_from_db()
    mine.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED and mine.status == ObligationStatus.ACCEPTED

    # later the head reports the actual values of the first period
    client.force_login(people.head_a)
    period = roadmap.periods[0]
    url = reverse("roadmaps:progress", args=[roadmap.pk]) + f"?period={period}"
    assert "Фактические значения" in client.get(url).text
    response = client.post(url, {"period": period, "actual_0": "9,5", "actual_1": "96", "item_0": "done",
                                 "item_1": "in_progress", "item_2": "planned", "comment": ""})  # fmt: skip
    assert response.status_code == 302
    client.force_login(people.committee)
    region = client.get(reverse("roadmaps:request", args=[decision.pk])).text
    assert (
        "1 из 2" in region
    )  # the share below the minimum fell under its target; the certificates did not reach it
    assert "утверждена" in region
    kinds = list(roadmap.events.values_list("kind", flat=True))
    assert kinds.count(RoadmapEvent.Kind.SUBMITTED) == 2 and RoadmapEvent.Kind.PROGRESS in kinds


def _edit_post(roadmap, extra_item):
    data = {"title": roadmap.title, "topic": roadmap.topic, "period": roadmap.period,
            "periods": "\n".join(roadmap.periods)}  # fmt: skip
    items = [*roadmap.items, dict(zip(["number", "activity", "responsible", "deadline", "expected_result"],
                                      extra_item, strict=True))]  # fmt: skip
    data.update({"items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": "0"})
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{index}-{key}"] = value
    data.update({"indicators-TOTAL_FORMS": str(len(roadmap.indicators)), "indicators-INITIAL_FORMS": "0"})
    for index, indicator in enumerate(roadmap.indicators):
        data[f"indicators-{index}-name"] = indicator["name"]
        data[f"indicators-{index}-unit"] = indicator["unit"]
        data[f"indicators-{index}-baseline"] = indicator["baseline"] or ""
        for n, period in enumerate(roadmap.periods):
            data[f"indicators-{index}-target_{n}"] = indicator["targets"][period] or ""
    return data


def test_template_errors_name_row_and_column_and_nothing_changes(people, client):
    decision = roadmap_meeting(people)
    roadmap = services.roadmap_for_obligation(obligation=_obligation(decision, people.head_a.municipality),
                                              actor=people.head_a)  # fmt: skip
    client.force_login(people.head_a)
    template = client.get(reverse("roadmaps:template", args=[roadmap.pk])).content
    bad = filled_template(template, items=[("1.1", "Диагностика", "КО", None, "")],
                          indicators=[(1, "Доля", "%", "много", 1, 2)])  # fmt: skip
    page = client.post(reverse("roadmaps:upload", args=[roadmap.pk]), {"file": bad}, follow=True).text
    assert "строка 4" in page and "Срок" in page
    assert "много" in page
    roadmap.refresh_from_db()
    assert roadmap.items == [] and not roadmap.events.filter(kind=RoadmapEvent.Kind.EDITED).exists()


def test_a_pdf_renamed_to_xlsx_is_refused(people, client):
    decision = roadmap_meeting(people)
    roadmap = services.roadmap_for_obligation(obligation=_obligation(decision, people.head_a.municipality),
                                              actor=people.head_a)  # fmt: skip
    client.force_login(people.head_a)
    fake = SimpleUploadedFile("план.xlsx", b"%PDF-1.4\n%fake\n" + b"0" * 200)
    page = client.post(reverse("roadmaps:upload", args=[roadmap.pk]), {"file": fake}, follow=True).text
    assert "содержимое не соответствует расширению" in page


def test_documents_are_private_to_the_scope(people, client):
    decision = roadmap_meeting(people)
    roadmap = services.roadmap_for_obligation(obligation=_obligation(decision, people.head_a.municipality),
                                              actor=people.head_a)  # fmt: skip
    pdf = SimpleUploadedFile("Дорожная карта.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    (stored,) = services.files_attach(roadmap=roadmap, actor=people.head_a, uploads=[pdf])
    assert stored.file.name.startswith("roadmaps/") and "Дорожная" not in stored.file.name
    for persona, code in [("head_a", 200), ("committee", 200), ("observer", 200), ("head_b", 404),
                          ("director_a", 404), ("director_b", 404)]:  # fmt: skip
        client.force_login(getattr(people, persona))
        assert client.get(stored.get_absolute_url()).status_code == code, persona
        assert client.get(roadmap.get_absolute_url()).status_code == code, persona


def test_only_the_unit_writes_and_only_the_controller_reviews(people):
    decision = roadmap_meeting(people)
    obligation = _obligation(decision, people.head_a.municipality)
    with pytest.raises(PermissionDenied):
        services.roadmap_for_obligation(obligation=obligation, actor=people.head_b)
    roadmap = services.roadmap_for_obligation(obligation=obligation, actor=people.head_a)
    content = {"periods": ["2026/2027"], "items": [dict(zip(
        ["number", "activity", "responsible", "deadline", "expected_result"], ITEMS[0], strict=True))],
        "indicators": []}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.roadmap_update(roadmap=roadmap, actor=people.observer, content=content)
    services.roadmap_update(roadmap=roadmap, actor=people.head_a, content=content)
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    for outsider in (people.head_a, people.head_b, people.observer, people.loiro_staff):
        with pytest.raises(PermissionDenied):
            services.roadmap_approve(roadmap=roadmap, actor=outsider)
    with pytest.raises(ValidationError):
        services.roadmap_update(roadmap=roadmap, actor=people.head_a, content=content)


def test_the_obligation_is_reported_only_through_the_roadmap(people, client):
    decision = roadmap_meeting(people)
    obligation = _obligation(decision, people.head_a.municipality)
    with pytest.raises(ValidationError, match="дорожную карту"):
        meeting_services.report_submit(obligation=obligation, actor=people.head_a, text="Готово")
    client.force_login(people.head_a)
    page = client.get(obligation.get_absolute_url()).text
    assert "Заполнить дорожную карту" in page and "Направить отчёт" not in page


def test_reminders_reach_only_those_who_have_not_submitted(people):
    decision = roadmap_meeting(people, due_in=3)
    roadmap = services.roadmap_for_obligation(obligation=_obligation(decision, people.head_a.municipality),
                                              actor=people.head_a)  # fmt: skip
    content = {"periods": [], "indicators": [], "items": [dict(zip(
        ["number", "activity", "responsible", "deadline", "expected_result"], ITEMS[0], strict=True))]}  # fmt: skip
    services.roadmap_update(roadmap=roadmap, actor=people.head_a, content=content)
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    reminded = {c.unit_name for c in obligation_candidates(days(0)) if c.target_id in
                set(decision.obligations.values_list("pk", flat=True))}  # fmt: skip
    assert reminded == {"КО Выборгского района"}


def test_overdue_units_are_marked_on_the_region_page(people, client):
    decision = roadmap_meeting(people, due_in=-2)
    client.force_login(people.committee)
    page = client.get(reverse("roadmaps:request", args=[decision.pk])).text
    assert page.count("просрочено") >= 2
    export = client.get(reverse("roadmaps:request", args=[decision.pk]) + "?format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_school_roadmap_is_reviewed_by_its_municipality(people, client):
    roadmap = services.roadmap_create(actor=people.director_a, topic="objectivity",
                                      title="План по объективности ВПР", period="2026/2027 учебный год")  # fmt: skip
    content = {"periods": [], "indicators": [], "items": [dict(zip(
        ["number", "activity", "responsible", "deadline", "expected_result"], ITEMS[0], strict=True))]}  # fmt: skip
    services.roadmap_update(roadmap=roadmap, actor=people.director_a, content=content)
    services.roadmap_submit(roadmap=roadmap, actor=people.director_a)
    client.force_login(people.head_a)
    assert "План по объективности ВПР" in client.get(reverse("roadmaps:list")).text
    with pytest.raises(PermissionDenied):
        services.roadmap_approve(roadmap=roadmap, actor=people.head_b)
    services.roadmap_approve(roadmap=roadmap, actor=people.head_a)
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.APPROVED
    client.force_login(people.head_b)
    assert client.get(roadmap.get_absolute_url()).status_code == 404


def test_a_regional_organisation_among_the_addressees_reports_as_usual(people):
    from tests.meetings.factories import committee_meeting, decision, written

    meeting = committee_meeting(people, decision("1", "Разработать план мероприятий по повышению квалификации.",
                                                 f"до {written(10)}", "ЛОИРО; руководители ОМСУ"))  # fmt: skip
    obligation = Obligation.objects.get(decision__item__meeting=meeting, organization=people.loiro)
    report = meeting_services.report_submit(
        obligation=obligation, actor=people.loiro_staff, text="План утверждён."
    )
    assert report.obligation.status == ObligationStatus.REPORTED
    with pytest.raises(ValidationError):
        meeting_services.report_submit(obligation=Obligation.objects.get(decision=obligation.decision,
                                       municipality=people.mun_a), actor=people.head_a, text="Готово")  # fmt: skip


def test_an_approved_roadmap_is_amended_and_approved_again_with_the_obligation_left_closed(people, client):
    decision = roadmap_meeting(people)
    obligation = _obligation(decision, people.head_a.municipality)
    roadmap = services.roadmap_for_obligation(obligation=obligation, actor=people.head_a)
    item = dict(
        zip(["number", "activity", "responsible", "deadline", "expected_result"], ITEMS[0], strict=True)
    )
    services.roadmap_update(roadmap=roadmap, actor=people.head_a,
                            content={"periods": [], "indicators": [], "items": [item]})  # fmt: skip
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    services.roadmap_approve(roadmap=roadmap, actor=people.committee)

    client.force_login(people.head_a)
    page = client.post(
        reverse("roadmaps:action", args=[roadmap.pk, "revise"]), {"comment": ""}, follow=True
    ).text
    assert "Укажите основание изменений" in page
    client.post(reverse("roadmaps:action", args=[roadmap.pk, "revise"]), {"comment": "Приказ КО № 12"})
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.DRAFT
    moved = {**item, "deadline": "до 01.03.2027"}
    services.roadmap_update(roadmap=roadmap, actor=people.head_a,
                            content={"periods": [], "indicators": [], "items": [moved]})  # fmt: skip
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    services.roadmap_approve(roadmap=roadmap, actor=people.committee)
    roadmap.refresh_from_db()
    obligation.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED and roadmap.versions.count() == 2
    assert obligation.status == ObligationStatus.ACCEPTED and obligation.reports.count() == 1
    assert "до 01.03.2027" in client.get(reverse("roadmaps:version", args=[roadmap.pk, 2])).text

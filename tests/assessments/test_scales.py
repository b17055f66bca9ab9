"""Yearly scales are the region's data: loaded from XLSX all or nothing, and never guessed when absent."""

from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.models import Campaign, Scale
from assessments.scales import HEADER
from tests.assessments.factories import ege


def scales_file(rows) -> bytes:
    book = Workbook()
    book.active.append(["Шкалы 2025 года"])
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["ЕГЭ", "Русский язык", 2025, None, 50, 24, 36, None, None, None, "", ""],
    ["ОГЭ", "Математика", 2025, 9, 31, None, None, 8, 15, 22, "", ""],
    ["ЕГЭ", "Химия", "2025", "", "4", "36", "", "", "", "", "1, 1, 2", "0, 10, 20, 36, 100"],
]


def post(client, content: bytes):
    return client.post(
        reverse("assessments:scales"), {"file": SimpleUploadedFile("scales.xlsx", content)}, follow=True
    )


def test_a_campaign_without_a_scale_says_so_and_a_loaded_scale_fills_the_figures(people, client):
    campaign = ege(2025, {people.school_a: [10, 30, 70]})
    Scale.objects.filter(kind="EGE", year=2025).delete()
    Campaign.objects.filter(pk=campaign.pk).update(scale=None)
    from assessments.services import aggregates_refresh

    campaign.refresh_from_db()
    aggregates_refresh(campaign)
    client.force_login(people.committee)
    page = client.get(campaign.get_absolute_url())
    assert "шкала не задана" in page.text
    assert page.context["total"].below_min_pct is None  # not 0 %: nothing is computed with a guess
    api = f"/api/v1/campaigns/{campaign.pk}/summary/"
    assert client.get(api).json()[0]["below_min_pct"] is None
    answer = post(client, scales_file(GOOD))
    assert "Загружено шкал: 3" in answer.text
    page = client.get(campaign.get_absolute_url())
    assert "шкала не задана" not in page.text and page.context["total"].below_min_pct == 33.3
    assert client.get(api).json()[0]["below_min_pct"] == 33.3
    oge = Scale.objects.get(kind="OGE", year=2025, grade=9)
    assert (oge.max_primary, oge.mark_boundaries, oge.mark_for(14), oge.mark_for(15)) == (
        31,
        {"3": 8, "4": 15, "5": 22},
        3,
        4,
    )
    chemistry = Scale.objects.get(kind="EGE", year=2025, subject__code="chemistry")
    assert chemistry.task_max == [1, 1, 2] and chemistry.test_score_for(3) == 36


def test_bad_rows_are_named_and_nothing_is_saved(people, client):
    client.force_login(people.committee)
    rows = [
        *GOOD,
        ["ОГЭ", "Математика", 2025, 9, 31, None, None, 15, 8, 22, "", ""],
        ["ЕГЭ", "Астрология", 2025],
    ]
    page = post(client, scales_file(rows)).text
    assert "Ошибки — ничего не загружено" in page
    assert "границы отметок должны возрастать" in page and "предмет «Астрология» не найден" in page
    assert not Scale.objects.filter(year=2025).exists()


def test_the_export_loads_back_unchanged_and_only_committee_staff_load(people, client):
    client.force_login(people.committee)
    post(client, scales_file(GOOD))
    before = list(Scale.objects.order_by("pk").values())
    exported = client.get(reverse("assessments:scales"), {"format": "xlsx"}).content
    sheet = load_workbook(BytesIO(exported)).active
    assert [c.value for c in sheet[1]] == HEADER
    post(client, exported)
    assert list(Scale.objects.order_by("pk").values()) == before
    client.force_login(people.head_a)
    assert (
        client.post(
            reverse("assessments:scales"), {"file": SimpleUploadedFile("s.xlsx", exported)}
        ).status_code
        == 403
    )
    client.force_login(people.observer)
    assert client.get(reverse("assessments:scales")).status_code == 200
    assert (
        client.post(
            reverse("assessments:scales"), {"file": SimpleUploadedFile("s.xlsx", exported)}
        ).status_code
        == 403
    )


def test_the_command_loads_the_same_table(people, tmp_path):
    path = tmp_path / "scales.xlsx"
    path.write_bytes(scales_file(GOOD[:2]))
    out = StringIO()
    call_command("load_scales", str(path), stdout=out)
    assert "Загружено шкал: 2." in out.getvalue()
    path.write_bytes(scales_file([["ВПР", "Математика", 2025, 5, "x"]]))
    with pytest.raises(CommandError):
        call_command("load_scales", str(path), stdout=StringIO())


def test_a_mark_campaign_with_primary_scores_only_and_no_scale_says_so(people, client):
    from assessments.models import AssessmentKind, Result, Subject
    from assessments.services import aggregates_refresh

    math = Subject.objects.get(code="math")
    campaign = Campaign.objects.create(
        region=people.region, kind=AssessmentKind.OGE, subject=math, year=2025, grade=9
    )
    Result.objects.create(campaign=campaign, school=people.school_a, participant_code="A1", primary_score=12)
    aggregates_refresh(campaign)
    client.force_login(people.committee)
    assert "шкала не задана" in client.get(campaign.get_absolute_url()).text


def test_a_loaded_primary_to_test_table_gives_test_scores_to_files_without_them(people, client, settings):
    from assessments.models import Result

    settings.RESULTS_PSEUDONYM_KEY = "test-only-pseudonym-key-0123456789abcdef"
    client.force_login(people.committee)
    post(
        client,
        scales_file([["ЕГЭ", "Химия", 2026, None, 4, 36, None, None, None, None, "", "0, 10, 20, 36, 100"]]),
    )
    book = Workbook()
    book.active.append(["Результаты ЕГЭ по химии"])
    book.active.append(["Код ОО", "Класс", "Серия документа", "Номер документа", "Первичный балл"])
    book.active.append(["04001", "11А", "4012", "111111", "3"])
    book.active.append(["04001", "11А", "4012", "222222", "1"])
    buffer = BytesIO()
    book.save(buffer)
    data = {
        "kind": "EGE",
        "year": 2026,
        "subject": "",
        "grade": "",
        "file": SimpleUploadedFile("c.xlsx", buffer.getvalue()),
    }
    client.post(reverse("assessments:import_new"), data)
    from assessments.models import ImportJob

    job = ImportJob.objects.latest("pk")
    assert job.status == "checked", job.errors
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    assert sorted(Result.objects.values_list("primary_score", "test_score")) == [(1, 10), (3, 36)]

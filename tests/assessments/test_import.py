"""Staff import a result file: a dry run names every bad row; the commit is all-or-nothing and repeatable."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.models import Campaign, ImportJob, Result, ResultAggregate
from tests.assessments.factories import subject

HEADER = [
    "Код МСУ",
    "Код ОО",
    "Класс",
    "Код участника",
    "Фамилия",
    "Имя",
    "Отчество",
    "Первичный балл",
    "Балл",
]


def ege_file(rows, *, title=True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["Результаты ЕГЭ по русскому языку, 2026 год"])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["04", "04001", "11А", "P001", "Иванов", "Иван", "Иванович", "30", "70"],
    ["04", "04001", "11А", "P002", "Петрова", "Мария", "Сергеевна", 12, 20],
    ["04", "04002", "11", "P003", "Сидоров", "Пётр", "Ильич", 45, 100],
    ["05", "05001", "11Б", "P004", "Кузнецова", "Анна", "", 25, 55],
]


@pytest.fixture
def russian(db):
    return subject()


def upload(client, content: bytes, name="ege-russian-2026.xlsx", **fields):
    data = {"kind": "EGE", "year": 2026, "subject": fields.pop("subject_id", ""), "grade": "",
            "file": SimpleUploadedFile(name, content)}  # fmt: skip
    return client.post(reverse("assessments:import_new"), data)


def test_check_then_commit_through_the_pages(people, client, russian):
    client.force_login(people.committee)
    response = upload(client, ege_file(GOOD), subject_id=russian.pk)
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.status == "checked" and job.rows == 4 and job.errors == []
    assert not Result.objects.exists()  # the check saves nothing
    page = client.get(job.get_absolute_url()).text
    assert "Ошибок нет" in page
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.imported == 4
    campaign = Campaign.objects.get()
    assert str(campaign) == "ЕГЭ-2026, Русский язык"
    assert ResultAggregate.objects.get(campaign=campaign, school=people.school_a).score_sum == 90
    # 152-ФЗ: names never reach the database
    stored = json.dumps(list(Result.objects.values()), default=str, ensure_ascii=False)
    assert "Иванов" not in stored and "Петрова" not in stored


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(people, client, russian):
    rows = [*GOOD, ["04", "99999", "11", "P005", "", "", "", 20, 50], ["04", "04001", "11", "P006", "", "", "", 20, 112],
            ["04", "04001", "11", "P001", "", "", "", 20, 40]]  # fmt: skip
    client.force_login(people.committee)
    upload(client, ege_file(rows), subject_id=russian.pk)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    by_row = {e["row"]: e for e in job.errors}
    assert set(by_row) == {8, 9, 10}  # title, blank line and header come first
    assert "Код ОО «99999» не найден" in by_row[8]["message"]
    assert by_row[9]["column"] == "Балл" and "112" in by_row[9]["message"]
    assert "уже был в строке 4" in by_row[10]["message"]
    report = client.get(job.get_absolute_url(), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(report.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [8, 9, 10]
    response = client.post(reverse("assessments:import_commit", args=[job.pk]), follow=True)
    assert "Сначала проверьте файл" in response.text
    assert not Result.objects.exists()


def test_reimport_changes_nothing_and_a_corrected_file_replaces_rows(people, russian):
    path_rows = ege_file(GOOD)
    for _ in range(2):
        _run_command(path_rows)
    assert Result.objects.count() == 4
    corrected = [row[:] for row in GOOD[:3]]
    corrected[0][8] = 75
    _run_command(ege_file(corrected))
    assert Result.objects.count() == 3
    assert Result.objects.get(participant_code="P001").test_score == 75


def _run_command(content: bytes, *extra):
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(content)
        handle.flush()
        out = StringIO()
        call_command("import_results", handle.name, "--kind", "EGE", "--year", "2026", "--subject", "русский",
                     "--json", *extra, stdout=out)  # fmt: skip
        return json.loads(out.getvalue())


def test_command_json_and_exit_code(people, russian, tmp_path):
    result = _run_command(ege_file(GOOD), "--dry-run")
    assert (result["rows"], result["imported"], result["errors"]) == (4, 0, [])
    assert not Result.objects.exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(ege_file([["04", "04001", "11", "", "", "", "", 10, 30]]))
    out = StringIO()
    with pytest.raises(CommandError, match="Ничего не загружено"):
        call_command("import_results", str(bad), "--kind", "EGE", "--year", "2026", "--subject", "русский", "--json",
                     stdout=out)  # fmt: skip
    printed = json.loads(out.getvalue())
    assert printed["imported"] == 0
    assert printed["errors"][0]["row"] == 4 and printed["errors"][0]["message"]


def test_only_committee_imports(people, client):
    client.force_login(people.head_a)
    assert client.get(reverse("assessments:import_new")).status_code == 403
    client.force_login(people.observer)
    assert client.get(reverse("assessments:import_new")).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is the PostgreSQL path")
def test_postgresql_path_uses_copy(people, russian, django_assert_max_num_queries):
    many = [["04", "04001", "11", f"C{n:05d}", "", "", "", 20, n % 101] for n in range(3000)]
    result = _run_command(ege_file(many))
    assert result["imported"] == 3000
    assert Result.objects.count() == 3000


def test_unknown_headers_are_mapped_by_hand(people, client, russian):
    book = Workbook()
    sheet = book.active
    sheet.append(["Школа (код)", "Шифр", "Итог"])
    sheet.append(["04001", "Z1", 64])
    sheet.append(["05001", "Z2", 71])
    buffer = BytesIO()
    book.save(buffer)
    client.force_login(people.committee)
    upload(client, buffer.getvalue(), subject_id=russian.pk)
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.errors[0]["row"] == 0
    page = client.get(job.get_absolute_url()).text
    assert "Сопоставьте столбцы вручную" in page and "Шифр" in page
    client.post(reverse("assessments:import_mapping", args=[job.pk]),
                {"school_code": "Школа (код)", "participant_code": "Шифр", "test_score": "Итог"})  # fmt: skip
    job.refresh_from_db()
    assert job.status == "checked", job.errors
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    assert sorted(Result.objects.values_list("test_score", flat=True)) == [64, 71]


def test_commit_uses_the_rows_checked_and_does_not_read_the_sheet_again(people, client, russian):
    from pathlib import Path

    client.force_login(people.committee)
    upload(client, ege_file(GOOD), subject_id=russian.pk)
    job = ImportJob.objects.get()
    staged = [Path(p) for entry in job.staged.values() for p in entry["files"]]
    assert len(staged) == 1 and staged[0].exists()
    job.file.delete(save=False)  # the sheet is gone: only the staged rows can be used
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Result.objects.count() == 4
    assert not staged[0].exists() and job.staged == {}


def test_aggregated_vpr_shares_appear_in_the_analytics(people, client):
    subject("math", "Математика", "математика")
    book = Workbook()
    sheet = book.active
    sheet.append(["ВПР 2026, 5 класс"])
    sheet.append(
        [
            "Год",
            "Класс",
            "Предмет",
            "Код ОО",
            "ОО",
            "Количество участников",
            "% «2»",
            "% «3»",
            "% «4»",
            "% «5»",
        ]
    )
    sheet.append([2026, 5, "Математика", "04001", "СОШ № 1", 20, 10, 40, 30, 20])
    sheet.append([2026, 5, "Математика", "05001", "Гимназия", 10, 0, 20, 40, 40])
    buffer = BytesIO()
    book.save(buffer)
    client.force_login(people.committee)
    client.post(reverse("assessments:import_new"),
                {"kind": "VPR", "year": 2026, "grade": 5, "file": SimpleUploadedFile("vpr.xlsx", buffer.getvalue())})  # fmt: skip
    job = ImportJob.objects.get()
    assert job.status == "checked", job.errors
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    campaign = Campaign.objects.get(kind="VPR")
    rows = {r.name: r for r in client.get(campaign.get_absolute_url()).context["rows"]}
    a = rows[people.mun_a.name]
    assert (a.participants, a.mark_2, a.mark_5, a.success_pct, a.quality_pct) == (20, 2, 4, 90.0, 50.0)
    assert rows[people.mun_b.name].mean == 4.2


def test_big_files_go_through_the_worker_tasks(
    people, client, russian, monkeypatch, django_capture_on_commit_callbacks
):
    from assessments import views

    monkeypatch.setattr(views, "inline_bytes", lambda: 0)  # every file counts as big
    monkeypatch.setattr(views, "INLINE_COMMIT_ROWS", 0)
    client.force_login(people.committee)
    upload(client, ege_file(GOOD), subject_id=russian.pk)
    job = ImportJob.objects.get()
    assert job.status == "checked"  # checked by import_check_task (in-process in tests)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and Result.objects.count() == 4


def test_commit_reads_the_sheet_again_when_the_staged_rows_are_gone(people, client, russian):
    from pathlib import Path

    client.force_login(people.committee)
    upload(client, ege_file(GOOD), subject_id=russian.pk)
    job = ImportJob.objects.get()
    for entry in job.staged.values():
        for path in entry["files"]:
            Path(path).unlink()
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Result.objects.count() == 4

"""A big sheet is checked by processes forked after it is parsed: the report, the staged rows and the
imported results are the same as with one process; failures of a share reach the person who imports."""

import csv
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.deletion import ProtectedError
from openpyxl import Workbook

from assessments import services, staging
from assessments.models import Campaign, ImportJob, Result
from core.forks import ForkedError, in_forks
from tests.assessments.factories import subject

HEADER = ["Код МСУ", "Код ОО", "Класс", "Код участника", "Фамилия", "Первичный балл", "Балл"]


def sheet(rows) -> bytes:
    book = Workbook()
    book.active.append(["Результаты ЕГЭ по русскому языку, 2026 год"])
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def clean_rows(n: int) -> list[list]:
    return [["04", ["04001", "04002", "05001"][i % 3], "11А", f"C{i:05d}", "Иванов", 10 + i % 30, 20 + i % 80]
            for i in range(n)]  # fmt: skip


MESSY = [
    *clean_rows(40),
    ["04", "04001", "11А", "C00003", "Петров", 12, 30],  # the code of row 6 again
    ["04", "04001", "11А", "", "Петров", 12, 30],  # no code
    ["04", "09999", "11А", "X1", "Сидоров", 12, 30],  # unknown school
    ["04", "04002", "11А", "X2", "Сидоров", "много", 30],  # not a number
    ["04", "04002", "11А", "X3", "Сидоров", 12, 130],  # out of range
    [],
    HEADER,  # a repeated header row
    ["Итого", "", "", "", "", "", ""],
    ["05", "05001", "11Б", "X4", "Кузнецова", 25, 55],
    ["05", "05001", "11Б", "X4", "Кузнецова", 25, 55],  # repeated after the blank
    *[["04", "04002", "11А", "C00010", "Петров", 12, 30]] * 2,  # the code of row 13, twice more
]


@pytest.fixture
def russian(db):
    return subject()


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def job_for(people, content: bytes, russian) -> ImportJob:
    upload = SimpleUploadedFile("ege.xlsx", content)
    return services.job_create(actor=people.committee, upload=upload, kind="EGE", year=2026, subject=russian,
                               grade=None)  # fmt: skip


def staged_rows(outcome) -> list[list[str]]:
    rows = []
    for entry in outcome.staged.values():
        for path in entry["files"]:
            with open(path, newline="", encoding="utf-8") as handle:
                rows += list(csv.reader(handle))
    return sorted(rows)


def in_shares(settings, processes: int) -> None:
    settings.RESULTS_CHECK_PROCESSES = processes
    settings.RESULTS_CHECK_SHARED_FROM_ROWS = 0 if processes > 1 else 10**9


@pytest.mark.parametrize("processes", [2, 3])
def test_shares_report_the_same_errors_in_row_order(people, russian, settings, processes):
    job = job_for(people, sheet(MESSY), russian)
    in_shares(settings, 1)
    alone = staging.stage(job)
    in_shares(settings, processes)
    shared = staging.stage(job)
    assert shared.errors == alone.errors
    assert (shared.rows, shared.valid) == (alone.rows, alone.valid)
    assert [e["row"] for e in shared.errors] == [43, 44, 45, 46, 47, 52, 53, 54]
    assert "уже был в строке 6" in shared.errors[0]["message"]
    assert "уже был в строке 51" in shared.errors[5]["message"]
    assert ["уже был в строке 13" in e["message"] for e in shared.errors[6:]] == [True, True]
    assert shared.staged == {}  # a file with errors leaves nothing staged
    assert not list((Path(settings.MEDIA_ROOT) / "imports" / "staged").glob(f"job-{job.pk}-*"))


def test_shares_stage_the_same_rows_and_the_schools_they_need(people, russian, settings):
    job = job_for(people, sheet(clean_rows(300)), russian)
    in_shares(settings, 1)
    alone = staging.stage(job)
    one_file = staged_rows(alone)
    in_shares(settings, 2)
    shared = staging.stage(job)
    assert not shared.errors and shared.valid == alone.valid == 300
    (entry,) = shared.staged.values()
    assert len(entry["files"]) == 2
    assert entry["schools"] == sorted({int(row[0]) for row in one_file}) and len(entry["schools"]) == 3
    assert staged_rows(shared) == one_file


def test_a_shared_check_imports_every_row_once(people, client, russian, settings):
    in_shares(settings, 2)
    client.force_login(people.committee)
    job = job_for(people, sheet(clean_rows(300)), russian)
    assert services.results_check(job).errors == []
    assert services.results_commit(job) == 300
    assert Result.objects.count() == 300
    assert sorted(Result.objects.values_list("participant_code", flat=True)) == [
        f"C{i:05d}" for i in range(300)
    ]


def test_ege_rows_of_grades_10_and_11_go_to_one_campaign(people, russian):
    rows = [["04", "04001", "10А", "G1", "Иванов", 20, 40], ["04", "04001", "11А", "G2", "Петров", 25, 50],
            ["04", "04002", "11Б", "G1", "Сидоров", 25, 50]]  # fmt: skip
    job = job_for(people, sheet(rows), russian)
    outcome = services.results_check(job)
    # one ЕГЭ campaign: the code G1 cannot be there twice, whatever the grade
    assert [e["message"] for e in outcome.errors] == ["Код участника «G1» уже был в строке 3."]
    job = job_for(people, sheet(rows[:2]), russian)
    services.results_check(job)
    assert services.results_commit(job) == 2
    assert Campaign.objects.get().results.count() == 2


def test_a_school_deleted_after_the_check_stops_the_commit_and_nothing_is_saved(people, russian):
    from municipalities.models import School

    extra = School.objects.create(municipality=people.mun_a, code="04777", name="Школа", short_name="Школа",
                                  kind="sosh")  # fmt: skip
    job = job_for(people, sheet([["04", "04777", "11", "D1", "Иванов", 20, 40],
                                 ["04", "04001", "11", "D2", "Петров", 20, 40]]), russian)  # fmt: skip
    assert services.results_check(job).errors == []
    extra.delete()
    with pytest.raises(services.ResultFileError, match="удалены школы"):
        services.results_commit(job)
    job.refresh_from_db()
    assert job.status == "failed" and "проверьте файл заново" in job.errors[0]["message"]
    assert not Result.objects.exists()


def test_deleting_a_school_with_results_is_refused_and_a_campaign_takes_its_results(people, russian):
    job = job_for(people, sheet(clean_rows(6)), russian)
    services.results_check(job)
    services.results_commit(job)
    with pytest.raises(ProtectedError):
        people.school_a.delete()
    Campaign.objects.get().delete()
    assert not Result.objects.exists()


def test_results_have_no_row_by_row_constraint_triggers(db):
    """The million-row COPY depends on it (see Result's docstring)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL catalogue")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal OR "
            "tgrelid = %s::regclass AND tgconstraint <> 0",
            [Result._meta.db_table, Result._meta.db_table],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [Result._meta.db_table])
        assert cursor.fetchone()[0] == 2  # the primary key and (campaign, participant code)


def _fails_in_share_one(part: int) -> int:
    if part == 1:
        raise ValueError("Строка 7: ошибка второй доли")
    return part


def _queries_in_share_one(part: int) -> int:
    if part == 1:
        return Result.objects.count()
    return part


def test_an_error_of_a_forked_share_is_raised_in_the_parent(db):
    assert in_forks(lambda part: part * 10, 3) == [0, 10, 20]
    with pytest.raises(ValueError, match="ошибка второй доли"):
        in_forks(_fails_in_share_one, 2)
    with pytest.raises(ForkedError, match="must not query the database"):
        in_forks(_queries_in_share_one, 2)
    assert Result.objects.count() == 0  # the parent's connection still works


def test_task_points_are_kept_as_written_and_empty_ones_are_found(people, russian):
    campaign = Campaign.objects.create(region=people.region, kind="EGE", subject=russian, year=2026)
    Result.objects.bulk_create([
        Result(campaign=campaign, school=people.school_a, participant_code="a", task_points=[1, 0, 12]),
        Result(campaign=campaign, school=people.school_a, participant_code="b", task_points=[]),
    ])  # fmt: skip
    assert list(Result.objects.order_by("participant_code").values_list("task_points", flat=True)) == [
        [1, 0, 12],
        [],
    ]
    assert list(Result.objects.exclude(task_points=[]).values_list("participant_code", flat=True)) == ["a"]

"""Result files as regional processing centres send them: no participant code (a keyed pseudonym is derived,
and no name or document number is kept anywhere), several subjects in one workbook, and commits that fail
without leaving a job «importing»."""

import json
import logging
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from assessments import services, staging
from assessments.importing import ResultFileError
from assessments.models import Campaign, ExamSubject, ImportJob, Result, Scale, Subject

KEY = "test-only-pseudonym-key-0123456789abcdef"
CENTRE_HEADER = ["Код МСУ", "Код ОО", "Класс", "Код ППЭ", "Аудитория", "Фамилия", "Имя", "Отчество", "Серия документа",
                 "Номер документа", "Задания с кратким ответом", "Задания с развёрнутым ответом", "Первичный балл",
                 "Балл"]  # fmt: skip
# Surnames and document numbers that must never reach the database, the logs or a report.
SURNAMES = ["Вячеславцева", "Пантелеймонов", "Ферапонтова", "Добронравов"]
NUMBERS = ["774411", "552297", "660318"]
CENTRE_ROWS = [
    ["04", "04001", "11А", "0401", "12", "Вячеславцева", "Анна", "Петровна", "4012", "774411", "++-+1", "2(2)1(3)",
     "8", "71"],
    ["04", "04001", "11А", "0401", "12", "Пантелеймонов", "Илья", "Ильич", "4012", "552297", "+-++0", "1(2)0(3)",
     "6", "58"],
    [],  # a blank row inside the data
    ["04", "04002", "11", "0402", "3", "Ферапонтова", "Ёлка", "", "4013", "660318", "+++++", "2(2)3(3)", "12",
     "100"],
    ["05", "05001", "11Б", "0501", "1", "Добронравов", "Пётр", "Сергеевич", "", "", "-----", "0(2)0(3)", "0", "20"],
]  # fmt: skip


def centre_file(
    rows=CENTRE_ROWS, *, title="Результаты ЕГЭ по русскому языку, 2026 год", header=CENTRE_HEADER
):
    """The «Typical result files» layout: a merged title row, the header, data with a blank row, numbers as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Лист1"
    _fill(sheet, rows, title, header)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet, rows, title, header=CENTRE_HEADER):
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)


@pytest.fixture
def key(settings):
    settings.RESULTS_PSEUDONYM_KEY = KEY
    return KEY


def upload(client, content: bytes, name="ege-2026.xlsx", subject=None, kind="EGE"):
    data = {"kind": kind, "year": 2026, "subject": subject.pk if subject else "", "grade": "",
            "file": SimpleUploadedFile(name, content)}  # fmt: skip
    client.post(reverse("assessments:import_new"), data)
    return ImportJob.objects.latest("pk")


def _database_text() -> str:
    """Every row of every table as JSON text: what a dump of the database would show."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if connection.vendor == "postgresql":
                cursor.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')  # noqa: S608
                texts += [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                texts += [json.dumps(row, default=str, ensure_ascii=False) for row in cursor.fetchall()]
    return "\n".join(texts)


def test_a_centre_file_imports_under_pseudonyms_and_keeps_no_personal_data(
    people, client, key, caplog, django_capture_on_commit_callbacks
):
    russian = Subject.objects.get(code="russian")
    client.force_login(people.committee)
    with caplog.at_level(logging.DEBUG):
        job = upload(client, centre_file())
        assert job.status == "checked", job.errors
        assert job.rows == 4 and job.errors == []
        staged = staging.staged_paths(job)
        staged_text = "".join(path.read_text(encoding="utf-8") for path in staged)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.imported == 4
    campaign = Campaign.objects.get(kind="EGE", year=2026)
    assert campaign.subject == russian  # from the title row «…по русскому языку»
    codes = list(Result.objects.order_by("test_score").values_list("participant_code", flat=True))
    assert len(set(codes)) == 4 and all(len(c) == 20 for c in codes)
    assert Result.objects.get(test_score=71).task_points == [1, 1, 0, 1, 1, 2, 1]
    dump = _database_text()
    logs = "\n".join(r.getMessage() for r in caplog.records)
    for secret in [*SURNAMES, *NUMBERS, "Ёлка", "Елка"]:
        assert secret not in dump and secret.lower() not in dump.lower()
        assert secret not in logs and secret not in staged_text
    assert staged and all(not path.exists() for path in staged)  # staged rows held codes only, and are gone
    assert not job.file.storage.exists(job.file.name)  # the upload itself, with the names, is deleted too
    assert staging.PERSONAL_NOTICE in job.notices


def test_the_same_person_gets_the_same_code_in_every_subject_and_file(people, client, key):
    client.force_login(people.committee)
    upload(client, centre_file(), name="russian.xlsx")
    client.post(reverse("assessments:import_commit", args=[ImportJob.objects.latest("pk").pk]))
    # Mathematics, another centre export: other columns order, spaces and case in the document, ё as е.
    rows = [["04", "04001", "11 а", "0401", "7", "Вячеславцева", "Анна", "Петровна", "40 12", "774411", "+", "", "5",
             "60"],
            ["04", "04002", "11", "0402", "3", "ФЕРАПОНТОВА", "Елка", "", "4013", " 660318 ", "+", "", "9", "70"]]  # fmt: skip
    job = upload(
        client, centre_file(rows, title="Результаты ЕГЭ по математике (профильный уровень)"), name="m.xlsx"
    )
    assert job.status == "checked", job.errors
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    russian = Campaign.objects.get(subject__code="russian")
    math = Campaign.objects.get(subject__code="math_profile")
    by_score = dict(Result.objects.filter(campaign=russian).values_list("test_score", "participant_code"))
    in_math = dict(Result.objects.filter(campaign=math).values_list("test_score", "participant_code"))
    assert in_math[60] == by_score[71] and in_math[70] == by_score[100]


def test_without_documents_the_code_follows_the_name_and_class_and_a_nameless_row_is_named(
    people, client, key
):
    rows = [
        ["04", "04001", "9А", "", "", "Добронравов", "Пётр", "Сергеевич", "", "", "", "", "12", ""],
        ["04", "04001", "9А", "", "", "", "", "", "", "", "", "", "20", "", ],
        ["04", "04001", "9А", "", "", "ДОБРОНРАВОВ", "Петр", "Сергеевич", "", "", "", "", "15", ""],
    ]  # fmt: skip
    header = [c if c != "Балл" else "Отметка" for c in CENTRE_HEADER]
    content = centre_file(rows, title="ОГЭ, математика", header=header)
    client.force_login(people.committee)
    job = upload(client, content, kind="OGE", subject=Subject.objects.get(code="math"))
    assert job.status == "failed"
    by_row = {e["row"]: e for e in job.errors}
    assert set(by_row) == {4, 5}
    assert (
        by_row[4]["column"] == "Номер документа"
        and "код участника вычислить не из чего" in by_row[4]["message"]
    )
    assert "Тот же участник" in by_row[5]["message"] and "строке 3" in by_row[5]["message"]
    report = client.get(job.get_absolute_url(), {"format": "xlsx"})
    cells = " ".join(str(v) for row in load_workbook(BytesIO(report.content)).active.iter_rows(values_only=True)
                     for v in row)  # fmt: skip
    assert "Добронравов" not in cells and "ДОБРОНРАВОВ" not in cells and "Строка" in cells
    assert not Result.objects.exists()


def test_without_a_key_such_files_are_refused_with_what_to_set(people, client, settings):
    settings.RESULTS_PSEUDONYM_KEY = ""
    client.force_login(people.committee)
    job = upload(client, centre_file())
    assert job.status == "failed"
    assert "RESULTS_PSEUDONYM_KEY" in job.errors[0]["message"]
    page = client.get(job.get_absolute_url()).text
    assert "RESULTS_PSEUDONYM_KEY" in page
    assert not any(name in page for name in SURNAMES)  # the column-mapping preview masks personal cells
    assert not Result.objects.exists()


def test_a_workbook_with_a_sheet_per_subject_imports_in_one_go(people, client, key, tmp_path):
    book = Workbook()
    first = book.active
    first.title = "Русский язык"
    _fill(first, CENTRE_ROWS[:2], "ЕГЭ 2026")
    _fill(book.create_sheet("Лист2"), CENTRE_ROWS[3:], "Результаты ЕГЭ по обществознанию")
    book.create_sheet("Пояснения").append(["Файл подготовлен РЦОИ"])
    path = tmp_path / "ege-2026.xlsx"
    book.save(path)
    out = StringIO()
    call_command("import_results", str(path), "--kind", "EGE", "--year", "2026", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["imported"] == 4 and result["errors"] == []
    counts = {c.subject.code: c.results.count() for c in Campaign.objects.all()}
    assert counts == {"russian": 2, "social_studies": 2}
    job = ImportJob.objects.get(pk=result["job_id"])
    assert "Лист «Лист2»: предмет «Обществознание» (по заголовку)." in job.notices


def test_a_title_naming_another_subject_than_chosen_wins_and_says_so(people, client, key):
    client.force_login(people.committee)
    job = upload(client, centre_file(), subject=Subject.objects.get(code="math_profile"))
    assert job.status == "checked"
    assert (
        "Лист «Лист1»: предмет «Русский язык» (по заголовку, а не выбранный «Математика (профильная)»)."
        in job.notices
    )


def test_a_workbook_mixing_participants_and_school_shares_is_refused(people, client, key):
    book = Workbook()
    _fill(book.active, CENTRE_ROWS[:2], "")
    shares = book.create_sheet("Доли")
    shares.append(["Код ОО", "Класс", "Предмет", "Количество участников", "% 2", "% 3", "% 4", "% 5"])
    shares.append(["04001", 5, "Математика", 20, 10, 40, 30, 20])
    buffer = BytesIO()
    book.save(buffer)
    client.force_login(people.committee)
    job = upload(client, buffer.getvalue(), kind="VPR")
    assert job.status == "failed" and "Лист «Доли»: в одной книге" in job.errors[0]["message"]
    assert not staging.staged_paths(job) and not Result.objects.exists()


def test_errors_of_a_workbook_name_their_sheet(people, client, key):
    book = Workbook()
    book.active.title = "Русский язык"
    _fill(book.active, CENTRE_ROWS[:2], "")
    bad = [row[:] for row in CENTRE_ROWS[3:4]]
    bad[0][13] = "112"
    _fill(book.create_sheet("Обществознание"), bad, "")
    buffer = BytesIO()
    book.save(buffer)
    client.force_login(people.committee)
    job = upload(client, buffer.getvalue())
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("Обществознание", 3, "Балл")]
    report = load_workbook(BytesIO(client.get(job.get_absolute_url(), {"format": "xlsx"}).content)).active
    assert list(report.iter_rows(values_only=True))[:2] == [
        ("Лист", "Строка", "Столбец", "Что не так"),
        ("Обществознание", 3, "Балл", "Балл 112 вне диапазона 0–100."),
    ]


def test_a_code_longer_than_the_column_is_reported_by_the_check(people, client):
    from tests.assessments.test_import import ege_file

    client.force_login(people.committee)
    rows = [["04", "04001", "11А", "P" * 41, "", "", "", 30, 70], ["04", "04001", "11 класс гуманитарный", "P2", "", "",
            "", 30, 70]]  # fmt: skip
    job = upload(client, ege_file(rows), subject=Subject.objects.get(code="russian"))
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "Код участника"), (5, "Класс")]
    assert "длиннее 40 знаков" in job.errors[0]["message"]
    assert not Result.objects.exists()


def test_a_failed_commit_leaves_the_job_failed_with_its_reason_and_retryable(people, client, monkeypatch):
    from tests.assessments.test_import import GOOD, ege_file

    client.force_login(people.committee)
    job = upload(client, ege_file(GOOD), subject=Subject.objects.get(code="russian"))

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(staging, "load_staged", broken)
    page = client.post(reverse("assessments:import_commit", args=[job.pk]), follow=True).text
    job.refresh_from_db()
    assert job.status == "failed" and not Result.objects.exists()
    assert "Загрузка не удалась (база данных недоступна или прервала запрос)" in job.errors[0]["message"]
    assert "Загрузка не удалась" in page and "Проверить этот файл заново" in page
    monkeypatch.undo()
    client.post(reverse("assessments:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "checked" and job.errors == []
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Result.objects.count() == 4


def test_a_check_that_breaks_ends_failed_with_its_reason(people, client, monkeypatch):
    from tests.assessments.test_import import GOOD, ege_file

    def broken(job):
        raise MemoryError

    monkeypatch.setattr(staging, "stage", broken)
    client.force_login(people.committee)
    job = upload(client, ege_file(GOOD), subject=Subject.objects.get(code="russian"))
    assert job.status == "failed" and job.errors[0]["message"].startswith(
        "Проверка не удалась (внутренняя ошибка)"
    )
    monkeypatch.undo()
    client.post(reverse("assessments:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "checked"


def test_a_job_left_importing_by_a_dead_worker_is_swept_to_failed(people, client):
    from tests.assessments.test_import import GOOD, ege_file

    client.force_login(people.committee)
    job = upload(client, ege_file(GOOD), subject=Subject.objects.get(code="russian"))
    recent = upload(client, ege_file(GOOD), subject=Subject.objects.get(code="russian"))
    ImportJob.objects.filter(pk=job.pk).update(
        status="importing", claimed_at=timezone.now() - timedelta(hours=2)
    )
    ImportJob.objects.filter(pk=recent.pk).update(
        status="importing", claimed_at=timezone.now()
    )  # still queued
    out = StringIO()
    call_command("sweep_imports", stdout=out)
    assert "Прерванных загрузок: 1." in out.getvalue()
    job.refresh_from_db()
    recent.refresh_from_db()
    assert job.status == "failed" and "обработчик остановлен" in job.errors[0]["message"]
    assert recent.status == "importing"
    with pytest.raises(ResultFileError):  # a late delivery of the dead worker's task changes nothing
        services.results_commit(job)
    services.results_retry(job)
    assert services.results_commit(job) == 4
    assert (
        services.results_commit(job) == 4
    )  # a duplicate delivery changes nothing, never fails a done import
    job.refresh_from_db()
    assert job.status == "done" and Result.objects.count() == 4


def test_subjects_and_their_offers_are_data(db):
    ege = set(ExamSubject.objects.filter(kind="EGE").values_list("subject__code", flat=True))
    assert {"russian", "math_base", "math_profile", "physics", "chemistry", "informatics", "biology", "history",
            "geography", "social_studies", "literature", "english", "chinese"} <= ege  # fmt: skip
    assert ExamSubject.objects.get(kind="OGE", subject__code="math").mandatory
    assert not ExamSubject.objects.get(kind="OGE", subject__code="physics").mandatory
    assert set(ExamSubject.objects.filter(kind="VPR", grade=4).values_list("subject__code", flat=True)) >= {
        "russian",
        "math",
        "nature",
    }
    minimums = dict(Scale.objects.filter(kind="EGE", year=2026).values_list("subject__code", "min_score"))
    assert minimums["russian"] == 24 and minimums["math_profile"] == 27 and minimums["social_studies"] == 42
    assert Scale.objects.get(kind="EGE", year=2026, subject__code="russian").min_score_university == 36
    assert not Scale.objects.filter(kind="OGE").exists()  # no guessed mark tables are shipped


def _book(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_vpr_sheet_with_a_column_per_task_keeps_the_points(people, client, key):
    content = _book([
        ["ВПР 2026. Математика. 5 класс"],
        ["Код ОО", "Класс", "Фамилия", "Имя", "1", "2", "3", "4(1)", "4(2)", "Первичный балл", "Отметка",
         "Отметка за предыдущий период"],
        ["04001", "5А", "Вячеславцева", "Анна", 1, 0, 2, "1", "X", 4, 3, 4],
        ["04001", "5А", "Пантелеймонов", "Илья", 1, 1, "", 0, 1, 3, 3, 3],
        ["04002", "5Б", "Ферапонтова", "Ёлка", 1, 1, "пять", 0, 1, 3, 3, 3],
    ])  # fmt: skip
    client.force_login(people.committee)
    job = upload(client, content, kind="VPR", subject=Subject.objects.get(code="math"))
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "3")]
    rows = [row[:] for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True)][:4]
    job = upload(client, _book(rows), kind="VPR", subject=Subject.objects.get(code="math"))
    assert job.status == "checked", job.errors
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    campaign = Campaign.objects.get(kind="VPR", grade=5)
    assert sorted(campaign.results.values_list("task_points", flat=True)) == [
        [1, 0, 2, 1, 0],
        [1, 1, 0, 0, 1],
    ]
    assert sorted(campaign.results.values_list("journal_mark", flat=True)) == [3, 4]
    assert not job.notices or all("не значится" not in n for n in job.notices)
    history = [["ВПР 2026. История. 4 класс"], *([c if c != "5А" else "4А" for c in row] for row in rows[1:])]
    job = upload(client, _book(history), kind="VPR")
    assert "Предмет «История» не значится среди предметов процедуры «ВПР» в 4 классе" in " ".join(job.notices)


def test_gve_and_oge_files_with_marks_import_under_pseudonyms(people, client, key):
    client.force_login(people.committee)
    gve = _book([
        ["ГВЭ-9, русский язык"],
        ["Код МСУ", "Код ОО", "Класс", "Фамилия", "Имя", "Отчество", "Дата рождения", "Отметка"],
        ["04", "04001", "9А", "Добронравов", "Пётр", "Сергеевич", "12.03.2010", "3"],
        ["04", "04002", "9В", "Ферапонтова", "Ёлка", "", "2010-01-05", "4"],
    ])  # fmt: skip
    job = upload(client, gve, kind="GVE9")
    assert job.status == "checked", job.errors
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    oge = centre_file(
        [["04", "04001", "9А", "", "", "Добронравов", "Пётр", "Сергеевич", "4010", "123456", "", "", "20", "4"]],
        title="ОГЭ по русскому языку", header=[c if c != "Балл" else "Отметка" for c in CENTRE_HEADER],
    )  # fmt: skip
    job = upload(client, oge, kind="OGE")
    assert job.status == "checked", job.errors
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    marks = dict(Result.objects.values_list("campaign__kind", "mark").filter(school=people.school_a))
    assert marks == {"GVE9": 3, "OGE": 4}
    assert "Добронравов" not in _database_text() and "123456" not in _database_text()


def test_reimporting_a_centre_file_changes_nothing_and_school_figures_match_the_rows(people, client, key):
    from assessments.models import ResultAggregate

    client.force_login(people.committee)
    snapshots = []
    for _ in range(2):
        job = upload(client, centre_file())
        client.post(reverse("assessments:import_commit", args=[job.pk]))
        snapshots.append(sorted(Result.objects.values_list("school__code", "participant_code", "class_name",
                                                           "primary_score", "test_score", "task_points")))  # fmt: skip
    assert snapshots[0] == snapshots[1] and len(snapshots[0]) == 4
    expected: dict[str, list[int]] = {}  # computed here from the file's rows, independently of the portal
    for row in CENTRE_ROWS:
        if row:
            expected.setdefault(row[1], []).append(int(row[13]))
    for aggregate in ResultAggregate.objects.select_related("school"):
        scores = expected[aggregate.school.code]
        assert (aggregate.participants, aggregate.score_sum) == (len(scores), sum(scores))
        assert aggregate.below_min == sum(score < 24 for score in scores)  # the shipped 2026 minimum
        assert aggregate.hundreds == scores.count(100)


@pytest.mark.parametrize("key_bytes", [b"k" * 40, b"long" * 40])
def test_codes_are_hmac_sha256_of_the_normalised_identity(key_bytes):
    import hmac

    from assessments.importing.pseudonyms import Pseudonymizer

    maker = Pseudonymizer(
        key_bytes, {"document_series": 0, "document_number": 1, "last_name": 2, "first_name": 3}
    )
    expected = hmac.new(key_bytes, b"d|4012774411", "sha256").hexdigest()[:20]
    assert maker.code([" 40 12", "774411", "Иванов", "Иван"], "11А") == expected
    by_name = hmac.new(key_bytes, "p|иванов|иван||c:11а".encode(), "sha256").hexdigest()[:20]
    assert maker.code(["", "", " Иванов ", "ИВАН"], "11 А") == by_name

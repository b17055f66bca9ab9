"""The exam-result spreadsheet reader: fixtures are built here, in tmp_path, the way RCOI exports look."""

import csv
import io
import tracemalloc
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest

from assessments.importing import (
    COLUMN_SYNONYMS,
    ParticipantRow,
    ResultFileError,
    RowError,
    SchoolShareRow,
    detect,
    header_candidates,
    normalize_header,
    parse_extended_answers,
    parse_short_answers,
    read_file,
    read_rows,
    sources,
)

SURNAMES = ("Смирнова", "Кузнецов", "Попова", "Васильев", "Соколова", "Михайлов", "Новикова", "Фёдоров")
FIRST_NAMES = ("Анна", "Дмитрий", "Мария", "Илья", "Софья", "Артём", "Ксения", "Глеб")
PATRONYMICS = ("Сергеевна", "Андреевич", "Олеговна", "Павлович", "Игоревна", "Романович", "Юрьевна", "Ильич")


def _no_personal_data(records) -> None:
    for record in records:
        text = repr(record)
        for value in (*SURNAMES, *FIRST_NAMES, *PATRONYMICS):
            assert value not in text, f"personal data {value!r} leaked into {text}"


# ---------------------------------------------------------------- ЕГЭ participants, the full messy case

EGE_HEADER_TOP = [
    "Код МСУ",
    "Код ОО",
    "Класс",
    "Код ППЭ",
    "Аудитория",
    "Фамилия",
    "Имя",
    "Отчество",
    "Код участника",
    "Задания",
    None,
    "Первичный балл",
    "Балл",
]
EGE_HEADER_SUB = [None] * 9 + ["с кратким ответом", "с развёрнутым ответом"]


def _ege_row(n, mo, school, cls, short, extended, primary, score):
    return [
        mo,
        school,
        cls,
        "0101",
        "0012",
        SURNAMES[n],
        FIRST_NAMES[n],
        PATRONYMICS[n],
        f"10{n:05d}",
        short,
        extended,
        primary,
        score,
    ]


def _write_ege(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ЕГЭ математика"
    ws.append(["Результаты ЕГЭ по математике (профильный уровень), 31.05.2024"])  # row 1
    ws.merge_cells("A1:M1")
    ws.append(["РЦОИ Ленинградской области. Для служебного пользования"])  # row 2
    ws.merge_cells("A2:M2")
    ws.append(EGE_HEADER_TOP)  # row 3
    ws.append(EGE_HEADER_SUB)  # row 4
    ws.merge_cells("J3:K3")
    for column in "ABCDEFGHILM":
        ws.merge_cells(f"{column}3:{column}4")
    # row 5: everything as text, as an RCOI export writes it
    ws.append(_ege_row(0, "01", "04001", "11А", "++-+1-+++0+", "2(2)1(3)0(2)", "12", "70"))
    # row 6: codes that Excel turned into numbers, shown with leading zeros by a number format;
    # scores stored as text with a decimal comma and spaces
    ws.append(_ege_row(1, 1, 4002, "11Б", "+++++++++++", "2(2)3(3)2(2)", "18,0", " 84 "))
    ws["A6"].number_format = "00"
    ws["B6"].number_format = "00000"
    ws.append([])  # row 7: empty
    ws.append(_ege_row(2, "02", "04015", "11", "-----------", "0(2)0(3)0(2)", 0, 0))  # row 8
    ws.append(EGE_HEADER_TOP)  # row 9: the header repeated (a second printed page)
    ws.append(EGE_HEADER_SUB)  # row 10
    ws.append(_ege_row(3, "02", "04015", "11", "+++++++++++", "2(2)3(3)2(2)", 29, 112))  # row 11: bad score
    ws.append(_ege_row(4, "02", None, "11", "++-+1-+++0+", "2(2)1(3)0(2)", 12, 70))  # row 12: no school code
    ws.append(_ege_row(5, "03", "05007", "11В", "+-x", "2(2)1(3)0(2)", 12, 70))  # row 13: bad short answers
    ws.append(_ege_row(6, 3, 5007, "11В", "++++++-++++", "1(2)1(3)1(2)", 13.0, 72.0))  # row 14
    ws["A14"].number_format = "00"
    ws["B14"].number_format = "00000"
    wb.save(path)


def test_ege_participants_xlsx(tmp_path):
    path = tmp_path / "ege_math.xlsx"
    _write_ege(path)

    layout, header_row, columns, dropped = detect(path, "ege_math.xlsx")
    assert layout == "participants"
    assert header_row == 4  # the lower row of the two-row header
    assert columns == {
        "municipality_code": "Код МСУ",
        "school_code": "Код ОО",
        "participant_code": "Код участника",
        "class_name": "Класс",
        "short_answers": "Задания с кратким ответом",
        "extended_answers": "Задания с развёрнутым ответом",
        "primary_score": "Первичный балл",
        "test_score": "Балл",
    }
    assert dropped == ["Фамилия", "Имя", "Отчество"]

    result = read_file(path, "ege_math.xlsx")
    assert result.layout == "participants"
    assert result.header_row == 4
    assert result.dropped_personal == ["Фамилия", "Имя", "Отчество"]
    assert result.notices == [
        "Столбцы с персональными данными не загружены (152-ФЗ): Фамилия, Имя, Отчество."
    ]
    assert result.total_rows == 7  # rows 5, 6, 8, 11, 12, 13, 14
    assert [r.row for r in result.rows] == [5, 6, 8, 14]
    first, second, third, last = result.rows
    assert first == ParticipantRow(
        row=5,
        municipality_code="01",
        school_code="04001",
        participant_code="1000000",
        class_name="11А",
        primary_score=12,
        test_score=70,
        mark=None,
        journal_mark=None,
        short_answers=(1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1),
        extended_answers=((2, 2), (1, 3), (0, 2)),
        variant="",
        subject="",
        grade=11,
    )
    # Numbers with a "00000" format come back zero-padded to the width of the text codes.
    assert (second.municipality_code, second.school_code) == ("01", "04002")
    assert (second.primary_score, second.test_score) == (18, 84)
    assert second.class_name == "11Б"
    assert (third.short_answers, third.primary_score, third.test_score) == ((0,) * 11, 0, 0)
    assert (last.municipality_code, last.school_code, last.primary_score) == ("03", "05007", 13)

    assert result.errors == [
        RowError(row=11, column="Балл", message="Балл 112 вне диапазона 0–100."),
        RowError(row=12, column="Код ОО", message="Код ОО не указан."),
        RowError(
            row=13,
            column="Задания с кратким ответом",
            message="Краткие ответы «+-x»: недопустимый символ «x» (ожидается +, - или цифра).",
        ),
    ]
    _no_personal_data([*result.rows, *result.errors, result])


def test_streaming_gives_rows_and_errors_in_file_order(tmp_path):
    path = tmp_path / "ege.xlsx"
    _write_ege(path)
    records = list(read_rows(path, "ege.xlsx"))
    assert [(type(r).__name__, r.row) for r in records] == [
        ("ParticipantRow", 5),
        ("ParticipantRow", 6),
        ("ParticipantRow", 8),
        ("RowError", 11),
        ("RowError", 12),
        ("RowError", 13),
        ("ParticipantRow", 14),
    ]
    _no_personal_data(records)


def test_file_object_is_read_like_a_path(tmp_path):
    path = tmp_path / "ege.xlsx"
    _write_ege(path)
    upload = io.BytesIO(path.read_bytes())
    assert detect(upload, "ЕГЭ.XLSX")[0] == "participants"
    assert len(read_file(upload, "ЕГЭ.XLSX").rows) == 4  # the same object, read again from the start


def test_django_upload_and_xlsm_name(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = tmp_path / "ege.xlsx"
    _write_ege(path)
    upload = SimpleUploadedFile("ege_macro.xlsm", path.read_bytes())
    result = read_file(upload, upload.name)
    assert [r.row for r in result.rows] == [5, 6, 8, 14]
    assert len(result.errors) == 3


# ---------------------------------------------------------------- synonyms, other order, absent columns


def _write_xlsx(path, rows, sheet_title="Лист1"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title
    for row in rows:
        ws.append(row)
    wb.save(path)


def test_synonym_headers_in_another_order(tmp_path):
    path = tmp_path / "ege_rus.xlsx"
    _write_xlsx(
        path,
        [
            ["Тестовый балл", "Первичный балл (макс. 31)", "Код ОО", "Код работы", "Вариант", "Примечание"],
            [72, 21, "470001", "2024-000017", 301, "апелляция"],
            [55.0, "14", "470002", "2024-000018", "302", ""],
            [60, 35, "470002", "2024-000019", 301, ""],
        ],
    )
    result = read_file(path, "ege_rus.xlsx")
    assert result.columns == {
        "school_code": "Код ОО",
        "participant_code": "Код работы",
        "variant": "Вариант",
        "primary_score": "Первичный балл (макс. 31)",
        "test_score": "Тестовый балл",
    }
    assert result.header_row == 1
    assert result.dropped_personal == []
    row = result.rows[0]
    assert (row.participant_code, row.school_code, row.primary_score, row.test_score) == (
        "2024-000017",
        "470001",
        21,
        72,
    )
    assert (row.municipality_code, row.class_name, row.subject, row.variant) == ("", "", "", "301")
    assert (row.short_answers, row.extended_answers, row.mark, row.grade) == ((), (), None, None)
    assert result.rows[1].variant == "302"
    # The maximum written in the header is enforced.
    assert result.errors == [
        RowError(row=4, column="Первичный балл (макс. 31)", message="Первичный балл 35 вне диапазона 0–31.")
    ]
    # An explicit max_score wins over the header.
    assert read_file(path, "ege_rus.xlsx", max_score=40).errors == []


def test_oge_file_with_marks(tmp_path):
    path = tmp_path / "oge.xlsx"
    _write_xlsx(
        path,
        [
            ["ОГЭ 2024, 9 класс"],
            ["Предмет", "Код МСУ", "Код ОО", "Код участника", "Вариант", "Первичный балл", "Оценка"],
            ["Русский язык", "07", "07003", "900001", "1", 30, 5],
            ["Русский язык", "07", "07003", "900002", "2", "21", "4"],
            ["Русский язык", "07", "07003", "900003", "1", 11, "2"],
            ["Русский язык", "07", "07003", "900004", "2", 40, 6],
            ["Русский язык", "07", "07003", "900005", "2", "", "отл"],
        ],
    )
    result = read_file(path, "oge.xlsx")
    assert result.layout == "participants"
    assert result.columns["mark"] == "Оценка"
    assert [(r.participant_code, r.primary_score, r.mark, r.subject, r.grade) for r in result.rows] == [
        ("900001", 30, 5, "Русский язык", 9),
        ("900002", 21, 4, "Русский язык", 9),
        ("900003", 11, 2, "Русский язык", 9),
    ]
    assert result.errors == [
        RowError(row=6, column="Оценка", message="Отметка «6»: ожидается 2, 3, 4 или 5."),
        RowError(row=7, column="Оценка", message="Отметка «отл»: ожидается 2, 3, 4 или 5."),
    ]


def test_vpr_participants_with_journal_marks(tmp_path):
    path = tmp_path / "vpr5.xlsx"
    _write_xlsx(
        path,
        [
            ["ВПР. Математика. 5 класс"],
            [],
            [
                "Код МСУ",
                "Код ОО",
                "Класс",
                "Идентификатор",
                "ФИО",
                "Сумма баллов",
                "Отметка",
                "Отметка за предыдущий период",
            ],
            ["12", "12034", "5А", "12034-0001", "Новикова Ксения Юрьевна", 14, 4, 4],
            ["12", "12034", "5А", "12034-0002", "Михайлов Артём Романович", 6, 2, 3],
            ["12", "12034", "5Б", "12034-0003", "Фёдоров Глеб Ильич", 9, 3, ""],
            ["12", "12034", "5Б", "12034-0004", "Соколова Софья Игоревна", 9, 3, 1],
        ],
    )
    result = read_file(path, "vpr5.xlsx")
    assert result.dropped_personal == ["ФИО"]
    assert result.columns["journal_mark"] == "Отметка за предыдущий период"
    assert result.columns["primary_score"] == "Сумма баллов"
    assert [(r.class_name, r.grade, r.mark, r.journal_mark) for r in result.rows] == [
        ("5А", 5, 4, 4),
        ("5А", 5, 2, 3),
        ("5Б", 5, 3, None),
    ]
    assert result.errors == [
        RowError(
            row=7,
            column="Отметка за предыдущий период",
            message="Отметка за предыдущий период «1»: ожидается 2, 3, 4 или 5.",
        )
    ]
    _no_personal_data([*result.rows, *result.errors, result])


# ---------------------------------------------------------------- aggregated ВПР, one row per school


def test_vpr_school_shares_xlsx(tmp_path):
    path = tmp_path / "vpr_shares.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Всероссийские проверочные работы — 2024. Распределение отметок по ОО"])
    ws.merge_cells("A1:L1")
    ws.append(
        [
            "Год",
            "Класс",
            "Предмет",
            "Код МСУ",
            "Логин ОО",
            "ОО",
            "Кол-во участников",
            "% «2»",
            "% «3»",
            "% «4»",
            "% «5»",
        ]
    )
    ws.append(
        [2024, 4, "Математика", "05", "sch470511", "МОУ «СОШ № 1 г. Волхова»", 52, 3.85, 30.77, 44.23, 21.15]
    )
    ws.append(
        [
            "2023/2024",
            "4",
            "Математика",
            "05",
            "sch470512",
            "МОБУ «Лицей № 2»",
            "87",
            "2,3",
            "25,29",
            "49,43",
            "22,98",
        ]
    )
    ws.append([2024, 4, "Математика", 5, "sch470513", "МОУ «Кисельнинская СОШ»", 12, 10, 30, 30, 25])  # 95 %
    ws.append([2024, 4, "Математика", "05", "sch470514", "МОУ «Иссадская ООШ»", 0, None, None, None, None])
    ws.append([2024, 4, "Математика", "05", "", "", 10, 10, 20, 30, 40])  # no school
    ws.append(
        [2024, 4, "Математика", "05", "sch470515", "МОУ «Бережковская ООШ»", 8, 0.125, 0.25, 0.5, 0.125]
    )
    wb.save(path)

    result = read_file(path, "vpr_shares.xlsx")
    assert result.layout == "school_shares"
    assert result.header_row == 2
    assert result.columns == {
        "municipality_code": "Код МСУ",
        "school_login": "Логин ОО",
        "school_name": "ОО",
        "year": "Год",
        "grade": "Класс",
        "subject": "Предмет",
        "participants": "Кол-во участников",
        "share_2": "% «2»",
        "share_3": "% «3»",
        "share_4": "% «4»",
        "share_5": "% «5»",
    }
    first = result.rows[0]
    assert first == SchoolShareRow(
        row=3,
        municipality_code="05",
        school_code="",
        school_login="sch470511",
        school_name="МОУ «СОШ № 1 г. Волхова»",
        year=2024,
        grade=4,
        subject="Математика",
        participants=52,
        share_2=3.85,
        share_3=30.77,
        share_4=44.23,
        share_5=21.15,
    )
    second = result.rows[1]
    assert (second.year, second.grade, second.participants) == (2024, 4, 87)
    assert (second.share_2, second.share_3, second.share_4, second.share_5) == (2.3, 25.29, 49.43, 22.98)
    empty_school = result.rows[2]
    assert (empty_school.school_login, empty_school.participants, empty_school.share_2) == (
        "sch470514",
        0,
        0.0,
    )
    fractions = result.rows[3]  # cells in Excel's percent format hold fractions
    assert (fractions.share_2, fractions.share_3, fractions.share_4, fractions.share_5) == (
        12.5,
        25.0,
        50.0,
        12.5,
    )
    assert result.errors == [
        RowError(
            row=5,
            column="",
            message="Сумма долей отметок равна 95,0 %: ожидается 100 % (допускается ±1,5 %).",
        ),
        RowError(
            row=7, column="Логин ОО", message="ОО не указана: заполните код ОО, логин ОО или название ОО."
        ),
    ]


def test_fis_oko_style_shares_with_two_row_header(tmp_path):
    """'2 3 4 5' under a merged '% отметок' title; logins embedded in names; aggregate rows skipped."""
    path = tmp_path / "fis_oko.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ВПР 2024. Статистика по отметкам"])
    ws.append(["Предмет: Русский язык"])
    ws.append(["Класс: 5"])
    ws.append(["Группы участников", "Кол-во ОО", "Кол-во уч.", "Распределение групп баллов в %"])  # row 4
    ws.merge_cells("D4:G4")
    for column in "ABC":
        ws.merge_cells(f"{column}4:{column}5")
    ws.append([None, None, None, 2, 3, 4, 5])  # row 5
    ws.append(["Вся выборка", 38000, 1412345, 11.2, 37.9, 37.4, 13.5])
    ws.append(["Ленинградская обл.", 420, 17000, 9.1, 38.2, 39.1, 13.6])
    ws.append(["Волховский муниципальный район", 30, 900, 8.0, 40.0, 40.0, 12.0])
    ws.append(["(sch470511) МОУ «СОШ № 1 г. Волхова»", None, 52, 3.85, 30.77, 44.23, 21.15])  # row 9
    ws.append(["(sch470512) МОБУ «Лицей № 2»", None, 87, 2.3, 25.29, 49.43, 22.98])
    wb.save(path)

    result = read_file(path, "fis_oko.xlsx")
    assert result.layout == "school_shares"
    assert result.header_row == 5
    assert result.columns["share_2"] == "Распределение групп баллов в % 2"
    assert result.columns["participants"] == "Кол-во уч."
    assert result.errors == []
    assert [(r.row, r.school_login, r.school_name, r.subject, r.grade, r.year) for r in result.rows] == [
        (9, "sch470511", "МОУ «СОШ № 1 г. Волхова»", "Русский язык", 5, 2024),
        (10, "sch470512", "МОБУ «Лицей № 2»", "Русский язык", 5, 2024),
    ]


# ---------------------------------------------------------------- CSV


def test_csv_cp1251_semicolon(tmp_path):
    path = tmp_path / "oge_export.csv"
    text = (
        "Код МСУ;Код ОО;Код участника;Фамилия;Имя;Отчество;Задания с кратким ответом;Первичный балл;Отметка\r\n"
        "04;04001;000123;Попова;Мария;Олеговна;++-+;21,0;4\r\n"
        '04;04001;000124;Васильев;Илья;Павлович;+-+-;"10";3\r\n'
        ";;;;;;;;\r\n"
        "04;04001;000125;Смирнова;Анна;Сергеевна;++++;12,5;3\r\n"
    )
    path.write_bytes(text.encode("cp1251"))
    result = read_file(path, "oge_export.csv")
    assert result.dropped_personal == ["Фамилия", "Имя", "Отчество"]
    assert [(r.row, r.participant_code, r.school_code, r.primary_score, r.mark) for r in result.rows] == [
        (2, "000123", "04001", 21, 4),
        (3, "000124", "04001", 10, 3),
    ]
    assert result.rows[0].short_answers == (1, 1, 0, 1)
    assert result.errors == [
        RowError(row=5, column="Первичный балл", message="Первичный балл «12,5»: ожидается целое число.")
    ]
    _no_personal_data([*result.rows, *result.errors])


def test_csv_utf8_bom_comma(tmp_path):
    path = tmp_path / "ege.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Код участника", "Код ОО", "Задания с развёрнутым ответом", "Первичный балл", "Балл"])
    writer.writerow(["2024-1", "47001", "2(2)1(3)", "15", "72"])
    writer.writerow(["2024-2", "47001", "2(2) 4(3)", "16", "74"])
    writer.writerow(["2024-3", "47002", "", "", ""])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    result = read_file(path, "ege.csv")
    assert result.columns["participant_code"] == "Код участника"  # the BOM is not part of the header
    assert [(r.participant_code, r.extended_answers, r.test_score) for r in result.rows] == [
        ("2024-1", ((2, 2), (1, 3)), 72),
        ("2024-3", (), None),
    ]
    assert result.errors == [
        RowError(
            row=3,
            column="Задания с развёрнутым ответом",
            message="Развёрнутые ответы «2(2) 4(3)»: в задании 2 балл 4 больше максимального 3.",
        )
    ]


def test_xls_that_is_really_a_tab_separated_text(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes("Код участника\tКод ОО\tБалл\r\n17\t04001\t88\r\n".encode("cp1251"))
    rows = read_file(path, "export.xls").rows
    assert [(r.participant_code, r.school_code, r.test_score) for r in rows] == [("17", "04001", 88)]


def _ods_bytes(rows):
    cells_xml = []
    for row in rows:
        cells = []
        for v in row:
            if v is None:
                cells.append("<table:table-cell/>")
            elif isinstance(v, int | float):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                    "</table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
                )
        cells_xml.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Лист1">'
        + "".join(cells_xml)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_ods_from_libreoffice(tmp_path):
    path = tmp_path / "results.ods"
    path.write_bytes(
        _ods_bytes(
            [
                [None],
                ["Код участника", "Код ОО", "Балл"],
                ["100001", "04001", 70],
                [None],
                ["100002", 4002, "55"],
            ]
        )
    )
    result = read_file(path, "results.ods")
    assert result.header_row == 2
    assert [(r.row, r.school_code, r.test_score) for r in result.rows] == [(3, "04001", 70), (5, "04002", 55)]


# ---------------------------------------------------------------- leading zeros, sheets, limits


def test_all_numeric_code_column_is_left_as_is(tmp_path):
    """Without any code typed as text, the width cannot be known: 4001 stays '4001' (documented)."""
    path = tmp_path / "numbers.xlsx"
    _write_xlsx(path, [["Код участника", "Код ОО", "Балл"], [1, 4001, 50], [2, 12005, 60]])
    rows = read_file(path, "numbers.xlsx").rows
    assert [(r.participant_code, r.school_code) for r in rows] == [("1", "4001"), ("2", "12005")]


def test_first_sheet_with_a_header_is_read(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Инструкция"
    wb.active.append(["Заполните лист «Данные». Персональные данные не вносить."])
    data = wb.create_sheet("Данные")
    data.append(["Код ОО", "Код участника", "Отметка"])
    data.append(["04001", "1", 5])
    wb.save(path)
    result = read_file(path, "book.xlsx")
    assert [(r.row, r.mark) for r in result.rows] == [(2, 5)]
    assert header_candidates(path, "book.xlsx") == [
        (1, ["Код ОО", "Код участника", "Отметка"]),
        (2, ["04001", "1", "5"]),
    ]


def test_total_rows_are_skipped(tmp_path):
    path = tmp_path / "with_totals.csv"
    path.write_text("Код участника;Код ОО;Балл\n1;04001;50\n2;04001;70\nИтого;;60\n", encoding="utf-8")
    result = read_file(path, "with_totals.csv")
    assert [r.test_score for r in result.rows] == [50, 70]
    assert result.errors == []
    assert result.total_rows == 2


def test_error_limit_stops_the_check(tmp_path):
    path = tmp_path / "bad.csv"
    lines = ["Код участника;Код ОО;Балл"] + [f"{i};04001;{200 + i}" for i in range(10)]
    path.write_text("\n".join(lines), encoding="utf-8")
    records = list(read_rows(path, "bad.csv", max_errors=3))
    assert records == [
        RowError(row=2, column="Балл", message="Балл 200 вне диапазона 0–100."),
        RowError(row=3, column="Балл", message="Балл 201 вне диапазона 0–100."),
        RowError(row=4, column="Балл", message="Балл 202 вне диапазона 0–100."),
        RowError(row=5, column="", message="Слишком много ошибок: проверка остановлена после 3 ошибок."),
    ]
    default = list(read_rows(path, "bad.csv"))
    assert len(default) == 10


# ---------------------------------------------------------------- files that cannot be read


def test_unsupported_format(tmp_path):
    path = tmp_path / "results.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(
        ResultFileError, match=r"^Формат «\.pdf» не поддерживается: загрузите XLSX или CSV\.$"
    ):
        detect(path, "results.pdf")


def test_xlsx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "results.xlsx"
    path.write_text("Код участника;Код ОО;Балл\n", encoding="utf-8")
    with pytest.raises(ResultFileError, match="не является книгой XLSX"):
        list(read_rows(path, "results.xlsx"))


def _refuse_calamine(monkeypatch):
    def fail(*_args, **_kwargs):
        raise AssertionError("calamine must not open a refused archive")

    monkeypatch.setattr(sources, "_workbook", fail)


def test_zip_bomb_by_compression_ratio(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(32):
                member.write(chunk)
    _refuse_calamine(monkeypatch)
    with pytest.raises(ResultFileError, match="zip-бомбу"):
        detect(path, "bomb.xlsx")


def test_zip_bomb_by_total_size(tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    _write_ege(path)
    monkeypatch.setattr(sources, "MAX_UNCOMPRESSED_BYTES", 4096)
    _refuse_calamine(monkeypatch)
    with pytest.raises(ResultFileError, match=r"после распаковки .* \(допускается не больше 0 МБ\)"):
        read_file(path, "big.xlsx")


def test_sheet_without_a_recognisable_header(tmp_path):
    path = tmp_path / "other.xlsx"
    _write_xlsx(
        path, [["Отчёт о посещаемости"], ["Дата", "Класс", "Присутствовали"], ["01.09.2024", "5А", 25]]
    )
    with pytest.raises(ResultFileError) as info:
        detect(path, "other.xlsx")
    message = str(info.value)
    assert message.startswith("Не найдена строка заголовков в первых 30 строках.")
    assert "«Код участника»" in message and "«Код ОО»" in message and "«% 2»" in message
    assert "Распознаны только: «Класс»." in message


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.csv", b""), ("blank.csv", b";;\r\n;;\r\n"), ("empty.xlsx", None)],
)
def test_empty_files(tmp_path, name, content):
    path = tmp_path / name
    if content is None:
        openpyxl.Workbook().save(path)
    else:
        path.write_bytes(content)
    with pytest.raises(ResultFileError, match=r"^Файл пуст"):
        detect(path, name)


# ---------------------------------------------------------------- mapping step


def test_mapping_overrides_detection(tmp_path):
    path = tmp_path / "custom.xlsx"
    _write_xlsx(
        path,
        [
            ["Выгрузка из АИС «Школа»"],
            ["Шифр", "Школа №", "Итог", "Балл", "Примечание"],
            ["A-17", "0401", 81, 3, ""],
            ["A-18", "0401", 64, 2, ""],
        ],
    )
    with pytest.raises(ResultFileError, match="Не найдена строка заголовков"):
        detect(path, "custom.xlsx")
    assert header_candidates(path, "custom.xlsx", scan_rows=2) == [
        (1, ["Выгрузка из АИС «Школа»"]),
        (2, ["Шифр", "Школа №", "Итог", "Балл", "Примечание"]),
    ]
    mapping = {"participant_code": "Шифр", "school_code": "Школа №", "test_score": "Итог"}
    layout, header_row, columns, _dropped = detect(path, "custom.xlsx", mapping=mapping)
    assert (layout, header_row) == ("participants", 2)
    assert columns == {"school_code": "Школа №", "participant_code": "Шифр", "test_score": "Итог"}
    rows = read_file(path, "custom.xlsx", mapping=mapping).rows
    # "Балл" would be test_score by synonym; the mapping gave that field to "Итог".
    assert [(r.participant_code, r.school_code, r.test_score) for r in rows] == [
        ("A-17", "0401", 81),
        ("A-18", "0401", 64),
    ]

    with pytest.raises(ResultFileError, match="Не найдены столбцы, указанные при сопоставлении: «Класс»"):
        detect(path, "custom.xlsx", mapping={**mapping, "class_name": "Класс"})
    with pytest.raises(ResultFileError, match="Неизвестное поле сопоставления «surname»"):
        detect(path, "custom.xlsx", mapping={"surname": "Шифр"})


def test_synonyms_are_normalised():
    assert "код оо" in COLUMN_SYNONYMS["school_code"]
    assert "задания с развернутым ответом" in COLUMN_SYNONYMS["extended_answers"]
    for spellings in COLUMN_SYNONYMS.values():
        for spelling in spellings:
            assert spelling == normalize_header(spelling)
    assert normalize_header("  Кол-во\nучастников ") == "кол во участников"
    assert normalize_header("% «2»") == "% 2"
    assert normalize_header("Задания с развёрнутым\xa0ответом:") == "задания с развернутым ответом"


# ---------------------------------------------------------------- answer strings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("  ", ()),
        ("+", (1,)),
        ("-", (0,)),
        ("+-+2-0", (1, 0, 1, 2, 0, 0)),
        (" ++-3 ", (1, 1, 0, 3)),
    ],
)
def test_parse_short_answers(text, expected):
    assert parse_short_answers(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("+-x", "Краткие ответы «+-x»: недопустимый символ «x» (ожидается +, - или цифра)."),
        ("++ -", "Краткие ответы «++ -»: недопустимый символ пробел (ожидается +, - или цифра)."),
        ("+Х", "Краткие ответы «+Х»: недопустимый символ «Х» (ожидается +, - или цифра)."),
    ],
)
def test_parse_short_answers_errors(text, message):
    with pytest.raises(ValueError) as info:
        parse_short_answers(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("2(2)1(3)0(2)", ((2, 2), (1, 3), (0, 2))),
        ("2(2) 1(3) 0(2)", ((2, 2), (1, 3), (0, 2))),
        ("10(12)", ((10, 12),)),
        ("-(2)1(1)", ((0, 2), (1, 1))),
    ],
)
def test_parse_extended_answers(text, expected):
    assert parse_extended_answers(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3(2)", "Развёрнутые ответы «3(2)»: в задании 1 балл 3 больше максимального 2."),
        ("2(2)1", "Развёрнутые ответы «2(2)1»: не удалось разобрать «1»"),
        ("2(2)x(3)", "Развёрнутые ответы «2(2)x(3)»: не удалось разобрать «x(3)»"),
        ("2 2 1", "Развёрнутые ответы «2 2 1»: не удалось разобрать «2 2 1»"),
    ],
)
def test_parse_extended_answers_errors(text, message):
    with pytest.raises(ValueError) as info:
        parse_extended_answers(text)
    assert str(info.value).startswith(message)


# ---------------------------------------------------------------- streaming


def test_streaming_200k_rows_in_modest_memory(tmp_path):
    path = tmp_path / "big.csv"
    answers = ["".join("+" if (i >> bit) & 1 else "-" for bit in range(12)) for i in range(4096)]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(
            [
                "Код МСУ",
                "Код ОО",
                "Код участника",
                "Фамилия",
                "Задания с кратким ответом",
                "Задания с развёрнутым ответом",
                "Первичный балл",
                "Балл",
            ]
        )
        for i in range(200_000):
            writer.writerow(
                [
                    f"{i % 18 + 1:02d}",
                    f"{i % 600 + 1:05d}",
                    f"{i:07d}",
                    "Кузнецов",
                    answers[(i * 2654435761) % 4096],
                    "2(2)1(3)0(2)",
                    i % 32,
                    (i * 7) % 101,
                ]
            )
    tracemalloc.start()
    try:
        count = errors = 0
        for record in read_rows(path, "big.csv"):
            if type(record) is ParticipantRow:
                count += 1
            else:
                errors += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (count, errors) == (200_000, 0)
    assert peak < 100 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"

"""The roadmap XLSX template: building, reading back, and the errors of hand-made files."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from roadmaps.template.build import build_template
from roadmaps.template.cells import (
    INDICATORS_SHEET,
    ITEMS_SHEET,
    MAX_ITEMS,
    UNREADABLE_MESSAGE,
    NotANumber,
    TemplateError,
    default_periods,
    parse_number,
)
from roadmaps.template.read import read_template

CONTENT = {
    "periods": ["2026/2027", "2027/2028"],
    "items": [
        {
            "number": "1.1",
            "activity": "Провести диагностику профессиональных дефицитов учителей математики",
            "responsible": "МОУО, руководители ОО",
            "deadline": "до 01.03.2027",
            "expected_result": "Выявлены дефициты, составлены индивидуальные маршруты",
        },
        {
            "number": "1.10",
            "activity": "Организовать методическое сопровождение",
            "responsible": "-",
            "deadline": "ежеквартально",
            "expected_result": "",
        },
        {
            "number": "2",
            "activity": '=HYPERLINK("http://example.com", "Ссылка")',
            "responsible": "",
            "deadline": "в течение года",
            "expected_result": "@отчёт",
        },
    ],
    "indicators": [
        {
            "name": "Доля участников ЕГЭ по математике ниже минимума",
            "unit": "%",
            "baseline": "12.5",
            "targets": {"2026/2027": "10", "2027/2028": "8"},
        },
        {
            "name": "Число школ с низкими результатами",
            "unit": "ед.",
            "baseline": None,
            "targets": {"2026/2027": "0.25", "2027/2028": None},
        },
    ],
}


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX file with the given sheets, each a list of rows (None for an empty cell)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _messages(result) -> list[str]:
    return [str(error) for error in result.errors]


# ---------------------------------------------------------------- round trips


def test_round_trip_gives_back_the_content():
    result = read_template(build_template(CONTENT, title="Дорожная карта Энского района"))

    assert result.errors == []
    assert result.content == CONTENT


def test_empty_template_reads_back_as_empty_content_with_default_periods():
    result = read_template(build_template())

    assert result.errors == []
    assert result.content == {"periods": default_periods(), "items": [], "indicators": []}


def test_template_layout():
    workbook = openpyxl.load_workbook(BytesIO(build_template(CONTENT, title="План")))

    assert workbook.sheetnames == [ITEMS_SHEET, INDICATORS_SHEET]
    items = workbook[ITEMS_SHEET]
    assert items["A1"].value == "План"
    assert items["A1"].font.bold
    assert "1.1, 1.2" in items["A2"].value
    assert "«до 01.03.2027»" in items["A2"].value
    assert [cell.value for cell in items[3]] == [
        "№ п/п",
        "Мероприятие",
        "Ответственные",
        "Срок",
        "Ожидаемый результат",
    ]
    assert all(cell.font.bold for cell in items[3])
    assert items.freeze_panes == "A4"
    indicators = workbook[INDICATORS_SHEET]
    header = [cell.value for cell in indicators[3]]
    assert header == ["№", "Показатель", "Ед. изм.", "Базовое значение", "2026/2027", "2027/2028"]
    assert [cell.value for cell in indicators[4]] == [1, CONTENT["indicators"][0]["name"], "%", 12.5, 10, 8]


def test_formula_text_is_written_neutralised():
    workbook = openpyxl.load_workbook(BytesIO(build_template(CONTENT)))
    items = workbook[ITEMS_SHEET]

    assert items["B6"].value == '\'=HYPERLINK("http://example.com", "Ссылка")'
    assert items["B6"].data_type == "s"
    assert items["C5"].value == "'-"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 8, 31), ["2025/2026", "2026/2027"]),
        (date(2026, 9, 1), ["2026/2027", "2027/2028"]),
        (date(2027, 1, 15), ["2026/2027", "2027/2028"]),
    ],
)
def test_default_periods_follow_the_school_year(today, expected):
    assert default_periods(today) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        (" 12 ", "12"),
        ("12,5 %", "12.5"),
        ("10%", "10"),
        ("1 200", "1200"),
        ("0,250", "0.25"),
        (12.5, "12.5"),
        (10.0, "10"),
        (7, "7"),
        (1e-05, "0.00001"),
        ("", None),
        (None, None),
        ("—", None),
    ],
)
def test_parse_number(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", ["много", "1,2,3", "12.5.1", True, date(2027, 1, 1), "nan", "1e5"])
def test_parse_number_refuses_what_is_not_a_number(value):
    with pytest.raises(NotANumber):
        parse_number(value)


# ---------------------------------------------------------------- hand-made files


def test_hand_made_workbook_with_title_sections_synonyms_and_numbers_as_text():
    data = _workbook(
        {
            "мероприятия": [
                ["План мероприятий по повышению качества образования"],
                [],
                [
                    "Наименование мероприятия",
                    "№",
                    "Сроки исполнения",
                    "Ответственный исполнитель",
                    "Результат:",
                ],
                [],
                ["Кадровое обеспечение", "1.", None, None, None],
                ["Провести   диагностику\nучителей", 1.1, "до 01.03.2027", " МОУО ", "Выявлены дефициты"],
                [None, "Раздел 2. Методическая работа"],
                ["Семинар для учителей", 2.0, "ежеквартально", None, None],
                [None, None, None, None, None],
                ["Мониторинг", None, "декабрь", "МОУО", None],
            ],
            "ПОКАЗАТЕЛИ": [
                ["Целевые показатели"],
                ["Целевой показатель", "Единица измерения", "Исходное значение", "№", "2026/2027", 2027.0],
                [None, None, None, "I"],
                ["Доля участников ниже минимума", "%", "12,5", 1, "10%", " 8 "],
                ["Число школ", None, None, 2, 3, None],
            ],
        }
    )

    result = read_template(data, "план.xlsx")

    assert result.errors == []
    assert result.content == {
        "periods": ["2026/2027", "2027"],
        "items": [
            {
                "number": "1.1",
                "activity": "Провести диагностику учителей",
                "responsible": "МОУО",
                "deadline": "до 01.03.2027",
                "expected_result": "Выявлены дефициты",
            },
            {
                "number": "2",
                "activity": "Семинар для учителей",
                "responsible": "",
                "deadline": "ежеквартально",
                "expected_result": "",
            },
            {
                "number": "3",
                "activity": "Мониторинг",
                "responsible": "МОУО",
                "deadline": "декабрь",
                "expected_result": "",
            },
        ],
        "indicators": [
            {
                "name": "Доля участников ниже минимума",
                "unit": "%",
                "baseline": "12.5",
                "targets": {"2026/2027": "10", "2027": "8"},
            },
            {"name": "Число школ", "unit": "", "baseline": None, "targets": {"2026/2027": "3", "2027": None}},
        ],
    }


def test_indicator_numbered_like_a_section_is_kept():
    data = _workbook(
        {
            "Мероприятия": [["Мероприятие", "Срок"], ["Совещание", "май"]],
            "Показатели": [["№", "Показатель", "2026/2027"], ["1.", "Охват", None], ["2."]],
        }
    )

    result = read_template(data)

    assert result.errors == []
    assert result.content["indicators"] == [
        {"name": "Охват", "unit": "", "baseline": None, "targets": {"2026/2027": None}}
    ]


def test_sheets_are_taken_by_position_when_not_named():
    data = _workbook(
        {
            "Лист1": [["№", "Мероприятие", "Срок"], ["1", "Совещание", "до 01.09.2026"]],
            "Лист2": [["Показатель", "2026/2027"], ["Охват", 95]],
        }
    )

    result = read_template(data)

    assert result.errors == []
    assert [item["activity"] for item in result.content["items"]] == ["Совещание"]
    assert result.content["indicators"] == [
        {"name": "Охват", "unit": "", "baseline": None, "targets": {"2026/2027": "95"}}
    ]


def test_missing_indicators_sheet_means_no_indicators():
    data = _workbook({"Мероприятия": [["Мероприятие", "Срок"], ["Совещание", "август"]], "Лист2": []})

    result = read_template(data)

    assert result.errors == []
    assert result.content["periods"] == []
    assert result.content["indicators"] == []
    assert result.content["items"][0]["number"] == "1"


def test_errors_name_sheet_row_and_column():
    data = _workbook(
        {
            "Мероприятия": [
                ["Дорожная карта"],
                ["№ п/п", "Мероприятие", "Ответственные", "Срок", "Ожидаемый результат"],
                ["1.1", "Диагностика", "МОУО", "до 01.03.2027", None],
                [],
                ["1.2", "Семинар", "МОУО", None, "Проведён"],
                ["1.1", "Ещё одна диагностика", None, "май", None],
                ["1.3", None, "МОУО", "июнь", None],
            ],
            "Показатели": [
                ["№", "Показатель", "Ед. изм.", "Базовое значение", "2026/2027", "2027/2028", "2026/2027"],
                [1, "Доля", "%", "12,5", "много", 8, 7],
                [2, "доля", "%", None, None, None, None],
            ],
        }
    )

    result = read_template(data)

    assert _messages(result) == [
        "Лист «Мероприятия», строка 5, столбец «Срок»: не указан срок",
        "Лист «Мероприятия», строка 6, столбец «№ п/п»: номер 1.1 повторяется (строка 3)",
        "Лист «Мероприятия», строка 7, столбец «Мероприятие»: не указано мероприятие",
        "Лист «Показатели», строка 1, столбец «2026/2027»: период «2026/2027» указан несколько раз",
        "Лист «Показатели», строка 2, столбец «2026/2027»: значение «много» не является числом",
        "Лист «Показатели», строка 3, столбец «Показатель»: показатель «доля» повторяется (строка 2)",
    ]
    assert result.errors[0] == TemplateError("Мероприятия", 5, "Срок", "не указан срок")
    assert [item["number"] for item in result.content["items"]] == ["1.1"]
    assert result.content["periods"] == ["2026/2027", "2027/2028"]
    assert result.content["indicators"] == []


def test_too_long_text_is_an_error():
    data = _workbook({"Мероприятия": [["Мероприятие", "Срок"], ["а" * 2001, "май"]]})

    result = read_template(data)

    assert _messages(result) == [
        "Лист «Мероприятия», строка 2, столбец «Мероприятие»: текст длиннее 2000 символов (2001)"
    ]


def test_too_many_items_is_one_error():
    rows = [["Мероприятие", "Срок"]] + [[f"Мероприятие {n}", "май"] for n in range(MAX_ITEMS + 5)]

    result = read_template(_workbook({"Мероприятия": rows}))

    assert _messages(result) == ["Лист «Мероприятия»: допускается не более 500 мероприятий"]


def test_missing_header_row():
    data = _workbook(
        {
            "Мероприятия": [["Дорожная карта"], ["Что делать", "Когда"], ["Совещание", "май"]],
            "Показатели": [["Доля", 10]],
        }
    )

    result = read_template(data)

    messages = _messages(result)
    assert len(messages) == 2
    assert messages[0].startswith("Лист «Мероприятия»: не найдена строка заголовков")
    assert "«Мероприятие» и «Срок»" in messages[0]
    assert "№ п/п, Мероприятие, Ответственные, Срок, Ожидаемый результат" in messages[0]
    assert messages[1].startswith("Лист «Показатели»: не найдена строка заголовков")
    assert result.content == {"periods": [], "items": [], "indicators": []}


def test_header_below_row_15_is_not_found():
    rows = [[] for _ in range(15)] + [["Мероприятие", "Срок"], ["Совещание", "май"]]

    result = read_template(_workbook({"Мероприятия": rows}))

    assert len(result.errors) == 1
    assert "не найдена строка заголовков" in str(result.errors[0])


def test_missing_items_sheet():
    data = _workbook({"Показатели": [["Показатель", "2026/2027"], ["Охват", 95]]})

    result = read_template(data)

    assert _messages(result) == ["В книге нет листа «Мероприятия» с перечнем мероприятий."]
    assert len(result.content["indicators"]) == 1


@pytest.mark.parametrize("data", [b"garbage", b"", b"PK\x03\x04 not really a zip"])
def test_unreadable_file_is_a_single_error(data):
    result = read_template(data, "план.xlsx")

    assert result.errors == [TemplateError("", None, "", UNREADABLE_MESSAGE)]
    assert str(result.errors[0]) == UNREADABLE_MESSAGE
    assert result.content == {"periods": [], "items": [], "indicators": []}


def test_template_error_str_omits_empty_parts():
    assert str(TemplateError("Мероприятия", 7, "Срок", "не указан срок")) == (
        "Лист «Мероприятия», строка 7, столбец «Срок»: не указан срок"
    )
    assert str(TemplateError("Мероприятия", None, "", "пусто")) == "Лист «Мероприятия»: пусто"
    assert str(TemplateError("", 3, "", "ошибка")) == "строка 3: ошибка"

"""The XLSX template of a roadmap: building it for download and reading a filled one back.

A roadmap's content is a JSON-serialisable dict::

    {
        "periods": ["2026/2027", "2027/2028"],
        "items": [{"number", "activity", "responsible", "deadline", "expected_result"}, ...],
        "indicators": [{"name", "unit", "baseline", "targets": {period: value}}, ...],
    }

Numbers (baseline, targets) are normalised decimal strings ("12.5", "10") or None.

The workbook has two sheets, «Мероприятия» and «Показатели»: a title in row 1, an instruction in row 2
and the header in row 3. A filled file does not have to keep this layout exactly: sheets are found by
name (else by position), the header row is looked for in the first rows by its names and their
synonyms, in any column order, and blank and section rows are skipped. ``read_template`` returns the
valid rows and a list of errors in Russian, each naming the sheet, row and column a person sees in Excel.

A text that would start a formula is written with a leading apostrophe (``portal.xlsx.safe_cell``);
reading removes that apostrophe again, so the content survives a round trip unchanged.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from io import BytesIO

import python_calamine
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from portal.xlsx import safe_cell
from roadmaps.models import decimal_text

ITEMS_SHEET = "Мероприятия"
INDICATORS_SHEET = "Показатели"

HEADER_SCAN_ROWS = 15
MAX_TEXT_LENGTH = 2000
MAX_ITEMS = 500
MAX_INDICATORS = 200

UNREADABLE_MESSAGE = "Файл не читается как книга Excel: сохраните его в формате .xlsx и загрузите снова."

ITEM_FIELDS = ("number", "activity", "responsible", "deadline", "expected_result")
INDICATOR_FIELDS = ("number", "name", "unit", "baseline")

# Field -> header written by build_template.
ITEM_HEADERS: dict[str, str] = {
    "number": "№ п/п",
    "activity": "Мероприятие",
    "responsible": "Ответственные",
    "deadline": "Срок",
    "expected_result": "Ожидаемый результат",
}
INDICATOR_HEADERS: dict[str, str] = {
    "number": "№",
    "name": "Показатель",
    "unit": "Ед. изм.",
    "baseline": "Базовое значение",
}

# Field -> accepted header spellings (compared with header_key).
ITEM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("№", "№ п/п", "номер", "n п/п"),
    "activity": ("мероприятие", "наименование мероприятия", "содержание мероприятия", "мероприятия"),
    "responsible": (
        "ответственный",
        "ответственные",
        "ответственный исполнитель",
        "исполнитель",
        "исполнители",
    ),
    "deadline": ("срок", "сроки", "срок исполнения", "сроки исполнения", "срок реализации"),
    "expected_result": ("ожидаемый результат", "результат", "планируемый результат"),
}
INDICATOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("№",),
    "name": ("показатель", "наименование показателя", "целевой показатель"),
    "unit": ("ед. изм.", "единица измерения", "ед.изм."),
    "baseline": ("базовое значение", "исходное значение", "значение на начало"),
}
ITEM_REQUIRED = ("activity", "deadline")
INDICATOR_REQUIRED = ("name",)

ITEMS_INSTRUCTION = (
    "Заполните по одной строке на каждое мероприятие. Нумеруйте мероприятия так: 1.1, 1.2, 2.1. "
    "Срок указывайте так, как в протоколе, например «до 01.03.2027» или «ежеквартально». "
    "Строка раздела (номер вида «1.» и название только в столбце «Мероприятие») при загрузке пропускается."
)
INDICATORS_INSTRUCTION = (
    "Заполните по одной строке на каждый показатель. Значения указывайте числами, например 12,5 "
    "(знак % можно не ставить). Столбцы справа от «Базовое значение» — целевые значения по периодам: "
    "их названия можно изменить, лишние — удалить, недостающие — добавить."
)

ITEM_WIDTHS = (10, 60, 30, 22, 45)
INDICATOR_WIDTHS = (6, 60, 12, 18)
PERIOD_WIDTH = 14

TITLE_ROW = 1
INSTRUCTION_ROW = 2
HEADER_ROW = 3

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SECTION_NUMBER = re.compile(r"\d+\.|[IVXLC]+\.?")
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DASHES = frozenset({"-", "–", "—", "−"})
_TRAILING_PUNCTUATION = ".:;,*"
_SPACES = ("\xa0", "\u202f", " ")

_BOLD = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")


@dataclass(frozen=True)
class TemplateError:
    """One problem of an uploaded template; ``row`` is the spreadsheet row number seen in Excel."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Лист «{self.sheet}»")
        if self.row is not None:
            parts.append(f"строка {self.row}")
        if self.column:
            parts.append(f"столбец «{self.column}»")
        if not parts:
            return self.message
        return ", ".join(parts) + ": " + self.message


@dataclass
class TemplateResult:
    """The content read from a template (valid rows only) and the errors found."""

    content: dict
    errors: list[TemplateError]


class NotANumber(ValueError):
    """A cell that should hold a number holds something else."""


# ---------------------------------------------------------------- values


def default_periods(today: date | None = None) -> list[str]:
    """Labels of the current and the next school year ("2026/2027", "2027/2028"); a year starts on 1 September."""
    today = today or date.today()
    start = today.year if today.month >= 9 else today.year - 1
    return [f"{start}/{start + 1}", f"{start + 1}/{start + 2}"]


def normalise_decimal(value: Decimal) -> str:
    """A finite Decimal as a plain string: no exponent, no trailing zeros ("12.50" -> "12.5", "1E+2" -> "100")."""
    if not value.is_finite():
        raise NotANumber
    return decimal_text(value)


def _float_text(value: float) -> str:
    """A float as the shortest decimal string that gives it back (1.1 -> "1.1", 2.0 -> "2")."""
    if value != value or value in (float("inf"), float("-inf")):
        raise NotANumber
    return normalise_decimal(Decimal(repr(value)))


def parse_number(value: object) -> str | None:
    """A cell value as a normalised decimal string, or None when empty (a lone dash counts as empty).

    Numbers written as text are accepted with a decimal comma or point, spaces and a trailing "%"
    ("12,5", " 12 ", "1 200", "10%"); anything else raises NotANumber."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber
    if isinstance(value, int):
        return normalise_decimal(Decimal(value))
    if isinstance(value, float):
        return _float_text(value)
    if not isinstance(value, str):
        raise NotANumber  # dates and times
    text = value.strip()
    if not text or text in _DASHES:
        return None
    for space in _SPACES:
        text = text.replace(space, "")
    text = text.removesuffix("%").replace(",", ".").replace("−", "-")
    if not _DECIMAL_TEXT.fullmatch(text):
        raise NotANumber
    try:
        return normalise_decimal(Decimal(text))
    except InvalidOperation:
        raise NotANumber from None


def _unneutralise(text: str) -> str:
    """Undo safe_cell: "'=A1" -> "=A1"; any other text is returned unchanged."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _collapse(text: str) -> str:
    """Strip a text and replace every run of whitespace (line breaks too) with one space."""
    return " ".join(text.split())


def cell_text(value: object) -> str:
    """A cell value as text: texts stripped with whitespace collapsed; numbers without ".0";
    dates as dd.mm.yyyy, times as hh:mm; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _collapse(_unneutralise(value.strip()))
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        try:
            return _float_text(value)
        except NotANumber:
            return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return _collapse(str(value))


def header_key(text: str) -> str:
    """A header for comparison: lower case, ё = е, spaces ignored, trailing punctuation dropped."""
    key = text.lower().replace("ё", "е")
    key = "".join(key.split())
    return key.rstrip(_TRAILING_PUNCTUATION)


def _sheet_key(name: str) -> str:
    return _collapse(name).lower().replace("ё", "е")


def _number_cell(value: str) -> int | float | str:
    """A normalised decimal string as the number to write; a value a float cannot hold exactly
    (more than 15 significant digits) stays text so that it is read back unchanged."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value  # not a normalised number: kept as the text it is
    if not number.is_finite():
        return value
    if number == number.to_integral_value() and abs(number) < 10**15:
        return int(number)
    as_float = float(number)
    if _float_text(as_float) == value:
        return as_float
    return value


# ---------------------------------------------------------------- building


def _write_heading(sheet: Worksheet, title: str, instruction: str, width: int) -> None:
    """Title (row 1, bold) and instruction (row 2), each merged across the table's width."""
    last = get_column_letter(width)
    if title:
        cell = sheet.cell(row=TITLE_ROW, column=1, value=safe_cell(title))
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    cell = sheet.cell(row=INSTRUCTION_ROW, column=1, value=safe_cell(instruction))
    cell.alignment = _WRAP_TOP
    sheet.merge_cells(f"A{INSTRUCTION_ROW}:{last}{INSTRUCTION_ROW}")
    sheet.row_dimensions[INSTRUCTION_ROW].height = 48


def _write_header(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    """The bold header row, column widths and frozen panes below the header."""
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=safe_cell(header))
        cell.font = _BOLD
        cell.alignment = _HEADER_ALIGNMENT
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _write_row(sheet: Worksheet, row: int, values: list) -> None:
    """One data row; texts go through safe_cell, empty texts are left blank."""
    for index, value in enumerate(values, start=1):
        if value is None or value == "":
            continue
        cell = sheet.cell(row=row, column=index, value=safe_cell(value))
        cell.alignment = _WRAP_TOP


def _write_items(sheet: Worksheet, items: list[dict], title: str) -> None:
    headers = [ITEM_HEADERS[field] for field in ITEM_FIELDS]
    _write_heading(sheet, title, ITEMS_INSTRUCTION, len(headers))
    _write_header(sheet, headers, list(ITEM_WIDTHS))
    # Numbers like 1.1 are typed as text: in the Russian locale Excel would turn a General "1.1" into a date.
    sheet.column_dimensions["A"].number_format = "@"
    for offset, item in enumerate(items, start=1):
        row = HEADER_ROW + offset
        _write_row(sheet, row, [str(item.get(field) or "") for field in ITEM_FIELDS])
        sheet.cell(row=row, column=1).number_format = "@"


def _write_indicators(sheet: Worksheet, indicators: list[dict], periods: list[str], title: str) -> None:
    headers = [INDICATOR_HEADERS[field] for field in INDICATOR_FIELDS] + periods
    widths = list(INDICATOR_WIDTHS) + [PERIOD_WIDTH] * len(periods)
    _write_heading(sheet, title, INDICATORS_INSTRUCTION, len(headers))
    _write_header(sheet, headers, widths)
    for offset, indicator in enumerate(indicators, start=1):
        targets = indicator.get("targets") or {}
        values = [offset, indicator.get("name") or "", indicator.get("unit") or ""]
        for value in [indicator.get("baseline"), *(targets.get(period) for period in periods)]:
            values.append(_number_cell(str(value)) if value not in (None, "") else None)
        _write_row(sheet, HEADER_ROW + offset, values)


def build_template(content: dict | None = None, *, title: str = "") -> bytes:
    """An XLSX workbook with the sheets «Мероприятия» and «Показатели», filled from ``content``.

    Without content (or without periods) the indicator sheet gets the current and the next school
    year as example periods."""
    content = content or {}
    periods = [str(period) for period in content.get("periods") or []] or default_periods()
    workbook = Workbook()
    items_sheet = workbook.active
    items_sheet.title = ITEMS_SHEET
    _write_items(items_sheet, list(content.get("items") or []), title)
    indicators_sheet = workbook.create_sheet(INDICATORS_SHEET)
    _write_indicators(indicators_sheet, list(content.get("indicators") or []), periods, title)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading: sheets and headers


@dataclass
class _Sheet:
    name: str
    rows: list[tuple[int, list]]  # (spreadsheet row number, cell values)

    def is_empty(self) -> bool:
        return all(not cell_text(value) for _number, values in self.rows for value in values)


@dataclass
class _Header:
    row: int
    columns: dict[str, int]  # field -> column index
    titles: dict[int, str]  # column index -> header text as written

    def title(self, field: str) -> str:
        return self.titles.get(self.columns.get(field, -1), "")


def _find_sheet_name(names: list[str], wanted: str) -> str | None:
    """The sheet called ``wanted`` (case-insensitive, ё = е), if any."""
    key = _sheet_key(wanted)
    return next((name for name in names if _sheet_key(name) == key), None)


def _choose_sheets(names: list[str]) -> tuple[str | None, str | None]:
    """Names of the items and indicators sheets: by name, else the first and second sheets."""
    items = _find_sheet_name(names, ITEMS_SHEET)
    indicators = _find_sheet_name(names, INDICATORS_SHEET)
    if items is None:
        items = next((name for name in names if name != indicators), None)
    if indicators is None and len(names) >= 2 and names[1] != items:
        indicators = names[1]
    return items, indicators


def _load_sheet(workbook: python_calamine.CalamineWorkbook, name: str | None) -> _Sheet | None:
    """The rows of a sheet, numbered as in Excel (calamine skips the empty rows above the data)."""
    if name is None:
        return None
    sheet = workbook.get_sheet_by_name(name)
    values = sheet.to_python()
    first_row = sheet.start[0] if sheet.start else 0
    return _Sheet(name, [(first_row + index + 1, list(row)) for index, row in enumerate(values)])


def _load_sheets(data: bytes) -> tuple[_Sheet | None, _Sheet | None]:
    """The items and indicators sheets of a workbook; raises whatever calamine raises."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
    items_name, indicators_name = _choose_sheets(list(workbook.sheet_names))
    return _load_sheet(workbook, items_name), _load_sheet(workbook, indicators_name)


def _match_columns(values: list, synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field -> index of the first cell of a row whose text is one of the field's synonyms."""
    lookup = {header_key(spelling): field for field, spellings in synonyms.items() for spelling in spellings}
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        field = lookup.get(header_key(cell_text(value)))
        if field is not None and field not in columns:
            columns[field] = index
    return columns


def _find_header(
    sheet: _Sheet, synonyms: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> _Header | None:
    """Among the first HEADER_SCAN_ROWS rows, the one with the required columns and the most
    recognised ones (the first such row on a tie)."""
    best: _Header | None = None
    for number, values in sheet.rows:
        if number > HEADER_SCAN_ROWS:
            break
        columns = _match_columns(values, synonyms)
        if not all(field in columns for field in required):
            continue
        if best is None or len(columns) > len(best.columns):
            titles = {index: cell_text(value) for index, value in enumerate(values)}
            best = _Header(number, columns, titles)
    return best


def _no_header_error(sheet: _Sheet, headers: dict[str, str], required: tuple[str, ...]) -> TemplateError:
    required_text = " и ".join(f"«{headers[field]}»" for field in required)
    expected = ", ".join(headers.values())
    message = (
        f"не найдена строка заголовков: в первых {HEADER_SCAN_ROWS} строках нет столбцов {required_text}. "
        f"Ожидаемые заголовки: {expected}."
    )
    return TemplateError(sheet.name, None, "", message)


def _row_cells(values: list, header: _Header) -> dict[str, object]:
    """Field -> raw cell value of a data row ("" where the row is shorter)."""
    return {field: values[index] if index < len(values) else "" for field, index in header.columns.items()}


def _only_number(texts: dict[str, str]) -> bool:
    """A row where only the number cell is filled (a section title written in the number column)."""
    return bool(texts.get("number")) and not any(text for field, text in texts.items() if field != "number")


def _is_item_section(texts: dict[str, str]) -> bool:
    """A section row of the items sheet: only the number is filled, or a number like "1." / "I" with
    text only in the activity column."""
    if _only_number(texts):
        return True
    others = [text for field, text in texts.items() if field not in ("number", "activity") and text]
    if others or not texts.get("activity"):
        return False
    return bool(_SECTION_NUMBER.fullmatch(texts.get("number", "")))


# ---------------------------------------------------------------- reading: rows


class _RowErrors:
    """Collects the errors of one data row."""

    def __init__(self, sheet: str, row: int) -> None:
        self.sheet = sheet
        self.row = row
        self.errors: list[TemplateError] = []

    def add(self, column: str, message: str) -> None:
        self.errors.append(TemplateError(self.sheet, self.row, column, message))


def _text_field(texts: dict[str, str], field: str, header: _Header, errors: _RowErrors) -> str:
    """A text of the row, with an error when it is longer than MAX_TEXT_LENGTH."""
    text = texts.get(field, "")
    if len(text) > MAX_TEXT_LENGTH:
        errors.add(header.title(field), f"текст длиннее {MAX_TEXT_LENGTH} символов ({len(text)})")
    return text


def _item_number(cells: dict[str, object], header: _Header, errors: _RowErrors, ordinal: int) -> str:
    """The item number as written (1.1 stays "1.1", 2.0 becomes "2"), or the ordinal when blank."""
    value = cells.get("number", "")
    if isinstance(value, date | datetime | time):
        errors.add(
            header.title("number"),
            "номер прочитан как дата: задайте ячейке текстовый формат и введите номер снова",
        )
        return ""
    number = cell_text(value)
    if len(number) > MAX_TEXT_LENGTH:
        errors.add(header.title("number"), f"текст длиннее {MAX_TEXT_LENGTH} символов ({len(number)})")
    return number or str(ordinal)


def _read_item(cells: dict[str, object], header: _Header, errors: _RowErrors, ordinal: int) -> dict[str, str]:
    texts = {field: cell_text(value) for field, value in cells.items()}
    item = {"number": _item_number(cells, header, errors, ordinal)}
    for field in ITEM_FIELDS[1:]:
        item[field] = _text_field(texts, field, header, errors)
    if not item["activity"]:
        errors.add(header.title("activity"), "не указано мероприятие")
    if not item["deadline"]:
        errors.add(header.title("deadline"), "не указан срок")
    return item


def _read_items(sheet: _Sheet, header: _Header, errors: list[TemplateError]) -> list[dict]:
    """The valid items below the header; errors are appended to ``errors``."""
    items: list[dict] = []
    rows_of_numbers: dict[str, int] = {}
    ordinal = 0
    for number, values in sheet.rows:
        if number <= header.row:
            continue
        cells = _row_cells(values, header)
        texts = {field: cell_text(value) for field, value in cells.items()}
        if not any(texts.values()) or _is_item_section(texts):
            continue
        ordinal += 1
        if ordinal > MAX_ITEMS:
            errors.append(
                TemplateError(sheet.name, None, "", f"допускается не более {MAX_ITEMS} мероприятий")
            )
            break
        row_errors = _RowErrors(sheet.name, number)
        item = _read_item(cells, header, row_errors, ordinal)
        first_row = rows_of_numbers.get(item["number"])
        if first_row is not None:
            row_errors.add(header.title("number"), f"номер {item['number']} повторяется (строка {first_row})")
        elif item["number"]:
            rows_of_numbers[item["number"]] = number
        errors.extend(row_errors.errors)
        if not row_errors.errors:
            items.append(item)
    return items


def _read_periods(
    header_values: list, header: _Header, errors: list[TemplateError], sheet: str
) -> dict[int, str]:
    """Column index -> period label, for the non-empty header cells right of the known columns."""
    periods: dict[int, str] = {}
    seen: set[str] = set()
    first = max(header.columns.values()) + 1
    for index in range(first, len(header_values)):
        label = _period_label(header_values[index])
        if not label:
            continue
        if label in seen:
            errors.append(TemplateError(sheet, header.row, label, f"период «{label}» указан несколько раз"))
            continue
        seen.add(label)
        periods[index] = label
    return periods


def _period_label(value: object) -> str:
    """A period header as written, trimmed (a number like 2027.0 becomes "2027")."""
    if isinstance(value, str):
        return _unneutralise(value.strip()).strip()
    return cell_text(value)


def _number_field(value: object, column: str, errors: _RowErrors) -> str | None:
    """A normalised decimal string from a cell, or None; an error when the cell is not a number."""
    try:
        return parse_number(value)
    except NotANumber:
        shown = value.strip() if isinstance(value, str) else cell_text(value)
        errors.add(column, f"значение «{shown}» не является числом")
        return None


def _read_indicator(
    values: list, cells: dict[str, object], header: _Header, periods: dict[int, str], errors: _RowErrors
) -> dict:
    texts = {field: cell_text(value) for field, value in cells.items()}
    name = _text_field(texts, "name", header, errors)
    if not name:
        errors.add(header.title("name"), "не указан показатель")
    unit = _text_field(texts, "unit", header, errors)
    baseline = _number_field(cells.get("baseline", ""), header.title("baseline"), errors)
    targets: dict[str, str | None] = {}
    for index, label in periods.items():
        value = values[index] if index < len(values) else ""
        targets[label] = _number_field(value, label, errors)
    return {"name": name, "unit": unit, "baseline": baseline, "targets": targets}


def _has_values(values: list, periods: dict[int, str]) -> bool:
    return any(index < len(values) and cell_text(values[index]) for index in periods)


def _read_indicators(
    sheet: _Sheet, header: _Header, periods: dict[int, str], errors: list[TemplateError]
) -> list[dict]:
    """The valid indicators below the header; errors are appended to ``errors``."""
    indicators: list[dict] = []
    rows_of_names: dict[str, int] = {}
    count = 0
    for number, values in sheet.rows:
        if number <= header.row:
            continue
        cells = _row_cells(values, header)
        texts = {field: cell_text(value) for field, value in cells.items()}
        has_targets = _has_values(values, periods)
        if not has_targets and (not any(texts.values()) or _only_number(texts)):
            continue
        count += 1
        if count > MAX_INDICATORS:
            errors.append(
                TemplateError(sheet.name, None, "", f"допускается не более {MAX_INDICATORS} показателей")
            )
            break
        row_errors = _RowErrors(sheet.name, number)
        indicator = _read_indicator(values, cells, header, periods, row_errors)
        key = indicator["name"].casefold()
        first_row = rows_of_names.get(key)
        if first_row is not None:
            message = f"показатель «{indicator['name']}» повторяется (строка {first_row})"
            row_errors.add(header.title("name"), message)
        elif key:
            rows_of_names[key] = number
        errors.extend(row_errors.errors)
        if not row_errors.errors:
            indicators.append(indicator)
    return indicators


def _header_values(sheet: _Sheet, header: _Header) -> list:
    return next(values for number, values in sheet.rows if number == header.row)


def _read_items_sheet(sheet: _Sheet | None, errors: list[TemplateError]) -> list[dict]:
    if sheet is None:
        errors.append(
            TemplateError("", None, "", f"В книге нет листа «{ITEMS_SHEET}» с перечнем мероприятий.")
        )
        return []
    header = _find_header(sheet, ITEM_SYNONYMS, ITEM_REQUIRED)
    if header is None:
        errors.append(_no_header_error(sheet, ITEM_HEADERS, ITEM_REQUIRED))
        return []
    return _read_items(sheet, header, errors)


def _read_indicators_sheet(sheet: _Sheet | None, errors: list[TemplateError]) -> tuple[list[str], list[dict]]:
    """Periods and indicators; a missing or completely empty sheet means no indicators."""
    if sheet is None or sheet.is_empty():
        return [], []
    header = _find_header(sheet, INDICATOR_SYNONYMS, INDICATOR_REQUIRED)
    if header is None:
        errors.append(_no_header_error(sheet, INDICATOR_HEADERS, INDICATOR_REQUIRED))
        return [], []
    periods = _read_periods(_header_values(sheet, header), header, errors, sheet.name)
    indicators = _read_indicators(sheet, header, periods, errors)
    return list(periods.values()), indicators


def read_template(data: bytes, filename: str = "") -> TemplateResult:
    """Read a filled template. ``content`` holds only the valid rows; the upload should be refused
    when ``errors`` is not empty. ``filename`` is informative only: calamine detects the format
    (XLSX, XLS, ODS) from the content."""
    try:
        items_sheet, indicators_sheet = _load_sheets(data)
    except Exception:
        error = TemplateError("", None, "", UNREADABLE_MESSAGE)
        return TemplateResult(content={"periods": [], "items": [], "indicators": []}, errors=[error])
    errors: list[TemplateError] = []
    items = _read_items_sheet(items_sheet, errors)
    periods, indicators = _read_indicators_sheet(indicators_sheet, errors)
    content = {"periods": periods, "items": items, "indicators": indicators}
    return TemplateResult(content=content, errors=errors)

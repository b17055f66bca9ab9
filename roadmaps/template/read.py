"""Reading a filled roadmap template back: sheets, headers, rows, with errors a person can find in Excel."""

from dataclasses import dataclass
from datetime import date, datetime, time
from io import BytesIO

import python_calamine

from core.xlsx import unneutralise
from roadmaps.template.cells import (
    HEADER_SCAN_ROWS,
    INDICATOR_HEADERS,
    INDICATOR_REQUIRED,
    INDICATOR_SYNONYMS,
    INDICATORS_SHEET,
    ITEM_FIELDS,
    ITEM_HEADERS,
    ITEM_REQUIRED,
    ITEM_SYNONYMS,
    ITEMS_SHEET,
    MAX_INDICATORS,
    MAX_ITEMS,
    MAX_TEXT_LENGTH,
    SECTION_NUMBER,
    UNREADABLE_MESSAGE,
    NotANumber,
    TemplateError,
    TemplateResult,
    cell_text,
    header_key,
    parse_number,
    sheet_key,
)

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
    key = sheet_key(wanted)
    return next((name for name in names if sheet_key(name) == key), None)


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
    return bool(SECTION_NUMBER.fullmatch(texts.get("number", "")))


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
        return unneutralise(value.strip()).strip()
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

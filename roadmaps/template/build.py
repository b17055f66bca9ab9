"""Building the roadmap template for download (empty, or filled with a version's content)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.xlsx import safe_cell
from roadmaps.template.cells import (
    HEADER_ROW,
    INDICATOR_FIELDS,
    INDICATOR_HEADERS,
    INDICATOR_WIDTHS,
    INDICATORS_INSTRUCTION,
    INDICATORS_SHEET,
    INSTRUCTION_ROW,
    ITEM_FIELDS,
    ITEM_HEADERS,
    ITEM_WIDTHS,
    ITEMS_INSTRUCTION,
    ITEMS_SHEET,
    PERIOD_WIDTH,
    TITLE_ROW,
    default_periods,
    number_cell,
)

_BOLD = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")


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
            values.append(number_cell(str(value)) if value not in (None, "") else None)
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

"""Reading a directory workbook (XLSX, XLS, ODS or one CSV sheet) into rows keyed by field.

A sheet is recognised by its name («Школы», «Пользователи» …) or, failing that, by its header row (the
first of the top rows that holds every required column of one kind of sheet). Each row keeps its sheet
name and its row number as the user sees them, so every problem can name where it is.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

from python_calamine import CalamineWorkbook

from .columns import SHEETS, SheetSpec, normalize_header

HEADER_SCAN_ROWS = 10


class DirectoryFileError(ValueError):
    """The file as a whole cannot be read; the message says why, in Russian."""


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_json(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"лист «{self.sheet}»" + (f", строка {self.row}" if self.row else "")
        where += f", столбец «{self.column}»" if self.column else ""
        return f"{where}: {self.message}"


@dataclass
class Row:
    number: int
    values: dict[str, object]


@dataclass
class Sheet:
    name: str
    spec: SheetSpec
    headers: dict[str, str]  # field -> header as written
    rows: list[Row] = field(default_factory=list)

    def column_title(self, field_name: str) -> str:
        return self.headers.get(field_name) or self.spec.column(field_name).title


def _raw_sheets(data: bytes, filename: str) -> list[tuple[str, list[list]]]:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DirectoryFileError("Файл CSV не удалось прочитать: сохраните его в кодировке UTF-8.")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
        return [(PurePath(filename).stem, [list(r) for r in csv.reader(io.StringIO(text), dialect)])]
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [(name, workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names]
    except Exception as exc:  # calamine raises its own errors for broken files
        raise DirectoryFileError(
            f"Файл «{filename}» не удалось прочитать как таблицу ({type(exc).__name__}). "
            "Сохраните его в Excel как .xlsx и загрузите ещё раз."
        ) from exc


def _match(spec: SheetSpec, headers: list) -> dict[int, str]:
    found: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        text = normalize_header(header)
        if not text:
            continue
        for column in spec.columns:
            if column.field not in taken and text in column.accepted:
                found[index] = column.field
                taken.add(column.field)
                break
    return found


def _locate(name: str, rows: list[list]) -> tuple[SheetSpec, int, dict[int, str]] | None:
    by_name = [spec for spec in SHEETS if normalize_header(name) in spec.names]
    candidates = by_name or list(SHEETS)
    best = None
    for number, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        for spec in candidates:
            mapping = _match(spec, row)
            required = {c.field for c in spec.columns if c.required}
            if not by_name and not required <= set(mapping.values()):
                continue
            score = (len(required & set(mapping.values())), len(mapping))
            if mapping and (best is None or score > best[0]):
                best = (score, spec, number, mapping)
    if best is None:
        return None
    return best[1], best[2], best[3]


def read_directory(data: bytes, filename: str) -> tuple[list[Sheet], list[Problem]]:
    """The recognised sheets of the file, and the problems of its layout (missing columns, unknown sheets)."""
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    for name, rows in _raw_sheets(data, filename):
        if not any(any(read for read in row if str(read).strip()) for row in rows):
            continue
        located = _locate(name, rows)
        if located is None:
            kinds = ", ".join(f"«{spec.title}»" for spec in SHEETS)
            problems.append(Problem(name, None, "", f"лист не распознан: назовите его одним из {kinds} "
                                    "или дайте ему строку заголовков из шаблона"))  # fmt: skip
            continue
        spec, header_index, mapping = located
        headers = {f: str(rows[header_index][i]).strip() for i, f in mapping.items()}
        missing = [c.title for c in spec.columns if c.required and c.field not in mapping.values()]
        if missing:
            problems.append(Problem(name, header_index + 1, ", ".join(missing), "нет обязательного столбца"))
            continue
        sheet = Sheet(name, spec, headers)
        for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
            values = {f: row[i] if i < len(row) else None for i, f in mapping.items()}
            if all(str(v if v is not None else "").strip() == "" for v in values.values()):
                continue  # blank rows inside the data are allowed
            sheet.rows.append(Row(offset, values))
        sheets.append(sheet)
    return sheets, problems

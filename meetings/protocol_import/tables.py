"""Tables of instructions ("№ п/п | Содержание поручения | Срок исполнения | Ответственный") as protocol lines.

A real Word table and the same table pasted as text (cells separated by tabs, a cell's second paragraph
on a line of its own) both become the lines the parser reads everywhere else: "1.2. Провести …",
"Срок: до 30.09.2024", "Ответственные: …"; a merged row across the table ("1. О мерах …") stays a line
of its own (a section, usually an agenda question); "–" in a cell means nothing.
"""

from __future__ import annotations

import re

_NUMBER_HEADER_RE = re.compile(r"^(?:№|n|п/п|№\s*п/п|номер)\.?$", re.IGNORECASE)
_TEXT_HEADER_RE = re.compile(r"содержани|решени|поручени|мероприяти|наименовани", re.IGNORECASE)
_DEADLINE_HEADER_RE = re.compile(r"срок", re.IGNORECASE)
_RESPONSIBLE_HEADER_RE = re.compile(r"ответствен|исполнител", re.IGNORECASE)
_CELL_NUMBER_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?$")
_NOTHING = frozenset({"", "-", "–", "—", "―", "--", "нет"})


def decision_columns(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, if the header row is that of a table of instructions."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        title = " ".join(title.split())
        if _NUMBER_HEADER_RE.match(title) and "number" not in columns:
            columns["number"] = index
        elif _DEADLINE_HEADER_RE.search(title) and "deadline" not in columns:
            columns["deadline"] = index
        elif _RESPONSIBLE_HEADER_RE.search(title) and "responsible" not in columns:
            columns["responsible"] = index
        elif _TEXT_HEADER_RE.search(title) and "text" not in columns:
            columns["text"] = index
    if "text" in columns and ("deadline" in columns or "responsible" in columns):
        return columns
    return None


def table_lines(rows: list[list[str]]) -> list[str]:
    """The rows of a table (cells as text, paragraphs separated by "\\n") as protocol lines."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    columns = decision_columns(rows[0])
    if columns is None:
        return [" | ".join(cell for cell in row if cell) for row in rows]
    lines: list[str] = []
    for position, row in enumerate(rows[1:], start=1):
        if len(row) == 1 or len(set(row)) == 1:  # a merged row across the table: a sub-heading
            lines.append(row[0])
            continue
        lines.extend(_decision_row_lines(row, columns, position))
    return lines


def text_table_lines(lines: list[str]) -> list[str]:
    """Replace a tab-separated table of instructions inside plain text by protocol lines.

    The table starts at a header row whose cells name the columns and ends at a blank line; a row whose
    cells are fewer than the header's continues on the next line (its first cell then continues the row's
    last cell); a line without tabs inside the table is a section row.
    """
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        header = _cells(line)
        columns = decision_columns(header) if len(header) >= 3 else None
        if columns is None:
            out.append(line)
            index += 1
            continue
        rows: list[list[str]] = [header]
        index += 1
        while index < len(lines) and lines[index].strip():
            cells = _cells(lines[index])
            index += 1
            if len(cells) == 1:
                rows.append(cells)
                continue
            while len(cells) < len(header) and index < len(lines) and "\t" in lines[index]:
                more = _cells(lines[index])
                cells[-1] = f"{cells[-1]}\n{more[0]}"
                cells.extend(more[1:])
                index += 1
            rows.append(cells)
        out.extend(table_lines(rows))
    return out


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")] if "\t" in line else [line.strip()]


def _cell(row: list[str], columns: dict[str, int], role: str) -> str:
    index = columns.get(role)
    value = row[index] if index is not None and index < len(row) else ""
    return "" if " ".join(value.split()) in _NOTHING else value


def _decision_row_lines(row: list[str], columns: dict[str, int], position: int) -> list[str]:
    text = _cell(row, columns, "text")
    number = _cell(row, columns, "number")
    number = number.rstrip(".") if _CELL_NUMBER_RE.match(number) else str(position)
    text_lines = [line for line in text.split("\n") if line.strip()] or [""]
    lines = [f"{number}. {text_lines[0]}".rstrip(), *text_lines[1:]]
    deadline = " ".join(_cell(row, columns, "deadline").split())
    if deadline:
        lines.append(f"Срок: {deadline}")
    responsible = _join_cell_lines(_cell(row, columns, "responsible"))
    if responsible:
        lines.append(f"Ответственные: {responsible}")
    return lines


def _join_cell_lines(text: str) -> str:
    joined = ""
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if not joined:
            joined = line
        elif joined.endswith((",", ";")) or line[:1].islower():
            joined = f"{joined} {line}"
        else:
            joined = f"{joined}; {line}"
    return joined

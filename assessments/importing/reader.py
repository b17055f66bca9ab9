"""Reader of exam-result spreadsheets (ЕГЭ, ОГЭ, ГВЭ, ВПР) exported by regional processing centres.

Two layouts are recognised by their header names, wherever the header row is (within the first 30
non-empty rows) and in whatever column order:

* ``participants`` — one row per participant per exam: codes, scores, marks, answer strings;
* ``school_shares`` — aggregated ВПР: one row per school with the % of marks 2/3/4/5.

Rows are streamed: ``read_rows`` yields ``ParticipantRow``/``SchoolShareRow`` and ``RowError`` in file
order and keeps only a look-ahead of the first ``LOOKAHEAD_ROWS`` rows. Personal data (Фамилия, Имя,
Отчество, ФИО, дата рождения, документ, СНИЛС) is never read: such columns are reported in
``dropped_personal`` (152-ФЗ) and their cells are not converted or copied anywhere.

Leading zeros of codes: a code typed as "04001" stays "04001". Excel may store it as the number 4001
with a "00000" display format; calamine returns 4001.0 and the format is lost. Such a number is padded
with zeros to the width of the codes typed as text in the same column, provided that within the first
``LOOKAHEAD_ROWS`` data rows those text codes are all digits and all of one width. A column holding only
numbers is left unpadded (there is nothing to learn the width from): 4001 gives "4001".
The same rule pads short-answer strings made only of digits that Excel turned into a number.
"""

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice

from .builders import RowBuilder
from .columns import (
    HEADER_SCAN_ROWS,
    PARTICIPANTS,
    HeaderMatch,
    cell_text,
    expected_headers_message,
    find_header,
    header_key,
    mapping_keys_of,
    max_score_hint,
)
from .errors import ResultFileError
from .records import ParticipantRow, ReadResult, RowError, SchoolShareRow
from .sources import Sheet, open_sheets
from .values import YEAR, is_blank

LOOKAHEAD_ROWS = 1000  # rows buffered to learn code widths
HEAD_LIMIT_ROWS = 2000  # rows (blank ones included) looked at when searching for the header

TOO_MANY_ERRORS = "Слишком много ошибок: проверка остановлена после {n} ошибок."

_TITLE_SUBJECT = re.compile(r"предмет\s*[:\-–—]\s*([^;,\n]+)", re.IGNORECASE)
_TITLE_GRADE = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:-?\s*(?:й|ый|ой)\s*)?класс|класс\s*[:\-–—]?\s*(\d{1,2})(?!\d)", re.IGNORECASE
)


@dataclass
class _Located:
    match: HeaderMatch
    texts: list[tuple[int, list[str]]]  # the scanned head rows, as text
    rows: Iterator[tuple[int, list]]  # the rows below the header
    sheet: Sheet


def _texts(values: list) -> list[str]:
    return [cell_text(v) for v in values]


def _padded(texts: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Head rows as wide as the widest of them (a streamed sheet gives each row up to its last cell)."""
    width = max((len(t) for _n, t in texts), default=0)
    return [(n, t if len(t) == width else [*t, *[""] * (width - len(t))]) for n, t in texts]


def _head(rows: Iterator[tuple[int, list]], non_blank_wanted: int) -> list[tuple[int, list]]:
    head: list[tuple[int, list]] = []
    non_blank = 0
    for number, values in rows:
        head.append((number, values))
        if not is_blank(values):
            non_blank += 1
            if non_blank >= non_blank_wanted:
                break
        if len(head) >= HEAD_LIMIT_ROWS:
            break
    return head


def _locate(sheets, mapping: dict[str, str] | None) -> _Located:
    """The first sheet (in workbook order) with a recognisable header row."""
    return next(_locate_all(sheets, mapping))


def _locate_all(sheets, mapping: dict[str, str] | None) -> Iterator[_Located]:
    """Every sheet (in workbook order) with a recognisable header row, each parsed when it is reached;
    ResultFileError when there is none."""
    mapping_keys_of(mapping)  # validates the field names before anything is read
    first_texts: list[tuple[int, list[str]]] | None = None
    any_data = found = False
    for sheet in sheets:
        head = _head(sheet.rows, HEADER_SCAN_ROWS + 2)
        texts = _padded([(number, _texts(values)) for number, values in head])
        if first_texts is None:
            first_texts = texts
        any_data = any_data or any(any(t) for _n, t in texts)
        match = find_header(texts, mapping)
        if match is not None:
            below = [item for item in head if item[0] > match.row]
            found = True
            yield _Located(match, texts, chain(below, sheet.rows), sheet)
    if found:
        return
    if not any_data:
        raise ResultFileError("Файл пуст: нет ни одной заполненной строки.")
    if mapping:
        present = {header_key(t) for _n, texts in first_texts or [] for t in texts if t}
        missing = [f"«{h}»" for h in mapping.values() if h and header_key(h) not in present]
        if missing:
            raise ResultFileError(
                "Не найдены столбцы, указанные при сопоставлении: " + ", ".join(missing) + "."
            )
    raise ResultFileError(expected_headers_message(first_texts or []))


def _title_defaults(located: _Located) -> dict[str, object]:
    """Subject, grade and year written in title rows above the header ("Предмет: Математика", "4 класс",
    "ВПР 2024"); used only where the file has no such column (or the cell is empty)."""
    defaults: dict[str, object] = {}
    for _number, texts in located.texts[: located.match.first_row_index]:
        line = " ".join(t for t in texts if t)
        if "subject" not in defaults and (m := _TITLE_SUBJECT.search(line)):
            defaults["subject"] = m.group(1).strip()
        if "grade" not in defaults and (m := _TITLE_GRADE.search(line)):
            grade = int(m.group(1) or m.group(2))
            if 1 <= grade <= 11:
                defaults["grade"] = grade
        if "year" not in defaults and (m := YEAR.search(line)):
            defaults["year"] = int(m.group(1))
    return defaults


SKIP_COST = 0.13  # time to pass over a row (calamine → Python) against the time to check it, measured


def run_starts(size: int, parts: int) -> list[int]:
    """Where each of ``parts`` consecutive runs of ``size`` rows starts, so that the runs take the same time:
    a later run first passes over the rows before it (there is no seeking in a calamine sheet), so it is
    shorter — cost(p) = SKIP_COST · start(p) + length(p) is the same for every p."""
    f = SKIP_COST
    c = size * f / (1 - (1 - f) ** parts)
    return [min(size, round(c * (1 - (1 - f) ** k) / f)) for k in range(parts)]


class RowSource:
    """The data rows below a located header, ready to be turned into records.

    ``records(part=p, parts=n)`` gives only the records of the ``p``-th of ``n`` shares of the rows (every
    n-th block of a streamed XLSX sheet, else consecutive runs), so that processes forked once the header is
    found can check a share each; the shares of one source together give exactly the records of
    ``records()``. Only a workbook sheet (streamed XLSX, or parsed whole by calamine) is shared out.
    A code repeated in two shares is for the caller to find (``assessments.staging`` merges what each saw)."""

    def __init__(
        self, match: HeaderMatch, builder: RowBuilder, lookahead: list, rows, sheet, title: str = ""
    ):
        self.match, self.builder, self.lookahead, self.rows = match, builder, lookahead, rows
        self.sheet_name, self.title = sheet.name, title  # where a sheet's subject may be written
        self.total_rows = 0
        self.shares = sheet.shares
        self.shareable = (sheet.in_memory or self.shares is not None) and match.layout == PARTICIPANTS
        self.size = sheet.size  # rows of the sheet (header and title rows included); 0 when unknown

    def records(
        self, max_errors: int = 1000, *, part: int = 0, parts: int = 1
    ) -> Iterator[ParticipantRow | SchoolShareRow | RowError]:
        if parts > 1 and not self.shareable:
            raise ValueError("only a participant sheet held in memory can be checked in shares")
        builder = self.builder
        build, skip, pad, width = builder.build, builder.skip, builder.pad, builder.width
        rows = chain(self.lookahead, self.rows)
        if parts > 1 and self.shares is not None:
            below = self.match.row  # the title and header rows (read before the fork) are passed over
            rows = ((number, values) for number, values in self.shares(part, parts) if number > below)
        elif parts > 1:
            starts = run_starts(self.size, parts)
            rows = islice(
                rows, starts[part], None if part == parts - 1 else max(starts[part + 1], starts[part])
            )
        errors_left = max_errors
        total = 0
        for number, values in rows:
            if skip(values):
                continue
            if len(values) < width:
                values = pad(values)
            record = build(number, values)
            if record is None:
                continue
            total += 1
            self.total_rows = total
            if type(record) is not list:
                yield record
                continue
            for error in record:
                if errors_left <= 0:
                    yield RowError(number, "", TOO_MANY_ERRORS.format(n=max_errors))
                    return
                errors_left -= 1
                yield error


def _source(located: _Located, max_score: int | None, pseudonym_key: bytes | None) -> RowSource:
    match = located.match
    if max_score is None and "primary_score" in match.headers:
        max_score = max_score_hint(match.headers["primary_score"])
    builder = RowBuilder(match, _title_defaults(located), max_score, pseudonym_key)
    lookahead = list(islice(located.rows, LOOKAHEAD_ROWS))
    builder.learn(lookahead)
    title = " ".join(t for _n, texts in located.texts[: match.first_row_index] for t in texts if t)
    return RowSource(match, builder, lookahead, located.rows, located.sheet, title)


@contextlib.contextmanager
def open_rows(
    path_or_file,
    filename: str,
    *,
    max_score: int | None = None,
    mapping: dict[str, str] | None = None,
    pseudonym_key: bytes | None = None,
) -> Iterator[RowSource]:
    """The located header and the rows below it, while the file is open (see ``read_rows`` for the
    arguments). Raises ResultFileError when the file cannot be read or has no recognisable header."""
    with open_sheets(path_or_file, filename) as sheets:
        yield _source(_locate(sheets, mapping), max_score, pseudonym_key)


@contextlib.contextmanager
def open_sources(
    path_or_file,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    pseudonym_key: bytes | None = None,
) -> Iterator[Iterator[RowSource]]:
    """A RowSource for every sheet with a recognisable header (a workbook with one sheet per subject), each
    sheet parsed only when the previous one is done with."""
    with open_sheets(path_or_file, filename) as sheets:
        yield (_source(located, None, pseudonym_key) for located in _locate_all(sheets, mapping))


def read_rows(
    path_or_file,
    filename: str,
    *,
    max_score: int | None = None,
    max_errors: int = 1000,
    mapping: dict[str, str] | None = None,
    pseudonym_key: bytes | None = None,
) -> Iterator[ParticipantRow | SchoolShareRow | RowError]:
    """Stream valid rows and RowErrors in file order; blank, repeated-header and total ("Итого") rows are
    skipped. ResultFileError is raised on the first ``next()`` when the file cannot be read (and, for a
    CSV damaged further down, when that place is reached).

    ``path_or_file``: a path or a binary file object (e.g. a Django UploadedFile); ``filename`` gives the
    format by its extension. ``max_score`` bounds the primary score (when not given, a header like
    "Первичный балл (макс. 31)" supplies it). ``mapping`` (canonical field -> header as written)
    overrides synonym detection. After ``max_errors`` errors one more RowError says the check stopped.
    ``pseudonym_key`` derives participant codes for files without them (see ``pseudonyms``)."""
    with open_rows(
        path_or_file, filename, max_score=max_score, mapping=mapping, pseudonym_key=pseudonym_key
    ) as source:
        yield from source.records(max_errors)


def read_file(path_or_file, filename: str, **kw) -> ReadResult:
    """Read the whole file into a ReadResult (small files and tests; use read_rows for big ones).
    Takes the keyword arguments of read_rows."""
    unknown = set(kw) - {"max_score", "max_errors", "mapping", "pseudonym_key"}
    if unknown:
        raise TypeError(f"read_file() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
    rows: list[ParticipantRow | SchoolShareRow] = []
    errors: list[RowError] = []
    with open_rows(
        path_or_file,
        filename,
        max_score=kw.get("max_score"),
        mapping=kw.get("mapping"),
        pseudonym_key=kw.get("pseudonym_key"),
    ) as source:
        for record in source.records(kw.get("max_errors", 1000)):
            (errors if type(record) is RowError else rows).append(record)
    match = source.match
    return ReadResult(
        layout=match.layout,
        header_row=match.row,
        columns=dict(match.headers),
        dropped_personal=list(match.personal),
        rows=rows,
        errors=errors,
        total_rows=source.total_rows,
    )


def detect(
    path_or_file, filename: str, *, mapping: dict[str, str] | None = None
) -> tuple[str, int, dict[str, str], list[str]]:
    """(layout, header row number, canonical field -> header as written, dropped personal-data headers).

    For a two-row header the row number is that of the lower row; data starts below it.
    Raises ResultFileError."""
    with open_sheets(path_or_file, filename) as sheets:
        match = _locate(sheets, mapping).match
    return match.layout, match.row, dict(match.headers), list(match.personal)


def header_candidates(path_or_file, filename: str, *, scan_rows: int = 20) -> list[tuple[int, list[str]]]:
    """The first ``scan_rows`` non-empty rows (row number, cell texts, trailing empty cells cut) of the
    sheet with a header — or of the first sheet when none has one — for a UI that lets the user map
    columns by hand. Raises ResultFileError only for files that cannot be opened at all."""
    chosen: list[tuple[int, list[str]]] | None = None
    with open_sheets(path_or_file, filename) as sheets:
        for sheet in sheets:
            head = _head(sheet.rows, max(scan_rows, HEADER_SCAN_ROWS + 2))
            texts = [(number, _texts(values)) for number, values in head]
            if chosen is None:
                chosen = texts
            if find_header(texts) is not None:
                chosen = texts
                break
    out: list[tuple[int, list[str]]] = []
    for number, texts in chosen or []:
        if not any(texts):
            continue
        while texts and not texts[-1]:
            texts = texts[:-1]
        out.append((number, texts))
        if len(out) >= scan_rows:
            break
    return out

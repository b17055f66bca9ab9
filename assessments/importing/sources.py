"""Opening an uploaded result file and streaming its rows as (spreadsheet row number, raw cell values).

XLSX/XLSM/ODS are checked to be real zip archives and not zip bombs before they are opened; XLSX/XLSM
sheets are then streamed by the portal's own reader (``xlsx``: a block of the sheet's XML at a time), ODS
and XLS (OLE2) go to calamine; CSV is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, else
CP1251, with the delimiter sniffed among ";", "," and tab. A ".xls" that is really a text table (a common
export of web systems) is read as CSV.

calamine has no row-by-row API: it parses one worksheet into its own (Rust) memory and hands rows to
Python one at a time (a million-row XLSX took 12 s and 1.5 GB that way, hence the streaming reader).
"""

import codecs
import contextlib
import csv
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import python_calamine

from core.uploads import office_xml_problem

from .errors import ResultFileError
from .xlsx import XlsxBook

# Zip-bomb limits, checked on the archive directory before anything is decompressed.
MAX_UNCOMPRESSED_BYTES = (
    1536 * 1024 * 1024
)  # a real 1,000,000-row sheet unpacks to ~0.8 GB; the ratio check catches bombs
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000

WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}  # read by the streaming reader (``xlsx``), the others by calamine
ZIP_EXTENSIONS = {".xlsx", ".xlsm", ".ods"}
SUPPORTED_EXTENSIONS = WORKBOOK_EXTENSIONS | {".csv"}

CSV_SAMPLE_BYTES = 1024 * 1024
_CHUNK = 256 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINE_END = re.compile(r"(\r\n|\r|\n)")


@dataclass
class Sheet:
    name: str
    rows: Iterator[tuple[int, list]]
    in_memory: bool = False  # a workbook sheet, parsed whole: its rows survive a fork
    size: int = 0  # rows of the sheet, when known
    # A streamed XLSX sheet: ``shares(p, n)`` reads the sheet afresh and gives the rows of every n-th block
    # from the p-th on, so that n processes forked once the header is found read it together.
    shares: Callable[[int, int], Iterator[tuple[int, list]]] | None = None


def extension_of(filename: str) -> str:
    ext = os.path.splitext(str(filename or "").strip().lower())[1]
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "без расширения"
        raise ResultFileError(f"Формат «{shown}» не поддерживается: загрузите XLSX или CSV.")
    return ext


@contextlib.contextmanager
def _binary(path_or_file):
    """A seekable binary file positioned at 0: opened from a path, or the caller's file (not closed)."""
    if isinstance(path_or_file, str | os.PathLike):
        try:
            f = open(path_or_file, "rb")
        except OSError as exc:
            raise ResultFileError(f"Не удалось открыть файл: {exc.strerror or exc}.") from exc
        try:
            yield f
        finally:
            f.close()
        return
    f = getattr(path_or_file, "file", None) if not hasattr(path_or_file, "seek") else path_or_file
    if f is None or not hasattr(f, "read"):
        raise TypeError("path_or_file must be a path or a binary file object")
    f.seek(0)
    yield f


def _check_zip(f, filename: str) -> None:
    """Refuse a non-zip "XLSX" and zip bombs, from the archive directory alone."""
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ResultFileError(
            f"Файл «{filename}» повреждён или не является книгой XLSX/ODS (это не zip-архив). "
            "Откройте его в Excel или LibreOffice и сохраните как XLSX."
        ) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise ResultFileError(f"Файл «{filename}» отклонён: в архиве слишком много частей ({len(members)}).")
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > RATIO_CHECK_MIN_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(
            m.compress_size, 1
        ):
            raise ResultFileError(
                f"Файл «{filename}» отклонён: подозрение на zip-бомбу (часть «{m.filename}» сжата более чем "
                f"в {MAX_COMPRESSION_RATIO} раз)."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ResultFileError(
            f"Файл «{filename}» отклонён: после распаковки он занял бы {total // (1024 * 1024)} МБ "
            f"(допускается не больше {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} МБ)."
        )
    f.seek(0)
    with zipfile.ZipFile(f) as archive:
        found = office_xml_problem(archive)
    f.seek(0)
    if found:
        part, problem = found
        raise ResultFileError(
            f"Файл «{filename}» отклонён: его часть «{part}» {problem} — так не бывает в книгах Excel. "
            "Откройте файл в Excel или LibreOffice и сохраните как XLSX."
        )


def _container(f, filename: str, ext: str) -> str:
    """What the bytes are — "zip", "ole" or "text" — with damaged, encrypted and hostile files refused."""
    head = f.read(8)
    f.seek(0)
    if not head:
        raise ResultFileError("Файл пуст.")
    if head.startswith(_ZIP_MAGIC) or (ext in ZIP_EXTENSIONS and head[:2] == b"PK"):
        _check_zip(f, filename)
        return "zip"
    if head.startswith(_OLE_MAGIC):
        if ext in ZIP_EXTENSIONS:
            raise ResultFileError(
                f"Файл «{filename}» зашифрован или защищён паролем: снимите защиту и сохраните его заново."
            )
        return "ole"
    if ext in ZIP_EXTENSIONS:
        raise ResultFileError(
            f"Файл «{filename}» повреждён или не является книгой XLSX/ODS (это не zip-архив). "
            "Откройте его в Excel или LibreOffice и сохраните как XLSX."
        )
    return "text"


def precheck(upload, filename: str) -> None:
    """The container checks of ``open_sheets`` without reading any sheet: run before a file is stored."""
    with _binary(upload) as f:
        _container(f, filename, extension_of(filename))


@contextlib.contextmanager
def open_sheets(path_or_file, filename: str) -> Iterator[Iterator[Sheet]]:
    """Context manager giving an iterator over the sheets of the file, in workbook order.

    Each sheet's rows are produced lazily; for a workbook, a sheet is parsed when it is reached.
    Raises ResultFileError for unsupported, damaged, encrypted or empty files."""
    ext = extension_of(filename)
    with _binary(path_or_file) as f:
        kind = _container(f, filename, ext)
        if kind == "zip" and ext in XLSX_EXTENSIONS:
            with _xlsx_book(f, filename) as book:
                yield _xlsx_sheets(book, filename)
        elif kind != "text":
            with _workbook(f, filename) as book:
                yield _workbook_sheets(book, filename)
        else:
            sample = f.read(CSV_SAMPLE_BYTES)
            f.seek(0)
            if ext == ".xls" and re.match(rb"\s*<", sample.lstrip(codecs.BOM_UTF8)[:64]):
                raise ResultFileError(
                    f"Файл «{filename}» — это веб-страница (HTML) с расширением XLS: откройте его в Excel "
                    "и сохраните как XLSX."
                )
            if b"\x00" in sample[:4096] and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise ResultFileError(f"Файл «{filename}» не похож на таблицу CSV: загрузите XLSX или CSV.")
            yield iter([Sheet(name="", rows=_csv_rows(f, sample))])


@contextlib.contextmanager
def _workbook(f, filename: str):
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(f)
    except python_calamine.PasswordError as exc:
        raise ResultFileError(
            f"Файл «{filename}» защищён паролем: снимите защиту и сохраните его заново."
        ) from exc
    except Exception as exc:  # calamine raises various errors for damaged files
        raise ResultFileError(
            f"Не удалось прочитать файл «{filename}»: он повреждён или не является книгой Excel/ODS."
        ) from exc
    try:
        yield book
    finally:
        with contextlib.suppress(Exception):
            book.close()


_XLSX_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, EOFError, OSError, ValueError, IndexError)


def _damaged(filename: str) -> ResultFileError:
    return ResultFileError(
        f"Не удалось прочитать файл «{filename}»: он повреждён или не является книгой Excel/ODS."
    )


@contextlib.contextmanager
def _xlsx_book(f, filename: str):
    try:
        book = XlsxBook(f)
    except _XLSX_ERRORS as exc:
        raise _damaged(filename) from exc
    try:
        yield book
    finally:
        book.close()


def _guarded(rows: Iterator[tuple[int, list]], filename: str) -> Iterator[tuple[int, list]]:
    """A damaged deflate stream shows only when that part of the sheet is reached."""
    try:
        yield from rows
    except _XLSX_ERRORS as exc:
        raise _damaged(filename) from exc


def _xlsx_sheets(book: XlsxBook, filename: str) -> Iterator[Sheet]:
    for index, (name, _part) in enumerate(book.sheets):
        try:
            sheet = book.sheet(index)
        except _XLSX_ERRORS as exc:
            raise ResultFileError(f"Не удалось прочитать лист «{name}» файла «{filename}».") from exc
        yield Sheet(
            name=name,
            rows=_guarded(sheet.rows(), filename),
            size=sheet.size,
            shares=lambda part, parts, s=sheet: _guarded(s.share_rows(part, parts), filename),
        )


def _workbook_sheets(book, filename: str) -> Iterator[Sheet]:
    metadata = book.sheets_metadata
    for index, meta in enumerate(metadata):
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        try:
            sheet = book.get_sheet_by_index(index)
        except Exception as exc:
            raise ResultFileError(f"Не удалось прочитать лист «{meta.name}» файла «{filename}».") from exc
        yield Sheet(name=meta.name, rows=_calamine_rows(sheet), in_memory=True, size=sheet.height)
        del sheet


def _calamine_rows(sheet) -> Iterator[tuple[int, list]]:
    """Rows with their spreadsheet numbers.

    python-calamine's iter_rows() starts at the sheet's first row (leading empty rows included) and at
    its first used column; should a version start at the first used row instead, the offset from
    ``sheet.start`` is applied (detected by the first yielded row not being empty)."""
    start = sheet.start
    if start is None:
        return
    rows = sheet.iter_rows()
    first = next(rows, None)
    if first is None:
        return
    offset = 0
    if start[0] > 0 and any(v != "" for v in first):
        offset = start[0]
    yield offset + 1, first
    number = offset + 1
    for values in rows:
        number += 1
        yield number, values


def _csv_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < CSV_SAMPLE_BYTES)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def _sniff_delimiter(text: str) -> str:
    """The delimiter among ';', ',' and tab that splits the first lines most consistently."""
    lines = [line for line in _LINE_END.split(text)[:100:2] if line.strip()][:30]
    best, best_score = ";", (0, 0)
    for delimiter in (";", "\t", ","):
        counts: dict[int, int] = {}
        try:
            for row in csv.reader(lines, delimiter=delimiter):
                if len(row) > 1:
                    counts[len(row)] = counts.get(len(row), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        width, frequency = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (frequency, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_lines(f, encoding: str) -> Iterator[str]:
    """Decoded lines with their endings, read in chunks; undecodable bytes become U+FFFD.

    A chunk ending in "\r" keeps its last line back: the "\n" of a "\r\n" may start the next chunk."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    pending = ""
    while True:
        chunk = f.read(_CHUNK)
        final = not chunk
        pending += decoder.decode(chunk or b"", final=final)
        limit = len(pending) - 1 if not final and pending.endswith("\r") else len(pending)
        parts = _LINE_END.split(pending[:limit])  # text, ending, text, ending, …, rest
        for i in range(0, len(parts) - 1, 2):
            yield parts[i] + parts[i + 1]
        pending = parts[-1] + pending[limit:]
        if final:
            break
    if pending:
        yield pending


def _csv_rows(f, sample: bytes) -> Iterator[tuple[int, list]]:
    encoding = _csv_encoding(sample)
    sample_text = sample.decode(encoding, errors="replace")
    delimiter = _sniff_delimiter(sample_text)
    reader = csv.reader(_text_lines(f, encoding), delimiter=delimiter)
    number = 0
    try:
        for number, values in enumerate(reader, 1):
            yield number, values
    except csv.Error as exc:
        raise ResultFileError(f"Файл CSV повреждён около строки {number + 1}: {exc}.") from exc

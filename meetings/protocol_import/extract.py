"""Turning an uploaded .txt or .docx protocol into plain text lines, refusing files that are not safe to read."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

from portal.uploads import office_xml_problem

from .errors import ProtocolFileError
from .tables import table_lines

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Ratios of tiny XML parts (a few kilobytes of repeated markup) say nothing about a bomb.
RATIO_CHECK_MIN_BYTES = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Word (.doc) and other OLE files

UNSUPPORTED_FORMATS = {
    ".doc": "Формат .doc не поддерживается: сохраните документ как .docx или .txt.",
    ".rtf": "Формат .rtf не поддерживается: сохраните документ как .docx или .txt.",
    ".odt": "Формат .odt не поддерживается: сохраните документ как .docx или .txt.",
    ".pdf": "Формат .pdf не поддерживается: загрузите исходный документ протокола в формате .docx или .txt.",
}


def extract_text(data: bytes, filename: str) -> str:
    """Plain text of an uploaded protocol (.txt or .docx), lines separated by "\\n"."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(data) > MAX_FILE_BYTES:
        size_mb = len(data) / (1024 * 1024)
        raise ProtocolFileError(
            f"Файл «{name}» слишком большой ({size_mb:.1f} МБ): допустимо не более "
            f"{MAX_FILE_BYTES // (1024 * 1024)} МБ. Уберите из документа изображения или загрузите только текст протокола."
        )
    if extension == ".txt":
        text = _decode_plain_text(data, name)
    elif extension == ".docx":
        text = _docx_text(data, name)
    elif extension in UNSUPPORTED_FORMATS:
        raise ProtocolFileError(UNSUPPORTED_FORMATS[extension])
    elif extension:
        raise ProtocolFileError(
            f"Формат «{extension}» не поддерживается: загрузите протокол в формате .docx или .txt."
        )
    else:
        raise ProtocolFileError(
            f"Не удалось определить формат файла «{name}»: загрузите протокол в формате .docx или .txt."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ProtocolFileError(
            f"Документ пуст: в файле «{name}» нет текста. Проверьте, что загружен нужный файл протокола."
        )
    return text


# --- .txt -------------------------------------------------------------------------------------------


def _decode_plain_text(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Юникод"
        return _decode(data, "utf-16", name)
    if b"\x00" in data:
        raise ProtocolFileError(
            f"Файл «{name}» содержит двоичные данные и не является текстовым документом. "
            "Сохраните протокол как обычный текст (.txt) или загрузите документ .docx."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(data, "cp1251", name)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ProtocolFileError(
            f"Не удалось прочитать текст файла «{name}»: неизвестная кодировка. "
            "Сохраните протокол как текст в кодировке UTF-8 или загрузите документ .docx."
        ) from None


# --- .docx ------------------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str) -> str:
    if data.startswith(OLE_MAGIC):
        raise ProtocolFileError(
            f"Файл «{name}» сохранён в старом формате Word (.doc), хотя назван .docx: "
            "откройте его в Word и сохраните как «Документ Word (.docx)»."
        )
    not_docx = ProtocolFileError(
        f"Содержимое файла «{name}» не является документом .docx: "
        "откройте протокол в Word и сохраните как «Документ Word (.docx)» или как текст (.txt)."
    )
    if not data.startswith(ZIP_MAGIC):
        raise not_docx
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise not_docx from None
    with archive:
        _refuse_zip_bomb(archive, name)
        if found := office_xml_problem(archive):
            raise ProtocolFileError(
                f"Файл «{name}» отклонён: его часть «{found[0]}» {found[1]} — так не бывает в документах Word. "
                "Пересохраните протокол в Word."
            )
    import docx  # python-docx is heavy; only .docx uploads need it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError, lxml and package errors on a broken file
        raise not_docx from None
    return "\n".join(_document_lines(document))


def _refuse_zip_bomb(archive: zipfile.ZipFile, name: str) -> None:
    """Check the declared sizes before anything is unpacked (zipfile never inflates past them)."""
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (
            member.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO
        ):
            raise ProtocolFileError(
                f"Файл «{name}» отклонён: после распаковки он занимает слишком много места "
                f"(более {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} МБ или сжатие более чем в "
                f"{MAX_COMPRESSION_RATIO} раз). Пересохраните протокол в Word без вложенных объектов."
            )


def _document_lines(document) -> list[str]:
    from docx.table import Table

    numbering = _ListNumbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            label = numbering.label(block)
            lines.append(f"{label} {block.text}" if label and block.text.strip() else block.text)
    return lines


# --- tables ---------------------------------------------------------------------------------------


def _row_cells(row) -> list[str]:
    """Cell texts of a row, a merged cell counted once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell.text.strip())
    return cells


def _table_lines(table) -> list[str]:
    return table_lines([_row_cells(row) for row in table.rows])


# --- Word's automatic list numbering ----------------------------------------------------------------


class _ListNumbering:
    """Rebuilds the labels ("1.", "2.1.", "•") of Word's automatic lists, which paragraph.text leaves out.

    Counters are kept per list (w:numId) and level; a level restarts when a higher level advances.
    """

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, ValueError):
            return
        abstracts = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            abstract_ref = num.find(qn("w:abstractNumId"))
            abstract = abstracts.get(abstract_ref.get(qn("w:val"))) if abstract_ref is not None else None
            if abstract is None:
                continue
            levels = {}
            for level in abstract.iterchildren(qn("w:lvl")):
                ilvl = int(level.get(qn("w:ilvl"), "0"))
                levels[ilvl] = (
                    self._val(level, "w:numFmt", "decimal"),
                    self._val(level, "w:lvlText", ""),
                    int(self._val(level, "w:start", "1") or 1),
                )
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(qn("w:val"), "1")))
            self._levels[num.get(qn("w:numId"))] = levels

    def _val(self, element, tag: str, default: str) -> str:
        child = element.find(self._qn(tag))
        return child.get(self._qn("w:val"), default) if child is not None else default

    def _num_pr(self, paragraph):
        p_pr = paragraph._p.pPr
        if p_pr is not None and p_pr.find(self._qn("w:numPr")) is not None:
            return p_pr.find(self._qn("w:numPr"))
        style = paragraph.style
        for _ in range(10):  # a style inherits numbering from its base styles
            if style is None:
                return None
            style_p_pr = style.element.find(self._qn("w:pPr"))
            if style_p_pr is not None and style_p_pr.find(self._qn("w:numPr")) is not None:
                return style_p_pr.find(self._qn("w:numPr"))
            style = style.base_style
        return None

    def label(self, paragraph) -> str:
        if not self._levels:
            return ""
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id = self._val(num_pr, "w:numId", "")
        levels = self._levels.get(num_id)
        ilvl = int(self._val(num_pr, "w:ilvl", "0") or 0)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "•"

        def value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _, level_start = levels.get(level, ("decimal", "", 1))
            return _format_counter(counters.get(level, level_start), level_fmt)

        return re.sub(r"%(\d)", value, text).strip()


_RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _format_counter(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("russianLower", "russianUpper") and 1 <= value <= len(_RUSSIAN_LETTERS):
        letter = _RUSSIAN_LETTERS[value - 1]
        return letter.upper() if fmt == "russianUpper" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value < 40:
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "none":
        return ""
    return str(value)


def _roman(value: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    result = ""
    for amount, numeral in numerals:
        while value >= amount:
            result += numeral
            value -= amount
    return result

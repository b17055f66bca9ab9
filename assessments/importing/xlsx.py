"""A streaming reader of XLSX/XLSM worksheets (the sheet's XML inflated in blocks, never held whole).

The worksheet part is inflated block by block and cut after the last complete ``</row>`` of each block, so a
million-row sheet takes a few megabytes at a time, and processes forked once the header is found can each
take every n-th block of the same stream (``share_rows``) without anything being sent between them.

Rows are read by regular expressions, not by an XML parser with a Python call per cell: a row shaped like the
one before it (same cells, same types and styles — nearly every row of an export) is matched whole by a
pattern learnt from that row (``_Template``); any other row goes through the general cell pattern. Values are
given as calamine gives them: text as ``str``, numbers as ``float``, booleans, dates (by the cell's number
format) as ``date``/``datetime``, an empty cell as ``""``. Row numbers are the sheet's own (``<row r="…">``).

The archive itself has been checked before (zip bomb, DTD/entities: ``sources._check_zip``); XML here is
only matched, never expanded: the five predefined entities and character references are the only ones.
"""

import os
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import repeat

BLOCK_BYTES = 2 * 1024 * 1024  # inflated XML read at a time (at most)
MIN_BLOCK_BYTES = 4096

_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)/?>")
_SI = re.compile(r"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si/>", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_T = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_NUM_FMT = re.compile(r"<(?:\w+:)?numFmt\b([^>]*)/?>")
_CELL_XFS = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(r"<(?:\w+:)?xf\b([^>]*)")
_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_V = re.compile(r"<v>(.*?)</v>", re.S)
_IS = re.compile(r"<is>(.*?)</is>", re.S)
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_ROW_NUMBER_BYTES = re.compile(rb'\br="(\d+)"')
_SEPARATOR = b"\x1f"  # a control character XML 1.0 text cannot hold
_REF = re.compile(r"([A-Z]{1,3})(\d*)")
_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9A-Fa-f]+)|(lt|gt|amp|quot|apos));")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}  # built-in date/time formats
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_EPOCH_1900, _EPOCH_1904 = datetime(1899, 12, 30), datetime(1904, 1, 1)
_TYPES_WITH_TEXT = {"inlineStr", "str", "e"}


def _entity(m: re.Match) -> str:
    if m.group(3):
        return _NAMED[m.group(3)]
    return chr(int(m.group(1))) if m.group(1) else chr(int(m.group(2), 16))


def unescape(text: str) -> str:
    """XML character and entity references, then Excel's ``_xHHHH_`` escapes (``_x005F_`` is "_")."""
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _attrs(text: str) -> dict[str, str]:
    return {name.rsplit(":", 1)[-1] if name != "r:id" else name: value for name, value in _ATTR.findall(text)}


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _rich_text(inner: str) -> str:
    if "<rPh" in inner:
        inner = _PHONETIC.sub("", inner)
    return unescape("".join(t or "" for t in _T.findall(inner)))


class XlsxBook:
    """The sheets of an XLSX/XLSM archive, its shared strings and the styles that are dates."""

    def __init__(self, source):
        self.source = source  # a path or a seekable binary file
        self.archive = zipfile.ZipFile(_Positional.wrap(source))
        names = set(self.archive.namelist())
        workbook = self._text("xl/workbook.xml")
        self.epoch = _EPOCH_1904 if re.search(r'date1904="(?:1|true)"', workbook) else _EPOCH_1900
        rels = {}
        rels_text = self._text("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else ""
        for found in _RELATIONSHIP.findall(rels_text):
            a = _attrs(found)
            target = a.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            rels[a.get("Id")] = (a.get("Type", "").rsplit("/", 1)[-1], path)
        self.sheets: list[tuple[str, str]] = []  # (name, part) of the worksheets, in workbook order
        for found in _SHEET.findall(workbook):
            a = _attrs(found)
            kind, path = rels.get(a.get("r:id") or a.get("id"), ("", ""))
            if kind == "worksheet" and path in names:
                self.sheets.append((unescape(a.get("name", "")), path))
        shared = next((p for k, p in rels.values() if k == "sharedStrings"), "xl/sharedStrings.xml")
        self.strings = self._strings(self._text(shared)) if shared in names else []
        styles = next((p for k, p in rels.values() if k == "styles"), "xl/styles.xml")
        self.date_styles = self._date_styles(self._text(styles)) if styles in names else frozenset()

    def _text(self, part: str) -> str:
        return self.archive.read(part).decode("utf-8", errors="replace")

    @staticmethod
    def _strings(xml: str) -> list[str]:
        strings = []
        for inner in _SI.findall(xml):
            if inner.startswith("<t>") and inner.endswith("</t>") and inner.count("<") == 2:
                text = inner[3:-4]
                strings.append(unescape(text) if "&" in text or "_x" in text else text)
            else:
                strings.append(_rich_text(inner))
        return strings

    @staticmethod
    def _date_styles(xml: str) -> frozenset[int]:
        custom = {}
        for found in _NUM_FMT.findall(xml):
            a = _attrs(found)
            code = _FORMAT_NOISE.sub("", unescape(a.get("formatCode", "")))
            custom[int(a.get("numFmtId", "-1"))] = (
                bool(_DATE_CODE.search(code)) and "general" not in code.lower()
            )
        xfs = _CELL_XFS.search(xml)
        dates = set()
        for index, found in enumerate(_XF.findall(xfs.group(1)) if xfs else []):
            fmt = int(_attrs(found).get("numFmtId", "0") or 0)
            if custom.get(fmt, fmt in _DATE_FORMATS):
                dates.add(index)
        return frozenset(dates)

    def close(self) -> None:
        self.archive.close()

    def sheet(self, index: int) -> "XlsxSheet":
        name, part = self.sheets[index]
        return XlsxSheet(self, name, part)


class _Positional:
    """A file read with ``os.pread`` at its own position: processes forked while it is open each keep their
    own place in it (a plain file object shares its offset with every fork)."""

    def __init__(self, fd: int, size: int):
        self.fd, self.size, self.position = fd, size, 0

    @classmethod
    def wrap(cls, source):
        if isinstance(source, str | os.PathLike):
            return source
        try:
            fd = source.fileno()
        except (AttributeError, OSError, ValueError):
            return source  # in memory: a fork copies it whole
        return cls(fd, os.fstat(fd).st_size)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = (
            offset if whence == 0 else self.position + offset if whence == 1 else self.size + offset
        )
        return self.position

    def tell(self) -> int:
        return self.position

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self.position
        data = os.pread(self.fd, n, self.position)
        self.position += len(data)
        return data


class XlsxSheet:
    """One worksheet: ``rows()`` streams every row, ``share_rows(p, n)`` those of every n-th block."""

    in_memory = False
    streamed = True

    def __init__(self, book: XlsxBook, name: str, part: str):
        self.book, self.name, self.part = book, name, part
        self.size = 0
        with book.archive.open(part) as stream:
            head = stream.read(65536).decode("utf-8", errors="replace")  # the dimension comes first
        if m := _DIMENSION.search(head):
            self.size = int(m.group(1))

    def blocks(self, parts: int = 1) -> Iterator[bytes]:
        """The sheet's XML (UTF-8) in blocks that end after a ``</row>`` (the last one: whatever is left);
        small enough that each of ``parts`` processes gets several."""
        with (
            zipfile.ZipFile(_Positional.wrap(self.book.source)) as archive,
            archive.open(self.part) as stream,
        ):
            size = min(BLOCK_BYTES, max(MIN_BLOCK_BYTES, archive.getinfo(self.part).file_size // (parts * 8)))
            tail = b""
            while True:
                data = stream.read(size)
                if not data:
                    break
                data = tail + data
                end = data.rfind(b"</row>")
                if end < 0:
                    tail = data
                    continue
                end += 6
                tail = data[end:]
                yield data[:end]
            if tail:
                yield tail

    def rows(self) -> Iterator[tuple[int, list]]:
        return self.share_rows(0, 1)

    def share_rows(self, part: int, parts: int) -> Iterator[tuple[int, list]]:
        """(row number, values) of the blocks ``part``, ``part + parts``, … in sheet order."""
        reader = _RowReader(self.book)
        for index, block in enumerate(self.blocks(parts)):
            if index % parts == part:
                yield from reader.rows(block)
            else:
                reader.pass_over(block)


class _Template:
    """A pattern matching a whole row of one shape: the same cells with the same types and styles."""

    def __init__(self, pattern: re.Pattern, columns: list[tuple[int, object]], width: int, plain: bool):
        self.pattern, self.columns, self.width, self.plain = pattern, columns, width, plain


class _RowReader:
    def __init__(self, book: XlsxBook):
        self.strings, self.date_styles, self.epoch = book.strings, book.date_styles, book.epoch
        self.number = 0  # the last row number seen
        self.template: _Template | None = None
        self.memo: dict = {}
        self.last_inner = ""  # the cells of the last row read by the general pattern

    # -- cells

    def _convert(self, kind: str, style: int, raw: str):
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                return ""
        if kind in _TYPES_WITH_TEXT:
            return unescape(raw)
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if raw == "":
            return ""
        if kind == "d":
            try:
                return datetime.fromisoformat(raw)
            except ValueError:
                return raw
        try:
            value = float(raw)
        except ValueError:
            return unescape(raw)
        if style in self.date_styles and 0 <= value < 2958466:
            moment = self.epoch + timedelta(days=value)
            return moment.date() if value.is_integer() else moment
        return value

    def _cells(self, inner: str) -> list:
        values: list = []
        position = -1
        for attrs_text, content in _CELL.findall(inner):
            a = _attrs(attrs_text)
            ref = _REF.match(a.get("r", ""))
            position = column_index(ref.group(1)) if ref else position + 1
            if position > 16383:
                continue
            kind, style = a.get("t", "n"), int(a.get("s", "0") or 0)
            if kind == "inlineStr":
                m = _IS.search(content)
                value = _rich_text(m.group(1)) if m else ""
            else:
                m = _V.search(content)
                value = self._convert(kind, style, m.group(1)) if m else ""
            if position >= len(values):
                values.extend([""] * (position + 1 - len(values)))
            values[position] = value
        return values

    def _general(self, data: bytes) -> Iterator[tuple[int, list]]:
        for attrs_text, inner in _ROW.findall(data.decode("utf-8", errors="replace")):
            m = _ROW_NUMBER.search(attrs_text)
            self.number = int(m.group(1)) if m else self.number + 1
            values = self._cells(inner) if inner else []
            if values:
                yield self.number, values
                if m:
                    self.last_inner = inner

    # -- templates

    def _learn(self, inner: str) -> _Template | None:
        """The pattern of rows shaped like this one, or None (formulas, rich text, entities …)."""
        parts = [r'<row r="(\d+)"[^>]*>']
        columns: list[tuple[int, object]] = []
        position, plain = -1, True
        for cell in _CELL.finditer(inner):
            attrs_text, content = cell.group(1), cell.group(2)
            pairs = _ATTR.findall(attrs_text)
            if not pairs or pairs[0][0] != "r" or not (ref := _REF.fullmatch(pairs[0][1])):
                return None
            index = column_index(ref.group(1))
            if index <= position or index > 16383:
                return None
            position = index
            rest = "".join(f' {name}="{value}"' for name, value in pairs[1:])
            if attrs_text.rstrip() != f' r="{pairs[0][1]}"{rest}':
                return None  # spacing the pattern would not reproduce
            a = dict(pairs)
            kind, style = a.get("t", "n"), int(a.get("s", "0") or 0)
            opening = f'<c r="{ref.group(1)}\\d+"{re.escape(rest)}'
            if not content:
                parts.append(opening + ("/>" if cell.group(0).endswith("/>") else "></c>"))
                continue
            if kind == "inlineStr":
                m = re.fullmatch(r'<is><t( xml:space="preserve")?>[^<&]*</t></is>', content)
                if not m:
                    return None
                parts.append(opening + re.escape(f"><is><t{m.group(1) or ''}>") + r"([^<&]*)</t></is></c>")
                columns.append((index, None))
                continue
            if not re.fullmatch(r"<v>[^<&]*</v>", content):
                return None
            parts.append(opening + r"><v>([^<&]*)</v></c>")
            if kind in _TYPES_WITH_TEXT:
                columns.append((index, None))
            else:
                columns.append((index, (kind, style)))
                plain = False
        if not columns:
            return None
        parts.append("</row>")
        plain = plain and [i for i, _c in columns] == list(range(position + 1))
        return _Template(re.compile("".join(parts).encode()), columns, position + 1, plain)

    def _matched(self, template: _Template, found: list[str]) -> list:
        if template.plain:
            return found
        values = [""] * template.width
        memo, convert = self.memo, self._convert
        for (index, how), raw in zip(template.columns, found, strict=True):
            if how is None:
                values[index] = raw
                continue
            key = (how, raw)
            value = memo.get(key, memo)
            if value is memo:
                value = convert(how[0], how[1], raw)
                if len(memo) < 200_000:
                    memo[key] = value
            values[index] = value
        return values

    def _columns(self, template: _Template, flat: list[str], width: int) -> Iterator[list]:
        """The value lists of the rows whose groups are ``flat`` (``width`` a row, the row number first)."""
        cells: list = [repeat("")] * template.width
        for k, (index, how) in enumerate(template.columns, start=1):
            raw = flat[k::width]
            if how is not None:
                raw = self._converted(how, raw)
            cells[index] = raw
        return map(list, zip(*cells, strict=False))  # absent columns are endless repeat("")

    def _converted(self, how: tuple[str, int], raw: list[str]) -> list:
        kind, style = how
        try:
            if kind == "s":
                return list(map(self.strings.__getitem__, map(int, raw)))
            if kind == "n" and style not in self.date_styles:
                return list(map(float, raw))
        except (ValueError, IndexError):
            pass  # an empty or odd cell among them: one by one
        convert = self._convert
        return [convert(kind, style, value) for value in raw]

    # -- blocks

    def rows(self, data: bytes) -> Iterator[tuple[int, list]]:
        template = self.template
        if template is None:
            yield from self._general(data)
            if self.last_inner:
                self.template = self._learn(self.last_inner)  # the shape of the block's last row
            return
        found = template.pattern.findall(data)
        if len(found) == data.count(b"<row") and found and _SEPARATOR not in data:
            # Every row has the template's shape: all values decoded at once, converted column by column.
            width = len(found[0])
            flat = (
                _SEPARATOR.join(map(_SEPARATOR.join, found)).decode("utf-8", errors="replace").split("\x1f")
            )
            numbers = list(map(int, flat[0::width]))
            self.number = numbers[-1]
            yield from zip(numbers, self._columns(template, flat, width), strict=True)
            return
        position = misses = count = 0
        for m in template.pattern.finditer(data):
            count += 1
            if m.start() > position:
                gap = list(self._general(data[position : m.start()]))
                misses += len(gap)
                yield from gap
            self.number = int(m.group(1))
            yield (
                self.number,
                self._matched(template, [g.decode("utf-8", errors="replace") for g in m.groups()[1:]]),
            )
            position = m.end()
        gap = list(self._general(data[position:]))
        yield from gap
        if (misses + len(gap)) * 2 > count and self.last_inner:
            self.template = self._learn(self.last_inner)  # rows of another shape prevail: learn that one

    def pass_over(self, data: bytes) -> None:
        """Keep count of the rows of a block another process reads (for rows written without a number)."""
        last = data.rfind(b"<row")
        if last < 0:
            return
        m = _ROW_NUMBER_BYTES.search(data, last, data.find(b">", last) + 1)
        self.number = int(m.group(1)) if m else self.number + data.count(b"<row")

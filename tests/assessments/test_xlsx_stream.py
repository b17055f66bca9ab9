"""The streaming XLSX reader gives the values calamine gives, whatever shape the rows have, in any share."""

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from assessments.importing import ResultFileError, read_file, xlsx
from assessments.importing.xlsx import XlsxBook


def _calamine(path) -> list[list]:
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [_trimmed(row) for row in sheet.iter_rows() if any(v != "" for v in row)]


def _trimmed(row: list) -> list:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def _streamed(path) -> list[list]:
    return [_trimmed(values) for _n, values in XlsxBook(str(path)).sheet(0).rows() if _trimmed(values)]


MIXED = [
    ["Код ОО", "Код участника", "Балл", "Сдал", "Дата", "Примечание"],
    ["04001", "A&B <1>", 72, True, datetime(2008, 5, 3), "строка\nвторая"],
    ["04002", "Ё-код", 81.5, False, None, None],
    [None, "только код", None, None, None, "  пробелы  "],
    ["04001", "_x000D_ как текст", 0, True, datetime(2008, 1, 31), "последняя"],
]


def test_openpyxl_workbook_reads_as_calamine_reads_it(tmp_path):
    path = tmp_path / "openpyxl.xlsx"
    book = openpyxl.Workbook()
    for _ in range(30):  # many rows of a few shapes: both the learnt pattern and the general one are used
        for row in MIXED:
            book.active.append(row)
    for cell in book.active["E"]:
        cell.number_format = "DD.MM.YYYY"
    book.save(path)
    assert _streamed(path) == _calamine(path)


def test_xlsxwriter_shared_strings_and_formulas_read_as_calamine_reads_them(tmp_path):
    path = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Лист & 1")
    dated = book.add_format({"num_format": "dd.mm.yyyy"})
    for n in range(200):
        sheet.write_row(n * 2, 0, ["04001", f"C{n:04d}", n % 90, n % 2 == 0, "A&B"])
        sheet.write_datetime(n * 2, 5, datetime(2008, 1, 1 + n % 28), dated)
        sheet.write_formula(n * 2 + 1, 2, f"=C{n * 2 + 1}+1", None, n % 90 + 1)
    book.close()
    assert XlsxBook(str(path)).sheets[0][0] == "Лист & 1"
    streamed = _streamed(path)
    assert streamed == _calamine(path)
    assert streamed[0] == ["04001", "C0000", 0.0, True, "A&B", date(2008, 1, 1)]


def _hand_made(sheet_xml: str, strings: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Данные" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + sheet_xml
            + "</sheetData></worksheet>",
        )
        if strings:
            archive.writestr("xl/sharedStrings.xml", f"<sst>{strings}</sst>")
    return buffer.getvalue()


def test_rows_and_cells_without_references_rich_text_and_entities():
    content = _hand_made(
        '<row><c t="inlineStr"><is><t>Код ОО</t></is></c><c t="s"><v>0</v></c></row>'
        '<row r="4"><c r="B4" t="inlineStr"><is><r><t>богатый </t></r><r><t xml:space="preserve">текст</t></r>'
        "<rPh><t>фонетика</t></rPh></is></c></row>"
        '<row><c t="s"><v>1</v></c><c><v>5</v></c><c t="e"><v>#N/A</v></c><c t="inlineStr">'
        "<is><t>&#1071; &amp; &lt;x&gt; &#x44F;</t></is></c></row>",
        strings="<si><t>Код участника</t></si><si><r><t>04</t></r><r><t>001</t></r></si>",
    )
    rows = list(XlsxBook(io.BytesIO(content)).sheet(0).rows())
    assert rows == [
        (1, ["Код ОО", "Код участника"]),
        (4, ["", "богатый текст"]),
        (5, ["04001", 5.0, "#N/A", "Я & <x> я"]),
    ]


def test_shares_of_blocks_give_every_row_once(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MIN_BLOCK_BYTES", 256)
    monkeypatch.setattr(xlsx, "BLOCK_BYTES", 1024)
    path = tmp_path / "many.xlsx"
    book = openpyxl.Workbook()
    for n in range(500):
        book.active.append(["04001", f"C{n:04d}", n % 50] if n % 7 else ["04002", f"D{n:04d}"])
    book.save(path)
    sheet = XlsxBook(str(path)).sheet(0)
    alone = list(sheet.rows())
    shares = [list(sheet.share_rows(part, 3)) for part in range(3)]
    assert all(shares)
    assert sorted(row for share in shares for row in share) == alone
    assert [n for n, _v in alone] == list(range(1, 501))


def test_a_damaged_sheet_stream_is_a_clear_error(tmp_path):
    path = tmp_path / "damaged.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Код ОО", "Код участника", "Балл"])
    for n in range(3000):
        book.active.append(["04001", f"C{n:05d}-{n * 7919 % 10007}", n % 100])
    book.save(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(ResultFileError, match="повреждён"):
        read_file(path, "damaged.xlsx")

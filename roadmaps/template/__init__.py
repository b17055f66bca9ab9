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

A text that would start a formula is written with a leading apostrophe (``core.xlsx.safe_cell``);
reading removes that apostrophe again, so the content survives a round trip unchanged.
"""

# cells.py: the layout (sheets, headers, limits) and cell values; build.py writes a template; read.py reads one.

"""Workbooks written part by part, as a hostile or unusual program could write them: many rows of
one cell's XML, shared strings, no reference on a cell. No Django here, so the benchmarks use it
too (benchmarks/upload_memory.py)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_STRINGS_RELATION = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def generated_xlsx(
    rows: int,
    columns: int,
    *,
    cell: bytes = b'<c t="n"><v>90</v></c>',
    strings: bytes = b"",
    compresslevel: int | None = None,
) -> bytes:
    """A workbook whose first sheet holds ``rows`` rows of ``columns`` copies of ``cell``, with
    ``strings`` (``<si>`` elements) as its shared strings when given; parts deflated at
    ``compresslevel`` (9: as small as Excel's)."""
    empty = io.BytesIO()
    Workbook().save(empty)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(empty) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = b"<row>" + cell * columns + b"</row>"
                data = (
                    data.split(b"<sheetData")[0] + b"<sheetData>" + row * rows + b"</sheetData></worksheet>"
                )
            if strings and item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            if strings and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SHARED_STRINGS_RELATION + b"</Relationships>")
            target.writestr(item.filename, data)
        if strings:
            target.writestr("xl/sharedStrings.xml", SST + strings + b"</sst>")
    return out.getvalue()

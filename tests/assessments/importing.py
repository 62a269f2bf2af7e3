"""Results files built in memory for the import tests, and what an import could have written."""

import io
from pathlib import Path

from openpyxl import Workbook

from assessments import importing
from assessments.importing.spreadsheets import read_sheet
from assessments.models import Assessment, IndicatorScore, Organisation, ScoreImport
from tests.workbooks import generated_xlsx  # noqa: F401 - the tests of limits import it from here

FILES = Path(__file__).parent / "files"
HEADER = ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "อำเภอ", "จังหวัด"] + [f"ตัวชี้วัดที่ {n}" for n in range(1, 11)]
WANGMEE = ["93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"]


def xlsx(rows, *, header=HEADER, merge=None, numbers=True) -> bytes:
    """A workbook whose first sheet holds ``header`` then ``rows``; score texts become numbers."""
    book = Workbook()
    sheet = book.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append([as_number(v) if numbers else v for v in row])
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_number(value):
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    return value


def csv_bytes(rows, *, header=HEADER, encoding="utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def plan_of(content, fiscal_year, user=None, **kwargs):
    return importing.plan_import(
        read_sheet(content, max_rows=1000), fiscal_year=fiscal_year, user=user, **kwargs
    )


def written():
    """What an import could have written, to show that nothing was."""
    return (
        Assessment.objects.count(),
        IndicatorScore.objects.count(),
        Assessment.history.count(),
        Organisation.objects.count(),
        ScoreImport.objects.count(),
    )


def upload(client, content, *, name="scores.xlsx", year=2568, **extra):
    """Post a results file to the import page, as the browser does."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    file = SimpleUploadedFile(name, content)
    return client.post(reverse("assessments:import-create"), {"fiscal_year": year, "file": file, **extra})


def errors_of(plan):
    return [str(error) for error in plan.errors]


def opened_by_the_reader(monkeypatch) -> list[int]:
    """Each time the reader (calamine) opens a workbook, the size of what it was given."""
    from types import SimpleNamespace

    from assessments.importing import spreadsheets

    real = spreadsheets.python_calamine
    opened: list[int] = []

    def from_filelike(stream):
        opened.append(len(stream.getvalue()))
        return real.CalamineWorkbook.from_filelike(stream)

    stand_in = SimpleNamespace(
        CalamineWorkbook=SimpleNamespace(from_filelike=from_filelike), CalamineError=real.CalamineError
    )
    monkeypatch.setattr(spreadsheets, "python_calamine", stand_in)
    return opened

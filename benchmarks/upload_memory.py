"""Peak memory of reading the worst uploads, each in a fresh process, above that process's baseline.

    DEBUG=1 .venv/bin/python benchmarks/upload_memory.py

Files (made here, in a temporary folder): the issue's zip bomb (a 0.7 MB .xlsx whose sheet
unpacks to 173 MB), a sheet of 44 MB, the largest table the import accepts (just under a
million cells), and a CSV 20,000 columns wide. Nothing touches the database.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]

MEASURE = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
import django; django.setup()
from assessments.importing.spreadsheets import SpreadsheetError, read_sheet
def status(key):  # VmHWM is this process's peak (ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith(key): return int(line.split()[1]) / 1024
content = open(sys.argv[1], "rb").read()
base = status("VmHWM"); start = time.perf_counter()
try:
    outcome = f"read {len(read_sheet(content, max_rows=20000).rows):,} rows"
except SpreadsheetError as exc:
    outcome = "refused: " + exc.message[:60] + "…"
peak = status("VmHWM")
seconds = time.perf_counter() - start
print(f"{seconds:5.1f} s  peak {peak - base:5.0f} MB above a {base:.0f} MB baseline  {outcome}")
"""


def workbook(rows: int, columns: int) -> bytes:
    book = Workbook()
    book.active.append(["รหัสหน่วยงาน", "ชื่อหน่วยงาน"] + [f"ตัวชี้วัดที่ {n}" for n in range(1, 11)])
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = b"<row>" + b'<c t="n"><v>95</v></c>' * columns + b"</row>"
                data = (
                    data.split(b"<sheetData>")[0] + b"<sheetData>" + row * rows + b"</sheetData></worksheet>"
                )
            target.writestr(item.filename, data)
    return out.getvalue()


def main() -> None:
    files = {
        "zip bomb (19,000 × 414 cells)": ("bomb.xlsx", lambda: workbook(19_000, 414)),
        "44 MB sheet (15,000 × 134)": ("big.xlsx", lambda: workbook(15_000, 134)),
        "largest accepted (12,000 × 80)": ("largest.xlsx", lambda: workbook(12_000, 80)),
        "CSV, 20,000 columns": ("wide.csv", lambda: ("a," * 20_000 + "\n" + "1," * 20_000).encode()),
    }
    with tempfile.TemporaryDirectory() as folder:
        for label, (name, make) in files.items():
            path = Path(folder) / name
            path.write_bytes(make())
            result = subprocess.run(  # noqa: S603 - this interpreter and a file made above
                [sys.executable, "-c", MEASURE, str(path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            print(f"{label:34s} {path.stat().st_size / 1e6:5.2f} MB file  {result.stdout.strip()}")


if __name__ == "__main__":
    main()

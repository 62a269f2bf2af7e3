"""Peak memory of reading the worst uploads, each in a fresh process, above that process's baseline.

    DEBUG=1 .venv/bin/python benchmarks/upload_memory.py

Files (made here, in a temporary folder): zip bombs (a sheet of 173 MB of cells, of 190 MB of
long text or of empty tags; 190 MB of shared strings; one long string shown in 190,000 cells), a
formula in every cell, the largest tables the reader accepts (just under a million cells; 64 MB
of text; the most shared text cells may show) — which the import then refuses for what the cells
say — and CSV files as wide and as large as allowed. Nothing touches the database. The memory
and time of refusing any of them is bounded (at most 150 MB above the baseline, 3 s).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.workbooks import generated_xlsx  # noqa: E402 - after the path


def workbook(rows: int, columns: int, **kwargs) -> bytes:
    """An .xlsx of ``rows`` rows of ``columns`` copies of a cell, each part deflated as Excel would."""
    return generated_xlsx(rows, columns, compresslevel=9, **{"cell": b'<c t="n"><v>95</v></c>', **kwargs})


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
    sheet = read_sheet(content, max_rows=20000)
    outcome = f"read {len(sheet.rows):,} rows"
    if sys.argv[2:] == ["plan"]:  # and checked by the import, against the 2568 framework
        from assessments.importing import Action, plan_import
        from assessments.models import FiscalYear
        plan = plan_import(sheet, fiscal_year=FiscalYear.objects.get(year=2568))
        outcome = f"refused by the import: {plan.count(Action.ERROR):,} rows wrong, {plan.unchecked:,} unchecked"
except SpreadsheetError as exc:
    outcome = "refused: " + exc.message[:60] + "…"
peak = status("VmHWM")
seconds = time.perf_counter() - start
print(f"{seconds:5.1f} s  peak {peak - base:5.0f} MB above a {base:.0f} MB baseline  {outcome}")
"""


MB = 1024 * 1024
LONG_TEXT = "ข้อความยาว".encode() * (1000 // 10)  # a thousand Thai characters, 3,000 bytes


def wrong_scores(rows: int) -> bytes:
    """A results file with every score wrong ("abc"), for the import to refuse."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["รหัสหน่วยงาน", "ชื่อหน่วยงาน"] + [f"ตัวชี้วัดที่ {n}" for n in range(1, 11)])
    for n in range(rows):
        sheet.append([f"X{n}", f"องค์การบริหารส่วนตำบลทดสอบ{n}"] + ["abc"] * 10)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def framework_database(folder: str) -> dict:
    """An SQLite database in ``folder`` with the 2568 framework, for the import case."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{folder}/benchmark.sqlite3"}
    for command in (["migrate", "-v", "0"], ["load_framework", "2568"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )  # noqa: S603
    return env


def main() -> None:
    files = {
        "zip bomb (19,000 × 414 cells)": ("bomb.xlsx", lambda: workbook(19_000, 414)),
        "44 MB sheet (15,000 × 134)": ("big.xlsx", lambda: workbook(15_000, 134)),
        "largest accepted (12,000 × 80)": ("largest.xlsx", lambda: workbook(12_000, 80)),
        "190 MB sheet, 10 long cells": (
            "long-cells.xlsx",
            lambda: workbook(1, 10, cell=b'<c t="inlineStr"><is><t>' + b"x" * (19 * MB) + b"</t></is></c>"),
        ),
        "190 MB of shared strings": (
            "strings.xlsx",
            lambda: workbook(
                2,
                10,
                cell=b'<c t="s"><v>0</v></c>',
                strings=(b"<si><t>" + b"y" * 90 + b"</t></si>") * 1_800_000,
            ),
        ),
        "one long string in 190,000 cells": (
            "repeated.xlsx",
            lambda: workbook(
                19_000, 10, cell=b'<c t="s"><v>0</v></c>', strings=b"<si><t>" + LONG_TEXT + b"</t></si>"
            ),
        ),
        "190 MB sheet of empty tags": ("tags.xlsx", lambda: workbook(1, 1, cell=b"<x/>" * (190 * MB // 4))),
        "formula in every cell (12,000 × 80)": (
            "formulas.xlsx",
            lambda: workbook(12_000, 80, cell=b'<c r="B2"><f>A2+1</f><v>2</v></c>'),
        ),
        # At the limits: read whole, then refused by the import for what the cells say.
        "64 MB of Thai text in 2,040 cells": (
            "text.xlsx",
            lambda: workbook(
                2_040, 1, cell=b'<c t="inlineStr"><is><t>' + "ก".encode() * 10_900 + b"</t></is></c>"
            ),
        ),
        "480,000 cells showing shared text": (
            "shown.xlsx",
            lambda: workbook(
                12_000, 40, cell=b'<c t="s"><v>0</v></c>', strings=b"<si><t>" + "กขคฉ".encode() + b"</t></si>"
            ),
        ),
        "CSV, 960,000 cells": ("cells.csv", lambda: ((",".join(["95.5"] * 80) + "\n") * 12_000).encode()),
        "CSV, 20,000 columns": ("wide.csv", lambda: ("a," * 20_000 + "\n" + "1," * 20_000).encode()),
        "import: 12,000 rows, every score wrong": ("wrong.xlsx", lambda: wrong_scores(12_000)),
    }
    with tempfile.TemporaryDirectory() as folder:
        for label, (name, make) in files.items():
            path = Path(folder) / name
            path.write_bytes(make())
            planned = label.startswith("import")
            result = subprocess.run(  # noqa: S603 - this interpreter and a file made above
                [sys.executable, "-c", MEASURE, str(path), *(["plan"] if planned else [])],
                cwd=ROOT,
                env=framework_database(folder) if planned else None,
                capture_output=True,
                text=True,
                check=True,
            )
            print(f"{label:40s} {path.stat().st_size / 1e6:5.2f} MB file  {result.stdout.strip()}")


if __name__ == "__main__":
    main()

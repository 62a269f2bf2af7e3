"""Benchmark: importing one year's results of 8,300 organisations from a generated .xlsx file.

Run from the project folder (uses the configured database and rolls everything back):

    DEBUG=1 .venv/bin/python benchmarks/score_import.py [--rows 8300] [--questions]

Times the web path — read and check the file, plan (the preview), keep it, then confirm
(plan again inside the transaction, and write) — for a first import that creates every
assessment, a re-import of the same file (nothing to change), and a corrected file in
which one row in ten differs. Prints the number of database queries of each step.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from assessments import importing, scoring  # noqa: E402
from assessments.choices import OrganisationType  # noqa: E402
from assessments.exports import header_text, template_columns  # noqa: E402
from assessments.importing.spreadsheets import read_sheet  # noqa: E402
from assessments.models import FiscalYear, Organisation  # noqa: E402
from assessments.selectors import framework_for_year  # noqa: E402
from assessments.services import score_import_commit, score_import_stage  # noqa: E402

YEAR = 2568


class Rollback(Exception):
    pass


def generate(
    rows: int,
    catalogue: importing.Catalogue,
    *,
    questions: bool,
    seed: int,
    changed_every: int = 0,
    file_format: str = "xlsx",
):
    """An .xlsx (or .csv) file in the template's own shape (``template_columns``: whatever columns
    the year has, the EIT parts included) with random but self-consistent results."""
    columns = template_columns(catalogue, questions=questions)
    if file_format == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([header_text(kind, key, catalogue) for kind, key in columns])
        writer.writerows(rows_of(rows, catalogue, columns, seed=seed, changed_every=changed_every))
        return text.getvalue().encode("utf-8-sig")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("ผลการประเมิน")
    sheet.append([header_text(kind, key, catalogue) for kind, key in columns])
    for row in rows_of(rows, catalogue, columns, seed=seed, changed_every=changed_every):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_of(rows: int, catalogue, columns, *, seed: int, changed_every: int = 0):
    """Each organisation's row: a value for every column of the template, by its kind."""
    framework = framework_for_year(catalogue.year)
    rng = random.Random(seed)
    for index in range(rows):
        rng_row = random.Random(seed * 100_003 + index)
        if changed_every and index % changed_every == 0:
            rng_row = random.Random(rng.random())
        scores = {n: Decimal(rng_row.randint(6000, 10000)) / 100 for n in catalogue.indicators}
        parts = (Decimal(rng_row.randint(6000, 10000)) / 100, Decimal(rng_row.randint(6000, 10000)) / 100)
        result = scoring.evaluate(framework, scores, parts if catalogue.eit_parts else None)
        identity = {
            "code": f"BENCH-{index:05d}",
            "name": f"องค์การบริหารส่วนตำบลทดสอบ{index:05d}",
            "org_type": "อบต.",
            "district": "เมือง",
            "province": "ทดสอบ",
        }
        yield [
            identity[kind] if kind in identity else cell(kind, key, scores, parts, result, rng_row)
            for kind, key in columns
        ]


def cell(kind: str, key, scores, parts, result, rng: random.Random):
    """The value of one score column (``kind``, ``key``) of a row."""
    if kind == "indicator":
        return float(scores[key])
    if kind == "tool":
        return float(result.tool_scores[key])
    if kind == "eit_part":
        return float(parts[key - 1])
    if kind == "overall":
        return float(result.overall)
    if kind == "level":
        return result.level.label if result.level else ""
    return float(rng.choice((0, 33, 67, 100)))  # a question


def timed(label: str, function, results: list):
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        value = function()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    results.append((label, elapsed, len(queries), cpu))
    return value


WRITTEN = (
    # (table, how its rows of the benchmark's organisations are found)
    (
        "assessments_assessment",
        "organisation_id IN (SELECT id FROM assessments_organisation WHERE code LIKE 'BENCH-%')",
    ),
    (
        "assessments_historicalassessment",
        "organisation_id IN (SELECT id FROM assessments_organisation WHERE code LIKE 'BENCH-%')",
    ),
)
BY_ASSESSMENT = (
    "assessments_indicatorscore",
    "assessments_historicalindicatorscore",
    "assessments_publishedtoolscore",
    "assessments_historicalpublishedtoolscore",
    "assessments_questionscore",
    "assessments_historicalquestionscore",
)


def copy_floor() -> tuple[float, float, int]:
    """The floor: the rows the confirmation wrote (assessments, their scores, their history) written
    again by PostgreSQL's COPY into empty copies of their tables — what writing the same rows
    costs with nothing read, checked or planned. Wall and this process's CPU seconds, and rows."""
    mine = "assessment_id IN (SELECT id FROM assessments_assessment WHERE organisation_id IN "
    mine += "(SELECT id FROM assessments_organisation WHERE code LIKE 'BENCH-%'))"
    tables = list(WRITTEN) + [(table, mine) for table in BY_ASSESSMENT]
    dumps, rows = [], 0
    with connection.cursor() as cursor:
        for table, where in tables:
            buffer = io.StringIO()
            query = f"COPY (SELECT * FROM {table} WHERE {where}) TO STDOUT"  # noqa: S608 (the tables above)
            cursor.cursor.copy_expert(query, buffer)
            rows += buffer.getvalue().count("\n")
            dumps.append((table, buffer.getvalue()))
        started, cpu = time.perf_counter(), time.process_time()
        for table, data in dumps:
            cursor.execute(f"CREATE TEMP TABLE floor_{table} (LIKE {table})")
            cursor.cursor.copy_expert(f"COPY floor_{table} FROM STDIN", io.StringIO(data))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        for table, _data in dumps:
            cursor.execute(f"DROP TABLE floor_{table}")
    return wall, cpu, rows


def run(content: bytes, fiscal_year, user, title: str) -> None:
    steps: list[tuple[str, float, int]] = []
    sheet = timed(
        "read and check the file", lambda: read_sheet(content, max_rows=settings.IMPORT_MAX_ROWS), steps
    )
    plan = timed(
        "plan (the preview)", lambda: importing.plan_import(sheet, fiscal_year=fiscal_year, user=user), steps
    )
    counts = {a: plan.count(a) for a in ("create", "update", "unchanged", "error")}
    if plan.changes_anything:
        record = timed(
            "keep for confirmation",
            lambda: score_import_stage(
                sheet=sheet, plan=plan, user=user, file_name="bench.xlsx", content=content
            ),
            steps,
        )
        timed(
            "confirm (plan again + write)", lambda: score_import_commit(score_import=record, user=user), steps
        )
    total = sum(s[1] for s in steps)
    print(f"\n{title}: {counts}")
    for label, elapsed, queries, cpu in steps:
        print(f"  {label:<32} {elapsed:7.2f} s  {cpu:7.2f} s CPU  {queries:6d} queries")
    print(
        f"  {'total':<32} {total:7.2f} s  {sum(s[3] for s in steps):7.2f} s CPU  {sum(s[2] for s in steps):6d} queries"
    )
    confirm = [s for s in steps if s[0].startswith("confirm")]
    if connection.vendor == "postgresql" and confirm:
        wall, cpu, rows = copy_floor()
        print(f"  floor: COPY of the {rows:,} rows written   {wall:7.2f} s  {cpu:7.2f} s CPU")
        print(f"  confirm ÷ floor: {confirm[0][1] / wall:.1f} × wall")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=8300)
    parser.add_argument("--questions", action="store_true", help="also a column per question of the year")
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", dest="file_format")
    args = parser.parse_args()
    fiscal_year = FiscalYear.objects.get(year=YEAR)
    catalogue = importing.catalogue_for(fiscal_year)
    print(f"database: {connection.vendor}; rows: {args.rows}; question columns: {args.questions}")
    started = time.perf_counter()
    made = {"questions": args.questions, "seed": 1, "file_format": args.file_format}
    first = generate(args.rows, catalogue, **made)
    corrected = generate(args.rows, catalogue, changed_every=10, **made)
    print(f"generated two files of {len(first) / 1024:.0f} KB in {time.perf_counter() - started:.1f} s")
    from django.contrib.auth import get_user_model

    try:
        with transaction.atomic():
            user = get_user_model().objects.create_superuser("bench-importer", password=None)
            Organisation.objects.bulk_create(
                Organisation(
                    code=f"BENCH-{index:05d}",
                    name=f"องค์การบริหารส่วนตำบลทดสอบ{index:05d}",
                    org_type=OrganisationType.SAO,
                    district="เมือง",
                    province="ทดสอบ",
                )
                for index in range(args.rows)
            )
            run(first, fiscal_year, user, "first import (every assessment created)")
            run(first, fiscal_year, user, "the same file again")
            run(corrected, fiscal_year, user, "a corrected file (one row in ten differs)")
            raise Rollback
    except Rollback:
        print("\nrolled back")


if __name__ == "__main__":
    main()

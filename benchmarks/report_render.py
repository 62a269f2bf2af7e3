"""Benchmark: the analysis report of an organisation with 30 measures, warm, and memory over 100 renders.

Run from the project folder (uses the development database and rolls everything back):

    DEBUG=1 .venv/bin/python benchmarks/report_render.py [--renders 100]

Prints the time of one warm render (context + HTML + PDF, median of 10) and the process's
resident memory after each block of renders.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")

import django  # noqa: E402

django.setup()

from decimal import Decimal  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.choices import OrganisationType  # noqa: E402
from assessments.models import FiscalYear, Organisation  # noqa: E402
from assessments.services import ScoreSheet, assessment_save_scores  # noqa: E402
from measures import services as measure_services  # noqa: E402
from reports import context, documents, pdf  # noqa: E402
from reports.choices import DocumentKind  # noqa: E402

WANGMEE = ["93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"]


STEPS = [
    "จัดประชุมคณะทำงานเพื่อกำหนดแนวทาง",
    "ดำเนินการตามแนวทางและเผยแพร่ผลบนเว็บไซต์",
    "ติดตามและรายงานผลทุกไตรมาส",
]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Rollback(Exception):
    pass


def plan_with_measures(count: int):
    user = get_user_model().objects.create(username="bench-report", is_superuser=True)
    organisation = Organisation.objects.create(
        name="องค์การบริหารส่วนตำบลทดสอบความเร็ว", org_type=OrganisationType.SAO, district="เมือง", province="ตาก"
    )
    fiscal_year = FiscalYear.objects.get(year=2568)
    numbers = sorted(fiscal_year.indicators.values_list("number", flat=True))
    assessment = assessment_save_scores(
        organisation=organisation,
        fiscal_year=fiscal_year,
        sheet=ScoreSheet(indicators={n: Decimal(v) for n, v in zip(numbers, WANGMEE, strict=True)}),
        user=user,
    )
    plan = measure_services.plan_generate(assessment=assessment, user=user).plan
    indicators = list(fiscal_year.indicators.order_by("number"))
    extra = count - plan.measures.count()
    for n in range(extra):
        indicator = indicators[n % len(indicators)]
        measure_services.measure_create(
            plan=plan,
            user=user,
            values={
                "indicator": indicator,
                "kind": "improve",
                "title": f"มาตรการเพิ่มเติมที่ {n + 1} ด้าน{indicator.name}",
                "analysis": "ผลการประเมินชี้ว่าควรพัฒนาการสื่อสารกับประชาชนและการเปิดเผยข้อมูลให้ครบถ้วนเป็นปัจจุบัน",
                "steps": "\n".join(STEPS),
                "period_start": 1,
                "period_end": 4,
                "responsible_unit": "สำนักปลัด",
            },
        )
    measure_services.plan_submit(plan=plan, user=user)
    return measure_services.plan_approve(plan=plan, user=user)


def render_once(plan_pk: int, text_layer: bool = True, kind: str = DocumentKind.ANALYSIS) -> bytes:
    # Every render draws its charts: the documents page keeps them by their figures, but a
    # worker rendering a PDF may not have them, so the time measured includes them.
    from reports import charts

    for kept in ("_indicator_chart", "_trend_chart"):
        if hasattr(charts, kept):
            getattr(charts, kept).cache_clear()
    plan = context.plans_for_documents().get(pk=plan_pk)
    document = context.build(kind, plan, timezone.localdate())
    html = documents.render_html(document, thai_digits=True, for_pdf=True)
    return pdf.render_pdf(html, text_layer=text_layer)


RESULT = (
    "ดำเนินการแล้วเสร็จตามแผน จัดประชุมชี้แจงบุคลากรทุกส่วนราชการ {n} ครั้ง "
    "ปรับปรุงข้อมูลบนเว็บไซต์ของหน่วยงานให้เป็นปัจจุบัน และรายงานผลต่อผู้บริหารแล้ว"
)
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def implementation_pages(count: int) -> int:
    """Pages of the implementation report of a plan with ``count`` measures, each with a progress
    report, two links and a file as evidence (the issue-27 figure: 15 measures)."""
    from measures.services import progress_report
    from measures.services.progress import Upload

    plan = plan_with_measures(count)
    user = get_user_model().objects.get(username="bench-report")
    for n, measure in enumerate(plan.measures.order_by("order"), start=1):
        progress_report(
            measure=measure,
            user=user,
            reported_on=timezone.localdate(),
            status="done",
            percent=100,
            result=RESULT.format(n=n),
            recommendation="ควรดำเนินการต่อเนื่องในปีถัดไปและติดตามผลทุกไตรมาส",
            links=[
                f"https://www.example-sao.go.th/news/ita/2569/measure-{n}/report-and-photos",
                f"https://www.example-sao.go.th/oit/o{n}/evidence-{n}.pdf",
            ],
            files=[Upload(f"หลักฐานมาตรการที่-{n}.pdf", PDF_BYTES)],
        )
    plan = context.plans_for_documents().get(pk=plan.pk)
    html = documents.render_html(
        context.build(DocumentKind.IMPLEMENTATION, plan, timezone.localdate()), thai_digits=True, for_pdf=True
    )
    return len(pdf.layout(html).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--measures", type=int, default=30)
    parser.add_argument("--implementation-measures", type=int, default=15)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            pages = implementation_pages(args.implementation_measures)
            print(
                f"implementation report, {args.implementation_measures} measures with evidence: {pages} pages"
            )
            raise Rollback
    except Rollback:
        pass
    try:
        with transaction.atomic():
            plan = plan_with_measures(args.measures)
            print(f"plan: {plan.measures.count()} measures")
            start = time.perf_counter()
            data = render_once(plan.pk)
            print(f"cold render (first in process): {time.perf_counter() - start:.3f} s, {len(data)} bytes")
            pages = len(
                pdf.layout(
                    documents.render_html(
                        context.build(
                            DocumentKind.ANALYSIS,
                            context.plans_for_documents().get(pk=plan.pk),
                            timezone.localdate(),
                        ),
                        thai_digits=True,
                        for_pdf=True,
                    )
                ).pages
            )
            print(f"pages: {pages}")
            # Interleaved, so both see the same machine: the portal's render, and WeasyPrint's own
            # (without the Thai text layer of reports/pdf.py) as the floor.
            times, floor = [], []
            for _ in range(10):
                for layer, bucket in ((True, times), (False, floor)):
                    start = time.perf_counter()
                    render_once(plan.pk, text_layer=layer)
                    bucket.append(time.perf_counter() - start)
            print(
                f"warm render: median {statistics.median(times):.3f} s, max {max(times):.3f} s (10 renders)"
            )
            print(
                f"floor, WeasyPrint's own text layer: median {statistics.median(floor):.3f} s; "
                f"ratio {statistics.median(times) / statistics.median(floor):.3f}"
            )
            baseline = rss_mb()
            print(f"RSS after warm-up: {baseline:.1f} MB")
            block = max(1, args.renders // 5)
            for done in range(block, args.renders + 1, block):
                for _ in range(block):
                    render_once(plan.pk)
                print(f"RSS after {done} more renders: {rss_mb():.1f} MB ({rss_mb() - baseline:+.1f} MB)")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()

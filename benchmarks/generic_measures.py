"""How many generated measures are generic: the share a working group would have to rewrite.

    DEBUG=1 .venv/bin/python benchmarks/generic_measures.py

For every organisation's newest assessment in the database (``make run``'s data: the reference
results and the demo's), the measures the templates would propose now (nothing is written). A
measure counts as **generic** when it comes from no template (the built-in fallback), when its
title says no more than its indicator ("มาตรการยกระดับตัวชี้วัดที่ 3 …", "มาตรการรักษามาตรฐาน
ตัวชี้วัดที่ 3 …"), or when at least two of its steps are sentences more than 10 templates share
word for word (boilerplate such as "ศึกษาองค์ประกอบของข้อ … ตามคู่มือ…"). Prints each
organisation's count and the share overall.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from assessments import selectors  # noqa: E402
from assessments.models import Assessment  # noqa: E402
from measures.generation import boilerplate, is_generic  # noqa: E402
from measures.models import MeasureTemplate  # noqa: E402
from measures.services.plans import plan_proposals  # noqa: E402


def main() -> None:
    templates = {t.pk: t for t in MeasureTemplate.objects.all()}
    shared = boilerplate([t.steps for t in templates.values()])
    total = generic = 0
    newest = {}
    for a in Assessment.objects.select_related("organisation", "fiscal_year").order_by("fiscal_year__year"):
        newest[a.organisation_id] = a
    for assessment in newest.values():
        found = selectors.assessment_analysis(Assessment.objects.with_scores().get(pk=assessment.pk))
        proposals = plan_proposals(found)
        steps = {pk: t.steps for pk, t in templates.items()}
        own = sum(is_generic(p, steps.get(p.template_id), shared) for p in proposals)
        print(
            f"{assessment.organisation.name} ({assessment.fiscal_year.year}): {own} of {len(proposals)} generic"
        )
        total += len(proposals)
        generic += own
    print(f"boilerplate step sentences: {len(shared)}")
    print(f"generic: {generic} of {total} = {generic / total:.0%}" if total else "no assessments")


if __name__ == "__main__":
    main()

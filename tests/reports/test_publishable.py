"""Every document as an agency would publish it: for the demo's organisations and twenty generated
ones, all four documents carry nothing meant for maintainers (read from the PDF's text layer), keep
the layout rules page by page, and the memo and the announcement number their pages from the second
and end each page that continues with the next page's first word."""

import datetime

import pytest
from django.core.management import call_command

from assessments.models import Assessment, FiscalYear, Indicator, Question, SubIndicator, Tool
from measures.choices import PlanStatus
from measures.services import plan_approve, plan_generate, plan_submit
from reports import context, documents, pdf, services
from reports.choices import DocumentKind
from reports.pdf.pages import first_word
from tests.factories import UserFactory
from tests.reports import layout
from tests.reports.pdftext import normalised, pdf_pages

pytestmark = pytest.mark.django_db

# What only a maintainer's note or a program's internals would print.
FORBIDDEN = [
    "['",
    "']",
    "None",
    "{",
    "}",
    "[[",
    "]]",
    ".md",
    "ในระบบ",
    "FRAMEWORK_SOURCES",
    "DOMAIN",
    "Decimal(",
]
SIGNERS = [
    services.Signer("ปลัด", "ทราบ/เพื่อโปรดพิจารณา", name, "หัวหน้าสำนักปลัด")
    for name in ("นางมาลี ศรีสุข", "นายวิชัย ใจงาม", "นางสาวอรุณ แสงดี")
]


def approved_plan(assessment, user):
    plan = getattr(assessment, "plan", None) or plan_generate(assessment=assessment, user=user).plan
    if plan.status == PlanStatus.DRAFT:
        plan_submit(plan=plan, user=user)
    if plan.status == PlanStatus.SUBMITTED:
        plan = plan_approve(
            plan=plan, user=user, meeting_number="2", meeting_date=datetime.date(2026, 10, 20)
        )
    name = assessment.organisation.name
    services.memo_save(
        plan=plan,
        user=user,
        fields={
            "department": f"สำนักปลัด {name}",
            "number": "ที่ ๑/๒๕๖๙",
            "date": datetime.date(2026, 10, 25),
            "addressee": f"นายก{name}",
            "author_name": "นางสาวสมใจ ใจดี",
            "author_position": "นักวิเคราะห์นโยบายและแผนชำนาญการ",
            "decision_name": "นายสมชาย รักษ์ถิ่น",
            "decision_position": f"นายก{name}",
        },
        signers=SIGNERS,
    )
    services.announcement_save(
        plan=plan,
        user=user,
        fields={
            "date": datetime.date(2026, 11, 1),
            "signer_name": "นายสมชาย รักษ์ถิ่น",
            "signer_position": f"นายก{name}",
        },
    )
    return context.plans_for_documents().get(pk=plan.pk)


def maintainers_texts() -> list[str]:
    """The start of every framework entry's source: what must never reach a document."""
    notes = set()
    for model in (FiscalYear, Tool, Indicator, SubIndicator, Question):
        notes |= {
            note[:25] for note in model.objects.exclude(source_note="").values_list("source_note", flat=True)
        }
    return sorted(notes)


def official_pages_problems(kind, data, document) -> list[str]:
    """Page numbers from the second page only; a continuation word at the foot of every page that
    continues, naming the next page's first word."""
    problems = []
    pages = pdf_pages(data)
    firsts = [lines[0] for lines in (pdf.pages.page_lines_of(page) for page in document.pages[1:])]
    for number, page in enumerate(pages, start=1):
        numbered = any(text.startswith("-") and text.endswith("-") for text in page.top)
        if numbered != (number > 1):
            problems.append(f"{kind} p.{number}: page number {'missing' if number > 1 else 'on page 1'}")
        words = [text for text in page.bottom_right if text.startswith("/")]
        if number < len(pages):
            expected = normalised(f"/{first_word(firsts[number - 1])}...")
            if [normalised(w) for w in words] != [expected]:
                problems.append(f"{kind} p.{number}: continuation {words}, expected {expected}")
        elif words:
            problems.append(f"{kind} p.{number}: a continuation word on the last page")
    return problems


@pytest.mark.slow
def test_every_document_of_25_organisations_is_publishable_as_it_comes_out(weasy_problems):
    call_command("load_demo", force=True, verbosity=0)
    call_command(
        "generate_demo_data",
        "--organisations",
        "20",
        "--years",
        "2568-2569",
        "--plans",
        "--seed",
        "27",
        verbosity=0,
    )
    user = UserFactory(is_superuser=True)
    newest = {}
    for assessment in Assessment.objects.select_related("organisation", "fiscal_year").order_by(
        "fiscal_year__year"
    ):
        newest[assessment.organisation_id] = assessment
    assert len(newest) == 25
    sources = maintainers_texts()
    assert sources  # the framework files do keep their sources
    problems, official_pages = [], 0
    for assessment in newest.values():
        plan = approved_plan(assessment, user)
        for kind in DocumentKind.values:
            document = context.build(kind, plan, datetime.date(2026, 12, 6))
            html = documents.render_html(document, thai_digits=True, for_pdf=True)
            data, laid_out = pdf.render_pdf_and_pages(html, archival=True)
            where = f"{assessment.organisation.name} {kind}"
            text = normalised(" ".join(page.text for page in pdf_pages(data)))
            problems += [f"{where}: prints {bad!r}" for bad in FORBIDDEN if bad in text]
            problems += [f"{where}: prints a source: {s!r}" for s in sources if normalised(s) in text]
            problems += [f"{where}: {v}" for v in layout.violations(laid_out)]
            if document.official:
                problems += [f"{where}: {p}" for p in official_pages_problems(kind, data, laid_out)]
                official_pages += len(laid_out.pages) > 1
    assert problems == [], "\n".join(problems)
    assert official_pages >= 25  # the memos (three signatories) run to a second page
    assert weasy_problems() == []

"""factory_boy factories for the tests."""

import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.choices import OrganisationType, Role
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Membership,
    Organisation,
    QuestionScore,
)
from assessments.services import ScoreSheet, assessment_save_scores, results, results_refresh
from measures.choices import MeasureKind, PlanStatus
from measures.models import Measure, MeasurePlan
from measures.services import plan_counters_refresh

# Document 000 (อบต.โคกมน, 2568): 94.74, ผ่านดี.
KHOKMON_2568 = ["100", "100", "99.75", "100", "100", "99.00", "97.33", "98.67", "91.25", "85.00"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"องค์การบริหารส่วนตำบลทดสอบ {n}")
    org_type = OrganisationType.SAO
    district = "เมือง"
    province = "เพชรบูรณ์"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF


def member(organisation, role=Role.STAFF, **user_kwargs):
    """A user who belongs to ``organisation`` with ``role``."""
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_kwargs)).user


def make_assessment(organisation, year=2568, indicators=KHOKMON_2568, user=None, **sheet_kwargs):
    """An assessment saved through the service, as the web form would save it."""
    fiscal_year = FiscalYear.objects.get(year=year)
    numbers = sorted(fiscal_year.indicators.values_list("number", flat=True))
    sheet = ScoreSheet(
        indicators={n: Decimal(v) for n, v in zip(numbers, indicators, strict=True)}, **sheet_kwargs
    )
    return assessment_save_scores(organisation=organisation, fiscal_year=fiscal_year, sheet=sheet, user=user)


# Document 001 (อบต.วังหมี, 2568): 90.42, ผ่าน; question scores consistent with its indicators.
WANGMEE_2568 = ["93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"]
WANGMEE_2568_QUESTIONS = {
    "i1": "90.00",
    "i2": "90.00",
    "i3": "100",
    "i4": "94.19",
    "i5": "100",
    "i6": "94.20",
    "i10": "77.74",
    "i11": "96.13",
    "i12": "77.74",
    "e1": "91.39",
    "e2": "100",
    "e3": "100",
}


def make_wangmee(organisation, user=None, **sheet_kwargs):
    """Document 001's result, with question scores, saved through the service."""
    questions = {code: Decimal(v) for code, v in WANGMEE_2568_QUESTIONS.items()}
    return make_assessment(
        organisation, indicators=WANGMEE_2568, user=user, questions=questions, **sheet_kwargs
    )


def make_plan(organisation=None, user=None):
    """A generated draft plan for document 001's result; returns (plan, a working-group user)."""
    from measures.services import plan_generate

    organisation = organisation or OrganisationFactory()
    user = user or member(organisation, Role.WORKING_GROUP)
    assessment = make_wangmee(organisation, user=user)
    return plan_generate(assessment=assessment, user=user).plan, user


def make_approved_plan(organisation=None):
    """A generated plan taken through submission and approval; returns (plan, a working-group user)."""
    from measures.services import plan_approve, plan_submit

    plan, user = make_plan(organisation)
    plan_submit(plan=plan, user=user)
    return plan_approve(plan=plan, user=user), user


# --- Assessments, plans and measures without the services -------------------------------------
# For tests that are not about scoring or generation: the records as the services would leave
# them (history rows included, via save()), built in a few queries.


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment of 2568 with document 000's indicator scores (``indicators=[…]`` to change,
    ``questions={"i1": "90"}`` to add question scores)."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    fiscal_year = factory.LazyFunction(lambda: FiscalYear.objects.get(year=2568))

    @factory.post_generation
    def indicators(obj, create, extracted, **kwargs):
        values = KHOKMON_2568 if extracted is None else extracted
        for indicator, value in zip(obj.fiscal_year.indicators.order_by("number"), values, strict=True):
            IndicatorScore.objects.create(assessment=obj, indicator=indicator, score=Decimal(value))

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        by_code = {q.code: q for q in obj.fiscal_year.questions.all()} if extracted else {}
        for code, value in (extracted or {}).items():
            QuestionScore.objects.create(assessment=obj, question=by_code[code], score=Decimal(value))

    @factory.post_generation
    def stored_result(obj, create, extracted, **kwargs):
        """The computed result, stored as the services store it (``results_refresh``)."""
        results_refresh(Assessment.objects.filter(pk=obj.pk))
        obj.refresh_from_db(fields=results.FIELDS)


class MeasurePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasurePlan

    assessment = factory.SubFactory(AssessmentFactory)
    plan_year = factory.LazyAttribute(lambda plan: plan.assessment.fiscal_year.year + 1)
    status = PlanStatus.DRAFT


class MeasureFactory(factory.django.DjangoModelFactory):
    """A measure of the plan on indicator ``number`` (1 by default), its texts free of figures."""

    class Meta:
        model = Measure
        exclude = ("number",)

    plan = factory.SubFactory(MeasurePlanFactory)
    number = 1
    indicator = factory.LazyAttribute(
        lambda m: Indicator.objects.get(fiscal_year_id=m.plan.assessment.fiscal_year_id, number=m.number)
    )
    kind = MeasureKind.IMPROVE
    title = factory.Sequence(lambda n: f"มาตรการพัฒนาการเปิดเผยข้อมูล ชุดที่ {n}")
    analysis = "คณะทำงานพบว่ายังเผยแพร่ข้อมูลไม่ครบถ้วน"
    steps = "ทบทวนรายการข้อมูล\nเผยแพร่บนเว็บไซต์"
    order = factory.Sequence(lambda n: n + 1)


def plan_with_measures(organisation=None, *, status=PlanStatus.APPROVED, numbers=range(1, 11)):
    """A plan of document 001's result in ``status`` with one measure per indicator, built directly;
    a measure names its indicator's first question below full marks (i10 for indicator 4) and then
    runs in quarters 1–2, as the question templates propose; the others run all year.
    Returns (plan, a working-group user of the organisation)."""
    organisation = organisation or OrganisationFactory()
    assessment = AssessmentFactory(
        organisation=organisation, indicators=WANGMEE_2568, questions=WANGMEE_2568_QUESTIONS
    )
    plan = MeasurePlanFactory(assessment=assessment, status=status)
    weak: dict[int, str] = {}
    for score in assessment.question_scores.select_related("question__indicator").order_by("question__order"):
        if score.score < 100:
            weak.setdefault(score.question.indicator.number, score.question.code)
    for order, number in enumerate(numbers, start=1):
        code = weak.get(number, "")
        MeasureFactory(
            plan=plan, number=number, order=order, question_codes=code, period_end=2 if code else 4
        )
    plan_counters_refresh(plan)  # as the services do after writing measures
    plan.refresh_from_db()
    return plan, member(organisation, Role.WORKING_GROUP)


# --- Documents ----------------------------------------------------------------------------------


FROZEN_PDF = b"%PDF-1.7\n% a frozen version\n%%EOF\n"


class PublishedDocumentFactory(factory.django.DjangoModelFactory):
    """A frozen version of one of a plan's documents (a small PDF in the published storage); public
    unless it is a memo or an announcement, which wait for their signed copy."""

    class Meta:
        model = "reports.PublishedDocument"

    plan = factory.SubFactory(MeasurePlanFactory)
    organisation = factory.LazyAttribute(lambda d: d.plan.assessment.organisation)
    kind = "analysis"
    version = factory.Sequence(lambda n: n + 1)
    file = factory.django.FileField(filename="document.pdf", data=b"%PDF-1.7\n% a frozen version\n%%EOF\n")
    size = 31
    sha256 = factory.LazyAttribute(
        lambda d: hashlib.sha256(b"%PDF-1.7\n% a frozen version\n%%EOF\n").hexdigest()
    )
    thai_digits = True
    source = factory.LazyFunction(lambda: {"plan_status": "approved"})
    source_digest = "0" * 64
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.LazyAttribute(lambda d: UserFactory())
    public_at = factory.LazyAttribute(
        lambda d: None if d.kind in ("memo", "announcement") else d.published_at
    )


def load_reference_demo():
    """The demo's five organisations of the reference documents with the results they print, without
    the year in progress (``manage.py load_demo`` loads both)."""
    from measures import demo

    demo.demo_load(timezone.localdate(), year_in_progress=False)


def scan_pdf(text: str = "signed") -> bytes:
    """A one-page A4 PDF as a scanner writes one, different for each ``text``: a signed copy."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_picture(size=(30, 20), colour="green") -> bytes:
    """A real PNG picture (Pillow decodes it), as evidence is checked."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def office_file(kind: str = "docx", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word (docx) or Excel (xlsx) package with its content types, and ``extra`` parts."""
    import io
    import zipfile

    main, content_type = {
        "docx": (
            "word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }[kind]
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/{main}" ContentType="{content_type}.main+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr(main, "<document/>")
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


class PublishedEvidenceFactory(factory.django.DjangoModelFactory):
    """An evidence file published with an implementation report (a small PDF in the published
    storage); add it to a ``PublishedDocumentFactory``'s ``evidence_files``."""

    class Meta:
        model = "reports.PublishedEvidence"

    organisation = factory.SubFactory(OrganisationFactory)
    file = factory.django.FileField(filename="evidence.pdf", data=b"%PDF-1.7\n% evidence\n%%EOF\n")
    original_name = "รายงานการอบรม.pdf"
    content_type = "application/pdf"
    size = 24
    sha256 = factory.LazyAttribute(lambda d: hashlib.sha256(b"%PDF-1.7\n% evidence\n%%EOF\n").hexdigest())
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.LazyAttribute(lambda d: UserFactory())


class OversightFactory(factory.django.DjangoModelFactory):
    """Read-only follow-up of a province (or, with ``province=""``, the country)."""

    class Meta:
        model = "assessments.Oversight"

    user = factory.SubFactory(UserFactory)
    province = ""


def overseer(province: str = ""):
    """A user who follows ``province`` (every organisation with "")."""
    return OversightFactory(province=province).user


class RegisterItemFactory(factory.django.DjangoModelFactory):
    """One OIT item in an organisation's register (the year's item ``code``, default O1 of 2569)."""

    class Meta:
        model = "oit.RegisterItem"

    class Params:
        year = 2569
        code = "O1"

    organisation = factory.SubFactory("tests.factories.OrganisationFactory")
    fiscal_year = factory.LazyAttribute(lambda o: FiscalYear.objects.get(year=o.year))
    question = factory.LazyAttribute(lambda o: o.fiscal_year.questions.get(code__iexact=o.code))
    urls = "https://www.example.go.th/oit/o1"
    status = "present"


class LinkCheckFactory(factory.django.DjangoModelFactory):
    """What the checker found at a register item's first link."""

    class Meta:
        model = "oit.LinkCheck"

    item = factory.SubFactory(RegisterItemFactory)
    url = factory.LazyAttribute(lambda c: c.item.url_list[0])
    checked_at = factory.LazyFunction(timezone.now)
    verdict = "ok"
    code = "ok"
    reason = "เปิดได้ และเป็นข้อมูลของปีที่ประเมิน"
    http_status = 200


class ScoreImportFactory(factory.django.DjangoModelFactory):
    """A checked results file kept until its uploader confirms it (an empty sheet)."""

    class Meta:
        model = "assessments.ScoreImport"

    uploaded_by = factory.SubFactory(UserFactory)
    fiscal_year = factory.LazyFunction(lambda: FiscalYear.objects.get(year=2568))
    file_name = "ผลการประเมิน.xlsx"
    file_size = 1024
    sha256 = "0" * 64
    sheet = factory.LazyFunction(lambda: {"kind": "xlsx", "name": "Sheet1", "rows": [], "formulas": []})
    digest = "0" * 64
    summary = factory.LazyFunction(lambda: {"create": 0, "update": 0, "unchanged": 0, "error": 0})


class JobFactory(factory.django.DjangoModelFactory):
    """A person's background job, queued."""

    class Meta:
        model = "ita_portal.Job"

    kind = "export"
    title = "คะแนนปี 2568"
    created_by = factory.SubFactory(UserFactory)


def reported(plan, wg, files, links=()):
    """The plan's first measure with one progress report of 1 March 2026 carrying ``files``
    (``measures.services.Upload``) and ``links``; the measure."""
    import datetime

    from measures.choices import MeasureStatus
    from measures.services import progress_report

    measure = plan.measures.order_by("pk").first()
    progress_report(
        measure=measure,
        user=wg,
        reported_on=datetime.date(2026, 3, 1),
        status=MeasureStatus.IN_PROGRESS,
        percent=60,
        result="จัดอบรมแล้ว 2 ครั้ง",
        links=list(links),
        files=files,
    )
    return measure

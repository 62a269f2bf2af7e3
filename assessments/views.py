"""Score entry: the home page, the result page, and the score form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from ita_portal import jobs, permissions
from ita_portal.delivery import deliver
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.models import JobKind
from ita_portal.permissions import Action as Permission
from ita_portal.thai import parse_be_year

from . import files, importing, selectors, tasks
from .choices import FrameworkStatus, ImportStatus
from .forms import AssessmentScoresForm, ScoreImportForm
from .models import Assessment, FiscalYear, Organisation, ScoreImport
from .services import (
    StaleImport,
    assessment_save_scores,
    score_import_commit,
    score_import_discard,
    score_import_stage,
)


class AssessmentDetailView(OrganisationScopedMixin, DetailView):
    """The computed result of one assessment, its consistency findings and its history."""

    model = Assessment
    template_name = "assessments/assessment_detail.html"
    context_object_name = "assessment"

    def get_queryset(self):
        return super().get_queryset().with_scores()

    def get_context_data(self, **kwargs):
        page = selectors.assessment_page(self.object, self.request.user)
        return super().get_context_data(
            item=page.item,
            result=page.item.result,
            tools=page.tools,
            fiscal_year=page.fiscal_year,
            question_scores=page.question_scores,
            changes=page.changes,
            can_edit=page.can_edit,
            **kwargs,
        )


class AssessmentScoresFormMixin(OrganisationScopedMixin):
    """The score form for one organisation and fiscal year; saving goes through the service."""

    form_class = AssessmentScoresForm
    template_name = "assessments/assessment_form.html"
    action = Permission.SCORE_EDIT
    assessment: Assessment | None = None

    organisation: Organisation
    fiscal_year: FiscalYear

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "fiscal_year": self.fiscal_year,
            "assessment": self.assessment,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            fiscal_year=self.fiscal_year,
            assessment=self.assessment,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            assessment = assessment_save_scores(
                organisation=self.organisation,
                fiscal_year=self.fiscal_year,
                sheet=form.to_sheet(),
                user=self.request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("บันทึกคะแนนเรียบร้อยแล้ว"))
        return redirect("assessments:assessment-detail", pk=assessment.pk)


class AssessmentCreateView(AssessmentScoresFormMixin, FormView):
    """A new assessment: /organisations/<pk>/assessments/create/?year=2568."""

    def load(self, request, *args, **kwargs):
        self.organisation = self.get_scoped_or_404(Organisation, "visible_to", pk=kwargs["organisation_pk"])

    def ready(self, request):
        year = parse_be_year(request.GET.get("year") or request.POST.get("year") or "")
        if year is None:
            raise Http404(_("ไม่ได้ระบุปีงบประมาณ"))
        self.fiscal_year = get_object_or_404(FiscalYear, year=year)
        existing = Assessment.objects.filter(
            organisation=self.organisation, fiscal_year=self.fiscal_year
        ).first()
        if existing and request.method == "GET":
            return redirect("assessments:assessment-update", pk=existing.pk)
        # A POST keeps what was typed: if someone created the assessment meanwhile, the save is
        # refused as stale with what they entered, and the next save updates it.
        return None


class AssessmentUpdateView(AssessmentScoresFormMixin, FormView):
    """Correct the scores of an existing assessment."""

    def load(self, request, *args, **kwargs):
        self.assessment = self.get_scoped_or_404(Assessment, "visible_to", pk=kwargs["pk"])
        self.organisation = self.assessment.organisation
        self.fiscal_year = self.assessment.fiscal_year


# --- Import and export -----------------------------------------------------------------------


class ScoreImportCreateView(OrganisationScopedMixin, FormView):
    """Upload a results file: it is checked, then previewed; nothing is imported until confirmed."""

    form_class = ScoreImportForm
    template_name = "assessments/import_form.html"

    def load(self, request, *args, **kwargs):
        if not permissions.anywhere(request.user, Permission.SCORE_IMPORT):
            raise PermissionDenied(_("ไม่มีหน่วยงานที่ท่านนำเข้าผลการประเมินได้"))
        self.allow_create = importing.may_create_organisations(request.user)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "allow_create": self.allow_create,
        }

    def get_initial(self):
        year = parse_be_year(self.request.GET.get("year", ""))
        chosen = FiscalYear.objects.filter(year=year).first() if year else None
        newest = FiscalYear.objects.filter(status=FrameworkStatus.CONFIRMED).order_by("-year").first()
        return {"fiscal_year": chosen or newest}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            years=FiscalYear.objects.order_by("-year"),
            recent=ScoreImport.objects.visible_to(self.request.user).select_related("fiscal_year")[:20],
            max_mb=settings.IMPORT_MAX_BYTES // 1024 // 1024,
            max_rows=settings.IMPORT_MAX_ROWS,
            allow_create=self.allow_create,
            **{"summary": None, **kwargs},
        )

    def form_valid(self, form):
        fiscal_year = form.cleaned_data["fiscal_year"]
        upload = form.cleaned_data["file"]
        try:
            plan = importing.plan_import(
                form.sheet,
                fiscal_year=fiscal_year,
                user=self.request.user,
                create_organisations=form.cleaned_data.get("create_organisations", False),
            )
        except importing.HeaderError as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        if plan.has_errors or not plan.changes_anything:
            # Nothing to confirm: show what was found, and the form to upload a corrected file.
            return self.render_to_response(
                self.get_context_data(form=form, summary=plan.summary(), file_name=upload.name)
            )
        record = score_import_stage(
            sheet=form.sheet, plan=plan, user=self.request.user, file_name=upload.name, content=form.content
        )
        return redirect("assessments:import-detail", pk=record.pk)


class ScoreImportDetailView(OrganisationScopedMixin, DetailView):
    """The preview of a checked file waiting for confirmation, or the record of a finished import."""

    model = ScoreImport
    template_name = "assessments/import_detail.html"
    context_object_name = "score_import"

    def get_queryset(self):
        return super().get_queryset().select_related("fiscal_year")

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=self.object.summary, **kwargs)


class ScoreImportCommitView(OrganisationScopedMixin, View):
    """Confirm a previewed import: everything in one transaction, or nothing if the records moved on."""

    def load(self, request, pk):
        self.record = self.get_scoped_or_404(ScoreImport, "visible_to", pk=pk)

    def post(self, request, pk):
        record = self.record
        rows = sum((record.summary or {}).get("counts", {}).values())
        if rows > settings.IMPORT_BACKGROUND_ROWS and record.status == ImportStatus.PENDING:
            # A large file is written by the worker; the person follows it on the job's page.
            job = jobs.start(
                kind=JobKind.IMPORT, title=f"{record.file_name} · {rows:,} แถว", user=request.user, total=rows
            )
            jobs.enqueue(job, tasks.commit_import, record.pk, request.user.pk)
            return redirect(job)
        try:
            score_import_commit(score_import=record, user=request.user)
        except StaleImport:
            messages.warning(
                request,
                _("ข้อมูลในระบบเปลี่ยนไปหลังจากตรวจสอบไฟล์ จึงยังไม่ได้นำเข้า กรุณาตรวจสอบตัวอย่างใหม่ด้านล่างแล้วยืนยันอีกครั้ง"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("นำเข้าผลการประเมินเรียบร้อยแล้ว"))
        return redirect("assessments:import-detail", pk=record.pk)


class ScoreImportDeleteView(OrganisationScopedMixin, View):
    """Discard a previewed file that was not confirmed."""

    def load(self, request, pk):
        self.record = self.get_scoped_or_404(ScoreImport, "visible_to", pk=pk, status=ImportStatus.PENDING)

    def post(self, request, pk):
        record = self.record
        score_import_discard(score_import=record, user=request.user)
        messages.info(request, _("ยกเลิกการนำเข้าไฟล์ %(name)s แล้ว") % {"name": record.file_name})
        return redirect("assessments:import-create")


class ImportTemplateView(OrganisationScopedMixin, View):
    """The .xlsx template of a fiscal year, with the organisations the user may import into."""

    def load(self, request, year):
        get_object_or_404(FiscalYear, year=year)

    def get(self, request, year):
        count = files.template_organisations(request.user).count()
        title = f"แบบฟอร์มนำเข้าปี {year} · {count:,} หน่วยงาน"
        return deliver(request, files.import_template, year, rows=count, title=title)


class YearScoresExportView(OrganisationScopedMixin, View):
    """Every organisation the user sees, with its scores of one year and the computed results (.xlsx)."""

    def load(self, request, year):
        get_object_or_404(FiscalYear, year=year)

    def get(self, request, year):
        count = Organisation.objects.visible_to(request.user).count()
        title = f"คะแนนปี {year} · {count:,} หน่วยงาน"
        return deliver(request, files.year_scores, year, rows=count, title=title)


class OrganisationScoresExportView(OrganisationScopedMixin, View):
    """One organisation's scores over all years (.xlsx)."""

    def load(self, request, pk):
        self.organisation = self.get_scoped_or_404(Organisation, "visible_to", pk=pk)

    def get(self, request, pk):
        years = self.organisation.assessments.count()
        title = f"คะแนนทุกปี · {self.organisation.name}"
        return deliver(request, files.organisation_scores, self.organisation.pk, rows=years, title=title)


# --- The OIT register ----------------------------------------------------------------------------

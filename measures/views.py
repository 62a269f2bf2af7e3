"""The measure plan: generate it from an assessment, edit its measures, take it through review."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from assessments.models import Assessment, Organisation
from ita_portal import jobs, permissions
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.models import JobKind
from ita_portal.permissions import Action
from ita_portal.responses import xlsx_response
from ita_portal.stale import refuse_stale
from ita_portal.thai import fiscal_year_bounds, parse_int, thai_date

from . import selectors, services, tasks
from .choices import TRACKED_STATUSES, MeasureStatus, PlanAction
from .exports import overview_workbook, plan_progress_workbook
from .forms import MeasureForm, MeasureTrackForm, PlanActionForm, ProgressForm, filter_choices
from .models import Evidence, Measure, MeasurePlan
from .workflow import TRANSITIONS


def _plan_url(plan: MeasurePlan, measure: Measure | None = None) -> str:
    url = reverse("measures:plan-detail", kwargs={"pk": plan.pk})
    return f"{url}#measure-{measure.pk}" if measure else url


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, beside the field it names where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class PlanGenerateView(OrganisationScopedMixin, View):
    """POST: create the draft plan from the assessment, or regenerate the draft."""

    http_method_names = ["post"]

    def post(self, request, pk):
        assessment = self.get_scoped_or_404(Assessment, "visible_to", pk=pk)
        try:
            report = services.plan_generate(assessment=assessment, user=request.user)
        except services.PlanLocked as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_plan_url(assessment.plan))
        if report.created:
            messages.success(request, _("สร้างร่างแผนมาตรการแล้ว: %(summary)s") % {"summary": report.summary()})
        else:
            messages.success(
                request, _("สร้างร่างใหม่จากผลการประเมินแล้ว: %(summary)s") % {"summary": report.summary()}
            )
        return redirect(_plan_url(report.plan))


class PlanDetailView(OrganisationScopedMixin, DetailView):
    """The plan: measures by tool, what the checks found, the review steps and the change history."""

    model = MeasurePlan
    template_name = "measures/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.plans_for_detail().filter(pk__in=super().get_queryset().values("pk"))

    def get_context_data(self, **kwargs):
        plan = self.object
        page = selectors.plan_page(plan, self.request.user)
        return super().get_context_data(
            page=page,
            changes=selectors.plan_changes(plan),
            **kwargs,
        )


class PlanEditMixin(OrganisationScopedMixin):
    """Views that change a plan's measures: staff and the working group, while the plan is editable."""

    plan: MeasurePlan

    def check_editable(self, plan: MeasurePlan):
        permissions.require(self.request.user, plan.organisation, Action.PLAN_EDIT)
        if not plan.is_editable:
            messages.error(
                self.request,
                _("แผนอยู่ในสถานะ “%(status)s” จึงแก้ไขไม่ได้") % {"status": plan.get_status_display()},
            )
            return redirect(_plan_url(plan))
        return None

    def handle_service_error(self, exc: ValidationError, form=None):
        if form is None:
            messages.error(self.request, " ".join(exc.messages))
            return redirect(_plan_url(self.plan))
        _add_errors(form, exc)
        return self.form_invalid(form)


class MeasureEditMixin(PlanEditMixin):
    """Views on one measure of an editable plan (the measure comes from the URL's pk)."""

    measure: Measure

    def load(self, request, *args, **kwargs):
        self.measure = self.get_scoped_or_404(Measure, "visible_to", pk=kwargs["pk"])
        self.plan = self.measure.plan
        return self.check_editable(self.plan)


class MeasureFormMixin(PlanEditMixin):
    form_class = MeasureForm
    template_name = "measures/measure_form.html"
    measure: Measure | None = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "instance": self.measure}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, measure=self.measure, **kwargs)


class MeasureCreateView(MeasureFormMixin, FormView):
    """Add a measure to a plan by hand."""

    def load(self, request, *args, **kwargs):
        self.plan = self.get_scoped_or_404(MeasurePlan, "visible_to", pk=kwargs["pk"])
        return self.check_editable(self.plan)

    def get_initial(self):
        indicator = parse_int(self.request.GET.get("indicator", ""), low=1, high=2**31 - 1)
        return {"indicator": indicator} if indicator else {}

    def form_valid(self, form):
        try:
            measure = services.measure_create(plan=self.plan, user=self.request.user, values=form.values())
        except ValidationError as exc:
            return self.handle_service_error(exc, form)
        messages.success(self.request, _("เพิ่มมาตรการแล้ว"))
        return redirect(_plan_url(self.plan, measure))


class MeasureUpdateView(MeasureEditMixin, MeasureFormMixin, FormView):
    """Edit a measure; once edited, regeneration never overwrites it."""

    def form_valid(self, form):
        # The form wrote its values onto its own instance while validating; the service compares
        # them against the stored measure, so hand it a fresh copy.
        stored = Measure.objects.get(pk=self.measure.pk)
        try:
            changed = services.measure_update(
                measure=stored,
                user=self.request.user,
                values=form.values(),
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit as exc:
            refuse_stale(form, exc, stored.version)
            return self.form_invalid(form)
        except ValidationError as exc:
            return self.handle_service_error(exc, form)
        messages.success(self.request, _("บันทึกการแก้ไขแล้ว") if changed else _("ไม่มีการเปลี่ยนแปลง"))
        return redirect(_plan_url(self.plan, stored))


class MeasureDeleteView(MeasureEditMixin, TemplateView):
    """Confirm, then remove a measure (its history stays)."""

    template_name = "measures/measure_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, measure=self.measure, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.measure_delete(measure=self.measure, user=request.user)
        except ValidationError as exc:
            return self.handle_service_error(exc)
        messages.success(request, _("นำมาตรการออกแล้ว"))
        return redirect(_plan_url(self.plan))


class MeasureMoveView(MeasureEditMixin, View):
    """POST direction=up|down: move a measure within its tool."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            raise Http404
        try:
            services.measure_move(measure=self.measure, user=request.user, up=direction == "up")
        except ValidationError as exc:
            return self.handle_service_error(exc)
        return redirect(_plan_url(self.plan, self.measure))


class PlanTransitionView(OrganisationScopedMixin, FormView):
    """One review step (submit, approve, return, publish, reopen): a short form, then the service."""

    form_class = PlanActionForm
    template_name = "measures/plan_action.html"

    def load(self, request, *args, **kwargs):
        self.plan = self.get_scoped_or_404(MeasurePlan, "visible_to", pk=kwargs["pk"])
        self.action = kwargs["action"]
        if self.action not in TRANSITIONS:
            raise Http404
        self.transition = TRANSITIONS[self.action]
        permissions.require(request.user, self.plan.organisation, self.transition.permission)
        if self.plan.status not in self.transition.sources:
            messages.error(
                request,
                _("ทำ “%(action)s” ไม่ได้ขณะแผนอยู่ในสถานะ “%(status)s”")
                % {"action": PlanAction(self.action).label, "status": self.plan.get_status_display()},
            )
            return redirect(_plan_url(self.plan))
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.action, "transition": self.transition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan, action_label=PlanAction(self.action).label, action=self.action, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        kwargs = {"plan": self.plan, "user": self.request.user, "comment": data.get("comment", "")}
        if self.action == PlanAction.APPROVE:
            kwargs.update(
                meeting_number=data.get("meeting_number", ""), meeting_date=data.get("meeting_date")
            )
        try:
            services.PLAN_ACTIONS[self.action](**kwargs)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(action)s เรียบร้อยแล้ว") % {"action": PlanAction(self.action).label})
        return redirect(_plan_url(self.plan))


# --- Carrying the plan out --------------------------------------------------------------------


class PlanProgressView(OrganisationScopedMixin, DetailView):
    """Every measure of the plan with owner, period, status, percentage and last update; late ones marked."""

    model = MeasurePlan
    template_name = "measures/plan_progress.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.plans_for_progress().filter(pk__in=super().get_queryset().values("pk"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            progress=selectors.plan_progress(self.object, timezone.localdate()),
            statuses=MeasureStatus.choices,
            **kwargs,
        )


class PlanProgressExportView(PlanProgressView):
    """The progress page as an .xlsx file."""

    def render_to_response(self, context, **response_kwargs):
        plan = self.object
        content = plan_progress_workbook(context["progress"])
        return xlsx_response(content, f"ita-measures-{plan.plan_year}-{plan.pk}.xlsx")


class MeasureProgressView(OrganisationScopedMixin, TemplateView):
    """One measure: its progress reports (newest first, with evidence), a form to add one, owner and dates."""

    template_name = "measures/measure_progress.html"

    def load(self, request, *args, **kwargs):
        self.measure = get_object_or_404(
            Measure.objects.visible_to(request.user).select_related(
                "plan__assessment__organisation", "indicator__tool"
            ),
            pk=kwargs["pk"],
        )
        self.plan = self.measure.plan
        self.can_record = (
            permissions.can(request.user, self.plan.organisation, Action.PROGRESS_EDIT)
            and self.plan.status in TRACKED_STATUSES
        )

    def forms(self, data=None, files=None):
        which = (data or {}).get("form")
        version = {"version": self.measure.version}
        track_initial = {
            **version,
            "responsible_unit": self.measure.responsible_unit,
            "owner_person": self.measure.owner_person,
            "start_date": self.measure.start_date,
            "end_date": self.measure.end_date,
        }
        progress_initial = {
            **version,
            "reported_on": timezone.localdate(),
            "status": self.measure.status,
            "percent": self.measure.percent,
        }
        return (
            ProgressForm(
                data if which == "progress" else None,
                files if which == "progress" else None,
                initial=progress_initial,
                prefix="progress",
            ),
            MeasureTrackForm(data if which == "track" else None, initial=track_initial, prefix="track"),
        )

    def get_context_data(self, progress_form=None, track_form=None, **kwargs):
        default_progress, default_track = self.forms()
        updates = self.measure.updates.select_related("created_by").prefetch_related("evidence")
        return super().get_context_data(
            measure=self.measure,
            plan=self.plan,
            late=self.measure.is_late(timezone.localdate()),
            updates=updates,
            can_record=self.can_record,
            progress_form=progress_form or default_progress,
            track_form=track_form or default_track,
            **kwargs,
        )

    def render_forms(self, progress_form, track_form):
        """The page again, with the forms as submitted (errors beside their fields)."""
        return self.render_to_response(
            self.get_context_data(progress_form=progress_form, track_form=track_form)
        )

    def post(self, request, *args, **kwargs):
        if not self.can_record:
            raise PermissionDenied(_("บันทึกความก้าวหน้าได้เฉพาะเจ้าหน้าที่และคณะทำงานเมื่อแผนได้รับอนุมัติแล้ว"))
        progress_form, track_form = self.forms(request.POST, request.FILES)
        form = progress_form if request.POST.get("form") == "progress" else track_form
        if not form.is_valid():
            return self.render_forms(progress_form, track_form)
        data = form.cleaned_data
        try:
            if form is progress_form:
                services.progress_report(
                    measure=self.measure,
                    user=request.user,
                    reported_on=data["reported_on"],
                    status=data["status"],
                    percent=data["percent"],
                    result=data["result"],
                    recommendation=data["recommendation"],
                    cancel_reason=data["cancel_reason"],
                    links=data["links"],
                    files=[services.Upload(f.name, f.read()) for f in data["files"]],
                    expected_version=data["version"],
                )
                message = _("บันทึกความก้าวหน้าแล้ว")
            else:
                values = {k: data[k] for k in ("responsible_unit", "owner_person", "start_date", "end_date")}
                services.measure_track(
                    measure=self.measure, user=request.user, values=values, expected_version=data["version"]
                )
                message = _("บันทึกผู้รับผิดชอบและระยะเวลาแล้ว")
                year_end = fiscal_year_bounds(self.measure.plan.plan_year)[1]
                if data["end_date"] and data["end_date"] > year_end:
                    messages.warning(
                        request,
                        f"วันสิ้นสุด {thai_date(data['end_date'])} เลยปีงบประมาณ {self.measure.plan.plan_year} "
                        f"ของแผน (สิ้นสุด {thai_date(year_end)}) ตรวจสอบว่าตั้งใจให้ต่อเนื่องข้ามปีหรือไม่",
                    )
        except services.StaleEdit as exc:
            refuse_stale(form, exc, Measure.objects.get(pk=self.measure.pk).version)
            return self.render_forms(progress_form, track_form)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render_forms(progress_form, track_form)
        messages.success(request, message)
        return redirect("measures:measure-progress", pk=self.measure.pk)


class EvidenceDownloadView(OrganisationScopedMixin, View):
    """An uploaded evidence file, for members of its organisation only (404 for anyone else)."""

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.visible_to(request.user).files(), pk=pk)
        return FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )


class ProgressOverviewView(LoginRequiredMixin, TemplateView):
    """For those who follow several organisations: every plan of a year, paged, filtered and
    sorted by the database, with completion and late counts."""

    template_name = "measures/progress_overview.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        user = self.request.user
        choices = filter_choices(
            self.request.GET,
            Organisation.objects.permitting(user, Action.OVERVIEW_VIEW),
            years=selectors.overview_years(user, today),
            default_year=selectors.overview_default_year(user, today),
            sorts=selectors.OVERVIEW_SORTS,
            level_year_offset=1,
            no_plan=False,
        )
        self.filters, self.sort = choices.filter, choices.sort
        page = selectors.overview_page(
            user,
            choices.year,
            today,
            filters=choices.filter,
            sort=choices.sort,
            page=parse_int(self.request.GET.get("page", ""), low=1, high=100_000) or 1,
        )
        return super().get_context_data(
            year=page.year,
            rows=page.rows,
            page_obj=page.page,
            filter_form=choices.form,
            filtered=bool(choices.filter),
            without_plan=selectors.organisations_without_plan(user, page.year),
            **kwargs,
        )


class ProgressOverviewExportView(ProgressOverviewView):
    """The overview, with the same filters and order, as an .xlsx file (in the background when long)."""

    def render_to_response(self, context, **response_kwargs):
        page = context["page_obj"]
        filters = dataclasses.asdict(self.filters)
        if page.paginator.count > settings.EXPORT_BACKGROUND_ROWS:
            title = f"ภาพรวมมาตรการปี {context['year']} · {page.paginator.count:,} แผน"
            job = jobs.start(
                kind=JobKind.EXPORT, title=title, user=self.request.user, total=page.paginator.count
            )
            jobs.enqueue(
                job, tasks.export_overview, context["year"], self.request.user.pk, filters, self.sort
            )
            return redirect(job)
        rows = selectors.administrator_overview(
            self.request.user, context["year"], timezone.localdate(), filters=self.filters, sort=self.sort
        )  # every row, not the page's
        content = overview_workbook(rows, context["year"])
        return xlsx_response(content, f"ita-measures-overview-{context['year']}.xlsx")


class OrganisationHistoryView(OrganisationScopedMixin, TemplateView):
    """The audit history of one organisation, for its administrators (other members get a 403)."""

    template_name = "measures/organisation_history.html"

    def get_context_data(self, **kwargs):
        organisation = self.get_scoped_or_404(Organisation, "visible_to", pk=self.kwargs["pk"])
        permissions.require(self.request.user, organisation, Action.HISTORY_VIEW)
        return super().get_context_data(
            organisation=organisation, changes=selectors.organisation_changes(organisation), **kwargs
        )

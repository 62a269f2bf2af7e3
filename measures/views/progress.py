"""Carrying the plan out: its progress, a measure's reports and their evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from ita_portal import permissions
from ita_portal.delivery import deliver
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action
from ita_portal.thai import fiscal_year_bounds, thai_date

from .. import files, selectors, services
from ..choices import TRACKED_STATUSES, MeasureStatus
from ..forms import MeasureTrackForm, ProgressForm
from ..models import Evidence, Measure, MeasurePlan
from .plans import _add_errors


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

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        title = f"ความก้าวหน้ามาตรการปี {plan.plan_year} · {plan.organisation.name}"
        return deliver(request, files.plan_progress, plan.pk, rows=plan.measure_count, title=title)


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

    def form_invalid(self, form):
        """The page again, with both forms as submitted (errors beside their fields; a stale
        save's refusal on ``form``: ita_portal.mixins)."""
        progress_form, track_form = self.submitted
        return self.render_to_response(
            self.get_context_data(progress_form=progress_form, track_form=track_form)
        )

    def post(self, request, *args, **kwargs):
        if not self.can_record:
            raise PermissionDenied(_("บันทึกความก้าวหน้าได้เฉพาะเจ้าหน้าที่และคณะทำงานเมื่อแผนได้รับอนุมัติแล้ว"))
        progress_form, track_form = self.submitted = self.forms(request.POST, request.FILES)
        form = self.form = progress_form if request.POST.get("form") == "progress" else track_form
        if not form.is_valid():
            return self.form_invalid(form)
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
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
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

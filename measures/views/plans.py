"""A plan's pages: generating it, reading it, editing its measures, and its review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from assessments import selectors as assessment_selectors
from assessments.models import Assessment
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action
from ita_portal.thai import parse_int

from .. import selectors, services
from ..choices import PlanAction
from ..forms import MeasureForm, PlanActionForm
from ..models import Measure, MeasurePlan
from ..workflow import TRANSITIONS


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
    action = Action.PLAN_EDIT

    def load(self, request, *args, **kwargs):
        self.assessment = self.get_scoped_or_404(Assessment, "visible_to", pk=kwargs["pk"])
        self.organisation = self.assessment.organisation

    def post(self, request, pk):
        assessment = self.assessment
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
        windows = assessment_selectors.calendar_of(plan.plan_year)
        page = selectors.plan_page(plan, self.request.user, windows)
        return super().get_context_data(
            page=page,
            calendar=assessment_selectors.year_standing(plan.plan_year, timezone.localdate(), windows),
            changes=selectors.plan_changes(plan),
            review_changes=selectors.review_changes(plan),
            **kwargs,
        )


class PlanEditMixin(OrganisationScopedMixin):
    """Views that change a plan's measures: staff and the working group, while the plan is editable."""

    plan: MeasurePlan
    action = Action.PLAN_EDIT

    def ready(self, request):
        if not self.plan.editable_by(request.user):
            messages.error(
                request,
                _("แผนอยู่ในสถานะ “%(status)s” จึงแก้ไขไม่ได้") % {"status": self.plan.get_status_display()},
            )
            return redirect(_plan_url(self.plan))
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
        self.organisation = self.plan.organisation


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
        self.organisation = self.plan.organisation

    def get_initial(self):
        indicator = parse_int(self.request.GET.get("indicator", ""), low=1, high=2**31 - 1)
        return {"indicator": indicator} if indicator else {}

    def form_valid(self, form):
        try:
            measure = services.measure_create(plan=self.plan, user=self.request.user, values=form.values())
        except ValidationError as exc:
            return self.handle_service_error(exc, form)
        messages.success(self.request, _("เพิ่มมาตรการแล้ว"))
        warn_if_too_late(self.request, self.plan, [measure])
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
        except ValidationError as exc:
            return self.handle_service_error(exc, form)
        messages.success(self.request, _("บันทึกการแก้ไขแล้ว") if changed else _("ไม่มีการเปลี่ยนแปลง"))
        stored.refresh_from_db()
        warn_if_too_late(self.request, self.plan, [stored])
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
        self.organisation = self.plan.organisation
        self.step = kwargs["action"]
        if self.step not in TRANSITIONS:
            raise Http404
        self.transition = TRANSITIONS[self.step]
        self.action = self.transition.permission  # review needs plan.review; submit plan.edit; …
        return None

    def ready(self, request):
        if self.plan.status not in self.transition.sources:
            messages.error(
                request,
                _("ทำ “%(action)s” ไม่ได้ขณะแผนอยู่ในสถานะ “%(status)s”")
                % {"action": PlanAction(self.step).label, "status": self.plan.get_status_display()},
            )
            return redirect(_plan_url(self.plan))
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.step, "transition": self.transition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan, action_label=PlanAction(self.step).label, action=self.step, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        kwargs = {"plan": self.plan, "user": self.request.user, "comment": data.get("comment", "")}
        if self.step == PlanAction.APPROVE:
            kwargs.update(
                meeting_number=data.get("meeting_number", ""), meeting_date=data.get("meeting_date")
            )
        try:
            services.PLAN_ACTIONS[self.step](**kwargs)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(action)s เรียบร้อยแล้ว") % {"action": PlanAction(self.step).label})
        if self.step == PlanAction.SUBMIT:
            warn_if_too_late(self.request, self.plan, self.plan.measures.all())
        return redirect(_plan_url(self.plan))


def warn_if_too_late(request, plan: MeasurePlan, measures) -> None:
    """A warning (not a refusal) for each measure answering an OIT item that ends after the items
    are checked: on saving one, and listed on submitting the plan."""
    warnings = selectors.oit_schedule(plan, measures)
    if len(warnings) == 1:
        messages.warning(request, next(iter(warnings.values())))
    elif warnings:
        messages.warning(
            request,
            _("มาตรการ %(count)s รายการที่ตอบข้อ OIT สิ้นสุดหลังวันสุดท้ายที่ตรวจ OIT (ดูคำเตือนสีเหลืองที่มาตรการ)")
            % {"count": len(warnings)},
        )

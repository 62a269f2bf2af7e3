"""Score entry: the home page, the result page, and the score form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from ita_portal.mixins import OrganisationScopedMixin
from measures.selectors import plan_generate_allowed

from . import selectors
from .forms import AssessmentScoresForm
from .models import Assessment, FiscalYear, Organisation
from .services import assessment_save_scores


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's organisations and their assessments by year, newest first."""

    template_name = "assessments/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summaries=selectors.home_summaries(self.request.user),
            oversees=selectors.sees_several_organisations_as_administrator(self.request.user),
            **kwargs,
        )


class AssessmentDetailView(OrganisationScopedMixin, DetailView):
    """The computed result of one assessment, its consistency findings and its history."""

    model = Assessment
    template_name = "assessments/assessment_detail.html"
    context_object_name = "assessment"

    def get_queryset(self):
        return super().get_queryset().with_scores()

    def get_context_data(self, **kwargs):
        assessment = self.object
        fiscal_year = selectors.fiscal_years_with_framework().get(pk=assessment.fiscal_year_id)
        item = selectors.assessment_result(assessment, selectors.framework_from(fiscal_year))
        scores = {row.indicator_id: row for row in assessment.indicator_scores.all()}
        tools = []
        for tool in fiscal_year.tools.all():
            rows = [
                (ind, scores.get(ind.pk)) for ind in sorted(tool.indicators.all(), key=lambda i: i.number)
            ]
            tools.append(
                {
                    "tool": tool,
                    "rows": rows,
                    "score": item.result.tool_scores.get(tool.code) if item.result else None,
                }
            )
        can_edit = (
            Organisation.objects.score_editable_by(self.request.user)
            .filter(pk=assessment.organisation_id)
            .exists()
        )
        return super().get_context_data(
            item=item,
            result=item.result,
            tools=tools,
            fiscal_year=fiscal_year,
            question_scores=assessment.question_scores.select_related("question__indicator").order_by(
                "question__order"
            ),
            changes=selectors.assessment_changes(assessment),
            can_edit=can_edit,
            **kwargs,
        )


class AssessmentScoresFormMixin(OrganisationScopedMixin):
    """The score form for one organisation and fiscal year; saving goes through the service."""

    form_class = AssessmentScoresForm
    template_name = "assessments/assessment_form.html"
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
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("บันทึกคะแนนเรียบร้อยแล้ว"))
        return redirect("assessments:assessment-detail", pk=assessment.pk)


class AssessmentCreateView(AssessmentScoresFormMixin, FormView):
    """A new assessment: /organisations/<pk>/assessments/create/?year=2568."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = self.get_scoped_or_404(
            Organisation, "score_editable_by", pk=kwargs["organisation_pk"]
        )
        year = request.GET.get("year") or request.POST.get("year")
        if not year or not str(year).isdigit():
            raise Http404(_("ไม่ได้ระบุปีงบประมาณ"))
        self.fiscal_year = get_object_or_404(FiscalYear, year=int(year))
        existing = Assessment.objects.filter(
            organisation=self.organisation, fiscal_year=self.fiscal_year
        ).first()
        if existing:
            return redirect("assessments:assessment-update", pk=existing.pk)
        return super().dispatch(request, *args, **kwargs)


class AssessmentUpdateView(AssessmentScoresFormMixin, FormView):
    """Correct the scores of an existing assessment."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = self.get_scoped_or_404(Assessment, "score_editable_by", pk=kwargs["pk"])
        self.organisation = self.assessment.organisation
        self.fiscal_year = self.assessment.fiscal_year
        return super().dispatch(request, *args, **kwargs)


class AssessmentAnalysisView(OrganisationScopedMixin, DetailView):
    """The analysis of one result: keep or improve per indicator, strengths, points to develop, trend."""

    model = Assessment
    template_name = "assessments/assessment_analysis.html"
    context_object_name = "assessment"

    def get_queryset(self):
        return super().get_queryset().with_scores()

    def get_context_data(self, **kwargs):
        assessment = self.object
        found = selectors.assessment_analysis(assessment)
        years, trend = selectors.assessment_trend(assessment)
        plan = getattr(assessment, "plan", None)  # the reverse one-to-one raises AttributeError if none
        return super().get_context_data(
            found=found,
            result=found.item.result,
            years=years,
            trend=trend,
            standing=selectors.peer_standing(assessment, self.request.user),
            plan=plan,
            can_generate=plan_generate_allowed(self.request.user, assessment, plan),
            **kwargs,
        )

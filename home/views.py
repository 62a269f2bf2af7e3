"""The home page: the user's organisations, their results by year, the next step of each, the
OIT readiness and the plans waiting for the working group."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from assessments import analytics
from assessments import selectors as assessment_selectors
from assessments.models import Assessment, FiscalYear, Organisation
from assessments.selectors import sees_several_organisations_as_administrator
from ita_portal import permissions
from ita_portal.forms import NewAssessmentForm
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action as Permission
from ita_portal.thai import fiscal_year_of, parse_int
from measures import steps
from measures.forms import filter_choices
from measures.selectors import last_year_measures, plan_generate_allowed, plans_waiting_for_review
from oit import selectors as register

from . import selectors


class HomeView(OrganisationScopedMixin, TemplateView):
    """The user's organisations and their assessments by year, newest first."""

    template_name = "home/home.html"

    def steps(self, summaries, newest):
        """Each organisation's summary with its next step (two queries). Two years run at once —
        the newest year's result and the plan made from the year before's — so the step shown is
        the first of the two this user can act on, else the newest year's."""
        if newest is None:
            yield from ((summary, None) for summary in summaries)
            return
        roles = permissions.roles_in(self.request.user, [summary.organisation for summary in summaries])
        plans = [
            plan for summary in summaries for a in summary.assessments if (plan := getattr(a, "plan", None))
        ]
        due = steps.due_this_quarter(plans, timezone.localdate())
        for summary in summaries:
            by_year = {a.fiscal_year.year: a for a in summary.assessments}
            candidates = []
            for year in (newest.year, newest.year - 1):
                assessment = by_year.get(year)
                plan = getattr(assessment, "plan", None) if assessment is not None else None
                if year != newest.year and assessment is None:
                    continue
                candidates.append(
                    steps.next_step(
                        organisation=summary.organisation,
                        year=year,
                        assessment=assessment,
                        roles=roles[summary.organisation.pk],
                        due=due.get(plan.pk, 0) if plan else 0,
                    )
                )
            yield summary, next((step for step in candidates if step.button and not step.done), candidates[0])

    @staticmethod
    def new_form(summary) -> NewAssessmentForm | None:
        """The year choice for a new assessment, where the user may type scores and a year is free."""
        if not (summary.can_edit and summary.years_without_assessment):
            return None
        return NewAssessmentForm(organisation=summary.organisation, years=summary.years_without_assessment)

    @staticmethod
    def calendar():
        """Where today stands in NACC's calendar of the fiscal year it is in."""
        today = timezone.localdate()
        return assessment_selectors.year_standing(fiscal_year_of(today), today)

    def get_context_data(self, **kwargs):
        user = self.request.user
        visible = Organisation.objects.visible_to(user)
        choices = filter_choices(
            self.request.GET,
            visible,
            years=list(FiscalYear.objects.order_by("-year").values_list("year", flat=True)),
            default_year=selectors.latest_assessed_year(visible),
            sorts=selectors.HOME_SORTS,
        )
        found = selectors.home_page(
            user,
            filters=choices.filter,
            year=choices.year,
            today=timezone.localdate(),
            sort=choices.sort,
            page=parse_int(self.request.GET.get("page", ""), low=1, high=100_000) or 1,
        )
        summaries = found.summaries
        on_page = [summary.organisation.pk for summary in summaries]
        waiting, waiting_count = plans_waiting_for_review(user)
        oit_year = register.register_year(timezone.localdate())
        ready = (
            register.readiness_by_organisation([s.organisation for s in summaries], oit_year)
            if oit_year
            else {}
        )
        return super().get_context_data(
            summaries=summaries,
            rows=[
                (summary, self.new_form(summary), step, ready.get(summary.organisation.pk))
                for summary, step in self.steps(summaries, found.newest_year)
            ],
            oit_year=oit_year,
            calendar=assessment_selectors.year_standing(
                fiscal_year_of(timezone.localdate()), timezone.localdate()
            )
            if summaries
            else None,
            waiting=waiting,
            waiting_count=waiting_count,
            page_obj=found.page,
            total=found.total,
            filter_form=choices.form if found.total > 5 else None,
            filtered=bool(choices.filter),
            # Whoever follows organisations — an overseer of any number, an administrator of
            # several — finds the pages across them on home; the heading says whose they are.
            oversees=bool(permissions.oversight_of(user))
            or sees_several_organisations_as_administrator(user),
            heading="หน่วยงานของฉัน" if user.is_superuser or user.memberships.exists() else "หน่วยงานที่ติดตาม",
            can_batch=permissions.anywhere(user, Permission.DOCUMENT_EDIT),
            can_import=permissions.anywhere(user, Permission.SCORE_IMPORT),
            administered=set(
                Organisation.objects.permitting(user, Permission.HISTORY_VIEW)
                .filter(pk__in=on_page)
                .values_list("pk", flat=True)
            ),
            **kwargs,
        )


class AssessmentAnalysisView(OrganisationScopedMixin, DetailView):
    """The analysis of one result: keep or improve per indicator, strengths, points to develop, trend."""

    model = Assessment
    template_name = "home/assessment_analysis.html"
    context_object_name = "assessment"

    def get_queryset(self):
        return super().get_queryset().with_scores()

    def get_context_data(self, **kwargs):
        assessment = self.object
        found = assessment_selectors.assessment_analysis(assessment)
        years, trend = assessment_selectors.assessment_trend(assessment)
        plan = getattr(assessment, "plan", None)  # the reverse one-to-one raises AttributeError if none
        return super().get_context_data(
            found=found,
            result=found.item.result,
            years=years,
            trend=trend,
            standing=assessment_selectors.peer_standing(assessment),
            last_year=last_year_measures(assessment),
            association_note=analytics.ASSOCIATION_NOTE,
            oit=register.analysis_readiness(assessment),
            plan=plan,
            can_generate=plan_generate_allowed(self.request.user, assessment, plan),
            **kwargs,
        )

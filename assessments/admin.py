from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnalysisRule,
    Assessment,
    AssessmentWindow,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Membership,
    Organisation,
    Oversight,
    PublishedToolScore,
    Question,
    QuestionScore,
    RatingLevel,
    SubIndicator,
    Tool,
)
from .services import results_refresh


class RefreshesResults:
    """An admin whose saves change computed results: stores them again after each save or delete
    (``assessments.services.results``), for the assessments ``assessments_of(obj)`` names."""

    def assessments_of(self, obj):
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        results_refresh(self.assessments_of(form.instance))

    def delete_model(self, request, obj):
        assessments = list(self.assessments_of(obj).values_list("pk", flat=True))
        super().delete_model(request, obj)
        results_refresh(Assessment.objects.filter(pk__in=assessments))

    def delete_queryset(self, request, queryset):
        assessments = set()
        for obj in queryset:
            assessments.update(self.assessments_of(obj).values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        results_refresh(Assessment.objects.filter(pk__in=assessments))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_type", "district", "province", "code"]
    list_filter = ["org_type", "province"]
    search_fields = ["name", "code", "district", "province"]
    inlines = [MembershipInline]


@admin.register(Oversight)
class OversightAdmin(admin.ModelAdmin):
    """Who oversees which province (or, with no province, the whole country): superusers only."""

    list_display = ["user", "province"]
    list_filter = ["province"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "province"]
    autocomplete_fields = ["user"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0


class AssessmentWindowInline(admin.TabularInline):
    model = AssessmentWindow
    extra = 0
    fields = ["kind", "starts", "ends", "unconfirmed", "note", "source_note"]


@admin.register(FiscalYear)
class FiscalYearAdmin(RefreshesResults, admin.ModelAdmin):
    list_display = [
        "year",
        "start_date",
        "end_date",
        "status",
        "target_overall",
        "target_tool",
        "eit_parts",
        "unconfirmed",
    ]
    inlines = [ToolInline, RatingLevelInline, AssessmentWindowInline]

    def assessments_of(self, obj):
        return Assessment.objects.filter(fiscal_year=obj)


class SubIndicatorInline(admin.TabularInline):
    model = SubIndicator
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(RefreshesResults, admin.ModelAdmin):
    list_display = ["fiscal_year", "number", "name", "tool", "unconfirmed"]
    list_filter = ["fiscal_year", "unconfirmed"]
    list_select_related = ["fiscal_year", "tool__fiscal_year"]
    inlines = [SubIndicatorInline]

    def assessments_of(self, obj):
        return Assessment.objects.filter(fiscal_year=obj.fiscal_year_id)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "code", "text", "indicator", "sub_indicator", "kind", "unconfirmed"]
    list_filter = ["fiscal_year", "kind", "unconfirmed"]
    list_select_related = ["fiscal_year", "indicator", "sub_indicator"]
    search_fields = ["code", "text"]


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0


class QuestionScoreInline(admin.TabularInline):
    model = QuestionScore
    extra = 0


class PublishedToolScoreInline(admin.TabularInline):
    model = PublishedToolScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(RefreshesResults, SimpleHistoryAdmin):
    list_display = [
        "organisation",
        "fiscal_year",
        "published_overall",
        "published_level",
        "eit_part1",
        "eit_part2",
        "updated_at",
    ]
    list_filter = ["fiscal_year", "organisation__province", "organisation__org_type"]
    list_select_related = ["organisation", "fiscal_year"]
    search_fields = ["organisation__name"]
    inlines = [IndicatorScoreInline, PublishedToolScoreInline, QuestionScoreInline]

    def assessments_of(self, obj):
        return Assessment.objects.filter(pk=obj.pk)


@admin.register(IndicatorScore, PublishedToolScore)
class ScoreAdmin(RefreshesResults, SimpleHistoryAdmin):
    def assessments_of(self, obj):
        return Assessment.objects.filter(pk=obj.assessment_id)


admin.site.register(QuestionScore, SimpleHistoryAdmin)


@admin.register(AnalysisRule)
class AnalysisRuleAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "improve_below", "urgent_below", "urgent_lowest", "full_marks"]

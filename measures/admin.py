from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from .models import Measure, MeasurePlan, MeasureTemplate, PlanEvent
from .services import plan_counters_refresh
from .texts import PLACEHOLDERS


@admin.register(MeasureTemplate)
class MeasureTemplateAdmin(SimpleHistoryAdmin):
    list_display = [
        "key",
        "fiscal_year",
        "indicator_number",
        "question",
        "kind",
        "title",
        "active",
        "needs_review",
    ]
    list_filter = ["needs_review", "fiscal_year", "kind", "active", "indicator_number"]
    search_fields = ["key", "title", "analysis", "steps"]
    autocomplete_fields = ["question"]
    readonly_fields = ["review_note"]
    actions = ["mark_reviewed"]

    @admin.action(description="ทำเครื่องหมายว่าทบทวนแล้ว")
    def mark_reviewed(self, request, queryset):
        count = 0
        for template in queryset.filter(needs_review=True):
            template.needs_review = False
            template._history_user = request.user
            template.save(update_fields=["needs_review"])
            count += 1
        self.message_user(request, f"ทบทวนแล้ว {count} แม่แบบ", messages.SUCCESS)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        help_text = "ช่องข้อมูลที่ใช้ได้: " + ", ".join(
            f"{{{name}}} = {label}" for name, label in PLACEHOLDERS.items()
        )
        for name in ("title", "analysis"):
            form.base_fields[name].help_text = help_text
        return form


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0
    fields = [
        "order",
        "indicator",
        "kind",
        "urgent",
        "title",
        "analysis",
        "steps",
        "period_start",
        "period_end",
    ]
    raw_id_fields = ["indicator"]


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    readonly_fields = [f.name for f in PlanEvent._meta.fields]
    can_delete = False


@admin.register(MeasurePlan)
class MeasurePlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan_year", "status", "updated_at"]
    list_filter = ["status", "plan_year"]
    search_fields = ["assessment__organisation__name"]
    raw_id_fields = ["assessment"]
    inlines = [MeasureInline, PlanEventInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        plan_counters_refresh(form.instance)

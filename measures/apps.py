from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = "มาตรการ"

    def ready(self):
        from assessments.signals import framework_changed

        from .services.templates import flag_templates_of_changed_items

        framework_changed.connect(flag_templates_of_changed_items, dispatch_uid="measures.flag_templates")
        from django.db.models.signals import post_delete, post_save

        from .models import MeasurePlan

        for signal in (post_save, post_delete):
            signal.connect(plan_changed, sender=MeasurePlan, dispatch_uid=f"measures.plan_revision.{signal}")


def plan_changed(instance, **_kwargs) -> None:
    """A plan saved or deleted (its status, its meeting): what was cached from its year's plans is
    out of date (``assessments.revisions``)."""
    from assessments import revisions
    from assessments.models import Assessment

    year = Assessment.objects.filter(pk=instance.assessment_id).values_list("fiscal_year_id", flat=True)
    revisions.count("plans_revision", list(year) or None)  # its assessment deleted with it: every year

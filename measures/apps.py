from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = "มาตรการ"

    def ready(self):
        from assessments.signals import framework_changed

        from .services.templates import flag_templates_of_changed_items

        framework_changed.connect(flag_templates_of_changed_items, dispatch_uid="measures.flag_templates")

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "ผลการประเมิน"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

from django.apps import AppConfig


class OitConfig(AppConfig):
    """The OIT register: each OIT item's links, who is responsible, the readiness estimate and the
    link checker. Above assessments (the framework's items) and reports (the portal's published
    documents count as links); below home, which shows the readiness."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oit"
    verbose_name = "ทะเบียน OIT"

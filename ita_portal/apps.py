from django.apps import AppConfig


class ItaPortalConfig(AppConfig):
    """Shared helpers: Thai digits and dates (template filters), the organisation-scoping mixin."""

    name = "ita_portal"
    verbose_name = "ITA Portal"

from django.apps import AppConfig


class ItaPortalConfig(AppConfig):
    """Shared helpers: Thai digits and dates (template filters), the organisation-scoping mixin.
    Django's messages that its Thai catalogue leaves in English are in ``locale/th``."""

    name = "ita_portal"
    verbose_name = "ITA Portal"

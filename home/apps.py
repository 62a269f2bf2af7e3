from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages that span the other apps: home (each organisation's results, next step and OIT
    readiness). It sits above every feature app and nothing imports it."""

    name = "home"
    verbose_name = "หน้าหลัก"

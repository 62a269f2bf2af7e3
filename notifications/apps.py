from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "การแจ้งเตือน"

    def ready(self) -> None:
        from . import events  # noqa: F401 (connects the receivers)

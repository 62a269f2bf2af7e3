"""The OIT register's choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterStatus(models.TextChoices):
    MISSING = "missing", _("ยังไม่มี")
    PRESENT = "present", _("มีแล้ว")
    CHECKED = "checked", _("ตรวจแล้ว")


class LinkVerdict(models.TextChoices):
    OK = "ok", _("✔ ใช้ได้")
    WARN = "warn", _("⚠ ควรตรวจ")
    FAIL = "fail", _("✖ ใช้ไม่ได้")

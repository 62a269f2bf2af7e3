"""What waits for a person: one notification per person per event, read in the portal (the bell)
and sent by e-mail at once or in the morning's digest, as the person chose."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation


class Kind(models.TextChoices):
    PLAN_SUBMITTED = "plan_submitted", _("แผนเสนอให้พิจารณา")
    PLAN_RETURNED = "plan_returned", _("แผนถูกส่งกลับให้แก้ไข")
    PLAN_APPROVED = "plan_approved", _("แผนได้รับอนุมัติ")
    PLAN_PUBLISHED = "plan_published", _("แผนเผยแพร่แล้ว")
    PROGRESS_DUE = "progress_due", _("ใกล้ถึงกำหนดรายงานความก้าวหน้า")
    PROGRESS_OVERDUE = "progress_overdue", _("เลยกำหนดรายงานความก้าวหน้า")
    MEASURE_LATE = "measure_late", _("มาตรการเลยกำหนดเสร็จ")
    LINKS_BROKEN = "links_broken", _("ลิงก์ OIT ใช้ไม่ได้หรือไม่เป็นปัจจุบัน")
    WINDOW_OPENS = "window_opens", _("ช่วงเวลาการประเมินเริ่มแล้ว")
    WINDOW_CLOSES = "window_closes", _("ช่วงเวลาการประเมินใกล้ปิด")
    INVITATION = "invitation", _("คำเชิญรอตอบรับ")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("เรื่อง"), max_length=24, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("ข้อความ"), max_length=500)
    url = models.CharField(max_length=500)  # a path of the portal: where to act
    # The event: a person is told of it once, however often it is looked at.
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["emailed_at", "email_attempts"], name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return self.text


class EmailChoice(models.TextChoices):
    DIGEST = "digest", _("สรุปวันละครั้งตอนเช้า")
    IMMEDIATE = "immediate", _("ส่งทันทีทุกเรื่อง")
    OFF = "off", _("ไม่ส่งอีเมล (ดูในระบบอย่างเดียว)")


class Preference(models.Model):
    """How a person wants their notifications by e-mail (no row: the digest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("รับการแจ้งเตือนทางอีเมล"), max_length=16, choices=EmailChoice.choices, default=EmailChoice.DIGEST
    )

    class Meta:
        verbose_name = _("การรับการแจ้งเตือน")
        verbose_name_plural = _("การรับการแจ้งเตือน")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_email_display()}"

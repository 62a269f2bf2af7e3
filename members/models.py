"""An invitation to join an organisation with a role, sent by e-mail.

The link carries the invitation's id and a nonce signed with the portal's key and a timestamp
(``members.services``): valid ``INVITATION_DAYS``, once; sending it again changes the nonce,
so an older link stops working.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.choices import Role
from assessments.models import Organisation


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor cancelled (an expired one still shows, to be sent again)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("อีเมล"))
    name = models.CharField(_("ชื่อ-นามสกุล"), max_length=150, blank=True)
    role = models.CharField(_("บทบาท"), max_length=32, choices=Role.choices)
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("ส่งเมื่อ"))
    accepted_at = models.DateTimeField(_("ตอบรับเมื่อ"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("คำเชิญ")
        verbose_name_plural = _("คำเชิญ")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"


class ResetRequest(models.Model):
    """A password reset asked for, kept an hour to limit how often (``members.account``)."""

    ip = models.GenericIPAddressField(null=True)
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("คำขอตั้งรหัสผ่านใหม่")
        verbose_name_plural = _("คำขอตั้งรหัสผ่านใหม่")

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


class BulkInvitation(models.Model):
    """A checked sheet of people to invite, waiting for its administrator to confirm it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    rows = models.JSONField()  # [{"row": 2, "name": …, "email": …, "role": …}, …]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("คำเชิญจากไฟล์")
        verbose_name_plural = _("คำเชิญจากไฟล์")

    def __str__(self) -> str:
        return f"{self.file_name} ({len(self.rows)} คน)"


class Identity(models.Model):
    """An account's identity at an OpenID Connect provider (``members.oidc``): its issuer and
    subject. Linked once by a verified e-mail address; afterwards the subject alone signs in, so a
    changed address at the provider neither loses the account nor reaches another one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    email = models.EmailField(_("อีเมลเมื่อเชื่อมบัญชี"))
    linked_at = models.DateTimeField(_("เชื่อมเมื่อ"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุดเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("บัญชีผู้ให้บริการยืนยันตัวตน")
        verbose_name_plural = _("บัญชีผู้ให้บริการยืนยันตัวตน")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_one_per_subject"),
            models.UniqueConstraint(fields=["issuer", "user"], name="identity_one_per_user_and_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.email} @ {self.issuer}"

"""Writes: invitations (send, send again, cancel, accept) and memberships (change a role, remove).

Every function is keyword-only, checks ``member.manage`` where an administrator acts, runs in one
transaction holding the organisation's row (two administrators demoting each other cannot leave
it without one), and records who did it in the history.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.choices import Role
from assessments.models import Membership, Organisation
from ita_portal.locks import hold
from ita_portal.mail import send_mail
from ita_portal.permissions import Action, require

from .models import Invitation, new_nonce

logger = logging.getLogger(__name__)
INVITATION_DAYS = 7
_SALT = "members.invitation"


class InvitationRefused(Exception):
    """A link that cannot be used, with the Thai reason."""


def invitation_link(invitation: Invitation) -> str:
    """The path of the invitation's signed link (valid ``INVITATION_DAYS`` from now, once)."""
    token = signing.TimestampSigner(salt=_SALT).sign_object({"id": invitation.pk, "n": invitation.nonce})
    return reverse("members:accept", args=[token])


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link names; ``InvitationRefused`` says in Thai why not."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        data = signer.unsign_object(token, max_age=datetime.timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise InvitationRefused(
            f"ลิงก์คำเชิญนี้หมดอายุแล้ว (ใช้ได้ {INVITATION_DAYS} วันนับจากวันที่ส่ง) กรุณาขอให้ผู้ดูแลของหน่วยงานส่งคำเชิญอีกครั้ง"
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvitationRefused("ลิงก์คำเชิญนี้ไม่ถูกต้อง กรุณาเปิดลิงก์จากอีเมลให้ครบทั้งบรรทัด") from None
    invitation = Invitation.objects.select_related("organisation").filter(pk=data.get("id")).first()
    if invitation is None or invitation.nonce != data.get("n"):
        raise InvitationRefused("ลิงก์นี้ใช้ไม่ได้แล้ว เพราะมีการส่งคำเชิญฉบับใหม่ กรุณาเปิดลิงก์ในอีเมลฉบับล่าสุด")
    if invitation.cancelled_at:
        raise InvitationRefused("คำเชิญนี้ถูกยกเลิกแล้ว")
    if invitation.accepted_at:
        raise InvitationRefused("ลิงก์คำเชิญนี้ถูกใช้ไปแล้ว กรุณาเข้าสู่ระบบด้วยบัญชีของท่าน")
    return invitation


def _send(invitation: Invitation) -> bool:
    """E-mail the invitation; False (logged) when the mail server refused or could not be reached."""
    try:
        send_mail(
            invitation.email,
            f"คำเชิญเข้าร่วม {invitation.organisation.name} ใน ITA Portal",
            "emails/invitation",
            {
                "invitation": invitation,
                "link": invitation_link(invitation),
                "days": INVITATION_DAYS,
                "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.get_username()
                if invitation.invited_by
                else "",
            },
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("invitation e-mail not sent", extra={"invitation": invitation.pk})
        return False
    return True


def invitation_create(*, organisation: Organisation, email: str, role: str, user, name: str = "") -> tuple:
    """Invite ``email`` into ``organisation`` with ``role`` and send the link. Returns
    (invitation, sent). ValidationError in Thai for a member or an open invitation."""
    require(user, organisation, Action.MEMBER_MANAGE)
    email = email.strip().lower()
    with transaction.atomic():
        hold(organisation)
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise ValidationError({"email": f"{email} เป็นสมาชิกของหน่วยงานนี้อยู่แล้ว"})
        if Invitation.objects.open().filter(organisation=organisation, email=email).exists():
            raise ValidationError({"email": f"มีคำเชิญถึง {email} ที่ยังไม่ตอบรับอยู่แล้ว ใช้ปุ่ม “ส่งอีกครั้ง” ในรายการคำเชิญ"})
        invitation = Invitation(
            organisation=organisation,
            email=email,
            name=name.strip(),
            role=role,
            invited_by=user,
            sent_at=timezone.now(),
        )
        invitation._history_user = user
        invitation.full_clean()
        invitation.save()
    return invitation, _send(invitation)


def invitation_resend(*, invitation: Invitation, user) -> bool:
    """A new link (the old one stops working), valid from now; whether the e-mail left."""
    require(user, invitation.organisation, Action.MEMBER_MANAGE)
    with transaction.atomic():
        invitation = Invitation.objects.open().select_for_update().get(pk=invitation.pk)
        invitation.nonce, invitation.sent_at, invitation.invited_by = new_nonce(), timezone.now(), user
        invitation._history_user = user
        invitation.save()
    return _send(invitation)


def invitation_cancel(*, invitation: Invitation, user) -> None:
    require(user, invitation.organisation, Action.MEMBER_MANAGE)
    with transaction.atomic():
        invitation = Invitation.objects.open().select_for_update().get(pk=invitation.pk)
        invitation.cancelled_at = timezone.now()
        invitation._history_user = user
        invitation.save()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """``user`` (whose e-mail is the invited one) joins with the invited role, once."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at or invitation.cancelled_at:
        raise InvitationRefused("ลิงก์คำเชิญนี้ถูกใช้ไปแล้วหรือถูกยกเลิก")
    if (user.email or "").lower() != invitation.email:
        raise InvitationRefused(
            f"คำเชิญนี้ส่งถึง {invitation.email} แต่ท่านเข้าสู่ระบบด้วยบัญชีอื่น กรุณาออกจากระบบแล้วเปิดลิงก์อีกครั้ง"
        )
    membership = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
    if membership is None:
        membership = Membership(organisation=invitation.organisation, user=user, role=invitation.role)
        membership._history_user = user
        membership.save()
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation._history_user = user
    invitation.save()
    return membership


@transaction.atomic
def account_create(*, invitation: Invitation, first_name: str, last_name: str, password: str):
    """A new account for the invited address (its user name is the address), joined at once."""
    users = get_user_model()
    if users.objects.filter(
        Q(username__iexact=invitation.email) | Q(email__iexact=invitation.email)
    ).exists():
        raise InvitationRefused("มีบัญชีของอีเมลนี้อยู่แล้ว กรุณาเข้าสู่ระบบก่อนแล้วเปิดลิงก์อีกครั้ง")
    user = users.objects.create_user(
        username=invitation.email,
        email=invitation.email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    invitation_accept(invitation=invitation, user=user)
    return user


def _administrators_left(organisation: Organisation, without: Membership) -> int:
    return (
        Membership.objects.filter(organisation=organisation, role=Role.ADMINISTRATOR)
        .exclude(pk=without.pk)
        .count()
    )


def membership_change_role(*, membership: Membership, role: str, user) -> bool:
    """Whether the role changed; never leaves the organisation without an administrator."""
    require(user, membership.organisation, Action.MEMBER_MANAGE)
    with transaction.atomic():
        hold(membership.organisation)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return False
        if membership.role == Role.ADMINISTRATOR and not _administrators_left(
            membership.organisation, membership
        ):
            raise ValidationError("หน่วยงานต้องมีผู้ดูแลอย่างน้อย 1 คน จึงเปลี่ยนบทบาทของผู้ดูแลคนสุดท้ายไม่ได้")
        membership.role = role
        membership._history_user = user
        membership.full_clean()
        membership.save()
    return True


def membership_remove(*, membership: Membership, user) -> None:
    """Take a member out of the organisation (the account stays); never the last administrator."""
    require(user, membership.organisation, Action.MEMBER_MANAGE)
    with transaction.atomic():
        hold(membership.organisation)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Role.ADMINISTRATOR and not _administrators_left(
            membership.organisation, membership
        ):
            raise ValidationError("หน่วยงานต้องมีผู้ดูแลอย่างน้อย 1 คน จึงนำผู้ดูแลคนสุดท้ายออกไม่ได้")
        membership._history_user = user
        membership.delete()


def bulk_stage(*, organisation: Organisation, user, sheet, file_name: str):
    """A checked sheet waiting for confirmation; ValidationError with every row's Thai error."""
    from .bulk import check_sheet
    from .models import BulkInvitation

    require(user, organisation, Action.MEMBER_MANAGE)
    rows, errors = check_sheet(sheet, organisation)
    if errors:
        raise ValidationError(errors)
    return BulkInvitation.objects.create(
        organisation=organisation, file_name=file_name, rows=rows, created_by=user
    )


def bulk_confirm(*, bulk, user) -> list[int]:
    """Every invitation of the sheet in one transaction, or none if the members or invitations
    changed so that a row no longer fits; the new invitations' ids (sent by ``tasks``)."""
    from assessments.importing.spreadsheets import Sheet

    from .bulk import check_sheet
    from .models import BulkInvitation

    require(user, bulk.organisation, Action.MEMBER_MANAGE)
    with transaction.atomic():
        hold(bulk.organisation)
        bulk = BulkInvitation.objects.select_for_update().get(pk=bulk.pk)
        if bulk.confirmed_at:
            raise ValidationError("ไฟล์นี้ยืนยันไปแล้ว")
        header = [["ชื่อ", "อีเมล", "บทบาท"]]
        sheet = Sheet(
            kind="csv",
            name=bulk.file_name,
            rows=[(1, header[0])]
            + [(row["row"], [row["name"], row["email"], row["role"]]) for row in bulk.rows],
        )
        _rows, errors = check_sheet(sheet, bulk.organisation)
        if errors:
            raise ValidationError(["สมาชิกหรือคำเชิญเปลี่ยนไปหลังตรวจไฟล์ จึงยังไม่ได้เชิญใคร", *errors])
        now = timezone.now()
        made = Invitation.objects.bulk_create(
            [
                Invitation(
                    organisation=bulk.organisation,
                    email=row["email"],
                    name=row["name"],
                    role=row["role"],
                    invited_by=user,
                    sent_at=now,
                    nonce=new_nonce(),
                )
                for row in bulk.rows
            ]
        )
        bulk.confirmed_at = now
        bulk.save(update_fields=["confirmed_at"])
    return [invitation.pk for invitation in made]


def invitations_send(invitation_ids: list[int], on_progress=None) -> tuple[int, int]:
    """E-mail each invitation; (sent, failed). A failure is logged and left to "ส่งอีกครั้ง"."""
    sent = failed = 0
    for done, invitation in enumerate(
        Invitation.objects.open().filter(pk__in=invitation_ids).select_related("organisation", "invited_by"),
        start=1,
    ):
        if _send(invitation):
            sent += 1
        else:
            failed += 1
        if on_progress:
            on_progress(done)
    return sent, failed

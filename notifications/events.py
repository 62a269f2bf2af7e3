"""Events the other apps record, turned into notifications for the people who act next. Each is
written once the event's own transaction has committed, so a rolled-back step tells nobody."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from ita_portal.permissions import Action
from measures.choices import PlanAction
from measures.models import PlanEvent
from members.models import Invitation
from members.services import invitation_link
from oit.signals import register_checked

from .models import Kind
from .services import notification, notify, who_may

# What a step of a plan's review tells, to whom (by the permission table; None: every member),
# and which of the plan's pages it links to.
PLAN_STEPS = {
    PlanAction.SUBMIT: (Kind.PLAN_SUBMITTED, Action.PLAN_REVIEW, "measures:plan-detail"),
    PlanAction.RETURN: (Kind.PLAN_RETURNED, Action.PLAN_EDIT, "measures:plan-detail"),
    PlanAction.APPROVE: (Kind.PLAN_APPROVED, Action.DOCUMENT_PUBLISH, "reports:plan-documents"),
    PlanAction.PUBLISH: (Kind.PLAN_PUBLISHED, None, "measures:plan-progress"),
}


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "ระบบ"


def plan_step_text(event: PlanEvent) -> str:
    plan, who = event.plan, _person(event.user)
    name, year = plan.assessment.organisation.name, plan.plan_year
    comment = f" ความเห็น: {event.comment[:200]}" if event.comment else ""
    return {
        PlanAction.SUBMIT: f"{name}: แผนมาตรการปี {year} เสนอให้คณะทำงาน ITA พิจารณาแล้ว โดย {who}",
        PlanAction.RETURN: f"{name}: คณะทำงาน ITA ส่งแผนมาตรการปี {year} กลับให้แก้ไข โดย {who}.{comment}",
        PlanAction.APPROVE: f"{name}: แผนมาตรการปี {year} ได้รับอนุมัติแล้ว พร้อมจัดทำเอกสารและเผยแพร่",
        PlanAction.PUBLISH: f"{name}: แผนมาตรการปี {year} เผยแพร่แล้ว เริ่มรายงานความก้าวหน้าได้",
    }[event.action]


def plan_step(event_id: int) -> None:
    event = PlanEvent.objects.select_related("plan__assessment__organisation", "user").get(pk=event_id)
    kind, action, page = PLAN_STEPS[event.action]
    organisation = event.plan.assessment.organisation
    people = who_may([organisation.pk], action).get(organisation.pk, set()) - {event.user_id}
    text, url = plan_step_text(event), reverse(page, args=[event.plan_id])
    notify(notification(user, kind, f"plan-event:{event.pk}", text, url, organisation.pk) for user in people)


@receiver(post_save, sender=PlanEvent, dispatch_uid="notifications.plan_step")
def _on_plan_event(sender, instance: PlanEvent, created: bool, raw: bool = False, **kwargs):
    if created and not raw and instance.action in PLAN_STEPS:
        transaction.on_commit(lambda: plan_step(instance.pk))


def invitation_waiting(invitation_id: int) -> None:
    """An invitation to someone who already has an account also waits under their bell."""
    invitation = Invitation.objects.select_related("organisation").get(pk=invitation_id)
    if invitation.accepted_at or invitation.cancelled_at:
        return
    users = get_user_model().objects.filter(email__iexact=invitation.email, is_active=True)
    text = (
        f"{invitation.organisation.name} เชิญท่านเข้าร่วมในบทบาท{invitation.get_role_display()} เปิดเพื่อตอบรับคำเชิญ"
    )
    key, url = f"invitation:{invitation.pk}:{invitation.nonce}", invitation_link(invitation)
    notify(
        notification(user, Kind.INVITATION, key, text, url, invitation.organisation_id)
        for user in users.values_list("pk", flat=True)
    )


@receiver(post_save, sender=Invitation, dispatch_uid="notifications.invitation")
def _on_invitation(sender, instance: Invitation, raw: bool = False, **kwargs):
    if not raw and instance.accepted_at is None and instance.cancelled_at is None:
        transaction.on_commit(lambda: invitation_waiting(instance.pk))


@receiver(register_checked, dispatch_uid="notifications.links")
def _on_register_checked(sender, organisation: int, year: int, job_id: int, **kwargs):
    from .reminders import broken_links

    broken_links(organisation, year, job_id)

"""The review workflow of a measure plan, as data: which action moves which status, and who may.

draft → submitted → approved or returned (→ submitted again) → published; an
approved or published plan is locked until the working group reopens it.
Each transition names the action (``ita_portal.permissions``) that says who may take it.
Plain data and one function, so the table can be read and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from ita_portal.permissions import RULES, Action

from .choices import EDITABLE_STATUSES, TRACKED_STATUSES, PlanAction, PlanStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: Action  # who may: ita_portal.permissions
    needs_comment: bool = False

    @property
    def label(self) -> str:
        return PlanAction(self.action).label


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            PlanAction.SUBMIT,
            EDITABLE_STATUSES,
            PlanStatus.SUBMITTED,
            Action.PLAN_EDIT,
        ),
        Transition(
            PlanAction.APPROVE,
            frozenset({PlanStatus.SUBMITTED}),
            PlanStatus.APPROVED,
            Action.PLAN_REVIEW,
        ),
        Transition(
            PlanAction.RETURN,
            frozenset({PlanStatus.SUBMITTED}),
            PlanStatus.RETURNED,
            Action.PLAN_REVIEW,
            needs_comment=True,
        ),
        Transition(
            PlanAction.PUBLISH,
            frozenset({PlanStatus.APPROVED}),
            PlanStatus.PUBLISHED,
            Action.PLAN_PUBLISH,
        ),
        Transition(
            PlanAction.REOPEN,
            TRACKED_STATUSES,
            PlanStatus.DRAFT,
            Action.PLAN_REVIEW,
            needs_comment=True,
        ),
    )
}


def available_actions(status: str, roles: frozenset[str]) -> list[Transition]:
    """The transitions a user with ``roles`` may make from ``status``, in workflow order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and RULES[t.permission] & roles]

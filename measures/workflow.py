"""The review workflow of a measure plan, as data: which action moves which status, and who may.

draft → submitted → approved or returned (→ submitted again) → published; an
approved or published plan is locked until the working group reopens it.
Plain data and one function, so the table can be read and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessments.choices import Role

from .choices import EDITABLE_STATUSES, PLAN_EDITOR_ROLES, TRACKED_STATUSES, PlanAction, PlanStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
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
            PLAN_EDITOR_ROLES,
        ),
        Transition(
            PlanAction.APPROVE,
            frozenset({PlanStatus.SUBMITTED}),
            PlanStatus.APPROVED,
            frozenset({Role.WORKING_GROUP}),
        ),
        Transition(
            PlanAction.RETURN,
            frozenset({PlanStatus.SUBMITTED}),
            PlanStatus.RETURNED,
            frozenset({Role.WORKING_GROUP}),
            needs_comment=True,
        ),
        Transition(
            PlanAction.PUBLISH,
            frozenset({PlanStatus.APPROVED}),
            PlanStatus.PUBLISHED,
            frozenset({Role.ADMINISTRATOR}),
        ),
        Transition(
            PlanAction.REOPEN,
            TRACKED_STATUSES,
            PlanStatus.DRAFT,
            frozenset({Role.WORKING_GROUP}),
            needs_comment=True,
        ),
    )
}


def available_actions(status: str, roles: frozenset[str]) -> list[Transition]:
    """The transitions a user with ``roles`` may make from ``status``, in workflow order."""
    return [t for t in TRANSITIONS.values() if status in t.sources and t.roles & roles]

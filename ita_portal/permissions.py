"""Who may do what: one table of actions to roles, and the one way to ask it.

A user reaches an organisation through a membership with a role. Every action the
portal offers is named here with the roles that may take it; services call
``require`` before they write, selectors call ``can`` to tell pages which buttons to
show, and querysets ask ``roles_for`` (``Organisation.objects.permitting``).

Status codes: an object of an organisation the user is not a member of is a **404**
(the portal never confirms it exists); an action in an organisation the user can see
but whose role does not allow it is a **403** with the Thai page.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("เจ้าหน้าที่")
    WORKING_GROUP = "working_group", _("คณะทำงาน ITA")
    ADMINISTRATOR = "administrator", _("ผู้ดูแล/ผู้เผยแพร่")


# Not a membership: someone who follows the organisations of an area (``assessments.Oversight``)
# holds this role in each of them, and may only read.
OVERSEER = "overseer"
ALL_PROVINCES = ("*",)  # a national overseer's area


def oversight_of(user) -> tuple[str, ...]:
    """The provinces the user oversees: ``ALL_PROVINCES`` for a national overseer, () for none.
    Read once per user object (one request)."""
    cached = getattr(user, "_ita_oversight", None)
    if cached is None:
        provinces = list(user.oversights.values_list("province", flat=True)) if user.is_authenticated else []
        cached = ALL_PROVINCES if "" in provinces else tuple(provinces)
        user._ita_oversight = cached
    return cached


class Action(StrEnum):
    SCORE_EDIT = "score.edit"  # type or correct an assessment's scores
    SCORE_IMPORT = "score.import"  # write a results file into the organisation
    ORGANISATION_CREATE = "organisation.create"  # let an import create organisations
    PLAN_EDIT = "plan.edit"  # generate, regenerate, write and order the measures; submit
    PLAN_REVIEW = "plan.review"  # approve, return or reopen a plan
    PLAN_PUBLISH = "plan.publish"  # mark an approved plan published
    PROGRESS_EDIT = "progress.edit"  # record progress and evidence on an approved plan
    DOCUMENT_EDIT = "document.edit"  # memo details, digits, garuda
    DOCUMENT_PUBLISH = "document.publish"  # freeze and publish the documents
    OVERVIEW_VIEW = "overview.view"  # follow the plans of every organisation one administers
    HISTORY_VIEW = "history.view"  # read the organisation's audit history
    REGISTER_EDIT = "register.edit"  # the OIT register: links, who is responsible, checks
    MEMBER_MANAGE = "member.manage"  # invite members, change their roles, remove them
    OVERSIGHT_GRANT = "oversight.grant"  # make someone an overseer of a province or the country


_EDITORS = frozenset({Role.STAFF, Role.WORKING_GROUP})
_WORKING_GROUP = frozenset({Role.WORKING_GROUP})
_ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})

RULES: dict[Action, frozenset[str]] = {
    Action.SCORE_EDIT: _EDITORS,
    # A provincial office administers many organisations and holds their results in one table.
    Action.SCORE_IMPORT: _EDITORS | _ADMINISTRATORS,
    Action.ORGANISATION_CREATE: _ADMINISTRATORS,
    Action.PLAN_EDIT: _EDITORS,
    Action.PLAN_REVIEW: _WORKING_GROUP,
    Action.PLAN_PUBLISH: _ADMINISTRATORS,
    Action.PROGRESS_EDIT: _EDITORS,
    Action.DOCUMENT_EDIT: _WORKING_GROUP | _ADMINISTRATORS,
    Action.DOCUMENT_PUBLISH: _ADMINISTRATORS,
    Action.OVERVIEW_VIEW: _ADMINISTRATORS | {OVERSEER},
    Action.HISTORY_VIEW: _ADMINISTRATORS,
    Action.REGISTER_EDIT: _EDITORS | _ADMINISTRATORS,
    Action.MEMBER_MANAGE: _ADMINISTRATORS,
    Action.OVERSIGHT_GRANT: frozenset(),  # no role: superusers, and national overseers they let
}
SUPERUSERS_ONLY = frozenset(action for action, roles in RULES.items() if not roles)

# What a refused user reads: who may take the action.
REFUSALS: dict[Action, str] = {
    Action.SCORE_EDIT: "เฉพาะเจ้าหน้าที่และคณะทำงาน ITA ของหน่วยงานเท่านั้นที่กรอกหรือแก้ไขคะแนนได้",
    Action.SCORE_IMPORT: "ท่านไม่มีสิทธิ์นำเข้าผลการประเมินของหน่วยงานนี้",
    Action.ORGANISATION_CREATE: "เฉพาะผู้ดูแลเท่านั้นที่ให้การนำเข้าสร้างหน่วยงานใหม่ได้",
    Action.PLAN_EDIT: "เฉพาะเจ้าหน้าที่และคณะทำงาน ITA แก้ไขแผนได้",
    Action.PLAN_REVIEW: "เฉพาะคณะทำงาน ITA เท่านั้นที่อนุมัติ ส่งกลับ หรือเปิดแผนให้แก้ไขได้",
    Action.PLAN_PUBLISH: "เฉพาะผู้ดูแล/ผู้เผยแพร่เท่านั้นที่เผยแพร่แผนได้",
    Action.PROGRESS_EDIT: "บันทึกความก้าวหน้าได้เฉพาะเจ้าหน้าที่และคณะทำงาน ITA",
    Action.DOCUMENT_EDIT: "เฉพาะคณะทำงานหรือผู้ดูแลเท่านั้น",
    Action.DOCUMENT_PUBLISH: "เฉพาะผู้ดูแล/ผู้เผยแพร่เท่านั้นที่เผยแพร่เอกสารได้",
    Action.OVERVIEW_VIEW: "ภาพรวมแผนของหลายหน่วยงานเปิดได้เฉพาะผู้ดูแล",
    Action.HISTORY_VIEW: "ประวัติการแก้ไขของหน่วยงานเปิดได้เฉพาะผู้ดูแล",
    Action.REGISTER_EDIT: "เฉพาะเจ้าหน้าที่ คณะทำงาน ITA และผู้ดูแลของหน่วยงานเท่านั้นที่แก้ไขหรือตรวจทะเบียน OIT ได้",
    Action.MEMBER_MANAGE: "เฉพาะผู้ดูแลของหน่วยงานเท่านั้นที่เชิญ เปลี่ยนบทบาท หรือนำสมาชิกออกได้",
    Action.OVERSIGHT_GRANT: "เฉพาะผู้ดูแลระบบ และผู้กำกับติดตามทั่วประเทศที่ได้รับสิทธิ์ เท่านั้นที่มอบหรือถอนสิทธิ์ผู้กำกับติดตามได้",
}

ALL_ROLES = frozenset(Role.values) | {OVERSEER}


def roles_for(action: Action) -> frozenset[str]:
    return RULES[action]


def roles_of(user, organisation) -> frozenset[str]:
    """The user's roles in the organisation (every role for a superuser, none for a stranger)."""
    return roles_in(user, [organisation])[organisation.pk]


def roles_in(user, organisations) -> dict[int, frozenset[str]]:
    """``roles_of`` for many organisations in one query: organisation pk → the user's roles."""
    organisations = list(organisations)
    if not user.is_authenticated:
        return {org.pk: frozenset() for org in organisations}
    if user.is_superuser:
        return {org.pk: ALL_ROLES for org in organisations}
    held: dict[int, set[str]] = {org.pk: set() for org in organisations}
    for organisation_id, role in user.memberships.filter(
        organisation__in=[org.pk for org in organisations]
    ).values_list("organisation_id", "role"):
        held[organisation_id].add(role)
    area = oversight_of(user)
    for org in organisations:
        if area is ALL_PROVINCES or org.province in area:
            held[org.pk].add(OVERSEER)
    return {pk: frozenset(roles) for pk, roles in held.items()}


def can(user, organisation, action: Action) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True  # every role everywhere, and the actions no role takes
    return bool(roles_of(user, organisation) & RULES[action])


def allowed(user, organisation, *actions: Action) -> dict[str, bool]:
    """``{"plan_edit": True, …}`` for a page: one membership query for several actions."""
    roles = roles_of(user, organisation)
    return {action.name.lower(): bool(roles & RULES[action]) for action in actions}


def require(user, organisation, action: Action) -> None:
    """Raise PermissionDenied (403, with who may) unless the user may take the action there."""
    if not can(user, organisation, action):
        raise PermissionDenied(REFUSALS[action])


def anywhere(user, action: Action) -> bool:
    """Whether the user may take the action in at least one organisation."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if action == Action.OVERSIGHT_GRANT:  # a national overseer a superuser let grant it further
        return user.oversights.filter(province="", may_grant=True).exists()
    if OVERSEER in RULES[action] and oversight_of(user):
        return True
    return user.memberships.filter(role__in=RULES[action]).exists()

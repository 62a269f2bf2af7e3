"""Organisations and who belongs to them with which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.provinces import PROVINCE_CHOICES
from ita_portal.permissions import ALL_PROVINCES, OVERSEER, Action, oversight_of, roles_for

from ..choices import (
    OrganisationType,
    Role,
    SizeClass,
)

# --- Organisations and membership -------------------------------------------------------------


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations the user is a member of or oversees (all of them for a superuser or a
        national overseer). Written without joins, so it filters thousands of rows cheaply."""
        return self._reached_by(user, roles=None, oversight=True)

    def permitting(self, user, action: Action) -> OrganisationQuerySet:
        """Organisations where the user may take ``action`` (``ita_portal.permissions``)."""
        roles = roles_for(action)
        return self._reached_by(user, roles=roles, oversight=OVERSEER in roles)

    def as_filter(self, path: str) -> Q:
        """A filter on ``path`` (a way from another model to its organisation) to these
        organisations — nothing at all when they are every organisation (a national overseer's):
        the database then reads that model by its own indexes instead of joining it to the whole
        list of organisations first."""
        return Q(**{f"{path}__in": self}) if self.query.where else Q()

    def _reached_by(self, user, *, roles, oversight: bool) -> OrganisationQuerySet:
        """Memberships (with one of ``roles``, or any), or with ``oversight`` the overseer's area."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        provinces = oversight_of(user) if oversight else ()
        if provinces is ALL_PROVINCES:
            return self.all()
        memberships = Membership.objects.filter(user=user)
        if roles is not None:
            memberships = memberships.filter(role__in=roles)
        reached = memberships.order_by().values("organisation_id")
        if provinces:
            # One set of ids, not "member OR in the province": the database cannot estimate an OR
            # of a subquery and a column (it guesses half of all organisations, then reads every
            # assessment and plan of the country); a UNION it estimates from both halves' indexes.
            in_area = Organisation.objects.filter(province__in=provinces).order_by().values("pk")
            reached = reached.union(in_area)
        return self.filter(pk__in=reached)


class Organisation(models.Model):
    """A public agency taking part in the ITA, usually a local government."""

    code = models.CharField(
        _("รหัสหน่วยงาน"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        help_text=_("รหัสที่ไม่เปลี่ยนแปลง ใช้จับคู่เมื่อนำเข้าข้อมูล (ถ้ามี)"),
    )
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=255)
    org_type = models.CharField(_("ประเภท"), max_length=32, choices=OrganisationType.choices)
    size_class = models.CharField(_("ขนาด"), max_length=1, choices=SizeClass.choices, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100)
    province = models.CharField(_("จังหวัด"), max_length=100)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    # The ครุฑ (Garuda) printed on the memo and the announcement, as งานสารบรรณ wants a government
    # document headed: a small PNG or JPEG kept in the database, so a document never depends on a
    # media folder and is embedded in the PDF as a data: URL.
    garuda = models.BinaryField(_("ภาพครุฑ"), blank=True, null=True, editable=False)
    garuda_type = models.CharField(_("ชนิดไฟล์ภาพครุฑ"), max_length=16, blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["province", "name"]
        # The filters of the national lists: province and district, type, and name order.
        indexes = [
            models.Index(fields=["province", "district", "name"], name="organisation_place"),
            models.Index(fields=["org_type", "province"], name="organisation_type_province"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "district", "province"], name="organisation_unique_name_place"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def location(self) -> str:
        """ "อำเภอ… จังหวัด…", as pages and documents print it under the name."""
        return f"อำเภอ{self.district} จังหวัด{self.province}"

    @property
    def place(self) -> str:
        """The organisation as documents and workbooks name it: "… อำเภอ… จังหวัด…"."""
        return f"{self.name} {self.location}"


class Membership(models.Model):
    """A user's role in one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=32, choices=Role.choices)
    history = HistoricalRecords()  # who joined, changed role or left, and who did it

    class Meta:
        verbose_name = _("สมาชิกของหน่วยงาน")
        verbose_name_plural = _("สมาชิกของหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Oversight(models.Model):
    """A person who follows organisations without belonging to them — those of a province, or
    (no province) every one — and may only read: results, analyses, plans, progress, documents,
    exports. Granted in the portal by a superuser, or by a national overseer given the right to
    (``may_grant``, national only, given by a superuser)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oversights")
    province = models.CharField(
        _("จังหวัด"),
        max_length=100,
        blank=True,
        choices=PROVINCE_CHOICES,
        help_text=_("เว้นว่าง = ทุกหน่วยงานทั่วประเทศ"),
    )
    may_grant = models.BooleanField(
        _("มอบสิทธิ์ผู้กำกับติดตามแก่ผู้อื่นได้"),
        default=False,
        help_text=_("เฉพาะผู้กำกับติดตามทั่วประเทศ"),
    )

    history = HistoricalRecords()  # who was granted or lost an area, and by whom

    class Meta:
        verbose_name = _("ผู้กำกับติดตาม")
        verbose_name_plural = _("ผู้กำกับติดตาม")
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="oversight_unique_user_province"),
            models.CheckConstraint(
                condition=models.Q(may_grant=False) | models.Q(province=""),
                name="oversight_grant_is_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.province or 'ทั่วประเทศ'}"

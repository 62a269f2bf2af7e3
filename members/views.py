"""An organisation's members and invitations (its administrators), and the invitee's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from assessments.models import Membership, Organisation
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.permissions import Action

from . import services
from .account import provider_name
from .forms import AccountForm, InviteForm, RoleForm
from .models import Invitation


def _members_url(organisation) -> str:
    return reverse("members:list", args=[organisation.pk])


class MembersMixin(OrganisationScopedMixin):
    """The organisation's members pages: its administrators only (others 403, strangers 404)."""

    action = Action.MEMBER_MANAGE

    def load(self, request, pk, **kwargs):
        self.organisation = self.get_scoped_or_404(Organisation, "visible_to", pk=pk)


class MembersView(MembersMixin, TemplateView):
    """Members with their roles, open invitations, and the invitation form."""

    template_name = "members/members.html"

    def get_context_data(self, **kwargs):
        members = (
            Membership.objects.filter(organisation=self.organisation)
            .select_related("user")
            .order_by("role", "user__first_name", "user__username")
        )
        invitations = Invitation.objects.open().filter(organisation=self.organisation).order_by("-sent_at")
        return super().get_context_data(
            organisation=self.organisation,
            members=[(m, RoleForm(initial={"role": m.role}, auto_id=f"id_%s_{m.pk}")) for m in members],
            invitations=invitations,
            days=services.INVITATION_DAYS,
            form=kwargs.pop("form", None) or InviteForm(),
            **kwargs,
        )

    def post(self, request, pk):
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation, sent = services.invitation_create(
                    organisation=self.organisation, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                _said(request, invitation, sent)
                return redirect(_members_url(self.organisation))
        return self.render_to_response(self.get_context_data(form=form))


def _said(request, invitation, sent: bool) -> None:
    if sent:
        messages.success(request, _("ส่งคำเชิญถึง %(email)s แล้ว") % {"email": invitation.email})
    else:
        messages.warning(
            request,
            _("บันทึกคำเชิญถึง %(email)s แล้ว แต่ส่งอีเมลไม่สำเร็จ กรุณากด “ส่งอีกครั้ง” ภายหลัง")
            % {"email": invitation.email},
        )


class MemberRoleView(MembersMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, member):
        membership = get_object_or_404(Membership, organisation=self.organisation, pk=member)
        form = RoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("กรุณาเลือกบทบาทจากรายการ"))
        else:
            try:
                changed = services.membership_change_role(
                    membership=membership, role=form.cleaned_data["role"], user=request.user
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if changed:
                    messages.success(request, _("เปลี่ยนบทบาทแล้ว"))
        return redirect(_members_url(self.organisation))


class MemberRemoveView(MembersMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, member):
        membership = get_object_or_404(Membership, organisation=self.organisation, pk=member)
        try:
            services.membership_remove(membership=membership, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("นำ %(name)s ออกจากหน่วยงานแล้ว")
                % {"name": membership.user.get_full_name() or membership.user.get_username()},
            )
        return redirect(_members_url(self.organisation))


class InvitationActionView(MembersMixin, View):
    """Send an open invitation again (a new link), or cancel it."""

    http_method_names = ["post"]

    def post(self, request, pk, invitation, step):
        if step not in ("resend", "cancel"):
            raise Http404
        found = get_object_or_404(Invitation.objects.open(), organisation=self.organisation, pk=invitation)
        if step == "resend":
            _said(request, found, services.invitation_resend(invitation=found, user=request.user))
        else:
            services.invitation_cancel(invitation=found, user=request.user)
            messages.success(request, _("ยกเลิกคำเชิญถึง %(email)s แล้ว") % {"email": found.email})
        return redirect(_members_url(self.organisation))


class AcceptView(View):
    """The invitee's page (no login needed): join with the existing account, or make one."""

    template_name = "members/accept.html"

    def dispatch(self, request, token):
        try:
            self.invitation = services.invitation_from_token(token)
        except services.InvitationRefused as exc:
            return render(request, "members/refused.html", {"reason": str(exc)}, status=410)
        return super().dispatch(request, token)

    def _has_account(self) -> bool:
        from django.contrib.auth import get_user_model

        email = self.invitation.email
        return get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()

    def get(self, request, token, form=None):
        context = {
            "invitation": self.invitation,
            "has_account": self._has_account(),
            "form": form,
            "provider_name": provider_name(),
        }
        if not request.user.is_authenticated and not context["has_account"]:
            context["form"] = form or AccountForm(email=self.invitation.email)
        return render(request, self.template_name, context)

    def post(self, request, token):
        try:
            if request.user.is_authenticated:
                services.invitation_accept(invitation=self.invitation, user=request.user)
            else:
                form = AccountForm(request.POST, email=self.invitation.email)
                if not form.is_valid():
                    return self.get(request, token, form=form)
                data = form.cleaned_data
                user = services.account_create(
                    invitation=self.invitation,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except services.InvitationRefused as exc:
            return render(request, "members/refused.html", {"reason": str(exc)}, status=410)
        messages.success(request, _("ยินดีต้อนรับสู่ %(name)s") % {"name": self.invitation.organisation.name})
        return redirect("home")

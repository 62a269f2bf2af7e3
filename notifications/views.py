"""A person's own notifications: the list (newest first, paged), opening one (read, then where to
act), marking read, and how they want them by e-mail. Only the person's own: any other is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from ita_portal.mixins import OrganisationScopedMixin

from .models import EmailChoice, Notification, Preference
from .services import mark_read

PER_PAGE = 20


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("รับการแจ้งเตือนทางอีเมล"), choices=EmailChoice.choices, widget=forms.RadioSelect
    )


class NotificationListView(OrganisationScopedMixin, TemplateView):
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = Paginator(
            Notification.objects.filter(user=user).select_related("organisation"), PER_PAGE
        ).get_page(self.request.GET.get("page"))
        preference = Preference.objects.filter(user=user).first()
        return super().get_context_data(
            page=page,
            unread=Notification.objects.filter(user=user, read_at__isnull=True).count(),
            form=kwargs.pop("form", None)
            or PreferenceForm(initial={"email": preference.email if preference else EmailChoice.DIGEST}),
            **kwargs,
        )

    def post(self, request):
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        Preference.objects.update_or_create(user=request.user, defaults={"email": form.cleaned_data["email"]})
        messages.success(
            request,
            _("บันทึกการรับอีเมลแล้ว: %(choice)s") % {"choice": EmailChoice(form.cleaned_data["email"]).label},
        )
        return redirect("notifications:list")


class NotificationOpenView(OrganisationScopedMixin, View):
    """Marks the notification read and goes where it asks the person to act."""

    def get(self, request, pk):
        found = get_object_or_404(Notification, pk=pk, user=request.user)
        if found.read_at is None:
            Notification.objects.filter(pk=found.pk).update(read_at=timezone.now())
        safe = url_has_allowed_host_and_scheme(found.url, {request.get_host()}, request.is_secure())
        return redirect(found.url if safe and found.url.startswith("/") else "notifications:list")


class NotificationReadView(OrganisationScopedMixin, View):
    """Mark read: one (``pk``) or all of the person's."""

    http_method_names = ["post"]

    def post(self, request, pk=None):
        if pk is not None:
            get_object_or_404(Notification, pk=pk, user=request.user)
        changed = mark_read(request.user, None if pk is None else [pk])
        if pk is None:
            messages.success(request, _("ทำเครื่องหมายว่าอ่านแล้ว %(count)s รายการ") % {"count": f"{changed:,}"})
        target = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
        return redirect(target if safe and target else "notifications:list")

"""Inviting many people from a sheet: upload → preview (or every row's error) → confirm."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from assessments.importing.spreadsheets import SpreadsheetError, read_sheet
from ita_portal import jobs
from ita_portal.models import JobKind

from . import services, tasks
from .bulk import MAX_ROWS
from .models import BulkInvitation
from .views import MembersMixin


class BulkForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ไฟล์รายชื่อ (.xlsx หรือ .csv: ชื่อ อีเมล บทบาท)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("ไฟล์มีขนาด %(size).1f MB เกินขนาดสูงสุด %(limit)d MB")
                % {"size": upload.size / 1024 / 1024, "limit": settings.IMPORT_MAX_BYTES // 1024 // 1024}
            )
        try:
            self.sheet = read_sheet(upload.read(), max_rows=MAX_ROWS + 1)
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


class BulkInviteView(MembersMixin, View):
    template_name = "members/bulk.html"

    def get(self, request, pk):
        return render(
            request,
            self.template_name,
            {"organisation": self.organisation, "form": BulkForm(), "max_rows": MAX_ROWS},
        )

    def post(self, request, pk):
        form = BulkForm(request.POST, request.FILES)
        context = {"organisation": self.organisation, "form": form, "max_rows": MAX_ROWS}
        if form.is_valid():
            try:
                context["bulk"] = services.bulk_stage(
                    organisation=self.organisation,
                    user=request.user,
                    sheet=form.sheet,
                    file_name=form.cleaned_data["file"].name,
                )
            except ValidationError as exc:
                context["errors"] = exc.messages
        return render(request, self.template_name, context)


class BulkConfirmView(MembersMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, bulk):
        found = get_object_or_404(BulkInvitation, organisation=self.organisation, pk=bulk)
        try:
            ids = services.bulk_confirm(bulk=found, user=request.user)
        except ValidationError as exc:
            return render(
                request,
                BulkInviteView.template_name,
                {
                    "organisation": self.organisation,
                    "form": BulkForm(),
                    "errors": exc.messages,
                    "max_rows": MAX_ROWS,
                },
            )
        job = jobs.start(
            kind=JobKind.INVITATIONS,
            title=f"คำเชิญ {len(ids):,} คน · {self.organisation.name}",
            user=request.user,
            total=len(ids),
            next_url=f"/organisations/{self.organisation.pk}/members/",
        )
        jobs.enqueue(job, tasks.send_invitations, ids)
        messages.success(request, _("บันทึกคำเชิญ %(count)s คนแล้ว กำลังส่งอีเมล") % {"count": f"{len(ids):,}"})
        return redirect(job)

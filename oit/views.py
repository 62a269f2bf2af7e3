"""The OIT register's pages: the register of a year (read by members and overseers, edited by
staff, the working group and administrators), copying last year's links forward, checking every
link in the background, and the register as a workbook."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from assessments.choices import QuestionKind
from assessments.models import FiscalYear, Organisation
from ita_portal import jobs, permissions
from ita_portal.delivery import deliver
from ita_portal.mixins import OrganisationScopedMixin
from ita_portal.models import JobKind
from ita_portal.permissions import Action as Permission
from ita_portal.responses import xlsx_response
from ita_portal.stale import StaleEdit

from . import files, public, tasks
from . import selectors as register
from .forms import RegisterRowForm
from .services import RowValues, register_copy_forward, register_open, register_save


class RegisterMixin(OrganisationScopedMixin):
    """An organisation's OIT register of a year: a member or an overseer reads it (404 outside);
    staff, the working group and administrators edit and check it (403 for the others)."""

    write_action = Permission.REGISTER_EDIT

    def load(self, request, pk, year=None):
        self.organisation = self.get_scoped_or_404(Organisation, "visible_to", pk=pk)
        if year is None:
            current = register.register_year(timezone.localdate())
            if current is None:
                raise Http404
            return redirect("oit:register", pk=pk, year=current.year)
        self.fiscal_year = get_object_or_404(
            FiscalYear.objects.filter(questions__kind=QuestionKind.OIT_ITEM).distinct(), year=year
        )
        self.can_edit = permissions.can(request.user, self.organisation, Permission.REGISTER_EDIT)
        return None

    def register_url(self) -> str:
        return reverse("oit:register", kwargs={"pk": self.organisation.pk, "year": self.fiscal_year.year})


class RegisterView(RegisterMixin, TemplateView):
    """The register as a table of rows, each editable in place; readiness and the estimate above."""

    template_name = "oit/register.html"

    def forms(self, page, data=None):
        return {
            row.item.pk: RegisterRowForm(
                data,
                prefix=f"item-{row.item.pk}",
                initial={
                    "urls": row.item.urls,
                    "responsible": row.item.responsible,
                    "status": row.item.status,
                    "note": row.item.note,
                    "version": row.item.version,
                },
            )
            for row in page.rows
        }

    def get(self, request, *args, **kwargs):
        if self.can_edit:
            register_open(organisation=self.organisation, fiscal_year=self.fiscal_year)
        return self.render(register.register_page(self.organisation, self.fiscal_year))

    def render(self, page, forms=None, errors=()):
        forms = forms or self.forms(page)
        # Each sub-indicator's readiness, for its group's heading: [ready, items].
        groups: dict[int | None, list[int]] = {}
        for row in page.rows:
            counts = groups.setdefault(row.question.sub_indicator_id, [0, 0])
            counts[0] += row.state == "ready"
            counts[1] += 1
        rows = [(row, forms.get(row.item.pk), groups[row.question.sub_indicator_id]) for row in page.rows]
        return self.render_to_response(
            self.get_context_data(
                organisation=self.organisation,
                fiscal_year=self.fiscal_year,
                page=page,
                rows=rows,
                errors=errors,
                can_edit=self.can_edit,
                years=register.register_years(self.organisation),
                base_url=self.request.build_absolute_uri("/")[:-1],
            )
        )

    def post(self, request, *args, **kwargs):
        page = register.register_page(self.organisation, self.fiscal_year)
        forms = self.forms(page, request.POST)
        if not all([form.is_valid() for form in forms.values()]):
            # A row's own fields show their errors; what concerns a whole row (a post without the
            # versions the page showed) is said once above the table.
            above = dict.fromkeys(error for form in forms.values() for error in form.non_field_errors())
            return self.render(page, forms, errors=list(above) or [_("ยังบันทึกไม่ได้ กรุณาแก้ไขช่องที่มีข้อความสีแดง")])
        rows = {
            pk: RowValues(
                urls=form.cleaned_data["urls"],
                responsible=form.cleaned_data["responsible"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
            for pk, form in forms.items()
        }
        versions = {pk: form.cleaned_data["version"] for pk, form in forms.items()}
        self.row_forms = forms
        try:
            changed = register_save(
                organisation=self.organisation,
                fiscal_year=self.fiscal_year,
                rows=rows,
                versions=versions,
                user=request.user,
            )
        except ValidationError as exc:
            for pk, messages_ in exc.message_dict.items():
                forms[int(pk)].add_error("urls", messages_)
            return self.render(page, forms, errors=[_("ยังบันทึกไม่ได้ กรุณาแก้ไขช่องที่มีข้อความสีแดง")])
        messages.success(
            request,
            _("บันทึกทะเบียน OIT แล้ว (%(n)s รายการ)") % {"n": changed} if changed else _("ไม่มีรายการที่เปลี่ยน"),
        )
        return redirect(self.register_url())

    def stale(self, exc: StaleEdit):
        """Rows someone saved first: the refusal above the table, every row keeping what was typed
        and taking the version now stored, so that the next save goes through."""
        fresh = register.register_page(self.organisation, self.fiscal_year)
        current = {row.item.pk: row.item.version for row in fresh.rows}
        for pk, form in self.row_forms.items():
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = str(current.get(pk, 0))
        details = [f"{what}: {new}" for what, _old, new in exc.changes]
        return self.render(fresh, self.row_forms, errors=[exc.messages[0], *details])


class RegisterCopyView(RegisterMixin, View):
    """Fill this year's empty rows from last year's register (matched by each item's key)."""

    def post(self, request, *args, **kwargs):
        result = register_copy_forward(
            organisation=self.organisation, fiscal_year=self.fiscal_year, user=request.user
        )
        messages.success(
            request,
            _(
                "คัดลอกลิงก์จากปี %(year)s แล้ว %(copied)s รายการ · ถ้อยคำเปลี่ยน ต้องตรวจ %(reworded)s รายการ"
                " · รายการใหม่ที่ต้องกรอกเอง %(new)s รายการ"
            )
            % {
                "year": self.fiscal_year.year - 1,
                "copied": result.copied,
                "reworded": result.reworded,
                "new": result.new,
            },
        )
        return redirect(self.register_url())


class RegisterCheckView(RegisterMixin, View):
    """Check every link of the register in the background; asking again joins the running check."""

    def post(self, request, *args, **kwargs):
        key = f"linkcheck:{self.organisation.pk}:{self.fiscal_year.year}"
        job, created = jobs.start_or_join(
            kind=JobKind.LINKCHECK,
            key=key,
            user=request.user,
            title=f"ตรวจลิงก์ OIT ปี {self.fiscal_year.year} · {self.organisation.name}",
            next_url=self.register_url(),
        )
        if created:
            jobs.enqueue(job, tasks.check_register, self.organisation.pk, self.fiscal_year.year)
        return redirect(job)


class RegisterExportView(RegisterMixin, View):
    """The register as the workbook an agency submits from (the portal's own links filled in)."""

    def get(self, request, *args, **kwargs):
        year, base_url = self.fiscal_year.year, request.build_absolute_uri("/")[:-1]
        title = f"ทะเบียน OIT ปี {year} · {self.organisation.name}"
        return deliver(request, files.register, self.organisation.pk, year, base_url, rows=1, title=title)


# --- The public OIT page (no login) --------------------------------------------------------------


def _public_register(request, org: int, year: int) -> public.PublicRegister:
    """The organisation's year, 404 for a year without OIT items."""
    organisation = get_object_or_404(Organisation, pk=org)
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    found = public.public_register(organisation, fiscal_year, f"{request.scheme}://{request.get_host()}")
    if not found.items:
        raise Http404("ปีนี้ไม่มีรายการข้อมูล OIT")
    return found


class PublicRegisterView(TemplateView):
    """The page an agency links from its website for OIT: every item with its links."""

    template_name = "oit/public_register.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(register=_public_register(self.request, **self.kwargs), **kwargs)


class PublicRegisterCurrentView(View):
    """The address an agency's website links once: this year's page, whichever year it is."""

    def get(self, request, org):
        get_object_or_404(Organisation, pk=org)
        fiscal_year = register.register_year(timezone.localdate())
        if fiscal_year is None:
            raise Http404("ยังไม่มีรายการข้อมูล OIT")
        return redirect("oit:public", org=org, year=fiscal_year.year)


class PublicRegisterWorkbookView(View):
    """The same links as a workbook, in ITAS's order."""

    def get(self, request, org, year):
        found = _public_register(request, org, year)
        return xlsx_response(public.public_workbook(found), f"oit-{year}-{org}.xlsx")

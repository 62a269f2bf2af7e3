"""The OIT register's row form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import PortalForm

from .choices import RegisterStatus


class RegisterRowForm(PortalForm, forms.Form):
    """One row of the OIT register (the register page lays the rows out as a table; each row's
    fields carry the prefix ``item-<pk>``)."""

    urls = forms.CharField(
        label=_("ลิงก์ที่จะส่ง"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://…  (บรรทัดละหนึ่งลิงก์)"}),
    )
    responsible = forms.CharField(label=_("ผู้รับผิดชอบ"), required=False, max_length=255)
    status = forms.ChoiceField(label=_("สถานะ"), choices=RegisterStatus.choices)
    note = forms.CharField(label=_("หมายเหตุ"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_urls(self):
        from .services import clean_urls

        return clean_urls(self.cleaned_data["urls"])

    def clean(self):
        cleaned = super().clean()
        needs_link = cleaned.get("status") not in (None, RegisterStatus.MISSING)
        if needs_link and not cleaned.get("urls") and "urls" not in self.errors:
            self.add_error("urls", _("ใส่ลิงก์ก่อนจึงจะเลือกสถานะ “มีแล้ว” หรือ “ตรวจแล้ว” ได้"))
        return cleaned

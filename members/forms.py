"""The members page's forms and the invitee's account form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from assessments.choices import Role
from ita_portal.forms import PortalForm


class InviteForm(PortalForm, forms.Form):
    email = forms.EmailField(label=_("อีเมล"))
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("บทบาท"),
        choices=Role.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )


class AccountForm(PortalForm, forms.Form):
    """A new account from an invitation: a name and a password (the user name is the address)."""

    first_name = forms.CharField(label=_("ชื่อ"), max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150)
    password1 = forms.CharField(
        label=_("รหัสผ่าน"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("ยืนยันรหัสผ่าน"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
        elif first:
            from django.contrib.auth import get_user_model

            probe = get_user_model()(
                username=self.email, email=self.email, first_name=data.get("first_name", "")
            )
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

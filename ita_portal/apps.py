from django.apps import AppConfig


class ItaPortalConfig(AppConfig):
    """Shared helpers: Thai digits and dates (template filters), the organisation-scoping mixin."""

    name = "ita_portal"
    verbose_name = "ITA Portal"

    def ready(self) -> None:
        # Django's Thai catalogue leaves the length limits in English ("Ensure this value has at
        # most 255 characters"); every field of the portal uses these validators, so they get Thai
        # text here once rather than on each field.
        from django import forms
        from django.core import validators
        from django.utils.translation import gettext_lazy as _

        validators.MaxLengthValidator.message = _(
            "ข้อความนี้ยาวได้ไม่เกิน %(limit_value)d ตัวอักษร (พิมพ์มา %(show_value)d ตัวอักษร)"
        )
        validators.MinLengthValidator.message = _(
            "ข้อความนี้ต้องยาวอย่างน้อย %(limit_value)d ตัวอักษร (พิมพ์มา %(show_value)d ตัวอักษร)"
        )
        forms.FileField.default_error_messages["max_length"] = _(
            "ชื่อไฟล์ยาวได้ไม่เกิน %(max)d ตัวอักษร (ชื่อนี้ยาว %(length)d ตัวอักษร)"
        )

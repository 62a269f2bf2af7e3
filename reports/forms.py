"""Forms of the documents: digits option, memo details and signatories, the announcement's date
and signer, the ครุฑ, publishing and signed copies."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import PortalForm, ThaiDateField, columns, form_helper

from . import services
from .choices import DocumentKind
from .models import Announcement, Memo


class DocumentOptionsForm(forms.Form):
    thai_digits = forms.TypedChoiceField(
        label=_("ตัวเลขในเอกสาร"),
        choices=[("1", _("เลขไทย (๐–๙)")), ("0", _("เลขอารบิก (0–9)"))],
        coerce=lambda value: value == "1",
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )
    helper = form_helper()


class SharedDetailsForm(PortalForm, forms.ModelForm):
    """A form of a record several people edit (``models.SharedDetails``): it carries the version it
    showed (0 for a new record), and the service refuses a save over a newer one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "version" not in self.initial:
            self.initial["version"] = self.instance.version if self.instance.pk else 0


class MemoForm(SharedDetailsForm):
    date = ThaiDateField(label=_("วันที่"), required=False, help_text=_("วัน/เดือน/ปี พ.ศ. เช่น ๒๐/๑๑/๒๕๖๘"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The memo's head and author; the signatories' formset follows, then the decision fields.
        self.helper = form_helper(
            "department",
            columns(("number", "col-md-6"), ("date", "col-md-6")),
            "subject",
            "addressee",
            columns(("author_name", "col-md-6"), ("author_position", "col-md-6")),
        )
        self.decision_helper = form_helper(
            columns(("decision_name", "col-md-6"), ("decision_position", "col-md-6")),
            render_hidden_fields=False,
        )

    class Meta:
        model = Memo
        fields = [
            "department",
            "number",
            "date",
            "subject",
            "addressee",
            "author_name",
            "author_position",
            "decision_name",
            "decision_position",
        ]
        widgets = {"subject": forms.Textarea(attrs={"rows": 2})}


class SignatoryForm(PortalForm, forms.Form):
    """One step up the chain of the memo; a row left empty is skipped.

    The formset adds ``ORDER`` (its place in the chain, lowest first) and ``DELETE``.
    """

    addressed_to = forms.CharField(label=_("เรียน"), max_length=255, required=False)
    opinion = forms.CharField(
        label=_("ความเห็น"), max_length=255, required=False, initial="ทราบ/เพื่อโปรดพิจารณา"
    )
    name = forms.CharField(label=_("ชื่อ-สกุล"), max_length=255, required=False)
    position = forms.CharField(label=_("ตำแหน่ง"), max_length=255, required=False)

    # ORDER and DELETE are added by the formset; the layout places them at the row's start.
    helper = form_helper(
        columns(
            ("ORDER", "col-6 col-md-2"),
            ("DELETE", "col-6 col-md-2 d-flex align-items-end"),
            ("addressed_to", "col-md-4"),
            ("opinion", "col-md-4"),
            ("name", "col-md-6"),
            ("position", "col-md-6"),
        )
    )

    def clean(self):
        data = super().clean()
        filled = {key: (data.get(key) or "").strip() for key in ("addressed_to", "name", "position")}
        if any(filled.values()):
            for key, value in filled.items():
                if not value:
                    self.add_error(key, _("กรุณากรอกให้ครบทั้งเรียน ชื่อ และตำแหน่ง"))
        return data

    def signer(self) -> services.Signer | None:
        data = self.cleaned_data
        if not data or not (data.get("name") or "").strip():
            return None
        return services.Signer(
            addressed_to=data["addressed_to"].strip(),
            opinion=(data.get("opinion") or "").strip() or "ทราบ/เพื่อโปรดพิจารณา",
            name=data["name"].strip(),
            position=data["position"].strip(),
        )


MAX_SIGNATORIES = 8


class BaseSignatoryFormSet(forms.BaseFormSet):
    """The chain of signatories: rows in the order their ``ORDER`` gives, deleted and empty rows left out."""

    default_error_messages = {
        "too_many_forms": _("ผู้ลงนามเสนอได้ไม่เกิน %(num)d ลำดับ"),
        "too_few_forms": _("ต้องมีผู้ลงนามเสนออย่างน้อย %(num)d ลำดับ"),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("ลำดับ")
        form.fields["ORDER"].widget.attrs.update({"min": 1, "class": "order-input"})
        form.fields["DELETE"].label = _("ลบแถวนี้")

    def signers(self) -> list[services.Signer]:
        return [s for s in (f.signer() for f in self.ordered_forms) if s is not None]


SignatoryFormSet = forms.formset_factory(
    SignatoryForm,
    formset=BaseSignatoryFormSet,
    extra=1,
    max_num=MAX_SIGNATORIES,
    validate_max=True,
    can_order=True,
    can_delete=True,
)


def typed_so_far(data, form_fields, prefix: str) -> tuple[dict, list[dict]]:
    """What was typed into the memo form and its signatory rows, as initial values, so the form can
    be shown again with one more empty row (the "เพิ่มแถว" button works without a script) and
    without error messages for a form the user has not tried to save yet."""
    memo = {name: data.get(name, "") for name in form_fields}
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_SIGNATORIES)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        row = {
            name: data.get(f"{prefix}-{index}-{name}", "")
            for name in ("addressed_to", "opinion", "name", "position", "ORDER")
        }
        row["DELETE"] = bool(data.get(f"{prefix}-{index}-DELETE"))
        rows.append(row)
    return memo, rows


class GarudaForm(forms.Form):
    garuda = forms.FileField(
        label=_("ภาพครุฑ"),
        required=False,
        help_text=_(
            "ตราครุฑสำหรับหนังสือราชการ (ไม่ใช่ตราของหน่วยงาน) PNG หรือ JPEG ไม่เกิน %(kb)s KB "
            "พิมพ์สูง 1.5 ซม. ที่มุมบนซ้ายของบันทึกข้อความ และสูง 3 ซม. กลางหน้าประกาศ"
        )
        % {"kb": settings.GARUDA_MAX_BYTES // 1024},
    )
    remove = forms.BooleanField(label=_("ลบภาพครุฑที่มีอยู่"), required=False)

    def __init__(self, *args, has_garuda: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("garuda", *(["remove"] if has_garuda else []))

    def clean(self):
        data = super().clean()
        upload = data.get("garuda")
        if upload is None and not data.get("remove"):
            raise ValidationError(_("กรุณาเลือกไฟล์ภาพครุฑ หรือเลือกลบภาพที่มีอยู่"))
        if upload is not None:
            # check_garuda refuses an oversized file; read at most one byte past the limit.
            content = upload.read(settings.GARUDA_MAX_BYTES + 1)
            try:
                services.check_garuda(content)
            except ValidationError as exc:
                self.add_error("garuda", exc)
            data["content"] = content
        return data


class PublishForm(PortalForm, forms.Form):
    override_reason = forms.CharField(
        label=_("เหตุผลที่เผยแพร่แม้พบความคลาดเคลื่อน"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("กรอกเฉพาะเมื่อระบบพบความคลาดเคลื่อนและท่านยืนยันจะเผยแพร่ เหตุผลนี้จะแสดงคู่กับเอกสาร"),
    )
    evidence = forms.MultipleChoiceField(
        label=_("ไฟล์หลักฐานที่เผยแพร่พร้อมรายงาน"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "ไฟล์ที่เลือกจะมีลิงก์สาธารณะถาวรในรายงาน (เปิดได้โดยไม่ต้องเข้าสู่ระบบ และลบไม่ได้) "
            "ไฟล์ที่ไม่เลือกแสดงเพียงชื่อในรายงาน ลิงก์หลักฐานแสดงในรายงานเสมอ"
        ),
    )

    without_garuda = forms.BooleanField(
        label=_("ยืนยันสร้างฉบับโดยไม่มีภาพครุฑ"),
        required=True,
        error_messages={"required": _("กรุณาอัปโหลดภาพครุฑ หรือยืนยันว่าจะสร้างฉบับโดยไม่มีครุฑ")},
    )

    def __init__(
        self, *args, discrepancies: bool = False, evidence_files=(), garuda_missing: bool = False, **kwargs
    ):
        """``discrepancies``: ask for the reason; ``evidence_files``: the plan's uploaded files
        (``selectors.plan_evidence_files``), those already public ticked; ``garuda_missing``: a memo
        or an announcement without the ครุฑ asks to confirm."""
        super().__init__(*args, **kwargs)
        files = list(evidence_files)
        public = {f.pk for f in files if getattr(f, "published", None)}  # reverse one-to-one: may be absent
        self.fields["evidence"].choices = [
            (
                str(f.pk),
                f"{f.original_name} · {f.update.measure.title[:60]}"
                + (" · เผยแพร่แล้ว" if f.pk in public else ""),
            )
            for f in files
        ]
        self.initial.setdefault("evidence", [str(pk) for pk in public])
        # Only what this document asks for (crispy would render every field of an empty layout).
        if not discrepancies:
            del self.fields["override_reason"]
        if not files:
            del self.fields["evidence"]
        if not garuda_missing:
            del self.fields["without_garuda"]
        self.helper = form_helper()


class AnnouncementForm(SharedDetailsForm):
    date = ThaiDateField(label=_("ประกาศ ณ วันที่"), required=False, help_text=_("วัน/เดือน/ปี พ.ศ. เช่น ๑/๑๐/๒๕๖๙"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "date", columns(("signer_name", "col-md-6"), ("signer_position", "col-md-6")), "version"
        )

    class Meta:
        model = Announcement
        fields = ["date", "signer_name", "signer_position"]


class SignedCopyForm(forms.Form):
    """The scan of a version as the executive signed it: checked by content before it is kept."""

    scan = forms.FileField(
        label=_("ไฟล์สแกนฉบับที่ลงนามแล้ว"),
        help_text=_("PDF, JPEG หรือ PNG ไม่เกิน %(mb)s MB สแกนจากฉบับที่พิมพ์จากปุ่ม “ดาวน์โหลดฉบับสำหรับลงนาม”")
        % {"mb": settings.SIGNED_COPY_MAX_BYTES // 1024 // 1024},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("scan")

    def clean_scan(self):
        upload = self.cleaned_data["scan"]
        limit = settings.SIGNED_COPY_MAX_BYTES
        if upload.size > limit:  # known before anything is read
            raise ValidationError(_("ไฟล์ใหญ่เกินไป (ไม่เกิน %(mb)s MB)"), params={"mb": limit // 1024 // 1024})
        content = upload.read(limit + 1)
        services.check_scan(content)  # a ValidationError in Thai for anything but a PDF or a picture
        return upload.name, content


class WithdrawForm(PortalForm, forms.Form):
    """Why something published is withdrawn: shown to whoever opens its address afterwards."""

    reason = forms.CharField(
        label=_("เหตุผลที่ถอนการเผยแพร่"),
        help_text=_("ผู้ที่เปิดลิงก์เดิมจะเห็นเหตุผลนี้ เช่น “ไฟล์มีข้อมูลส่วนบุคคล ถอนตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล”"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason")

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < services.REASON_MIN_LENGTH:
            raise ValidationError(
                _("กรุณาระบุเหตุผลอย่างน้อย %(n)s ตัวอักษร"), params={"n": services.REASON_MIN_LENGTH}
            )
        return reason


class BatchYearForm(forms.Form):
    """Which year's plans the batch page lists (a GET)."""

    year = forms.TypedChoiceField(label=_("แผนมาตรการปี"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.helper = form_helper()


class BatchForm(forms.Form):
    """One kind of document for many plans of a year, rendered (or published) in the background."""

    kind = forms.ChoiceField(label=_("เอกสาร"), choices=DocumentKind.choices)
    plans = forms.MultipleChoiceField(label=_("หน่วยงาน"), required=False, widget=forms.CheckboxSelectMultiple)
    everything = forms.BooleanField(label=_("ทุกหน่วยงานในรายการ"), required=False)
    publish = forms.BooleanField(
        label=_("เผยแพร่ด้วย (เฉพาะหน่วยงานที่ท่านเป็นผู้ดูแล/ผู้เผยแพร่ และเอกสารที่ไม่มีความคลาดเคลื่อน)"),
        required=False,
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_ids = [plan.pk for plan in plans]
        self.fields["plans"].choices = [
            (str(plan.pk), f"{plan.assessment.organisation.name} · {plan.get_status_display()}")
            for plan in plans
        ]
        self.helper = form_helper("kind", "everything", "plans", "publish")

    def clean(self):
        data = super().clean()
        chosen = self.plan_ids if data.get("everything") else [int(pk) for pk in data.get("plans", [])]
        if not chosen:
            raise ValidationError(_("กรุณาเลือกหน่วยงานอย่างน้อยหนึ่งแห่ง หรือเลือก “ทุกหน่วยงานในรายการ”"))
        data["plan_ids"] = chosen
        return data

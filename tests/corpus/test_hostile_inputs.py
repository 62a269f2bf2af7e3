"""The bad-input corpus, continued: what a crash, an old cached page, a hostile file or a hostile
link sent the portal (issue 28). Each case may prepare what it needs first (open the register,
publish a document); then, like the first part of the corpus, it must answer with the status and
the Thai text expected and leave every row and file as it was."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita_portal.forms import VERSION_MISSING
from oit.choices import RegisterStatus
from oit.models import RegisterItem
from reports import services
from reports.choices import DocumentKind
from tests.assessments.importing import generated_xlsx
from tests.corpus.inputs import (
    command_refused_in_thai,
    memo_post,
    progress_post,
    refused_in_thai,
    scores_post,
    upload,
)
from tests.factories import PublishedDocumentFactory, png_picture, scan_pdf

pytestmark = pytest.mark.django_db

YEAR = 2568
BAD_PORT = "พอร์ตที่ใช้ไม่ได้"
NOT_A_LINK = "ไม่ใช่ลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"
NOT_FOUND = "ไม่พบหน้าที่ต้องการ"


# --- What a case prepares ---------------------------------------------------------------------


def open_register(w) -> None:
    w.staff.get(register_url(w))


def register_url(w) -> str:
    return reverse("oit:register", kwargs={"pk": w.organisation.pk, "year": YEAR})


def publish(w) -> None:
    """A public version of the analysis (made directly: these cases are about withdrawing it)."""
    w.seen["document"] = PublishedDocumentFactory(plan=w.plan, kind=DocumentKind.ANALYSIS, version=1)


def withdrawn(w) -> None:
    publish(w)
    services.document_withdraw(document=w.seen["document"], user=w.admin_user, reason="ฉบับนี้พิมพ์ชื่อหน่วยงานผิด")


# --- How a case is sent -----------------------------------------------------------------------


def register_post(w, *, version=True, **fields):
    """The register saved with row o1 changed by ``fields``; without the rows' versions when
    ``version`` is false (an old cached page or a script)."""
    data = {}
    for item in RegisterItem.objects.filter(organisation=w.organisation, fiscal_year__year=YEAR):
        prefix = f"item-{item.pk}"
        values = {
            "urls": item.urls,
            "responsible": item.responsible,
            "status": item.status,
            "note": item.note,
        }
        if item.question.code == "o1":
            values.update(fields)
        if version:
            values["version"] = item.version
        data.update({f"{prefix}-{name}": value for name, value in values.items()})
    return w.staff.post(register_url(w), data)


def link(url: str):
    return lambda w, m: register_post(w, urls=url, status=RegisterStatus.PRESENT)


def evidence(name: str, content: bytes):
    return lambda w, m: progress_post(w, files=SimpleUploadedFile(name, content))


def zip_with(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, content)
    return out.getvalue()


def withdraw_post(w, reason: str, version: int | None = None):
    document = w.seen["document"]
    url = reverse("reports:document-withdraw", args=[w.plan.pk, document.kind, version or document.version])
    return w.admin.post(url, {"reason": reason})


def public_version(w):
    document = w.seen["document"]
    return w.staff.get(reverse("reports:public-file", args=[document.public_id]))


SCRIPT = b"<html><body><script>alert(1)</script></body></html>"
THAI_STRING = b"<si><t>" + "ข้อความยาว".encode() * 100 + b"</t></si>"  # 3,000 bytes

# (name, what it prepares, how it is sent, expected status, what the person reads)
CASES = [
    # Links the checker could not have checked (issue 28, point 2)
    ("register port 99999", open_register, link("http://www.example.go.th:99999/oit"), 200, BAD_PORT),
    ("register port 0", open_register, link("http://www.example.go.th:0/oit"), 200, BAD_PORT),
    (
        "register link with a password",
        open_register,
        link("https://admin:p4ss@www.example.go.th/oit"),
        200,
        "ชื่อผู้ใช้หรือรหัสผ่าน",
    ),
    ("register broken IPv6 literal", open_register, link("http://[::1/oit"), 200, NOT_A_LINK),
    ("register negative port", open_register, link("http://www.example.go.th:-1/"), 200, NOT_A_LINK),
    # A post without the version of what the form showed (point 5)
    (
        "register without version",
        open_register,
        lambda w, m: register_post(w, version=False),
        200,
        VERSION_MISSING,
    ),
    ("scores without version", None, lambda w, m: scores_post(w, version=""), 200, VERSION_MISSING),
    ("progress without version", None, lambda w, m: progress_post(w, version=""), 200, VERSION_MISSING),
    ("memo without version", None, lambda w, m: memo_post(w, version=""), 200, VERSION_MISSING),
    # Evidence that is not what it claims (point 7)
    (
        "zip with a program as .docx",
        None,
        evidence("รายงาน.docx", zip_with("setup.exe", b"MZ" + b"\0" * 99)),
        200,
        "Word",
    ),
    ("HTML behind a PNG", None, evidence("ภาพ.png", png_picture() + SCRIPT), 200, "ซ่อนหรือต่อท้าย"),
    ("HTML as a JPEG", None, evidence("ภาพ.jpg", b"\xff\xd8\xff\xe0" + SCRIPT), 200, "JPEG"),
    (
        "zip behind a PDF",
        None,
        evidence("เอกสาร.pdf", scan_pdf("x") + zip_with("a.exe", b"MZ")),
        200,
        "ต่อท้าย",
    ),
    # Workbooks that cost memory before they are refused (point 8)
    (
        "one string in 6,000 cells",
        None,
        lambda w, m: upload(w, generated_xlsx(600, 10, cell=b'<c t="s"><v>0</v></c>', strings=THAI_STRING)),
        200,
        "ไฟล์นี้มีข้อความมากเกินกว่าตารางผลการประเมิน",
    ),
    (
        "a 40 KB cell",
        None,
        lambda w, m: upload(
            w, generated_xlsx(2, 3, cell=b'<c t="inlineStr"><is><t>' + b"x" * 40_000 + b"</t></is></c>")
        ),
        200,
        "ไฟล์นี้",
    ),
    (
        "2,000 formulas",
        None,
        lambda w, m: upload(w, generated_xlsx(200, 10, cell=b'<c r="B2"><f>A2+1</f><v>2</v></c>')),
        200,
        "มากกว่า 1,000 เซลล์",
    ),
    (
        "a formula in a cell placed by its order",
        None,
        lambda w, m: upload(w, generated_xlsx(2, 3, cell=b"<c><f>A2+1</f><v>95</v></c>")),
        200,
        "ระบุตำแหน่งไม่ได้",
    ),
    # Withdrawing (point 11)
    (
        "withdrawal with a short reason",
        publish,
        lambda w, m: withdraw_post(w, "ผิด"),
        200,
        "อย่างน้อย 10 ตัวอักษร",
    ),
    (
        "withdrawing a version never made",
        publish,
        lambda w, m: withdraw_post(w, "ฉบับนี้ผิดทั้งฉบับ", 9),
        404,
        NOT_FOUND,
    ),
    ("withdrawing twice", withdrawn, lambda w, m: withdraw_post(w, "ฉบับนี้ผิดทั้งฉบับ"), 404, NOT_FOUND),
    ("a withdrawn version's address", withdrawn, lambda w, m: public_version(w), 410, "ฉบับนี้พิมพ์ชื่อหน่วยงานผิด"),
    (
        "withdrawing unknown evidence",
        None,
        lambda w, m: w.admin.post(
            reverse("reports:evidence-withdraw", args=[w.plan.pk, uuid.uuid4()]),
            {"reason": "ข้อมูลส่วนบุคคลรั่วไหล"},
        ),
        404,
        NOT_FOUND,
    ),
    (
        "withdrawing as the working group",
        publish,
        lambda w, m: w.wg.post(
            reverse("reports:document-withdraw", args=[w.plan.pk, "analysis", 1]), {"reason": "ฉบับนี้ผิดทั้งฉบับ"}
        ),
        403,
        "",
    ),
]

COMMANDS = [
    (
        "render_report output .docx",
        [
            "render_report",
            "--org",
            "DEMO-X",
            "--year",
            "2569",
            "--kind",
            "analysis",
            "--output",
            "{tmp}/x.docx",
        ],
        "ต้องลงท้ายด้วย .pdf หรือ .html",
    ),
    (
        "check_oit_links --days 1000000",
        ["check_oit_links", "--days", "1000000"],
        "ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 3,650",
    ),
    ("check_oit_links --days -1", ["check_oit_links", "--days", "-1"], "ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 3,650"),
    ("check_oit_links --year ²", ["check_oit_links", "--year", "²"], "ต้องเป็นจำนวนเต็ม"),
    ("sweep_files --hours 0", ["sweep_files", "--hours", "0"], "ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 8,760"),
]


@pytest.mark.parametrize(
    ("name", "prepare", "send", "status", "text"), CASES, ids=[case[0] for case in CASES]
)
def test_a_hostile_input_is_refused_in_thai_and_writes_nothing(
    world, monkeypatch, name, prepare, send, status, text
):
    if prepare:
        prepare(world)
    refused_in_thai(world, monkeypatch, name, send, status, text)


@pytest.mark.parametrize(("name", "args", "text"), COMMANDS, ids=[case[0] for case in COMMANDS])
def test_a_hostile_command_is_refused_in_thai_and_writes_nothing(world, tmp_path, name, args, text):
    command_refused_in_thai(world, tmp_path, args, text)
    assert not (tmp_path / "x.docx").exists()

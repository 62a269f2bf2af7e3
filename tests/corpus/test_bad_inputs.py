"""The bad-input corpus: forms, files, URLs and commands that a careless or hostile user can send.

Every case asserts the status, the Thai message the person reads, and that nothing was written:
the rows of every table a case could touch and the files under the evidence and published folders
are counted before and after. It runs on SQLite and on PostgreSQL like the rest of the suite.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from measures.choices import MeasureStatus
from tests.corpus.inputs import (
    PDF,
    big_file,
    bulk_post,
    command_refused_in_thai,
    evidence_total,
    get,
    many_cells,
    measure_create_page,
    members_post,
    memo_post,
    progress_post,
    refused_in_thai,
    scores_post,
    track_post,
    upload,
    xlsx,
)
from tests.factories import KHOKMON_2568

pytestmark = pytest.mark.django_db


# --- The corpus: (name, how to send it, expected status, what the person reads) -----------------

NUMBER = "คะแนนต้องเป็นตัวเลข"
RANGE = "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"
PERCENT = "ความก้าวหน้าต้องเป็นจำนวนเต็ม 0 ถึง 100"
BE = "พุทธศักราช"
NOT_FOUND = "ไม่พบหน้าที่ต้องการ"

CASES = [
    # Members: the invitation, a role, the sheet of many
    ("invite no address", lambda w, m: members_post(w, email="", role="staff"), 200, "กรุณากรอกข้อมูลช่องนี้"),
    (
        "invite not an address",
        lambda w, m: members_post(w, email="สมศรี@", role="staff"),
        200,
        "กรุณากรอกอีเมลให้ถูกต้อง",
    ),
    (
        "invite unknown role",
        lambda w, m: members_post(w, email="a@example.go.th", role="mayor"),
        200,
        "กรุณาเลือกจากรายการ",
    ),
    ("bulk empty file", lambda w, m: bulk_post(w, b""), 200, "ไฟล์ที่ส่งมาว่างเปล่า"),
    ("bulk no headers", lambda w, m: bulk_post(w, b"x,y\n1,2\n"), 200, "ไม่พบหัวคอลัมน์"),
    (
        "bulk not a sheet",
        lambda w, m: bulk_post(w, b"\x89PNG\r\n\x1a\n", "people.xlsx"),
        200,
        "อ่านตัวอักษรในไฟล์ CSV ไม่ได้",
    ),
    (
        "bulk bad role",
        lambda w, m: bulk_post(w, "ชื่อ,อีเมล,บทบาท\nก,a@example.go.th,นายก\n".encode()),
        200,
        "แถวที่ 2: บทบาท “นายก”",
    ),
    # A person's notifications: how they want them by e-mail
    (
        "notification e-mail choice not offered",
        lambda w, m: w.staff.post("/notifications/", {"email": "hourly"}),
        200,
        "กรุณาเลือกจากรายการ (hourly ไม่อยู่ในรายการ)",
    ),
    (
        "notification e-mail choice missing",
        lambda w, m: w.staff.post("/notifications/", {}),
        200,
        "กรุณากรอกข้อมูลช่องนี้",
    ),
    # A person's own account and a forgotten password
    (
        "account not an address",
        lambda w, m: w.staff.post("/account/", {"first_name": "ก", "last_name": "", "email": "ก@"}),
        200,
        "กรุณากรอกอีเมลให้ถูกต้อง",
    ),
    (
        "account no name",
        lambda w, m: w.staff.post("/account/", {"first_name": "", "email": "a@example.go.th"}),
        200,
        "กรุณากรอกข้อมูลช่องนี้",
    ),
    (
        "reset not an address",
        lambda w, m: w.staff.post("/password/reset/", {"email": "@@"}),
        200,
        "กรุณากรอกอีเมลให้ถูกต้อง",
    ),
    # Score form
    ("score 101", lambda w, m: scores_post(w, indicator_1="101"), 200, RANGE),
    ("score -1", lambda w, m: scores_post(w, indicator_1="-1"), 200, RANGE),
    ("score abc", lambda w, m: scores_post(w, indicator_2="abc"), 200, NUMBER),
    ("score 3 decimals", lambda w, m: scores_post(w, indicator_3="94.745"), 200, "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ("score empty", lambda w, m: scores_post(w, indicator_4=""), 200, "กรุณากรอกคะแนน"),
    ("score superscript two", lambda w, m: scores_post(w, indicator_5="²"), 200, NUMBER),
    ("score circled one", lambda w, m: scores_post(w, indicator_6="①"), 200, NUMBER),
    ("score 1e2", lambda w, m: scores_post(w, indicator_7="1e2"), 200, NUMBER),
    ("score NaN", lambda w, m: scores_post(w, indicator_8="NaN"), 200, NUMBER),
    ("score Infinity", lambda w, m: scores_post(w, indicator_9="Infinity"), 200, NUMBER),
    ("score 0x10", lambda w, m: scores_post(w, indicator_10="0x10"), 200, NUMBER),
    ("published overall 200", lambda w, m: scores_post(w, published_overall="200"), 200, RANGE),
    ("published level unknown", lambda w, m: scores_post(w, published_level="zzz"), 200, "zzz"),
    ("EIT part 1 alone", lambda w, m: scores_post(w, eit_part1="90"), 200, "ทั้งส่วนที่ 1 และส่วนที่ 2"),
    ("EIT part x", lambda w, m: scores_post(w, eit_part1="90", eit_part2="x"), 200, NUMBER),
    ("question score 150", lambda w, m: scores_post(w, question_i1="150"), 200, RANGE),
    (
        "recommendation too long",
        lambda w, m: scores_post(w, indicator_1_recommendation="ก" * 4001),
        200,
        "ข้อความนี้ยาวได้ไม่เกิน 4000 ตัวอักษร (พิมพ์มา 4001 ตัวอักษร)",
    ),
    ("memo number too long", lambda w, m: memo_post(w, number="๑" * 65), 200, "ข้อความนี้ยาวได้ไม่เกิน 64 ตัวอักษร"),
    ("score form stale", lambda w, m: scores_post(w, version="0"), 200, "ไปก่อนท่าน"),
    # Year parameters
    (
        "create ?year=²",
        lambda w, m: get(
            w, "staff", reverse("assessments:assessment-create", args=[w.organisation.pk]) + "?year=²"
        ),
        404,
        NOT_FOUND,
    ),
    (
        "create ?year=2400",
        lambda w, m: get(
            w, "staff", reverse("assessments:assessment-create", args=[w.organisation.pk]) + "?year=2400"
        ),
        404,
        NOT_FOUND,
    ),
    (
        "create ?year=huge",
        lambda w, m: get(
            w,
            "staff",
            reverse("assessments:assessment-create", args=[w.organisation.pk]) + "?year=" + "9" * 30,
        ),
        404,
        NOT_FOUND,
    ),
    (
        "create no year",
        lambda w, m: get(w, "staff", reverse("assessments:assessment-create", args=[w.organisation.pk])),
        404,
        NOT_FOUND,
    ),
    (
        "import page ?year=²",
        lambda w, m: get(w, "staff", reverse("assessments:import-create") + "?year=²"),
        200,
        "ไฟล์ผลการประเมิน",
    ),
    (
        "overview ?year=²",
        lambda w, m: get(w, "admin", reverse("measures:progress-overview") + "?year=²"),
        200,
        "ปีงบประมาณ",
    ),
    (
        "overview ?year=544",
        lambda w, m: get(w, "admin", reverse("measures:progress-overview") + "?year=544"),
        200,
        "ปีงบประมาณ",
    ),
    (
        "overview ?year=10543",
        lambda w, m: get(w, "admin", reverse("measures:progress-overview") + "?year=10543"),
        200,
        "ปีงบประมาณ",
    ),
    (
        "overview export ?year=²",
        lambda w, m: get(w, "admin", reverse("measures:progress-overview-export") + "?year=²"),
        200,
        "",
    ),
    ("measure create ?indicator=²", lambda w, m: measure_create_page(w, "²"), 200, "มาตรการ"),
    ("measure create ?indicator=huge", lambda w, m: measure_create_page(w, "9" * 40), 200, "มาตรการ"),
    # Progress form
    ("percent ²", lambda w, m: progress_post(w, percent="²"), 200, PERCENT),
    ("percent ①", lambda w, m: progress_post(w, percent="①"), 200, PERCENT),
    ("percent 101", lambda w, m: progress_post(w, percent="101"), 200, PERCENT),
    ("percent -5", lambda w, m: progress_post(w, percent="-5"), 200, PERCENT),
    ("percent 50.5", lambda w, m: progress_post(w, percent="50.5"), 200, PERCENT),
    ("report date Christian era", lambda w, m: progress_post(w, reported_on="1/1/2025"), 200, BE),
    ("report date year 9999", lambda w, m: progress_post(w, reported_on="1/1/9999"), 200, BE),
    ("report date year 1", lambda w, m: progress_post(w, reported_on="1/1/0001"), 200, BE),
    ("report date 31 February", lambda w, m: progress_post(w, reported_on="31/2/2569"), 200, "กรุณากรอกวันที่"),
    (
        "report date far future",
        lambda w, m: progress_post(w, reported_on="1/1/2650"),
        200,
        "วันที่รายงานต้องอยู่ระหว่าง",
    ),
    (
        "report date years before",
        lambda w, m: progress_post(w, reported_on="1/1/2560"),
        200,
        "วันที่รายงานต้องอยู่ระหว่าง",
    ),
    ("done at 50%", lambda w, m: progress_post(w, status=MeasureStatus.DONE, percent="50"), 200, "100%"),
    (
        "cancelled without reason",
        lambda w, m: progress_post(w, status=MeasureStatus.CANCELLED, percent="0"),
        200,
        "กรุณาระบุเหตุผลที่ยกเลิก",
    ),
    ("javascript link", lambda w, m: progress_post(w, links="javascript:alert(1)"), 200, "ไม่ถูกต้อง"),
    (
        "exe as evidence",
        lambda w, m: progress_post(w, files=SimpleUploadedFile("รายงาน.pdf", b"MZ" + b"\0" * 200)),
        200,
        "PDF",
    ),
    ("evidence total over the cap", evidence_total, 200, "รวมกัน"),
    ("progress stale", lambda w, m: progress_post(w, version="0"), 200, "ไปก่อนท่าน"),
    (
        "track end before start",
        lambda w, m: track_post(w, start_date="1/3/2569", end_date="1/2/2569"),
        200,
        "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม",
    ),
    ("track date Christian era", lambda w, m: track_post(w, start_date="1/1/2025"), 200, BE),
    # Memo form
    ("memo 31 February", lambda w, m: memo_post(w, date="31/02/2568"), 200, "กรุณากรอกวันที่"),
    ("memo date Christian era", lambda w, m: memo_post(w, date="1/1/2025"), 200, BE),
    (
        "memo incomplete signer",
        lambda w, m: memo_post(w, **{"signers-0-name": ""}),
        200,
        "กรุณากรอกให้ครบทั้งเรียน ชื่อ และตำแหน่ง",
    ),
    ("memo nine signers", lambda w, m: memo_post(w, signers=9), 200, "ไม่เกิน 8 ลำดับ"),
    ("memo without author", lambda w, m: memo_post(w, author_name=""), 200, "กรุณากรอกข้อมูลช่องนี้"),
    ("memo stale", lambda w, m: memo_post(w, version="5"), 200, "ไปก่อนท่าน"),
    (
        "garuda not an image",
        lambda w, m: w.wg.post(
            reverse("reports:garuda-update", args=[w.plan.pk]),
            {"garuda": SimpleUploadedFile("e.png", b"no")},
            follow=True,
        ),
        200,
        "ไฟล์ภาพครุฑต้องเป็นรูปภาพ PNG หรือ JPEG",
    ),
    # Files to import
    ("empty file", lambda w, m: upload(w, b""), 200, "ไฟล์ที่ส่งมาว่างเปล่า"),
    ("PDF as a table", lambda w, m: upload(w, PDF, name="ผล.pdf"), 200, "ไม่ใช่ตารางข้อมูล"),
    (
        "old .xls",
        lambda w, m: upload(w, bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600, name="ผล.xls"),
        200,
        ".xls",
    ),
    ("broken zip", lambda w, m: upload(w, b"PK\x03\x04" + b"\0" * 300), 200, "ไม่ใช่ตารางข้อมูล"),
    (
        "CSV 18,279 columns",
        lambda w, m: upload(w, ("a," * 18_279 + "\n").encode(), name="ผล.csv"),
        200,
        "คอลัมน์",
    ),
    ("too many cells", many_cells, 200, "เซลล์"),
    ("file over the size limit", big_file, 200, "เกินขนาดสูงสุด"),
    ("no header row", lambda w, m: upload(w, xlsx([["ก", "ข"], ["1", "2"]])), 200, "ไม่พบแถวหัวตาราง"),
    (
        "indicator 7 named as another's",
        lambda w, m: upload(
            w,
            xlsx(
                [
                    [
                        "รหัสหน่วยงาน",
                        *[f"ตัวชี้วัดที่ {n}" for n in range(1, 7)],
                        "ตัวชี้วัดที่ 7 การใช้งบประมาณ",
                        *[f"ตัวชี้วัดที่ {n}" for n in range(8, 11)],
                    ],
                    ["1", *KHOKMON_2568],
                ]
            ),
        ),
        200,
        "ไม่ตรงกับชื่อตัวชี้วัดที่ 7",
    ),
    # Other organisations' objects
    (
        "another organisation's result",
        lambda w, m: get(w, "staff", reverse("assessments:assessment-detail", args=[w.other_assessment.pk])),
        404,
        NOT_FOUND,
    ),
    (
        "another organisation's scores form",
        lambda w, m: get(w, "staff", reverse("assessments:assessment-update", args=[w.other_assessment.pk])),
        404,
        NOT_FOUND,
    ),
    (
        "unknown public evidence",
        lambda w, m: Client().get(reverse("reports:public-evidence", args=[uuid.uuid4()])),
        404,
        NOT_FOUND,
    ),
    (
        "unknown document kind",
        lambda w, m: get(w, "admin", f"/plans/{w.plan.pk}/documents/nope/"),
        404,
        NOT_FOUND,
    ),
]

COMMANDS = [
    (
        "ita_score part 101",
        ["ita_score", "--year", "2568", "--indicators", ",".join(KHOKMON_2568), "--eit-parts", "99,101"],
        "0 ถึง 100",
    ),
    (
        "ita_score year 2500",
        ["ita_score", "--year", "2500", "--indicators", "1"],
        "ไม่มีกรอบการประเมินของปี 2500",
    ),
    (
        "render_report missing folder",
        [
            "render_report",
            "--org",
            "DEMO-X",
            "--year",
            "2569",
            "--kind",
            "analysis",
            "--output",
            "/nonexistent/x.pdf",
        ],
        "ไม่มีโฟลเดอร์ /nonexistent",
    ),
    (
        "render_report Christian-era date",
        [
            "render_report",
            "--org",
            "DEMO-X",
            "--year",
            "2569",
            "--kind",
            "analysis",
            "--date",
            "1/1/2025",
            "--output",
            "{tmp}/x.pdf",
        ],
        "วัน/เดือน/ปี พ.ศ.",
    ),
    (
        "render_report unknown organisation",
        ["render_report", "--org", "NOPE", "--year", "2569", "--kind", "analysis", "--output", "{tmp}/x.pdf"],
        "ไม่พบหน่วยงาน NOPE",
    ),
    (
        "render_report bad kind",
        ["render_report", "--org", "1", "--year", "2569", "--kind", "nope", "--output", "x.pdf"],
        "ไม่มีค่า “nope”",
    ),
    (
        "import_scores missing file",
        ["import_scores", "/nonexistent/ผล.xlsx", "--year", "2568"],
        "/nonexistent/ผล.xlsx",
    ),
    ("load_framework unknown year", ["load_framework", "2400"], "2400"),
]


@pytest.mark.parametrize(("name", "send", "status", "text"), CASES, ids=[case[0] for case in CASES])
def test_a_bad_input_is_refused_in_thai_and_writes_nothing(world, monkeypatch, name, send, status, text):
    refused_in_thai(world, monkeypatch, name, send, status, text)


@pytest.mark.parametrize(("name", "args", "text"), COMMANDS, ids=[case[0] for case in COMMANDS])
def test_a_bad_command_is_refused_in_thai_and_writes_nothing(world, tmp_path, name, args, text):
    command_refused_in_thai(world, tmp_path, args, text)
    assert not (tmp_path / "x.pdf").exists()


def test_the_corpus_is_large_enough():
    assert len(CASES) + len(COMMANDS) >= 60

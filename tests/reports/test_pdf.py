"""The PDFs: what WeasyPrint lays out, the fonts it embeds, and what its fetcher may read."""

import datetime
import io
import pathlib
import re

import pytest
from pypdf import PdfReader

from assessments.models import Assessment
from measures.services import plan_approve, plan_generate, plan_submit
from reports import context, documents, pdf
from reports.choices import DocumentKind
from tests.factories import UserFactory, load_reference_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = datetime.date(2026, 9, 30)
PROJECT = pathlib.Path(__file__).resolve().parents[2]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def rendered(kind, plan, thai_digits=True):
    doc = context.build(kind, context.plans_for_documents().get(pk=plan.pk), TODAY)
    return doc, documents.render_html(doc, thai_digits=thai_digits, for_pdf=True)


# --- The fetcher ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        pdf.BASE_URL + "static/../../ita_portal/settings.py",
        pdf.BASE_URL + "static/%2e%2e/%2e%2e/ita_portal/settings.py",
        pdf.BASE_URL + "admin/",
        "ftp://example.com/x",
    ],
)
def test_fetcher_refuses_files_and_network(url):
    with pytest.raises(ValueError):
        pdf.StaticFilesFetcher().fetch(url)


def test_fetcher_serves_static_files_from_disk():
    response = pdf.StaticFilesFetcher().fetch(pdf.BASE_URL + "static/css/document.css")
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"


def test_a_document_asking_for_a_file_gets_nothing(weasy_problems):
    html = '<html><body><img src="file:///etc/hostname"><img src="http://127.0.0.1:1/x.png"><p>ok</p></body></html>'
    texts = pdf.page_texts(html)
    assert texts == ["ok"]
    problems = weasy_problems()
    assert len(problems) == 2 and all("refused" in p for p in problems)


def test_no_other_module_imports_weasyprint():
    """WeasyPrint is imported only inside the reports.pdf package (render, fetcher, text layer, pages)."""
    importers = [
        path.relative_to(PROJECT).as_posix()
        for folder in ("assessments", "measures", "reports", "ita_portal")
        for path in (PROJECT / folder).rglob("*.py")
        if re.search(r"^\s*(import|from)\s+weasyprint", path.read_text(encoding="utf-8"), re.M)
    ]
    assert importers and all(name.startswith("reports/pdf/") for name in importers), importers


# --- The analysis report ----------------------------------------------------------------------


def test_analysis_report_layout_carries_the_records(approved, weasy_problems):
    plan, _wg, _admin = approved
    doc, html = rendered(DocumentKind.ANALYSIS, plan, thai_digits=False)
    pages = pdf.page_texts(html)
    text = " ".join(pages)
    # cover
    assert "องค์การบริหารส่วนตำบลวังหมี" in pages[0]
    assert "อำเภอวังน้ำเขียว จังหวัดนครราชสีมา" in pages[0]
    assert "2568" in pages[0] and "2569" in pages[0]
    # the score table: every indicator's score, the tools, the overall and the level
    for item in doc.found.all:
        assert item.indicator.name in text
    for value in ["93.33", "96.13", "98.06", "83.87", "97.13", "97.47", "95.74", "82.50", "85.00"]:
        assert value in text
    for tool_score in doc.result.tool_scores.values():
        assert f"{tool_score:.2f}" in text
    assert "90.42" in text and "ผ่าน" in text
    # every measure, with its own title
    flat = squash(text)  # a wrapped line is two text boxes: compare without the breaks
    for measure in plan.measures.all():
        assert squash(measure.title) in flat
        assert squash(measure.responsible_unit) in flat
    assert "ลำดับ" in text and "ผู้รับผิดชอบ" in text
    assert weasy_problems() == []


def test_thai_digits_reach_the_printed_page(approved):
    plan, _wg, _admin = approved
    _doc, html = rendered(DocumentKind.ANALYSIS, plan, thai_digits=True)
    text = " ".join(pdf.page_texts(html))
    assert "๙๐.๔๒" in text
    assert "- ๒ -" in text  # page numbers in Thai digits
    assert "90.42" not in text


def test_measures_table_is_on_landscape_pages_with_repeated_headers(approved):
    plan, _wg, _admin = approved
    _doc, html = rendered(DocumentKind.ANALYSIS, plan)
    document = pdf.layout(html)
    landscape = [p for p in document.pages if p.width > p.height]
    assert landscape, "the measures table should be on landscape pages"
    headed = [p for p in landscape if "ขั้นตอนดำเนินการ" in " ".join(_texts(p))]
    assert len(headed) == len(landscape)  # the table header repeats on every page it runs over


def _texts(page):
    out = []
    pdf.pages._collect_text(page._page_box, out)
    return out


def test_fonts_are_embedded_sarabun_only(approved, weasy_problems):
    plan, _wg, _admin = approved
    _doc, html = rendered(DocumentKind.ANALYSIS, plan)
    reader = PdfReader(io.BytesIO(pdf.render_pdf(html)))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert all("Sarabun" in name for name in fonts), fonts
    assert not [p for p in weasy_problems() if ".notdef" in p]


def test_memo_and_implementation_render_without_missing_glyphs(with_memo, weasy_problems):
    plan, _wg, _admin = with_memo
    for kind in (DocumentKind.MEMO, DocumentKind.IMPLEMENTATION):
        _doc, html = rendered(kind, plan)
        data = pdf.render_pdf(html)
        assert data.startswith(b"%PDF")
    memo_text = " ".join(pdf.page_texts(rendered(DocumentKind.MEMO, plan)[1]))
    for expected in ["บันทึกข้อความ", "นม ๗๒๒๐๑/๒๔๕", "๒๐ พฤศจิกายน ๒๕๖๘", "นางมาลี ศรีสุข", "ผลการพิจารณา", "๙๐.๔๒"]:
        assert expected in memo_text
    assert weasy_problems() == []


@pytest.mark.slow
def test_the_five_reference_organisations_documents_render(weasy_problems):
    """Documents 000–004: their results, a generated and approved plan each, all three documents."""
    load_reference_demo()
    user = UserFactory(is_superuser=True)
    assessments = list(Assessment.objects.with_scores().select_related("organisation", "fiscal_year"))
    assert len(assessments) == 5
    for assessment in assessments:
        plan = plan_generate(assessment=assessment, user=user).plan
        plan_submit(plan=plan, user=user)
        plan = plan_approve(plan=plan, user=user)
        for kind in (DocumentKind.ANALYSIS, DocumentKind.IMPLEMENTATION):
            doc, html = rendered(kind, plan)
            text = " ".join(pdf.page_texts(html))
            assert assessment.organisation.name in text
            assert documents.thai_digits_in_html(f"{doc.result.overall:.2f}") in text
            assert pdf.render_pdf(html).startswith(b"%PDF")
    assert weasy_problems() == []


def test_every_page_of_a_draft_says_so(approved):
    from tests.factories import make_plan

    draft, _wg = make_plan()
    pages = pdf.page_texts(rendered(DocumentKind.ANALYSIS, draft)[1])
    assert all("ร่าง – แผนยังไม่ผ่านความเห็นชอบ" in page for page in pages)
    plan, _wg2, _admin = approved
    assert not any("ร่าง" in page for page in pdf.page_texts(rendered(DocumentKind.ANALYSIS, plan)[1]))


# --- The text layer: what copy, search and screen readers get ---------------------------------


def pdftotext_pages(data: bytes) -> list[str]:
    """poppler's text of each page, in content order (-raw), as a reader's search would see it."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        out = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", handle.name, "-"], capture_output=True, check=True
        ).stdout.decode()
    return out.split("\f")[:-1]


def pypdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def text_layer_problems(html: str, data: bytes) -> list[str]:
    """Every laid-out line that does not read back, exactly and in order, from the PDF's text."""
    problems = []
    expected = pdf.page_lines(html)
    for reader, pages in (("pypdf", pypdf_pages(data)), ("pdftotext", pdftotext_pages(data))):
        assert len(pages) == len(expected), reader
        for number, (lines, page) in enumerate(zip(expected, pages, strict=True), start=1):
            text = squash(page)
            for line in lines:
                if squash(line) and squash(line) not in text:
                    problems.append(f"{reader} p.{number}: {line!r}")
    return problems


@pytest.mark.parametrize("word", ["ดำเนินงาน", "ตำบล", "อำเภอ", "อยู่ใน", "น้ำ", "ประจำปี", "กำหนด"])
def test_thai_words_read_back_from_the_pdf(word):
    html = (
        "<html><head><style>body { font-family: Sarabun; }</style></head><body>"
        f"<p>คำว่า {word} และ ท่า า ํ ก่ำ ต้องอ่านได้ถูกต้อง</p></body></html>"
    )
    data = pdf.render_pdf(html)
    for page in pypdf_pages(data) + pdftotext_pages(data):
        assert squash(f"คำว่า {word} และ ท่า า ํ ก่ำ ต้องอ่านได้ถูกต้อง") in squash(page)
    # WeasyPrint's own text layer loses ำ (THAI_PDF.md): the case this fixes.
    assert "ดำเนินงาน" not in "".join(
        pypdf_pages(pdf.render_pdf(html.replace(word, "ดำเนินงาน"), text_layer=False))
    )


@pytest.mark.slow
def test_the_picture_stays_exactly_what_it_was(approved):
    """Only the text that extractors read changes: every page draws the same pixels."""
    import subprocess
    import tempfile

    plan, _wg, _admin = approved
    _doc, html = rendered(DocumentKind.ANALYSIS, plan)
    pictures = []
    for layer in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            source = pathlib.Path(folder) / "doc.pdf"
            source.write_bytes(pdf.render_pdf(html, text_layer=layer))
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), f"{folder}/page"], check=True)
            pictures.append([p.read_bytes() for p in sorted(pathlib.Path(folder).glob("page-*.png"))])
    assert len(pictures[1]) > 5
    assert pictures[0] == pictures[1]


def reference_documents():
    """(organisation name, kind, HTML) of all three documents of documents 000–004's organisations:
    their results, a generated and approved plan each, and a memo with one signatory."""
    from reports.services import Signer, memo_save

    load_reference_demo()
    user = UserFactory(is_superuser=True)
    for assessment in Assessment.objects.with_scores().select_related("organisation"):
        plan = plan_generate(assessment=assessment, user=user).plan
        plan_submit(plan=plan, user=user)
        plan = plan_approve(plan=plan, user=user)
        name = assessment.organisation.name
        memo_save(
            plan=plan,
            user=user,
            fields={
                "department": f"สำนักปลัด {name}",
                "number": "ที่ ๑/๒๕๖๘",
                "addressee": f"นายก{name}",
                "author_name": "นางสาวสมใจ ใจดี",
                "author_position": "นักวิเคราะห์นโยบายและแผนชำนาญการ",
                "decision_name": "นายสมชาย รักษ์ถิ่น",
                "decision_position": f"นายก{name}",
            },
            signers=[Signer("ปลัด", "ทราบ/เพื่อโปรดพิจารณา", "นางมาลี ศรีสุข", "หัวหน้าสำนักปลัด")],
        )
        for kind in (DocumentKind.ANALYSIS, DocumentKind.MEMO, DocumentKind.IMPLEMENTATION):
            yield name, kind, rendered(kind, plan)[1]


@pytest.mark.slow
def test_the_five_reference_organisations_documents_read_back(weasy_problems):
    """Every laid-out line of every document is in the PDF's text layer, read with pypdf and with
    poppler's pdftotext."""
    problems = []
    for name, kind, html in reference_documents():
        problems += [f"{name} {kind} {p}" for p in text_layer_problems(html, pdf.render_pdf(html))]
    assert problems == []
    assert weasy_problems() == []


# --- Layout: what shares a page ---------------------------------------------------------------


def page_boxes(html: str) -> list[list]:
    """Per laid-out page, its boxes (margin boxes left out) as (box, (tag, id, class) of its ancestors)."""
    return [list(_walk(page._page_box, ())) for page in pdf.layout(html).pages]


def _walk(box, marks):
    if type(box).__name__ == "MarginBox":
        return
    yield box, marks
    element = getattr(box, "element", None)
    mark = (
        getattr(box, "element_tag", None),
        element.get("id") if element is not None else None,
        element.get("class") if element is not None else None,
    )
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child, (*marks, mark))


def on_page(boxes, *, tag=None, id=None, css_class=None) -> bool:
    return any(
        (tag is None or m[0] == tag)
        and (id is None or m[1] == id)
        and (css_class is None or css_class in (m[2] or ""))
        for _box, tags in boxes
        for m in tags
    )


def lines_of(boxes) -> list[tuple[str, bool]]:
    """The page's line boxes as (text, whether it is a heading's line)."""
    lines = []
    for box, marks in boxes:
        if type(box).__name__ == "LineBox":
            text = "".join(getattr(child, "text", "") for child, _marks in _walk(box, ()))
            if text.strip():
                lines.append((text, any(mark[0] in ("h1", "h2", "h3") for mark in marks)))
    return lines


def test_the_indicator_chart_shares_its_page_with_its_table(approved):
    plan, _wg, _admin = approved
    _doc, html = rendered(DocumentKind.ANALYSIS, plan)
    pages = [boxes for boxes in page_boxes(html) if on_page(boxes, id="indicator-chart")]
    assert len(pages) == 1
    assert on_page(pages[0], css_class="classification")


def test_the_memos_decision_box_stays_with_the_last_signature(approved):
    from reports.services import Signer, memo_save

    plan, wg, _admin = approved
    names = ["นางมาลี ศรีสุข", "นายวิชัย ใจงาม", "นางสาวอรุณ แสงดี", "นายสุชาติ มั่นคง"]
    memo_save(
        plan=plan,
        user=wg,
        fields={
            "department": "สำนักปลัด",
            "number": "นม 1/2568",
            "addressee": "นายก",
            "author_name": "นางสาวสมใจ ใจดี",
            "author_position": "นักวิเคราะห์นโยบายและแผน",
            "decision_name": "นายสมชาย รักษ์ถิ่น",
            "decision_position": "นายก",
        },
        signers=[Signer("ปลัด", "ทราบ/เพื่อโปรดพิจารณา", name, "หัวหน้าสำนักปลัด") for name in names],
    )
    _doc, html = rendered(DocumentKind.MEMO, plan)
    pages = page_boxes(html)
    decision = [boxes for boxes in pages if on_page(boxes, css_class="decision")]
    assert len(pages) == 2 and len(decision) == 1
    text = "".join(line for line, _heading in lines_of(decision[0]))
    assert names[-1] in text  # the last signature is on the decision's page


@pytest.mark.slow
def test_no_page_holds_only_a_heading_or_one_line(weasy_problems):
    """All three documents of the five reference organisations."""
    bare = []
    for name, kind, html in reference_documents():
        for number, boxes in enumerate(page_boxes(html), start=1):
            lines = lines_of(boxes)
            if len(lines) < 2 or all(heading for _text, heading in lines):
                bare.append(f"{name} {kind} p.{number}: {lines}")
    assert bare == []

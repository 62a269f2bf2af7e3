"""What an assessor opening the link will find: the status, a login wall, and whether the page's or
the PDF's text names a fiscal year the item's content may be of. HTML is scanned in linear time."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .fetch import fetch
from .policy import FAIL, OK, WARN, Fetched, Policy, Verdict

DEFAULT = Policy()

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
YEAR = re.compile(r"(?<!\d)(25[4-9]\d)(?!\d)")  # BE 2540–2599
# A sign-in page's address: the word on its own in the path or query, or Google's accounts site.
LOGIN_URL = re.compile(
    r"(?:^|[/.?=&_-])(?:log-?in|sign-?in|servicelogin|sso|auth)(?:$|[/.?=&_-])|accounts\.google\.com", re.I
)
PASSWORD_TYPE = re.compile(rb"\btype\s*=\s*[\"']?password", re.I)  # run on one bounded tag only
MAX_TAG = 4096  # longer than any real tag: a "tag" that does not close within it is text


def thai_year(year: int) -> str:
    return str(year).translate(TO_THAI)


def years_in(text: str) -> tuple[int, ...]:
    """The Buddhist-era years a text mentions (Arabic or Thai digits), newest first."""
    return tuple(sorted({int(y) for y in YEAR.findall(text.translate(THAI_DIGITS))}, reverse=True))


def text_of(fetched: Fetched) -> tuple[str, str]:
    """(title, text) of an HTML page or a PDF; ("", "") for what cannot be read."""
    body = fetched.body
    kind = fetched.content_type
    if kind == "application/pdf" or body.startswith(b"%PDF"):
        return "", _pdf_text(body)
    if kind.startswith("text/") or kind in ("application/xhtml+xml", "") or body.lstrip()[:1] == b"<":
        title, text = html_title_and_text(body)
        return " ".join(_decode(title).split())[:255], _decode(text)
    return "", ""


# HTML is read with patterns that cannot backtrack over the body: a tag is "<", then at most
# MAX_TAG bytes that are neither "<" nor ">", then ">", so every attempt stops at the next "<" and
# each byte is looked at a bounded number of times; scripts and styles are skipped by scanning
# forward. 5 MB of hostile markup ("<title>" or "<" repeated, tags that never close) costs what
# 5 MB of text costs (tests/assessments/test_linkcheck_hostile.py).
TAG = re.compile(rb"<[^<>]{0,%d}>" % MAX_TAG)
INPUT_TAG = re.compile(rb"<input\b[^<>]{0,%d}>" % MAX_TAG, re.I)
HIDDEN = re.compile(rb"<(script|style)\b", re.I)


def html_title_and_text(body: bytes) -> tuple[bytes, bytes]:
    """The title, and the text outside tags, scripts and styles, of an HTML body, in linear time."""
    lower = body.lower()  # same length: positions in one are positions in the other
    title = b""
    start = lower.find(b"<title")
    if start >= 0:
        opened = lower.find(b">", start, start + MAX_TAG)
        if opened >= 0:
            closed = lower.find(b"</title", opened, opened + 64 * 1024)
            title = body[opened + 1 : closed if closed >= 0 else opened + 1 + MAX_TAG]
    pieces, position = [], 0
    while found := HIDDEN.search(lower, position):
        pieces.append(body[position : found.start()])
        closing = lower.find(b"</" + found.group(1), found.end())
        if closing < 0:
            position = len(body)  # a script that never closes hides the rest, as in a browser
            break
        end = lower.find(b">", closing, closing + MAX_TAG)
        position = end + 1 if end >= 0 else closing + 2 + len(found.group(1))
    pieces.append(body[position:])
    return title, TAG.sub(b" ", b" ".join(pieces))


def has_password_field(body: bytes) -> bool:
    """Whether the page asks for a password (an <input type=password>), in linear time."""
    return any(PASSWORD_TYPE.search(tag.group()) for tag in INPUT_TAG.finditer(body))


def _decode(data: bytes) -> str:
    """UTF-8, or the Thai Windows encoding (TIS-620's superset) older Thai sites still serve."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp874", "replace")


def _pdf_text(body: bytes, pages: int = 5) -> str:
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(body))
        return " ".join((page.extract_text() or "") for page in reader.pages[:pages])
    except Exception:  # a truncated or damaged PDF: nothing readable  # noqa: BLE001
        return ""


def judge(fetched: Fetched, accepted_years: Iterable[int], policy: Policy = DEFAULT) -> Verdict:
    """What an assessor opening the URL would find, for an item whose content may be of
    ``accepted_years`` (Buddhist era)."""
    accepted = sorted(accepted_years, reverse=True)
    failures = {
        "scheme": "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://",
        "credentials": "ลิงก์มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในตัว ผู้ประเมินจะไม่ใช้ และไม่ควรเผยแพร่",
        "invalid": "ลิงก์หรือการเปลี่ยนเส้นทางของเว็บไซต์มีรูปแบบไม่ถูกต้อง (เช่น หมายเลขพอร์ต)",
        "blocked": "ลิงก์ชี้ไปยังที่อยู่ภายในเครือข่ายหรือเครื่องนี้ ผู้ประเมินเปิดไม่ได้",
        "dns": "ไม่พบชื่อเว็บไซต์นี้ (DNS)",
        "timeout": f"เว็บไซต์ไม่ตอบภายใน {policy.timeout:g} วินาที",
        "tls": "ใบรับรองความปลอดภัย (HTTPS) ของเว็บไซต์ไม่ถูกต้อง",
        "connect": "เชื่อมต่อเว็บไซต์ไม่ได้",
        "redirects": f"เปลี่ยนเส้นทางเกิน {policy.max_redirects} ครั้ง",
    }
    if fetched.error:
        return Verdict(FAIL, fetched.error, failures[fetched.error])
    status = fetched.status or 0
    redirected_to_login = fetched.final_url != fetched.url and LOGIN_URL.search(fetched.final_url)
    if status in (401, 403) or redirected_to_login:
        return Verdict(FAIL, "login", "ต้องเข้าสู่ระบบจึงจะเปิดได้")
    if status in (404, 410):
        return Verdict(FAIL, "not_found", f"ลิงก์เสีย {status}")
    if status >= 500:
        return Verdict(FAIL, "server", f"เว็บไซต์ขัดข้อง ({status})")
    if not 200 <= status < 300:
        return Verdict(FAIL, "status", f"เปิดไม่ได้ (HTTP {status})")
    if has_password_field(fetched.body[:200_000]):
        return Verdict(FAIL, "login", "ต้องเข้าสู่ระบบจึงจะเปิดได้")
    title, text = text_of(fetched)
    found = years_in(f"{title} {text}")
    matching = [year for year in accepted if year in found]
    if matching:
        return Verdict(OK, "ok", f"เปิดได้ พบปี {thai_year(matching[0])}", title, found)
    if found and max(found) < min(accepted):
        return Verdict(WARN, "outdated", f"ยังเป็นเอกสารปี {thai_year(max(found))}", title, found)
    wanted = thai_year(accepted[0])
    if not text.strip():
        return Verdict(
            WARN, "unreadable", f"อ่านข้อความในไฟล์ไม่ได้ (อาจเป็นภาพสแกน) ตรวจปี {wanted} ด้วยตนเอง", title
        )
    if fetched.truncated:
        return Verdict(WARN, "no_year", f"ไฟล์ใหญ่ ตรวจเฉพาะส่วนต้น ไม่พบปี {wanted}", title, found)
    return Verdict(WARN, "no_year", f"ไม่พบปี {wanted} ในเนื้อหา", title, found)


def check(url: str, accepted_years: Iterable[int], policy: Policy) -> tuple[Fetched, Verdict]:
    fetched = fetch(url, policy)
    verdict = judge(fetched, accepted_years, policy)
    fetched.body = b""  # judged: not kept
    return fetched, verdict

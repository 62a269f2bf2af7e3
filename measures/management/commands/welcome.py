"""Once the portal answers, say where to open it and how to log in (make run, make serve)."""

import time
import urllib.error
import urllib.request

from django.contrib.auth import get_user_model

from ita_portal.commands import ThaiCommand, bounded

from ... import demo

ROLES = {
    "staff": ("เจ้าหน้าที่", "municipal staff"),
    "workgroup": ("คณะทำงาน ITA", "ITA working group"),
    "admin": ("ผู้ดูแล/ผู้เผยแพร่", "administrator"),
}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 — the portal's own address
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (OSError, ValueError):
        return False


class Command(ThaiCommand):
    help = "รอจนพอร์ทัลตอบ แล้วพิมพ์ที่อยู่ที่ต้องเปิดและผู้ใช้ตัวอย่าง (ภาษาไทยและอังกฤษ)"

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="ที่อยู่ของพอร์ทัล")
        parser.add_argument("--wait", type=bounded(1, 600), default=60, help="รอได้นานที่สุดกี่วินาที")

    def handle(self, *args, **options):
        url = options["url"].rstrip("/") + "/"
        deadline = time.monotonic() + options["wait"]
        while not _answers(url + "healthz"):
            if time.monotonic() > deadline:
                self.stderr.write(f"พอร์ทัลยังไม่ตอบที่ {url} · the portal does not answer at {url}")
                return
            time.sleep(0.5)
        self.stdout.write(self.banner(url))

    def banner(self, url: str) -> str:
        lines = [
            "",
            "─" * 72,
            "  ITA Portal พร้อมใช้งาน · ITA Portal is ready",
            f"  เปิดในเบราว์เซอร์ · Open in a browser:  {url}",
            f"  คู่มือการใช้งาน · User guide:            {url}help/",
        ]
        users = get_user_model().objects.filter(username__in=ROLES, is_active=True).order_by("username")
        demo_users = [user for user in users if user.check_password(demo.DEMO_PASSWORD)]
        if demo_users:
            lines.append(f"  ผู้ใช้ตัวอย่าง · Demo logins (รหัสผ่าน · password: {demo.DEMO_PASSWORD})")
            for user in sorted(demo_users, key=lambda u: list(ROLES).index(u.username)):
                thai, english = ROLES[user.username]
                lines.append(f"    {user.username:<10} {thai} · {english}")
        else:
            lines.append("  เข้าสู่ระบบด้วยบัญชีที่ผู้ดูแลระบบสร้างให้ · Log in with the account you were given")
        lines += ["  หยุด · Stop: Ctrl+C", "─" * 72, ""]
        return "\n".join(lines)

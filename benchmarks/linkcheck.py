"""Benchmark: the OIT link checker against a local HTTP server — throughput and memory.

    DATABASE_URL=… .venv/bin/python benchmarks/linkcheck.py [--organisations 1000] [--floor 1000]

Needs organisations in the database (the national dataset: ``generate_demo_data``); it gives the
first ``--organisations`` of them a 2568 register (27 items, three with two links: 30 links each,
every link its own page) and checks each register as the background task does
(``register_check``: fetch, judge, keep the result), against a server started here in a separate
process on 127.0.0.1 (pages of about 2 KB naming 2568, one in ten an old year's, one in twenty a
404). The pace per host is switched off — every link is on one host, which a real run would ask
once a second — so this measures the checker itself. The floor: the same number of plain
``urllib`` GETs of the same pages, nothing judged or written. Memory: the process's resident size
before and after, and the peak allocated while one register was checked (tracemalloc, separately).
The registers and their results are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import textwrap
import time
import tracemalloc
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from assessments.models import FiscalYear, Organisation  # noqa: E402
from oit.choices import RegisterStatus  # noqa: E402
from oit.linkcheck import Policy  # noqa: E402
from oit.models import LinkCheck, RegisterItem  # noqa: E402
from oit.selectors import register_items  # noqa: E402
from oit.services import register_check, register_open  # noqa: E402

SERVER = textwrap.dedent(
    """
    import sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    PAGE = ("<html><head><title>เอกสาร ปีงบประมาณ พ.ศ. {year}</title></head><body>"
            + "ข้อมูลของหน่วยงาน " * 80 + "</body></html>")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"
        def log_message(self, *args):
            pass
        def do_GET(self):
            number = sum(map(ord, self.path))
            if number % 20 == 0 and not self.path.startswith("/floor/"):
                self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
            body = PAGE.format(year=2567 if number % 10 == 1 else 2568).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """
)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--floor", type=int, default=1000, help="plain GETs for the floor")
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
    policy = Policy(timeout=10, per_host_interval=0, allow_loopback=True)
    year = FiscalYear.objects.get(year=2568)
    organisations = list(Organisation.objects.order_by("pk")[: args.organisations])
    try:
        started = time.perf_counter()
        for organisation in organisations:
            register_open(organisation=organisation, fiscal_year=year)
        items = RegisterItem.objects.filter(organisation__in=organisations, fiscal_year=year)
        rows = list(items.select_related("question"))
        for item in rows:
            links = [f"{base}/{item.organisation_id}/{item.question.code}"]
            if item.question.code in ("o1", "o10", "o20"):
                links.append(f"{links[0]}/annex")
            item.urls, item.status = "\n".join(links), RegisterStatus.PRESENT
        RegisterItem.objects.bulk_update(rows, ["urls", "status"], batch_size=2000)
        print(
            f"{len(organisations):,} registers of 27 items, 30 links each: set up in {time.perf_counter() - started:.0f} s"
        )

        started = time.perf_counter()
        for n in range(args.floor):
            with urllib.request.urlopen(f"{base}/floor/{n}") as response:  # noqa: S310 (local server)
                response.read()
        floor = (time.perf_counter() - started) / args.floor

        print(f"process before checking: {rss_mb():.0f} MB resident")
        started = time.perf_counter()
        links = 0
        verdicts: dict[str, int] = {}
        for organisation in organisations:
            own = [item for item in register_items(organisation, year) if item.url_list]
            summary = register_check(items=own, policy=policy)
            links += summary.links
            for level, count in summary.verdicts.items():
                verdicts[level] = verdicts.get(level, 0) + count
        elapsed = time.perf_counter() - started
        print(
            f"checked {links:,} links in {elapsed:.1f} s: {links / elapsed:.0f} links/s "
            f"({1000 * elapsed / links:.2f} ms a link; floor, a plain GET: {1000 * floor:.2f} ms; "
            f"× floor {elapsed / links / floor:.2f})"
        )
        print(f"verdicts: {verdicts}; results kept: {LinkCheck.objects.filter(item__in=items).count():,}")
        print(f"process after checking: {rss_mb():.0f} MB resident (peak)")
        tracemalloc.start()
        own = [item for item in register_items(organisations[0], year) if item.url_list]
        register_check(items=own, policy=policy)
        print(
            f"one register (30 links) under tracemalloc: peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MB"
        )
        tracemalloc.stop()
    finally:
        LinkCheck.objects.filter(item__organisation__in=organisations, item__fiscal_year=year).delete()
        RegisterItem.objects.filter(organisation__in=organisations, fiscal_year=year).delete()
        server.terminate()


if __name__ == "__main__":
    main()

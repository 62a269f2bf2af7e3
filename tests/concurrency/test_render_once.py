"""Two worker processes given the same document render it once: four jobs for one PDF (four people
asking at the same moment, taken by four worker children at once) make one render; the others wait
for its claim, find the file and finish. On SQLite in a process of its own against a file (as the
worker children are), on PostgreSQL in this process."""

import pytest
from django.db import connection

from tests.concurrency import on_fresh_sqlite

WORKERS = 4

SCENE = r"""
import json, threading, time
from django.core.management import call_command
from django.db import connection
from ita_portal import jobs
from ita_portal.models import Claim, Job
from reports import pdf, rendering, tasks
from tests.factories import OrganisationFactory, make_approved_plan

call_command("load_framework", verbosity=0)
call_command("load_measure_templates", verbosity=0)
plan, wg = make_approved_plan(OrganisationFactory())
name = rendering.cache_name(plan.pk, "analysis", "f" * 64)
rendering.storage().exists(name) and rendering.storage().delete(name)
renders = []

def slow(html, **kwargs):  # a render that takes a while, as WeasyPrint's does
    renders.append(html)
    time.sleep(1.0)
    return b"%PDF-1.7 rendered once"

pdf.render_pdf = slow
ids = [jobs.start(kind="document", title="t", user=wg, key=name).pk for _ in range(WORKERS)]
connection.close()
start = threading.Barrier(WORKERS)

def run(n):
    try:
        start.wait()
        tasks.render_document.call(ids[n], plan.pk, "analysis", "2026-03-01", "http://127.0.0.1", name)
    finally:
        connection.close()

threads = [threading.Thread(target=run, args=(n,)) for n in range(WORKERS)]
for t in threads: t.start()
for t in threads: t.join()
kept = rendering.cached(name)
rendering.storage().delete(name)
result = {
    "renders": len(renders),
    "jobs": sorted(Job.objects.values_list("status", flat=True)),
    "claims": Claim.objects.count(),
    "kept": kept.decode() if kept else None,
}
"""

RENDERED_ONCE = {"renders": 1, "jobs": ["done"] * WORKERS, "claims": 0, "kept": "%PDF-1.7 rendered once"}


@pytest.mark.slow
def test_four_workers_given_one_document_render_it_once_on_sqlite(tmp_path):
    script = f"WORKERS = {WORKERS}\n{SCENE}\nprint(json.dumps(result))"
    assert on_fresh_sqlite(tmp_path, script) == RENDERED_ONCE


@pytest.mark.django_db(transaction=True)
def test_four_workers_given_one_document_render_it_once_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("threads need a database that is not in memory: SQLite is tested above")
    namespace = {"WORKERS": WORKERS}
    exec(SCENE, namespace)  # noqa: S102 (the scene above, the same text the SQLite test runs)
    assert namespace["result"] == RENDERED_ONCE

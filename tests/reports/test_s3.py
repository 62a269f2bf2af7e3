"""Files in an S3-compatible bucket (S3_BUCKET): evidence, published PDFs and task results go to the
bucket, the portal still serves every file itself with its checks. Against moto's S3 server started
here on 127.0.0.1 — never the network."""

import datetime
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.urls import reverse

from ita_portal.settings import file_storages
from measures.choices import MeasureStatus
from measures.services import Upload, progress_report
from reports import documents, services
from reports.choices import DocumentKind
from tests.factories import scan_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
BUCKET = "ita-portal-test"
PDF = scan_pdf("evidence on S3")


@pytest.fixture(scope="module")
def s3_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """The portal's stores pointed at a fresh bucket; returns a boto3 client to look inside it."""
    for name, value in {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", []) if _exists(client) else None
    if objects is None:
        client.create_bucket(Bucket=BUCKET)
    for item in objects or []:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    settings.STORAGES = {
        **settings.STORAGES,
        **file_storages(Path("/nowhere"), Path("/nowhere"), Path("/nowhere")),
    }
    return client


def _exists(client) -> bool:
    return any(b["Name"] == BUCKET for b in client.list_buckets()["Buckets"])


def keys(client, prefix: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]


def test_the_stores_are_the_bucket_when_s3_bucket_is_set(bucket):
    assert os.environ["S3_BUCKET"] == BUCKET
    stores = file_storages(Path("/a"), Path("/b"), Path("/c"))
    assert {store["BACKEND"] for store in stores.values()} == {"storages.backends.s3.S3Storage"}
    assert [stores[name]["OPTIONS"]["location"] for name in ("evidence", "published", "work")] == [
        "evidence",
        "published",
        "work",
    ]
    assert stores["published"]["OPTIONS"]["default_acl"] is None  # private: served by the portal only


def test_evidence_published_pdfs_and_cached_renders_live_in_the_bucket_and_are_served_by_the_portal(
    bucket, client, approved
):
    plan, wg, admin = approved
    measure = plan.measures.order_by("pk").first()
    update = progress_report(
        measure=measure,
        user=wg,
        reported_on=datetime.date(2026, 1, 10),
        status=MeasureStatus.IN_PROGRESS,
        percent=40,
        result="เริ่มดำเนินการ",
        recommendation="",
        files=[Upload("หลักฐาน.pdf", PDF)],
    )
    evidence = update.evidence.get()
    [key] = keys(bucket, "evidence/")
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF
    client.force_login(wg)
    download = client.get(reverse("measures:evidence-download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF

    published = services.document_publish(
        plan=plan, kind=DocumentKind.ANALYSIS, user=admin, today=datetime.date(2026, 1, 15)
    )
    [pdf_key] = keys(bucket, "published/")
    stored = bucket.get_object(Bucket=BUCKET, Key=pdf_key)["Body"].read()
    assert stored.startswith(b"%PDF") and documents.digest(stored) == published.sha256
    public = client.get(reverse("reports:public-file", args=[published.public_id]))
    assert public.status_code == 200 and public.content == stored

    # Someone with access to the bucket changes the file: the portal refuses to serve it.
    bucket.put_object(Bucket=BUCKET, Key=pdf_key, Body=stored + b"%tampered")
    refused = client.get(reverse("reports:public-file", args=[published.public_id]))
    assert refused.status_code == 500 and "ไม่ตรงกับที่เผยแพร่ไว้" in refused.content.decode()

    # A draft PDF rendered in the background is cached in the bucket too.
    first = client.get(reverse("reports:document-pdf", args=[plan.pk, "analysis"]))
    assert first.url.startswith("/jobs/")
    [cached] = keys(bucket, "work/documents/")
    again = client.get(reverse("reports:document-pdf", args=[plan.pk, "analysis"]))
    assert again.content == bucket.get_object(Bucket=BUCKET, Key=cached)["Body"].read()

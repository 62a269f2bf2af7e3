"""The same document in every environment: with the production static storage (hashed names from
collectstatic's manifest, DEBUG off) a document finds its stylesheet, fonts and images exactly as
in development, so it has the same pages and the same text."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from reports import context, documents, pdf
from reports.choices import DocumentKind

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PRODUCTION_STATIC = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def html_of(kind, plan):
    plan = context.plans_for_documents().get(pk=plan.pk)
    return documents.render_html(
        context.build(kind, plan, plan.assessment.updated_at.date()), thai_digits=True, for_pdf=True
    )


def test_every_document_renders_the_same_with_the_production_static_storage(
    with_memo, tmp_path, settings, weasy_problems
):
    from reports import services

    plan, wg, _admin = with_memo
    services.announcement_save(
        plan=plan,
        user=wg,
        fields={
            "date": None,
            "signer_name": "นายสมชาย รักษ์ถิ่น",
            "signer_position": "นายกองค์การบริหารส่วนตำบลวังหมี",
        },
    )
    development = {kind: html_of(kind, plan) for kind in DocumentKind.values}
    production_settings = {
        "DEBUG": False,
        "STATIC_ROOT": tmp_path / "static",
        "STORAGES": {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC},
    }
    with override_settings(**production_settings):
        call_command("collectstatic", "--noinput", verbosity=0)
        production = {kind: html_of(kind, plan) for kind in DocumentKind.values}
        for kind in DocumentKind.values:
            # The production page names the hashed stylesheet; development the plain one.
            assert re.search(r'href="/static/css/document\.[0-9a-f]{12}\.css"', production[kind]), kind
            assert 'href="/static/css/document.css"' in development[kind]
            produced = pdf.page_texts(production[kind])
            assert produced == pdf.page_texts(development[kind]), kind
            assert len(produced) > 1 or kind == DocumentKind.MEMO
            assert pdf.render_pdf(production[kind]).startswith(b"%PDF")
    assert weasy_problems() == []  # no stylesheet or font refused along the way

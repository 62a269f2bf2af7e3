"""The frameworks' revision: any save or deletion of a piece of a year's framework (the loader, the
admin, a data migration through the ORM) counts one more change on every fiscal year.

What is cached from a framework elsewhere — a document's PDF (``reports.fingerprint``) — keys on
these numbers instead of reading every framework row on each request. Frameworks change a few
times a year, so one counter for all years is enough. ``framework_load`` also counts its
queryset updates, which send no signal.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save


def framework_changed_now(**_kwargs) -> None:
    from .models import FiscalYear

    FiscalYear.objects.update(revision=F("revision") + 1)


def connect() -> None:
    from . import models

    for model in (
        models.FiscalYear,
        models.Tool,
        models.Indicator,
        models.SubIndicator,
        models.Question,
        models.RatingLevel,
        models.AnalysisRule,
    ):
        post_save.connect(framework_changed_now, sender=model, dispatch_uid=f"revision-save-{model.__name__}")
        post_delete.connect(
            framework_changed_now, sender=model, dispatch_uid=f"revision-del-{model.__name__}"
        )

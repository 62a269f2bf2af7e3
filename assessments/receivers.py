"""Saves and deletions through the ORM (the loader, the admin, a form) that change what is cached
from the records count a change (``assessments.revisions``): any piece of a framework, and an
organisation (its name, province, type or size are printed and grouped by). ``framework_load``
and ``results_refresh`` count their queryset updates themselves, which send no signal.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from . import revisions


def connect() -> None:
    from . import models

    framework = (
        models.FiscalYear,
        models.Tool,
        models.Indicator,
        models.SubIndicator,
        models.Question,
        models.RatingLevel,
        models.AnalysisRule,
    )
    for model, receiver in [(m, revisions.framework_changed) for m in framework] + [
        (models.Organisation, revisions.organisations_changed)
    ]:
        uid = f"revision-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")

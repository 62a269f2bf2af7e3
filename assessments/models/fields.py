"""The 0–100 score field and its database range check, shared by every score."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [
    MinValueValidator(Decimal("0"), message=_("คะแนนต้องไม่ต่ำกว่า 0")),
    MaxValueValidator(Decimal("100"), message=_("คะแนนต้องไม่เกิน 100")),
]


def score_field(**kwargs) -> models.DecimalField:
    """A 0–100 score with two decimals, as NACC publishes it."""
    return models.DecimalField(max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


def score_range_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=name,
    )

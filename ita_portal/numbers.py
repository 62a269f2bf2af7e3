"""Scores as text, the one way every app prints them: pure Python on ``Decimal`` (no Django), so
the scoring core and the documents share it. Round half-up, once, at the end (DOMAIN.md §3)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def round_half_up(value: Decimal) -> Decimal:
    """Round to two decimals, half away from zero (94.735 → 94.74)."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def format_score(value: Decimal | None) -> str:
    """Two decimals as text ("85.00"); an empty string for no value."""
    return "" if value is None else f"{round_half_up(value):.2f}"

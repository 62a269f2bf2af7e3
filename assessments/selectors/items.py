"""OIT items by identity: an item's code changes from one year to the next (2568's o26 is 2569's
O24), its ``key`` does not. A plan of year Y+1 made from year Y's result names each item as Y+1
numbers it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..models import Question


@dataclass(frozen=True)
class ItemRef:
    """A question or item as a given year numbers it."""

    code: str
    year: int
    text: str
    kind: str

    @property
    def label(self) -> str:
        """ "ข้อ O24 (ปี 2569)": never a code without the year it belongs to."""
        return f"ข้อ {self.code} (ปี {self.year})"

    @property
    def short(self) -> str:
        """ "O24 (ปี 2569)"."""
        return f"{self.code} (ปี {self.year})"


@dataclass(frozen=True)
class YearItems:
    """Year ``own``'s questions as year ``year`` numbers them, and every code of ``year``."""

    refs: Mapping[str, ItemRef]  # own year's code → the reference
    codes: frozenset[str]  # every code of ``year`` (empty when its framework is not loaded)
    year: int


def items_in_year(questions: Mapping[str, Question], own: int, year: int) -> YearItems:
    """Each of ``questions`` (year ``own``'s, by code) as year ``year`` numbers it: the item with
    the same key there, else itself with its own year (a question without a key, an item ``year``
    does not have, or a year whose framework is not loaded). One query."""
    rows = list(Question.objects.filter(fiscal_year__year=year).values_list("code", "key", "text", "kind"))
    by_key = {key: (code, text, kind) for code, key, text, kind in rows if key}
    refs = {}
    for code, question in questions.items():
        if question.key and question.key in by_key:
            refs[code] = ItemRef(*by_key[question.key][:1], year, *by_key[question.key][1:])
        else:
            refs[code] = ItemRef(code, own, question.text, question.kind)
    return YearItems(refs=refs, codes=frozenset(code for code, *_ in rows), year=year)

"""Figures computed from the portal's own results, to which a roadmap indicator can be bound.

A roadmap period names a school year («2026/2027 учебный год», «2026/27»); a lone year («2026») means the school
year that ends in it. Olympiad results are kept by the school year's first year; ЕГЭ by the year it was held.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from assessments.models import AssessmentKind, OlympiadResult, ResultAggregate

_SPAN = re.compile(r"(20\d\d)\s*[/–—-]\s*(?:20)?(\d\d)")
_YEAR = re.compile(r"(20\d\d)")


def school_year_start(period: str) -> int | None:
    """«2026/2027 учебный год» → 2026; «2026» → 2025 (the school year ending in 2026); no year → None."""
    found = _SPAN.search(period or "")
    if found:
        return int(found.group(1))
    found = _YEAR.search(period or "")
    return int(found.group(1)) - 1 if found else None


def _unit(queryset, *, municipality_id, school_id):
    return (
        queryset.filter(school_id=school_id)
        if school_id
        else queryset.filter(school__municipality_id=municipality_id)
    )


def _olympiad(stage: str, what: str) -> Callable:
    def compute(*, municipality_id, school_id, start: int) -> Decimal | None:
        rows = _unit(OlympiadResult.objects.filter(stage=stage, year=start), municipality_id=municipality_id,
                     school_id=school_id)  # fmt: skip
        if not rows.exists():
            return None
        expression = F("participants") if what == "participants" else F("winners") + F("prize_winners")
        return Decimal(rows.aggregate(total=Sum(expression))["total"] or 0)

    return compute


def _ege(what: str) -> Callable:
    def compute(*, municipality_id, school_id, start: int) -> Decimal | None:
        rows = ResultAggregate.objects.filter(campaign__kind=AssessmentKind.EGE, campaign__year=start + 1)
        rows = rows.filter(school_id=school_id) if school_id else rows.filter(municipality_id=municipality_id)
        totals = rows.aggregate(scored=Sum("scored"), below=Sum("below_min"), hundreds=Sum("hundreds"))
        if not totals["scored"]:
            return None
        if what == "hundreds":
            return Decimal(totals["hundreds"])
        return (Decimal(100 * totals["below"]) / totals["scored"]).quantize(Decimal("0.1"))

    return compute


@dataclass(frozen=True)
class Figure:
    label: str
    unit: str
    compute: Callable


FIGURES: dict[str, Figure] = {
    "olympiad_regional_winners": Figure(
        "Победители и призёры регионального этапа ВсОШ", "чел.", _olympiad("regional", "winners")
    ),
    "olympiad_final_winners": Figure(
        "Победители и призёры заключительного этапа ВсОШ", "чел.", _olympiad("final", "winners")
    ),
    "olympiad_municipal_winners": Figure(
        "Победители и призёры муниципального этапа ВсОШ", "чел.", _olympiad("municipal", "winners")
    ),
    "olympiad_regional_participants": Figure(
        "Участники регионального этапа ВсОШ", "чел.", _olympiad("regional", "participants")
    ),
    "ege_below_min_pct": Figure("Доля участников ЕГЭ ниже минимального балла", "%", _ege("below")),
    "ege_hundreds": Figure("Участники ЕГЭ со 100 баллами", "чел.", _ege("hundreds")),
}


def figure_choices() -> list[tuple[str, str]]:
    return [(code, f"{f.label}, {f.unit}") for code, f in FIGURES.items()]


def figure_value(
    code: str, *, municipality_id: int | None, school_id: int | None, period: str
) -> Decimal | None:
    """The figure for a municipality's (or a school's) school year named by ``period``; None when unknown."""
    figure, start = FIGURES.get(code), school_year_start(period)
    if figure is None or start is None:
        return None
    return figure.compute(municipality_id=municipality_id, school_id=school_id, start=start)

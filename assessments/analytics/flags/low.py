"""Low results (ШНОР candidates): the regional bottom decile of a standardised composite in enough years."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import fmean, stdev

from ..stats import shrink_weight
from .common import (
    DEFAULT_SETTINGS,
    EXAM_KIND_NAMES,
    FLAG_LOW_RESULTS,
    KIND_VPR,
    Flag,
    FlagSettings,
    Reason,
    SchoolYearIndicator,
    _num,
    _pct,
)


def _pool(rows: Iterable[SchoolYearIndicator]) -> dict[tuple, dict[str, tuple[float, int]]]:
    """(kind, subject, grade, year) -> school -> (participant-weighted mean, participants)."""
    sums: dict[tuple, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    for row in rows:
        if row.participants <= 0:
            continue
        cell = sums[(row.kind, row.subject, row.grade, row.year)][row.school]
        cell[0] += row.mean * row.participants
        cell[1] += row.participants
    return {
        key: {school: (total / n, int(n)) for school, (total, n) in schools.items()}
        for key, schools in sums.items()
    }


def composites(
    indicators: Iterable[SchoolYearIndicator],
    *,
    years: Sequence[int],
    settings: FlagSettings = DEFAULT_SETTINGS,
) -> tuple[dict[tuple[str, int], float], dict[tuple[str, int], dict[str, float]]]:
    """Steps 1–2 of :func:`low_results`: (school, year) -> composite, and -> {exam kind: mean z}.

    Also the yardstick of a low-results flag's follow-up: the same composite a year later."""
    s = settings
    wanted = set(years)
    cells = _pool(row for row in indicators if row.year in wanted)
    z_by: dict[tuple[str, int], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (kind, _subject, _grade, year), pooled in cells.items():
        schools = {school: cell for school, cell in pooled.items() if cell[1] >= s.min_participants}
        if len(schools) < 2:
            continue
        means = [mean for mean, _n in schools.values()]
        centre, spread = fmean(means), stdev(means)
        if spread == 0:
            continue
        for school, (mean, n) in schools.items():
            z_by[(school, year)][kind].append((mean - centre) / spread * shrink_weight(n, s.shrink_k))
    parts = {key: {kind: fmean(zs) for kind, zs in kinds.items()} for key, kinds in z_by.items()}
    return {key: fmean(by_kind.values()) for key, by_kind in parts.items()}, parts


def low_results(
    indicators: Iterable[SchoolYearIndicator],
    *,
    years: Sequence[int],
    settings: FlagSettings = DEFAULT_SETTINGS,
) -> list[Flag]:
    """Schools in the regional bottom decile of a composite indicator in enough of ``years``.

    1. Every indicator (kind, subject, grade, year) with at least ``min_participants`` participants (rows
       with the same key are pooled first) is
       standardized across the schools that have it: ``z = (mean − mean of school means) / SD of school
       means``, then shrunk towards 0 with weight ``n / (n + shrink_k)``.
    2. Composite of a school-year = mean over exam kinds of the mean z within the kind (ВПР, ОГЭ and ЕГЭ
       weigh equally however many subjects each has).
    3. Per year the schools with a composite are ranked from the bottom; the bottom decile is rank
       ``<= low_decile × N``.
    4. A school is flagged when it is in the bottom decile in at least ``low_years_needed`` of ``years``.
       The flag's ``year`` is the latest of ``years``; ``score`` is the mean composite over the bottom years.
    """
    s = settings
    wanted = set(years)
    if not wanted:
        raise ValueError("years must not be empty")
    composite, parts = composites(indicators, years=years, settings=s)

    bottom: dict[str, list[Reason]] = defaultdict(list)
    bottom_values: dict[str, list[float]] = defaultdict(list)
    for year in sorted(wanted):
        ranked = sorted((value, school) for (school, y), value in composite.items() if y == year)
        cutoff = math.floor(s.low_decile * len(ranked) + 1e-9)
        if cutoff == 0:
            continue
        threshold = ranked[cutoff - 1][0]
        for rank, (value, school) in enumerate(ranked[:cutoff], start=1):
            by_kind = ", ".join(
                f"{EXAM_KIND_NAMES.get(kind, kind)} {_num(z, 2, sign=True)} σ"
                for kind, z in sorted(parts[(school, year)].items(), key=lambda item: item[0] != KIND_VPR)
            )
            text = (
                f"{year}: {rank}-е место снизу из {len(ranked)} (нижние {_pct(s.low_decile)}), "
                f"сводный показатель {_num(value, 2, sign=True)} σ ({by_kind})."
            )
            bottom[school].append(Reason("bottom_decile", text, value=value, threshold=threshold))
            bottom_values[school].append(value)

    flags = []
    for school in sorted(bottom):
        if len(bottom[school]) >= s.low_years_needed:
            flags.append(
                Flag(
                    kind=FLAG_LOW_RESULTS,
                    school=school,
                    year=max(years),
                    reasons=tuple(bottom[school]),
                    score=fmean(bottom_values[school]),
                )
            )
    return flags

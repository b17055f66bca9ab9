"""Indicator attainment: targets against actual values, per period, for one roadmap or many.

An indicator whose targets go below its baseline (or fall from period to period) is one to lower —
"доля участников ниже минимума" — and is attained when the actual value is at or under the target;
any other indicator is attained at or above the target.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from roadmaps.models import decimal_or_none, decimal_text


@dataclass(frozen=True)
class Cell:
    target: Decimal | None
    actual: Decimal | None

    @property
    def measured(self) -> bool:
        return self.target is not None and self.actual is not None


@dataclass
class IndicatorRow:
    name: str
    unit: str
    baseline: Decimal | None
    lower_is_better: bool
    cells: list[Cell] = field(default_factory=list)

    @property
    def marked(self) -> list[tuple[Cell, bool | None]]:
        """Each period's cell with whether its target is attained (None: nothing to compare)."""
        return [(cell, self.attained(cell)) for cell in self.cells]

    def attained(self, cell: Cell) -> bool | None:
        if not cell.measured:
            return None
        return cell.actual <= cell.target if self.lower_is_better else cell.actual >= cell.target


@dataclass(frozen=True)
class PeriodSummary:
    period: str
    attained: int
    measured: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.attained / self.measured) if self.measured else None


def _lower_is_better(baseline: Decimal | None, targets: list[Decimal]) -> bool:
    if baseline is not None and targets:
        return targets[-1] < baseline
    return len(targets) >= 2 and targets[-1] < targets[0]


def indicator_rows(content: dict, actuals_by_period: dict[str, dict]) -> list[IndicatorRow]:
    """One row per indicator with a (target, actual) cell per period of the content."""
    periods = content.get("periods", [])
    rows = []
    for indicator in content.get("indicators", []):
        targets = {p: decimal_or_none(indicator.get("targets", {}).get(p)) for p in periods}
        baseline = decimal_or_none(indicator.get("baseline"))
        row = IndicatorRow(
            name=indicator["name"], unit=indicator.get("unit") or "", baseline=baseline,
            lower_is_better=_lower_is_better(baseline, [t for t in targets.values() if t is not None]),
        )  # fmt: skip
        for period in periods:
            actual = decimal_or_none(actuals_by_period.get(period, {}).get(indicator["name"]))
            row.cells.append(Cell(target=targets[period], actual=actual))
        rows.append(row)
    return rows


def period_summaries(content: dict, actuals_by_period: dict[str, dict]) -> list[PeriodSummary]:
    rows = indicator_rows(content, actuals_by_period)
    summaries = []
    for index, period in enumerate(content.get("periods", [])):
        cells = [(row, row.cells[index]) for row in rows]
        summaries.append(
            PeriodSummary(
                period=period,
                attained=sum(1 for row, cell in cells if row.attained(cell)),
                measured=sum(1 for _, cell in cells if cell.measured),
                total=len(cells),
            )
        )
    return summaries


def latest_reported(summaries: list[PeriodSummary]) -> PeriodSummary | None:
    """The last period with at least one measured indicator."""
    measured = [s for s in summaries if s.measured]
    return measured[-1] if measured else None


def bound_actuals(roadmap, period: str) -> dict[str, Decimal | None]:
    """Indicators bound to a figure of the portal (``source``): their value for the roadmap's unit in ``period``."""
    from assessments.figures import figure_value

    return {
        indicator["name"]: figure_value(indicator["source"], municipality_id=roadmap.municipality_id,
                                        school_id=roadmap.school_id, period=period)
        for indicator in roadmap.indicators
        if indicator.get("source")
    }  # fmt: skip


def actuals_by_period(roadmap) -> dict[str, dict]:
    """Entered actual values per period, with bound indicators filled from the portal's figures (read-only)."""
    actuals = {p.period: dict(p.actuals) for p in roadmap.progress.all()}
    if any(indicator.get("source") for indicator in roadmap.indicators):
        for period in roadmap.periods:
            for name, value in bound_actuals(roadmap, period).items():
                actuals.setdefault(period, {})[name] = decimal_text(value)
    return actuals

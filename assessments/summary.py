"""Reading the aggregates: figures per region, municipality and school for one campaign.

Pages, exports, the API and ``results_summary`` all read through here; none of them scans raw results.
"""

from dataclasses import dataclass, field

from django.db.models import Sum

from assessments.models import Campaign, ResultAggregate, SchoolFlag
from municipalities.models import Municipality, School

FIELDS = ["participants", "scored", "score_sum", "below_min", "below_university", "band_min_60", "band_61_80",
          "band_81_100", "hundreds", "mark_2", "mark_3", "mark_4", "mark_5"]  # fmt: skip


def _pct(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class SummaryRow:
    pk: int | None
    code: str
    name: str
    participants: int = 0
    scored: int = 0
    score_sum: float = 0
    below_min: int = 0
    below_university: int = 0
    band_min_60: int = 0
    band_61_80: int = 0
    band_81_100: int = 0
    hundreds: int = 0
    mark_2: int = 0
    mark_3: int = 0
    mark_4: int = 0
    mark_5: int = 0
    previous_mean: float | None = None
    rank: int | None = None
    minimum_known: bool = True  # False: the campaign has no minimum score («шкала не задана»)
    extra: dict = field(default_factory=dict)

    @property
    def mean(self) -> float | None:
        return round(self.score_sum / self.scored, 2) if self.scored else None

    @property
    def below_min_pct(self) -> float | None:
        return _pct(self.below_min, self.scored) if self.minimum_known else None

    @property
    def below_university_pct(self) -> float | None:
        return _pct(self.below_university, self.scored)

    @property
    def band_81_99(self) -> int:
        return self.band_81_100 - self.hundreds

    @property
    def band_min_60_pct(self) -> float | None:
        return _pct(self.band_min_60, self.scored) if self.minimum_known else None

    @property
    def band_61_80_pct(self) -> float | None:
        return _pct(self.band_61_80, self.scored)

    @property
    def band_81_99_pct(self) -> float | None:
        return _pct(self.band_81_99, self.scored)

    @property
    def hundreds_pct(self) -> float | None:
        return _pct(self.hundreds, self.scored)

    def mark_pct(self, mark: int) -> float | None:
        return _pct(getattr(self, f"mark_{mark}"), self.marks_total)

    mark_2_pct = property(lambda self: self.mark_pct(2))
    mark_3_pct = property(lambda self: self.mark_pct(3))
    mark_4_pct = property(lambda self: self.mark_pct(4))
    mark_5_pct = property(lambda self: self.mark_pct(5))

    @property
    def marks_total(self) -> int:
        return self.mark_2 + self.mark_3 + self.mark_4 + self.mark_5

    @property
    def success_pct(self) -> float | None:
        """Успеваемость: marks 3–5."""
        return _pct(self.mark_3 + self.mark_4 + self.mark_5, self.marks_total)

    @property
    def quality_pct(self) -> float | None:
        """Качество знаний: marks 4–5."""
        return _pct(self.mark_4 + self.mark_5, self.marks_total)

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return round(self.mean - self.previous_mean, 2)

    def as_json(self, campaign: Campaign) -> dict:
        return {
            "code": self.code, "name": self.name, "subject": campaign.subject.name, "participants": self.participants,
            "mean_score": self.mean, "below_min_pct": self.below_min_pct, "below_university_pct": self.below_university_pct,
            "success_pct": self.success_pct, "quality_pct": self.quality_pct, "hundreds": self.hundreds,
            "band_min_60_pct": self.band_min_60_pct, "band_61_80_pct": self.band_61_80_pct,
            "band_81_99_pct": self.band_81_99_pct, "hundreds_pct": self.hundreds_pct,
            "change": self.change, "rank": self.rank,
        }  # fmt: skip


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return Campaign.objects.filter(
        region_id=campaign.region_id,
        kind=campaign.kind,
        subject=campaign.subject,
        grade=campaign.grade,
        year=campaign.year - 1,
    ).first()


def _grouped(aggregates, key: str) -> dict[int, dict]:
    return {
        row[key]: row for row in aggregates.values(key).annotate(**{f: Sum(f) for f in FIELDS}).order_by()
    }


def summarize(
    campaign: Campaign, *, by: str, user, municipality: Municipality | None = None
) -> tuple[list[SummaryRow], SummaryRow]:
    """Rows by municipality or by school (optionally within one municipality), each with last year's mean."""
    aggregates = ResultAggregate.objects.for_user(user).filter(campaign=campaign)
    if municipality is not None:
        aggregates = aggregates.filter(municipality=municipality)
    key = "municipality_id" if by == "municipality" else "school_id"
    current = _grouped(aggregates, key)
    before = previous_campaign(campaign)
    earlier = {}
    if before:
        old = ResultAggregate.objects.for_user(user).filter(campaign=before)
        if municipality is not None:
            old = old.filter(municipality=municipality)
        earlier = _grouped(old, key)
    units = (Municipality if by == "municipality" else School).objects.in_bulk(list(current))
    rows = []
    for pk, figures in current.items():
        unit = units[pk]
        name = unit.name if by == "municipality" else unit.short_name
        row = SummaryRow(pk=pk, code=unit.code, name=name, minimum_known=not campaign.scale_missing,
                         **{f: figures[f] or 0 for f in FIELDS})  # fmt: skip
        if pk in earlier and earlier[pk]["scored"]:
            row.previous_mean = round(earlier[pk]["score_sum"] / earlier[pk]["scored"], 2)
        rows.append(row)
    rows.sort(key=lambda r: (r.mean is None, -(r.mean or 0)))
    for position, row in enumerate(rows, start=1):
        row.rank = position
    total = SummaryRow(pk=None, code="", name="Итого", minimum_known=not campaign.scale_missing)
    for f in FIELDS:
        setattr(total, f, sum(getattr(r, f) for r in rows))
    if earlier:
        scored = sum(e["scored"] or 0 for e in earlier.values())
        total.previous_mean = (
            round(sum(e["score_sum"] or 0 for e in earlier.values()) / scored, 2) if scored else None
        )
    return rows, total


def lowest_subjects(*, kind: str, year: int, user, municipality: Municipality, limit: int = 3) -> list[dict]:
    """The subjects where a municipality fails most (share below the minimum, or of "2")."""
    rows = (
        ResultAggregate.objects.for_user(user)
        .filter(campaign__kind=kind, campaign__year=year, municipality=municipality)
        .values("campaign__subject__name", "campaign__grade")
        .annotate(scored=Sum("scored"), below=Sum("below_min"), score_sum=Sum("score_sum"))
        .order_by()
    )
    found = [
        {
            "subject": r["campaign__subject__name"],
            "grade": r["campaign__grade"],
            "scored": r["scored"],
            "below_min_pct": _pct(r["below"], r["scored"]),
            "mean": round(r["score_sum"] / r["scored"], 2),
        }
        for r in rows
        if r["scored"]
    ]
    found.sort(key=lambda r: -(r["below_min_pct"] or 0))
    return found[:limit]


def benchmarks(campaign_ids, **filters) -> dict[int, float]:
    """Mean score or mark per campaign over all schools (or one municipality's): a benchmark, not a school's data.
    Over all schools it is the campaign's stored totals (no sum over every school's row)."""
    if not filters:
        totals = Campaign.objects.filter(pk__in=campaign_ids).values_list(
            "pk", "total_score_sum", "total_scored"
        )
        return {pk: round(s / n, 2) for pk, s, n in totals if n}
    rows = (
        ResultAggregate.objects.filter(campaign_id__in=campaign_ids, **filters)
        .values("campaign_id").annotate(s=Sum("score_sum"), n=Sum("scored")).order_by()
    )  # fmt: skip
    return {r["campaign_id"]: round(r["s"] / r["n"], 2) for r in rows if r["n"]}


# ------------------------------------------------------------------------------ flags and the loop


def flags_with_decisions(flags):
    """Flags with the decisions made on them, each decision's protocol and obligations, in three queries."""
    from django.db.models import Prefetch

    from meetings.models import Decision

    decisions = (
        Decision.objects.select_related("item__meeting").prefetch_related("obligations").order_by("pk")
    )
    return flags.select_related("school", "municipality").prefetch_related(
        Prefetch("decisions", queryset=decisions)
    )


def loop_counts(user) -> dict:
    """The committee's loop at a glance: flagged units without a decision, decisions under control, and flags
    whose indicator improved a year later."""
    from meetings.models import Decision

    flags = SchoolFlag.objects.for_user(user)
    latest = flags.filter(active=True).order_by("-year").values_list("year", flat=True).first()
    current = flags.filter(active=True, year=latest)
    undecided = current.filter(decisions__isnull=True)
    controlled = Decision.objects.for_user(user).filter(
        flag__in=flags, item__meeting__status="signed", tracked=True
    )
    return {
        "year": latest,
        "flagged_units": current.values("school_id", "municipality_id").distinct().count(),
        "undecided_units": undecided.values("school_id", "municipality_id").distinct().count(),
        "controlled": controlled.count(),
        "controlled_open": controlled.filter(
            obligations__status__in=["assigned", "in_work", "returned", "reported"]
        )
        .distinct()
        .count(),
        "improved": flags.filter(decisions__isnull=False, followup__improved=True).distinct().count(),
        "not_improved": flags.filter(decisions__isnull=False, followup__improved=False).distinct().count(),
    }


def with_visible_decisions(flags, user):
    """Each flag's decisions as (decision, «на контроле: п. N протокола № … от …»), only from protocols the user
    may see (a draft stays its organiser's)."""
    from meetings.models import Meeting

    meeting_ids = {d.item.meeting_id for f in flags for d in f.decisions.all()}
    visible = set(Meeting.objects.for_user(user).filter(pk__in=meeting_ids).values_list("pk", flat=True))
    for flag in flags:
        flag.visible_decisions = [
            (d, decision_label(d)) for d in flag.decisions.all()
            if d.item.meeting_id in visible and (d.item.meeting.is_signed or d.item.meeting.user_can_manage(user))
        ]  # fmt: skip
    return flags


def decision_label(decision) -> str:
    meeting = decision.item.meeting
    if meeting.is_signed:
        return f"на контроле: {decision.reference}"
    return f"вопрос в проекте протокола от {meeting.date:%d.%m.%Y}"

"""From the database to the flag statistics (``assessments.analytics``) and back: recompute a year's flags.

Signs for follow-up, never verdicts: each SchoolFlag keeps the reasons exactly as computed.

The two tasks at the end run the same recomputation in a worker, queued by ``assessments.services``.
"""

from collections import defaultdict
from statistics import fmean, pstdev

from celery import shared_task
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from assessments.analytics import flags as stats
from assessments.followup import followups_refresh
from assessments.indicators import indicators
from assessments.models import AssessmentKind, Campaign, FlagThresholds, Result, ResultAggregate, SchoolFlag
from municipalities.models import Municipality, Region, School


def _exam_standing(year: int, region_id: int) -> dict[str, float]:
    """A school's mean z over its ОГЭ and ЕГЭ results of the year (or the year before), within its region."""
    standing: dict[str, list[float]] = defaultdict(list)
    for campaign in Campaign.objects.filter(
        region_id=region_id, kind__in=[AssessmentKind.OGE, AssessmentKind.EGE], year__in=[year, year - 1]
    ):
        means = {
            code: total / scored
            for code, scored, total in ResultAggregate.objects.filter(
                campaign=campaign, scored__gte=5
            ).values_list("school__code", "scored", "score_sum")
        }
        if len(means) < 3:
            continue
        centre, spread = fmean(means.values()), pstdev(means.values()) or 1.0
        for code, mean in means.items():
            standing[code].append((mean - centre) / spread)
    return {code: fmean(values) for code, values in standing.items()}


def _rows(
    flags: list[stats.Flag], kind: str, year: int, schools: dict, municipalities: dict
) -> list[SchoolFlag]:
    procedure = {
        SchoolFlag.Kind.GIA_RISK: AssessmentKind.EGE,
        SchoolFlag.Kind.VPR_OBJECTIVITY: AssessmentKind.VPR,
    }
    rows = []
    for flag in flags:
        school = schools.get(flag.school)
        municipality = school.municipality if school else municipalities.get(flag.municipality)
        if municipality is None:
            continue
        rows.append(SchoolFlag(
            kind=kind, procedure=procedure.get(kind, ""), school=school, municipality=municipality,
            subject=flag.subject, grade=flag.grade, year=flag.year or year, score=flag.score, active=True,
            reasons=[{"code": r.code, "text": r.text, "value": r.value, "threshold": r.threshold,
                      "q_value": r.q_value, "subject": r.subject} for r in flag.reasons],
        ))  # fmt: skip
    return rows


def _store(rows: list[SchoolFlag], year: int, region_id: int) -> int:
    """Keep each flag's identity across recomputations: update what fires again, add what is new, drop what no
    longer fires — unless a decision was made on it, then it stays, inactive, with its decision."""
    existing = {
        flag.identity: flag
        for flag in SchoolFlag.objects.filter(year=year, municipality__region_id=region_id).with_loop()
    }
    fresh, changed = [], []
    for row in rows:
        old = existing.pop(row.identity, None)
        if old is None:
            fresh.append(row)
            continue
        old.procedure, old.reasons, old.score, old.active = row.procedure, row.reasons, row.score, True
        changed.append(old)
    SchoolFlag.objects.bulk_create(fresh)
    now = timezone.now()
    for flag in changed:
        flag.computed_at = now
    SchoolFlag.objects.bulk_update(changed, ["procedure", "reasons", "score", "active", "computed_at"])
    kept = [flag.pk for flag in existing.values() if flag.decision_count]
    SchoolFlag.objects.filter(pk__in=kept).update(active=False)
    SchoolFlag.objects.filter(pk__in=[f.pk for f in existing.values() if f.pk not in kept]).delete()
    return len(rows)


@transaction.atomic
def flags_refresh(
    year: int, settings: stats.FlagSettings | None = None, *, region_id: int | None = None
) -> int:
    """Recompute every flag of ``year`` in each region (or only ``region_id``): schools are compared with the
    schools of their own region, with the region's thresholds (``FlagThresholds``) unless ``settings`` are given."""
    regions = [region_id] if region_id else list(Region.objects.order_by("pk").values_list("pk", flat=True))
    return sum(
        _region_flags_refresh(year, region, settings or FlagThresholds.current(region).as_settings())
        for region in regions
    )


def _region_flags_refresh(year: int, region_id: int, settings: stats.FlagSettings) -> int:
    """One region's flags of ``year``; then the follow-ups of ``year − 1`` and ``year``."""
    schools = {s.code: s for s in School.objects.filter(region_id=region_id).select_related("municipality")}
    municipalities = {m.code: m for m in Municipality.objects.filter(region_id=region_id)}
    subject_names = dict(Campaign.objects.values_list("subject__code", "subject__name"))
    rows: list[SchoolFlag] = []

    years = [year - 2, year - 1, year]
    low = stats.low_results(indicators(years, region_id), years=years, settings=settings)
    rows += _rows(low, SchoolFlag.Kind.LOW_RESULTS, year, schools, municipalities)

    minimums, scores = _gia_scores(year, region_id)
    risk = stats.gia_risk(scores, year=year, minimums=minimums, settings=settings)
    rows += _rows(_named(risk, subject_names), SchoolFlag.Kind.GIA_RISK, year, schools, municipalities)

    meta = {code: stats.SchoolMeta(kind=s.kind, municipality=s.municipality.code, name=s.short_name)
            for code, s in schools.items()}  # fmt: skip
    standing = _exam_standing(year, region_id)
    history = [i for i in indicators([year - 1, year, year + 1], region_id) if i.kind == "VPR"]
    for campaign in Campaign.objects.filter(
        region_id=region_id, kind=AssessmentKind.VPR, year=year
    ).select_related("scale", "subject"):
        boundary = (campaign.scale.mark_boundaries or {}).get("3") if campaign.scale else None
        if boundary is None:
            continue
        works = [
            stats.ParticipantMarks(school=code, mark=mark, journal_mark=journal, primary_score=primary)
            for code, mark, journal, primary in Result.objects.of_campaign(campaign)
            .filter(mark__isnull=False)
            .values_list("school__code", "mark", "journal_mark", "primary_score")
        ]
        found = stats.vpr_objectivity(
            works, _task_results(campaign), meta, history, standing, subject=campaign.subject.code, grade=campaign.grade or 0,
            year=year, boundary_score=int(boundary), settings=settings,
        )  # fmt: skip
        rows += _rows(
            _named(found, subject_names), SchoolFlag.Kind.VPR_OBJECTIVITY, year, schools, municipalities
        )
    created = _store(rows, year, region_id)

    followups_refresh(year - 1, region_id=region_id, settings=settings)
    followups_refresh(year, region_id=region_id, settings=settings)
    return created


def _gia_scores(year: int, region_id: int) -> tuple[dict[str, int], list[stats.GiaScore]]:
    """ЕГЭ test scores of ``year`` with each subject's minimum (subjects without a scale cannot be judged)."""
    minimums: dict[str, int] = {}
    scores: list[stats.GiaScore] = []
    for campaign in Campaign.objects.filter(
        region_id=region_id, kind=AssessmentKind.EGE, year=year
    ).select_related("scale", "subject"):
        if campaign.scale and campaign.scale.min_score is not None:
            minimums[campaign.subject.code] = campaign.scale.min_score
            # One row per school and score (a million results are a few thousand such rows).
            grouped = (
                Result.objects.of_campaign(campaign)
                .filter(test_score__isnull=False)
                .values_list("school__code", "school__municipality__code", "test_score")
                .annotate(n=Count("pk"))
                .order_by()
            )
            scores += [
                stats.GiaScore(school=code, year=year, subject=campaign.subject.code, score=score,
                               municipality=mun, participants=n)
                for code, mun, score, n in grouped
            ]  # fmt: skip
    return minimums, scores


def _task_results(campaign: Campaign) -> list[stats.TaskResult]:
    """Per school and task: points summed over the works, against the maximum from the yearly scale."""
    maxima = list(campaign.scale.task_max or []) if campaign.scale else []
    if not maxima:
        return []
    totals: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0])
    rows = (
        Result.objects.of_campaign(campaign)
        .exclude(task_points=[])
        .values_list("school__code", "task_points")
    )
    for code, points in rows.iterator(chunk_size=5000):
        if len(points) != len(maxima):
            continue
        for task, value in enumerate(points):
            cell = totals[(code, task + 1)]
            cell[0] += value
            cell[1] += 1
    return [
        stats.TaskResult(
            school=code, task=task, points=total, max_points=maxima[task - 1], participants=works
        )
        for (code, task), (total, works) in totals.items()
    ]


def _named(flags: list[stats.Flag], names: dict[str, str]) -> list[stats.Flag]:
    """Flags carry subject codes; pages show subject names."""
    from dataclasses import replace

    return [replace(flag, subject=names.get(flag.subject, flag.subject)) for flag in flags]


# ---------------------------------------------------------------- in a worker


@shared_task
def flags_refresh_task(year: int, region_id: int | None = None) -> int:
    return flags_refresh(year, region_id=region_id)


@shared_task(acks_late=True)
def flags_recompute_task(years: list[int], region_id: int) -> int:
    """After a region changed its thresholds: every year's flags of that region, then the time it was done."""
    started = timezone.now()
    created = sum(flags_refresh(year, region_id=region_id) for year in years)
    FlagThresholds.objects.filter(region_id=region_id).update(recomputed_at=started)
    return created

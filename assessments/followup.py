"""The effect of a decision: the indicator that raised a flag, measured again on the next year's results.

Stored on the flag (``SchoolFlag.followup``) whenever the flags of a year are recomputed, so pages only read.
"""

from django.db.models import Sum

from assessments.analytics import flags as stats
from assessments.analytics.flags.common import _num, _pct
from assessments.indicators import indicators
from assessments.models import AssessmentKind, ResultAggregate, SchoolFlag


def _failed(year: int, flag: SchoolFlag, subjects: dict) -> tuple[int, int]:
    """ЕГЭ participants below the minimum and with a score: the flag's school (or municipality) and subjects."""
    rows = ResultAggregate.objects.filter(campaign__kind=AssessmentKind.EGE, campaign__year=year, **subjects)
    rows = rows.filter(school=flag.school) if flag.school_id else rows.filter(municipality=flag.municipality)
    totals = rows.aggregate(failed=Sum("below_min"), scored=Sum("scored"))
    return totals["failed"] or 0, totals["scored"] or 0


def _gia(flag: SchoolFlag, after_year: int, minimum: int) -> dict | None:
    if flag.school_id:
        codes = [r["subject"] for r in flag.reasons if r.get("subject")]
        subjects = {"campaign__subject__code__in": codes}
    else:
        subjects = {"campaign__subject__name": flag.subject}
    before_failed, before_n = _failed(flag.year, flag, subjects)
    after_failed, after_n = _failed(after_year, flag, subjects)
    if after_n < minimum or not before_n:
        return None
    before, after = before_failed / before_n, after_failed / after_n
    return {
        "year": after_year, "before": before, "after": after, "improved": after < before,
        "text": f"{after_year}: ниже минимума {after_failed} из {after_n} ({_pct(after)}) по тем же предметам; "
                f"в {flag.year} — {before_failed} из {before_n} ({_pct(before)}).",
    }  # fmt: skip


def _low(flag: SchoolFlag, after_year: int, composite: dict, bottom: dict) -> dict | None:
    code = flag.school.code
    before, after = composite.get((code, flag.year)), composite.get((code, after_year))
    if before is None or after is None:
        return None
    still = code in bottom.get(after_year, set())
    where = (
        "по-прежнему в нижней части рейтинга школ региона"
        if still
        else "вне нижней части рейтинга школ региона"
    )
    return {
        "year": after_year, "before": before, "after": after, "improved": after > before and not still,
        "text": f"{after_year}: сводный показатель {_num(after, 2, sign=True)} σ (в {flag.year} — "
                f"{_num(before, 2, sign=True)} σ), {where}.",
    }  # fmt: skip


def _vpr(flag: SchoolFlag, after_year: int, minimum: int, again: dict) -> dict | None:
    assessed = ResultAggregate.objects.filter(
        campaign__kind=AssessmentKind.VPR, campaign__year=after_year, campaign__subject__name=flag.subject,
        campaign__grade=flag.grade, school=flag.school, scored__gte=minimum,
    ).exists()  # fmt: skip
    if not assessed:
        return None
    markers = again.get((flag.school_id, flag.subject, flag.grade))
    before = len(flag.reasons)
    if markers is None:
        text = f"{after_year}: признаки необъективности по тому же предмету и классу не выявлены."
    else:
        text = f"{after_year}: признаки сохраняются (причин: {markers}; в {flag.year} — {before})."
    return {
        "year": after_year,
        "before": before,
        "after": markers or 0,
        "improved": markers is None,
        "text": text,
    }


def followups_refresh(year: int, *, region_id: int, settings: stats.FlagSettings) -> int:
    """Measure every flag of ``year`` again on ``year + 1`` (where that year has results); returns how many."""
    flags = list(
        SchoolFlag.objects.filter(year=year, municipality__region_id=region_id).select_related(
            "school", "municipality"
        )
    )
    if not flags:
        return 0
    after_year = year + 1
    has_next = ResultAggregate.objects.filter(
        campaign__region_id=region_id, campaign__year=after_year
    ).exists()
    composite, bottom = {}, {}
    if has_next and any(f.kind == SchoolFlag.Kind.LOW_RESULTS for f in flags):
        composite, _parts = stats.composites(
            indicators([year, after_year], region_id), years=[year, after_year], settings=settings
        )
        ranked = sorted((value, school) for (school, y), value in composite.items() if y == after_year)
        cutoff = int(settings.low_decile * len(ranked) + 1e-9)
        bottom[after_year] = {school for _value, school in ranked[:cutoff]}
    again = {
        (f.school_id, f.subject, f.grade): len(f.reasons)
        for f in SchoolFlag.objects.filter(
            kind=SchoolFlag.Kind.VPR_OBJECTIVITY,
            year=after_year,
            active=True,
            municipality__region_id=region_id,
        )
    }
    for flag in flags:
        outcome = None
        if has_next and flag.kind == SchoolFlag.Kind.GIA_RISK:
            outcome = _gia(flag, after_year, settings.min_participants)
        elif has_next and flag.kind == SchoolFlag.Kind.LOW_RESULTS and flag.school_id:
            outcome = _low(flag, after_year, composite, bottom)
        elif has_next and flag.kind == SchoolFlag.Kind.VPR_OBJECTIVITY and flag.school_id:
            outcome = _vpr(flag, after_year, settings.min_participants, again)
        flag.followup = outcome or {}
    SchoolFlag.objects.bulk_update(flags, ["followup"])
    return sum(1 for f in flags if f.followup)

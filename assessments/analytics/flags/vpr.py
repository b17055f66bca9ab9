"""Signs of non-objective ВПР results per school × grade × subject: five markers, Benjamini–Hochberg across schools."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from statistics import fmean, stdev

from ..stats import bh_adjust, binomial_sf, logit, normal_sf, one_sample_t_test, quantile, shrink, spearman
from .common import (
    DEFAULT_SETTINGS,
    FLAG_VPR_OBJECTIVITY,
    KIND_VPR,
    MARKERS,
    Flag,
    FlagSettings,
    ParticipantMarks,
    Reason,
    SchoolMeta,
    SchoolYearIndicator,
    TaskResult,
    _num,
    _of,
    _pct,
    _pp,
    _q,
    _tasks,
)
from .low import _pool


@dataclass
class _Candidate:
    """One school's result on one marker rule before the false-discovery step."""

    school: str
    code: str
    holds: bool  # effect-size rule
    make: Callable[[float | None], Reason]
    p_value: float | None = None  # None: the rule has no test
    q_value: float | None = field(default=None, init=False)


def _marker_journal(by_school, eligible, s: FlagSettings) -> list[_Candidate]:
    """Marker 1. Per school, the works that have a journal mark (at least ``min_participants``):

    * ``journal_diff``: ``|mean(d)| >= journal_mean_diff`` for ``d = ВПР mark − journal mark``; test:
      two-sided one-sample t-test of the school's ``d`` against the regional leave-one-out mean of ``d``.
    * ``journal_higher``: share with ``d > 0`` exceeds the regional leave-one-out share by at least
      ``journal_higher_excess``; test: exact one-sided binomial test against the regional share.
    """
    region_n = region_sum = region_higher = 0
    diffs_by: dict[str, list[int]] = {}
    for school, works in by_school.items():
        diffs = [w.mark - w.journal_mark for w in works if w.journal_mark is not None]
        diffs_by[school] = diffs
        region_n += len(diffs)
        region_sum += sum(diffs)
        region_higher += sum(d > 0 for d in diffs)

    out = []
    for school in eligible:
        diffs = diffs_by[school]
        n = len(diffs)
        other_n = region_n - n
        if n < s.min_participants or other_n <= 0:
            continue
        mean_diff = fmean(diffs)
        lower, equal, higher = (
            sum(d < 0 for d in diffs),
            sum(d == 0 for d in diffs),
            sum(d > 0 for d in diffs),
        )
        region_mean = (region_sum - sum(diffs)) / other_n
        region_share = (region_higher - higher) / other_n
        _t, p_diff = one_sample_t_test(diffs, region_mean)
        shares = (
            f"ниже журнальной — {_pct(lower / n)}, совпадает — {_pct(equal / n)}, "
            f"выше — {_pct(higher / n)} работ (работ с журнальной отметкой: {n})"
        )

        def diff_reason(q, mean_diff=mean_diff, region_mean=region_mean, shares=shares) -> Reason:
            direction = "выше" if mean_diff > 0 else "ниже"
            text = (
                f"Отметки за ВПР в среднем {direction} журнальных на {_num(abs(mean_diff), 2)} балла "
                f"(порог {_num(s.journal_mean_diff, 2)}; по региону {_num(region_mean, 2, sign=True)}): "
                f"{shares}; {_q(q)}."
            )
            return Reason("journal_diff", text, value=mean_diff, threshold=s.journal_mean_diff, q_value=q)

        def higher_reason(q, higher=higher, n=n, region_share=region_share) -> Reason:
            excess = higher / n - region_share
            text = (
                f"Доля работ, где отметка за ВПР выше журнальной, — {_pct(higher / n)} ({higher} из {n}) "
                f"при {_pct(region_share)} по региону: больше на {_pp(excess)} "
                f"(порог {_pp(s.journal_higher_excess)}); {_q(q)}."
            )
            return Reason("journal_higher", text, value=excess, threshold=s.journal_higher_excess, q_value=q)

        out.append(
            _Candidate(school, "journal_diff", abs(mean_diff) >= s.journal_mean_diff, diff_reason, p_diff)
        )
        out.append(
            _Candidate(
                school,
                "journal_higher",
                higher / n - region_share >= s.journal_higher_excess - 1e-12,
                higher_reason,
                binomial_sf(higher, n, region_share),
            )
        )
    return out


def _marker_high(by_school, eligible, school_meta, exam_standing, s: FlagSettings) -> list[_Candidate]:
    """Marker 2. ``z = (shrink(mean, n) − centre) / spread`` where centre and spread are the mean and SD of
    the eligible schools' mean marks; fires when ``z > high_z`` and the school's ОГЭ/ЕГЭ standing is
    ``< exam_confirm_z``. Lyceums/gymnasiums (``selective_kinds``), schools without metadata and schools
    without an exam standing are not assessed. Test: one-sided normal approximation (CLT) of the school's
    mean mark against the regional leave-one-out pupil mean, ``(m − R) / (SD_R / √n)``.
    """
    means = {school: fmean(w.mark for w in by_school[school]) for school in eligible}
    if len(means) < 3:
        return []
    centre, spread = fmean(means.values()), stdev(means.values())
    if spread == 0:
        return []
    marks = [w.mark for works in by_school.values() for w in works]
    total, total_sq, total_n = sum(marks), sum(m * m for m in marks), len(marks)

    out = []
    for school in eligible:
        meta = school_meta.get(school)
        if meta is None or meta.kind in s.selective_kinds or school not in exam_standing:
            continue
        works = by_school[school]
        n, mean = len(works), means[school]
        other_n = total_n - n
        if other_n < 2:
            continue
        region_mean = (total - mean * n) / other_n
        own_sq = sum(w.mark * w.mark for w in works)
        region_var = (total_sq - own_sq - other_n * region_mean**2) / (other_n - 1)
        z_test = (mean - region_mean) / math.sqrt(max(region_var, 1e-12) / n)
        z = (shrink(mean, n, centre, s.shrink_k) - centre) / spread
        standing = exam_standing[school]

        def reason(q, mean=mean, z=z, n=n, standing=standing) -> Reason:
            if standing < 0:
                exams = f"а результаты ОГЭ/ЕГЭ школы ниже среднего по региону ({_num(standing, 2)} σ)"
            else:
                exams = (
                    f"а результаты ОГЭ/ЕГЭ школы не высокие ({_num(standing, 2, sign=True)} σ "
                    f"при пороге подтверждения {_num(s.exam_confirm_z, 2, sign=True)} σ)"
                )
            text = (
                f"Средний балл ВПР {_num(mean, 2)} — выше среднего по школам региона ({_num(centre, 2)}) "
                f"на {_num(z, 1)} σ (с поправкой на число участников, n = {n}; порог {_num(s.high_z, 1)} σ), "
                f"{exams}; {_q(q)}."
            )
            return Reason("high_unconfirmed", text, value=z, threshold=s.high_z, q_value=q)

        holds = z > s.high_z and standing < s.exam_confirm_z
        out.append(_Candidate(school, "high_unconfirmed", holds, reason, normal_sf(z_test)))
    return out


def _clip_rate(got: float, possible: float) -> float:
    """Success rate kept half a point away from 0 and 1 so its logit is finite (unchanged otherwise)."""
    return min(max(got / possible, 0.5 / possible), 1.0 - 0.5 / possible)


def _marker_inversion(tasks: Iterable[TaskResult], eligible, s: FlagSettings) -> list[_Candidate]:
    """Marker 3. Per task t: regional (leave-one-out) success rate ``p_t = points / possible points``,
    difficulty ``δ_t = −logit(p_t)``; the school's excess ``e_t = logit(s_t) − logit(p_t)`` (logits remove
    the ceiling effect that would make every strong school look "inverted"; rates of 0 or 1 are moved half a
    point inwards).
    Fires when Spearman ``ρ(e, δ) >= inversion_rho`` over at least ``min_tasks`` tasks, the school does the
    easiest third of tasks worse than the region and the hardest third better (raw success rates). Test:
    weighted least-squares slope of ``e_t`` on ``δ_t`` with binomial weights ``m_t s_t (1 − s_t)``, one-sided
    ``z = slope / SE``. Tasks need at least ``min_participants`` works of the school.
    """
    points: dict[tuple[str, str | int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for row in tasks:
        cell = points[(row.school, row.task)]
        cell[0] += row.points
        cell[1] += row.max_points * row.participants
        cell[2] += row.participants
    region: dict[str | int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (_school, task), (got, possible, _n) in points.items():
        region[task][0] += got
        region[task][1] += possible

    out = []
    for school in eligible:
        rows = []
        for task, (region_got, region_possible) in region.items():
            got, possible, n = points.get((school, task), (0.0, 0.0, 0))
            other_possible = region_possible - possible
            if n < s.min_participants or possible <= 0 or other_possible <= 0:
                continue
            other_got = region_got - got
            p_raw = other_got / other_possible
            p_t = _clip_rate(other_got, other_possible)
            s_t = _clip_rate(got, possible)
            excess = logit(s_t) - logit(p_t)
            weight = possible * s_t * (1 - s_t)
            rows.append((task, p_raw, got / possible, -logit(p_t), excess, weight))
        if len(rows) < s.min_tasks:
            continue
        rho = spearman([r[4] for r in rows], [r[3] for r in rows])
        if math.isnan(rho):
            continue
        total_w = sum(r[5] for r in rows)
        mean_d = sum(r[5] * r[3] for r in rows) / total_w
        mean_e = sum(r[5] * r[4] for r in rows) / total_w
        sxx = sum(r[5] * (r[3] - mean_d) ** 2 for r in rows)
        if sxx <= 0:
            continue
        slope = sum(r[5] * (r[3] - mean_d) * (r[4] - mean_e) for r in rows) / sxx
        p_value = normal_sf(slope * math.sqrt(sxx))

        ordered = sorted(rows, key=lambda r: (-r[1], str(r[0])))  # easiest first
        third = len(ordered) // 3
        easy, hard = ordered[:third], ordered[-third:]
        easy_gap = fmean(r[2] - r[1] for r in easy)
        hard_gap = fmean(r[2] - r[1] for r in hard)

        def reason(q, easy=easy, hard=hard, easy_gap=easy_gap, hard_gap=hard_gap, rho=rho) -> Reason:
            text = (
                f"Лёгкие задания ({_tasks([r[0] for r in easy])}; по региону выполнено "
                f"{_pct(fmean(r[1] for r in easy))}) школа выполнила хуже региона на {_pp(-easy_gap)}, "
                f"а трудные ({_tasks([r[0] for r in hard])}; по региону {_pct(fmean(r[1] for r in hard))}) — "
                f"лучше на {_pp(hard_gap)}; ранговая корреляция превышения над регионом с трудностью "
                f"задания ρ = {_num(rho, 2)} (порог {_num(s.inversion_rho, 2)}); {_q(q)}."
            )
            return Reason("difficulty_inversion", text, value=rho, threshold=s.inversion_rho, q_value=q)

        holds = rho >= s.inversion_rho and easy_gap < 0 < hard_gap
        out.append(_Candidate(school, "difficulty_inversion", holds, reason, p_value))
    return out


def _marker_bunching(by_school, eligible, boundary_score: int, s: FlagSettings) -> list[_Candidate]:
    """Marker 4. Share of the school's works (with a primary score, at least ``min_participants``) scored
    exactly ``boundary_score``; fires when it is ``>= bunching_share`` and ``>= bunching_ratio`` × the
    regional leave-one-out share. Test: exact one-sided binomial test against the regional share."""
    scored = {
        school: [w.primary_score for w in works if w.primary_score is not None]
        for school, works in by_school.items()
    }
    region_n = sum(len(v) for v in scored.values())
    region_at = sum(v.count(boundary_score) for v in scored.values())
    out = []
    for school in eligible:
        n, at = len(scored[school]), scored[school].count(boundary_score)
        if n < s.min_participants or region_n - n <= 0:
            continue
        share, region_share = at / n, (region_at - at) / (region_n - n)

        def reason(q, share=share, region_share=region_share, at=at, n=n) -> Reason:
            ratio = (
                f"в {_num(share / region_share, 1)} раза чаще" if region_share > 0 else "в регионе таких нет"
            )
            text = (
                f"Ровно на минимальном первичном балле для отметки «3» ({boundary_score}) — {at} из "
                f"{_of(n, 'участника', 'участников')} ({_pct(share)}) при {_pct(region_share)} по региону: {ratio} "
                f"(пороги: {_pct(s.bunching_share)} и в {_num(s.bunching_ratio, 1)} раза); {_q(q)}."
            )
            return Reason("boundary_bunching", text, value=share, threshold=s.bunching_share, q_value=q)

        holds = share >= s.bunching_share and share >= s.bunching_ratio * region_share and at > 0
        out.append(_Candidate(school, "boundary_bunching", holds, reason, binomial_sf(at, n, region_share)))
    return out


def _marker_dynamics(
    by_school, eligible, history: Iterable[SchoolYearIndicator], subject: str, grade: int, year: int, s
) -> list[_Candidate]:
    """Marker 5 (no test; standings are shrunk). ``dev = (shrink(m, n, R) − R)`` for a school's mean mark
    ``m`` against the participant-weighted regional mean ``R`` of the same grade and year; the current
    (grade, year) comes from the works, other cells from ``history`` (ВПР rows of ``subject``).

    * ``year_jump``: ``jump = dev(year) − dev(year − 1)`` is positive and above the ``jump_quantile`` of
      all jumps of this grade between consecutive years up to ``year`` (pooled over years; needs at least
      ``1 / (1 − jump_quantile)`` jumps, i.e. 40 for the 97.5th percentile).
    * ``cohort_fall``: ``dev(grade, year) / R − dev(grade + 1, year + 1) / R' >= cohort_fall`` — the same
      cohort a year later (needs the next year's row in ``history``; typically grade 4 → grade 5).
    """
    cells = _pool(r for r in history if r.kind == KIND_VPR and r.subject == subject)
    cells = {(grade_, year_): schools for (_k, _s, grade_, year_), schools in cells.items()}
    cells[(grade, year)] = {
        school: (fmean(w.mark for w in works), len(works)) for school, works in by_school.items() if works
    }

    def deviations(key) -> tuple[float, dict[str, tuple[float, float]]]:
        schools = cells.get(key, {})
        total = sum(n for _m, n in schools.values())
        if total == 0:
            return math.nan, {}
        regional = sum(m * n for m, n in schools.values()) / total
        return regional, {
            school: (m, shrink(m, n, regional, s.shrink_k) - regional)
            for school, (m, n) in schools.items()
            if n >= s.min_participants
        }

    out = []
    region_now, now = deviations((grade, year))
    region_prev, prev = deviations((grade, year - 1))
    reference = []
    for y in sorted({y for g, y in cells if g == grade and y <= year}):
        _r0, before = deviations((grade, y - 1))
        _r1, after = deviations((grade, y))
        reference += [after[sch][1] - before[sch][1] for sch in after.keys() & before.keys()]
    if prev and len(reference) >= math.ceil(1 / (1 - s.jump_quantile) - 1e-9):
        threshold = quantile(reference, s.jump_quantile)
        label = _num(s.jump_quantile * 100, 1).removesuffix(",0")
        for school in eligible:
            if school not in prev or school not in now:
                continue
            jump = now[school][1] - prev[school][1]
            text = (
                f"Средний балл ВПР вырос с {_num(prev[school][0], 2)} ({year - 1}) до {_num(now[school][0], 2)} "
                f"({year}); с учётом изменения по региону ({_num(region_prev, 2)} → {_num(region_now, 2)}) и "
                f"числа участников прирост {_num(jump, 2, sign=True)} балла — выше {label}-го процентиля "
                f"приростов по региону ({_num(threshold, 2, sign=True)})."
            )
            reason = Reason("year_jump", text, value=jump, threshold=threshold)
            out.append(_Candidate(school, "year_jump", jump > threshold and jump > 0, lambda _q, r=reason: r))

    region_next, nxt = deviations((grade + 1, year + 1))
    for school in eligible:
        if school not in now or school not in nxt:
            continue
        standing_now, standing_next = now[school][1] / region_now, nxt[school][1] / region_next
        fall = standing_now - standing_next

        def relation(standing: float) -> str:
            return f"{'выше' if standing >= 0 else 'ниже'} регионального на {_pct(abs(standing))}"

        text = (
            f"Тот же поток: в {grade} классе ({year}) средний балл ВПР {_num(now[school][0], 2)} при "
            f"{_num(region_now, 2)} по региону ({relation(standing_now)}), в {grade + 1} классе ({year + 1}) — "
            f"{_num(nxt[school][0], 2)} при {_num(region_next, 2)} ({relation(standing_next)}); положение "
            f"относительно региона снизилось на {_pp(fall)} (порог {_pp(s.cohort_fall)}; "
            f"с поправкой на число участников)."
        )
        reason = Reason("cohort_fall", text, value=fall, threshold=s.cohort_fall)
        out.append(_Candidate(school, "cohort_fall", fall >= s.cohort_fall - 1e-12, lambda _q, r=reason: r))
    return out


def vpr_objectivity(
    works: Iterable[ParticipantMarks],
    tasks: Iterable[TaskResult],
    school_meta: Mapping[str, SchoolMeta],
    history: Iterable[SchoolYearIndicator],
    exam_standing: Mapping[str, float],
    *,
    subject: str,
    grade: int,
    year: int,
    boundary_score: int,
    settings: FlagSettings = DEFAULT_SETTINGS,
) -> list[Flag]:
    """Signs of non-objective ВПР results for one subject × grade × year across the region's schools.

    ``works`` and ``tasks`` are the region's ВПР works of that subject/grade/year; ``history`` holds ВПР
    :class:`SchoolYearIndicator` rows of the subject for other years and grades (previous years of
    ``grade`` for marker 5's jump, ``grade + 1`` in ``year + 1`` for the cohort fall; rows for the assessed
    grade and year are replaced by the values computed from ``works``); ``exam_standing`` is each school's
    ОГЭ/ЕГЭ z-score. Schools with fewer than ``min_participants`` works are never flagged (their works still
    count in the regional references). Each marker's rule and test is documented on its ``_marker_*``
    helper; p-values of one marker code are Benjamini–Hochberg adjusted across the schools tested.

    Returns one flag per school with at least one marker, reasons ordered by marker number; ``score`` is
    the smallest q-value among the fired tested markers (None when only marker 5 fired).
    """
    s = settings
    by_school: dict[str, list[ParticipantMarks]] = defaultdict(list)
    for work in works:
        by_school[work.school].append(work)
    eligible = sorted(school for school, ws in by_school.items() if len(ws) >= s.min_participants)

    candidates = [
        *_marker_journal(by_school, eligible, s),
        *_marker_high(by_school, eligible, school_meta, exam_standing, s),
        *_marker_inversion(tasks, eligible, s),
        *_marker_bunching(by_school, eligible, boundary_score, s),
        *_marker_dynamics(by_school, eligible, history, subject, grade, year, s),
    ]
    families: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.p_value is not None:
            families[candidate.code].append(candidate)
    for family in families.values():
        for candidate, q in zip(family, bh_adjust([c.p_value for c in family]), strict=True):
            candidate.q_value = q

    fired: dict[str, list[Reason]] = defaultdict(list)
    for candidate in candidates:
        if candidate.holds and (candidate.q_value is None or candidate.q_value <= s.fdr_q):
            fired[candidate.school].append(candidate.make(candidate.q_value))

    flags = []
    for school in sorted(fired):
        reasons = tuple(sorted(fired[school], key=lambda r: (MARKERS[r.code], list(MARKERS).index(r.code))))
        q_values = [r.q_value for r in reasons if r.q_value is not None]
        meta = school_meta.get(school)
        flags.append(
            Flag(
                kind=FLAG_VPR_OBJECTIVITY,
                school=school,
                subject=subject,
                grade=grade,
                year=year,
                reasons=reasons,
                score=min(q_values) if q_values else None,
                municipality=meta.municipality if meta else "",
            )
        )
    return flags

"""Quality flags for schools: low results (ШНОР candidates), risk groups in ГИА, signs of non-objective ВПР.

The committee's flags are *signs for follow-up*, never verdicts. No official formula is public, so these are
the portal's own rules: every threshold lives in :class:`FlagSettings`, each :class:`Flag` carries the
:class:`Reason` objects that made it fire (Russian text with the concrete numbers), and nothing is computed
on fewer than ``settings.min_participants`` participants.

The module is pure Python: callers pass plain dataclasses (built from the database elsewhere) and get plain
:class:`Flag` objects back.

Conventions used throughout
---------------------------
* **Shrinkage.** Standings that have no within-school test (z-scores, year-over-year changes) are shrunk
  towards the regional value with weight ``n / (n + shrink_k)`` so a small school needs a larger deviation.
* **Leave-one-out.** Regional reference values that are pooled over pupils (shares, task success rates, the
  pupil-level mean and spread) exclude the school being assessed.
* **False discoveries.** Markers with a natural significance test get one p-value per school; the p-values
  of one marker form one family, Benjamini–Hochberg adjusted across all schools tested in the call, and the
  marker fires only when its effect-size rule holds *and* its q-value is ``<= fdr_q``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import fmean, stdev

from .stats import (
    bh_adjust,
    binomial_sf,
    logit,
    normal_sf,
    one_sample_t_test,
    quantile,
    shrink,
    shrink_weight,
    spearman,
)

KIND_VPR = "VPR"
KIND_OGE = "OGE"
KIND_EGE = "EGE"
EXAM_KIND_NAMES = {KIND_VPR: "ВПР", KIND_OGE: "ОГЭ", KIND_EGE: "ЕГЭ"}

FLAG_LOW_RESULTS = "low_results"
FLAG_GIA_RISK = "gia_risk"
FLAG_VPR_OBJECTIVITY = "vpr_objectivity"

# Reason codes -> marker number (1–5) of the ВПР objectivity flag.
MARKERS = {
    "journal_diff": 1,
    "journal_higher": 1,
    "high_unconfirmed": 2,
    "difficulty_inversion": 3,
    "boundary_bunching": 4,
    "year_jump": 5,
    "cohort_fall": 5,
}

DISCLAIMER = (
    "Признаки — повод для дополнительного анализа: они требуют внимания, "
    "но не являются выводом о нарушениях или оценкой работы школы."
)

_SUBJECTS = (
    # code, nominative, dative ("по ...")
    ("russian", "русский язык", "русскому языку"),
    ("math", "математика", "математике"),
    ("math_base", "математика (базовый уровень)", "математике (базовый уровень)"),
    ("math_profile", "математика (профильный уровень)", "математике (профильный уровень)"),
    ("physics", "физика", "физике"),
    ("chemistry", "химия", "химии"),
    ("biology", "биология", "биологии"),
    ("geography", "география", "географии"),
    ("history", "история", "истории"),
    ("social_studies", "обществознание", "обществознанию"),
    ("informatics", "информатика", "информатике"),
    ("literature", "литература", "литературе"),
    ("english", "английский язык", "английскому языку"),
    ("german", "немецкий язык", "немецкому языку"),
    ("french", "французский язык", "французскому языку"),
    ("science", "окружающий мир", "окружающему миру"),
)
SUBJECT_DATIVE = {key: dative for code, name, dative in _SUBJECTS for key in (code, name)}


@dataclass(frozen=True)
class FlagSettings:
    """Every threshold of every flag.

    * ``min_participants`` — nothing is computed on fewer participants (per indicator, per school work set,
      per ГИА subject).
    * ``low_decile`` / ``low_years_needed`` — low results: bottom share of ranked schools per year, and how
      many of the given years the school must be in it.
    * ``journal_mean_diff`` — marker 1: ``|mean(ВПР mark − journal mark)| >=`` this (marks).
    * ``journal_higher_excess`` — marker 1: the school's share of works whose ВПР mark is *higher* than the
      journal mark exceeds the regional (leave-one-out) share by at least this many share points
      (0.20 = 20 п. п.).
    * ``high_z`` / ``exam_confirm_z`` — marker 2: shrunk ВПР z-score among schools ``>`` ``high_z`` while the
      school's ОГЭ/ЕГЭ standing (z) is ``<`` ``exam_confirm_z``; schools whose kind is in
      ``selective_kinds`` (lyceums, gymnasiums) are exempt.
    * ``inversion_rho`` / ``min_tasks`` — marker 3: Spearman ρ between the per-task excess and the task
      difficulty ``>=`` this, computed on at least ``min_tasks`` tasks.
    * ``bunching_share`` / ``bunching_ratio`` — marker 4: share of works exactly at the minimum primary score
      for "3" is ``>=`` the floor and ``>=`` ratio × the regional (leave-one-out) share.
    * ``jump_quantile`` — marker 5: the school's year-over-year change (relative to the region, shrunk) is
      above this quantile of all such changes in the region.
    * ``cohort_fall`` — marker 5: the cohort's standing ``(shrunk mean − regional mean) / regional mean``
      falls by at least this many share points (0.15 = 15 п. п.) from grade g in year Y to grade g + 1 in
      year Y + 1.
    * ``fdr_q`` — Benjamini–Hochberg false-discovery level for the tested markers (1, 2, 3, 4).
    * ``shrink_k`` — shrinkage weight ``n / (n + k)``.
    * ``gia_min_failed`` — ГИА risk group: at least this many participants below the minimum in a subject.
    """

    min_participants: int = 10
    low_decile: float = 0.10
    low_years_needed: int = 2
    journal_mean_diff: float = 0.5
    journal_higher_excess: float = 0.20
    high_z: float = 2.0
    exam_confirm_z: float = 0.0
    selective_kinds: frozenset[str] = frozenset({"lyceum", "gymnasium"})
    inversion_rho: float = 0.5
    min_tasks: int = 6
    bunching_share: float = 0.25
    bunching_ratio: float = 2.0
    jump_quantile: float = 0.975
    cohort_fall: float = 0.15
    fdr_q: float = 0.10
    shrink_k: float = 20.0
    gia_min_failed: int = 1

    def __post_init__(self) -> None:
        if self.min_participants < 2:
            raise ValueError("min_participants must be at least 2")
        for name in ("low_decile", "jump_quantile", "fdr_q", "bunching_share"):
            if not 0.0 < getattr(self, name) < 1.0:
                raise ValueError(f"{name} must be in (0, 1)")
        if self.low_years_needed < 1 or self.min_tasks < 3 or self.gia_min_failed < 1:
            raise ValueError("low_years_needed, gia_min_failed must be >= 1 and min_tasks >= 3")
        if self.shrink_k < 0:
            raise ValueError("shrink_k must be non-negative")


DEFAULT_SETTINGS = FlagSettings()


@dataclass(frozen=True)
class Reason:
    """Why a flag fired: a machine code, Russian text with the numbers, the value and the threshold it
    was compared with, and the Benjamini–Hochberg q-value when the rule includes a test."""

    code: str
    text: str
    value: float | None = None
    threshold: float | None = None
    q_value: float | None = None


@dataclass(frozen=True)
class Flag:
    """A sign for follow-up about one school (or, for ГИА subjects, one municipality)."""

    kind: str
    school: str
    subject: str = ""
    grade: int | None = None
    year: int | None = None
    reasons: tuple[Reason, ...] = ()
    score: float | None = None
    municipality: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    @property
    def markers(self) -> tuple[int, ...]:
        """Marker numbers (1–5) behind a ВПР objectivity flag."""
        return tuple(sorted({MARKERS[code] for code in self.codes if code in MARKERS}))

    @property
    def summary(self) -> str:
        if self.kind == FLAG_LOW_RESULTS:
            head = "Признак низких образовательных результатов (возможный кандидат в ШНОР)"
        elif self.kind == FLAG_GIA_RISK and not self.school:
            head = "Признак риска по ГИА: предмет с наибольшей долей участников ниже минимума"
        elif self.kind == FLAG_GIA_RISK:
            head = "Признак группы риска по ГИА: есть участники ниже минимального балла"
        else:
            head = f"Признаки необъективности результатов ВПР (маркеров: {len(self.markers)})"
        return f"{head} — требует внимания. {DISCLAIMER}"


@dataclass(frozen=True)
class SchoolYearIndicator:
    """One aggregated result of a school: exam ``kind`` ("VPR" | "OGE" | "EGE"), subject, grade (ВПР only;
    None for ОГЭ/ЕГЭ), number of participants and ``mean`` — the mean mark (ВПР, ОГЭ) or the mean test
    score (ЕГЭ). Several rows with the same key are pooled (participant-weighted)."""

    school: str
    year: int
    kind: str
    subject: str
    grade: int | None
    participants: int
    mean: float


@dataclass(frozen=True)
class ParticipantMarks:
    """One ВПР work of the assessed subject/grade/year: the ВПР mark (2–5), the pupil's journal (term) mark
    in the subject if known (marker 1) and the primary score of the work if known (marker 4)."""

    school: str
    mark: int
    journal_mark: int | None = None
    primary_score: int | None = None


@dataclass(frozen=True)
class TaskResult:
    """Points on one task: ``points`` scored in total by ``participants`` works of the school, each work
    worth ``max_points`` on this task. Per-work rows (``participants=1``) and pre-aggregated rows per
    school × task are both accepted; rows with the same school and task are summed."""

    school: str
    task: str | int
    points: float
    max_points: float
    participants: int = 1


@dataclass(frozen=True)
class SchoolMeta:
    """What the flags need to know about a school: its kind ("school", "lyceum", "gymnasium", …) and
    municipality."""

    kind: str = "school"
    municipality: str = ""
    name: str = ""


@dataclass(frozen=True)
class GiaScore:
    """One ГИА result of one participant: the score (ОГЭ primary / ЕГЭ test score, whichever the
    ``minimums`` passed to :func:`gia_risk` are expressed in)."""

    school: str
    year: int
    subject: str
    score: int
    municipality: str = ""


# --------------------------------------------------------------------------------------------- formatting


def _num(value: float, digits: int = 1, *, sign: bool = False) -> str:
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
        return text.replace(".", ",")
    if text.startswith("-"):
        text = "−" + text[1:]
    elif sign:
        text = "+" + text
    return text.replace(".", ",")


def _trim(value: float) -> str:
    """One decimal, dropped when it is zero: 12.0 -> "12", 5.83 -> "5,8"."""
    value = round(value, 1)
    return _num(value, 0 if value == int(value) else 1)


def _pct(share: float) -> str:
    """0.12 -> "12 %", 0.0583 -> "5,8 %"."""
    return _trim(share * 100) + " %"


def _pp(share_points: float) -> str:
    """Difference of two shares in percentage points: 0.43 -> "43 п. п."."""
    return _trim(share_points * 100) + " п. п."


def _of(n: int, singular: str, plural: str) -> str:
    """Genitive after "из": "из 21 участника", "из 25 участников"."""
    return f"{n} {singular if n % 10 == 1 and n % 100 != 11 else plural}"


def _q(q_value: float) -> str:
    return "q < 0,001" if q_value < 0.001 else f"q = {_num(q_value, 3)}"


def _by_subject(subject: str) -> str:
    dative = SUBJECT_DATIVE.get(subject) or SUBJECT_DATIVE.get(subject.lower())
    return f"по {dative}" if dative else f"по предмету «{subject}»"


def _tasks(labels: Sequence[str | int]) -> str:
    return "№ " + ", ".join(str(label) for label in labels)


# ------------------------------------------------------------------------------------------ low results


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

    composite: dict[tuple[str, int], float] = {}
    parts: dict[tuple[str, int], dict[str, float]] = {}
    for key, kinds in z_by.items():
        parts[key] = {kind: fmean(zs) for kind, zs in kinds.items()}
        composite[key] = fmean(parts[key].values())

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


# --------------------------------------------------------------------------------------------- ГИА risk


def gia_risk(
    results: Iterable[GiaScore],
    *,
    year: int,
    minimums: Mapping[str, int],
    settings: FlagSettings = DEFAULT_SETTINGS,
) -> list[Flag]:
    """Risk groups in ГИА for ``year`` (rows of other years are ignored).

    * School flags: for every subject where the school has at least ``min_participants`` participants and
      at least ``gia_min_failed`` of them scored below ``minimums[subject]``, one reason
      "3 из 25 участников (12 %) ниже минимума по русскому языку (24); по региону — 2,1 %". ``score`` is the
      share below the minimum over those subjects.
    * Municipality flags (``school=""``, ``municipality`` set): per municipality, the subject(s) with the
      highest share below the minimum among subjects with at least ``min_participants`` participants in the
      municipality (ties all reported; nothing when no one failed). ``score`` is that share.

    Subjects missing from ``minimums`` cannot be judged and are skipped.
    """
    s = settings
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (school, subject) -> [n, failed]
    municipality_of: dict[str, str] = {}
    for row in results:
        if row.year != year or row.subject not in minimums:
            continue
        cell = counts[(row.school, row.subject)]
        cell[0] += 1
        cell[1] += row.score < minimums[row.subject]
        municipality_of.setdefault(row.school, row.municipality)

    region: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    municipal: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (school, subject), (n, failed) in counts.items():
        for cell in (region[subject], municipal[municipality_of[school]][subject]):
            cell[0] += n
            cell[1] += failed

    flags = []
    schools = sorted({school for school, _subject in counts})
    for school in schools:
        found = []
        for (sch, subject), (n, failed) in counts.items():
            if sch == school and n >= s.min_participants and failed >= s.gia_min_failed:
                found.append((-failed / n, subject, n, failed))
        if not found:
            continue
        reasons = []
        for _neg_share, subject, n, failed in sorted(found):
            region_n, region_failed = region[subject]
            text = (
                f"{failed} из {_of(n, 'участника', 'участников')} ({_pct(failed / n)}) ниже минимума {_by_subject(subject)} "
                f"({minimums[subject]}); по региону — {_pct(region_failed / region_n)}."
            )
            reasons.append(
                Reason("below_minimum", text, value=float(failed), threshold=float(s.gia_min_failed))
            )
        total_n = sum(n for _share, _subject, n, _failed in found)
        total_failed = sum(failed for _share, _subject, _n, failed in found)
        flags.append(
            Flag(
                kind=FLAG_GIA_RISK,
                school=school,
                year=year,
                reasons=tuple(reasons),
                score=total_failed / total_n,
                municipality=municipality_of[school],
            )
        )

    for municipality in sorted(municipal):
        subjects = {
            subject: Fraction(failed, n)
            for subject, (n, failed) in municipal[municipality].items()
            if n >= s.min_participants
        }
        if not subjects or max(subjects.values()) == 0:
            continue
        top = max(subjects.values())
        for subject in sorted(sub for sub, share in subjects.items() if share == top):
            n, failed = municipal[municipality][subject]
            region_n, region_failed = region[subject]
            text = (
                f"Наибольшая в муниципалитете доля участников ниже минимума — {_by_subject(subject)} "
                f"({minimums[subject]}): {failed} из {n} ({_pct(failed / n)}); "
                f"по региону — {_pct(region_failed / region_n)}."
            )
            flags.append(
                Flag(
                    kind=FLAG_GIA_RISK,
                    school="",
                    subject=subject,
                    year=year,
                    reasons=(Reason("municipal_top_fail", text, value=float(top)),),
                    score=float(top),
                    municipality=municipality,
                )
            )
    return flags


# ------------------------------------------------------------------------------------ ВПР objectivity


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

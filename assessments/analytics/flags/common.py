"""What every flag family shares: thresholds, the Flag and Reason records, input rows and Russian formatting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    * ``gia_min_failed`` / ``gia_min_share`` — ГИА risk group: in a subject, at least this many participants
      below the minimum *and* at least this share of the school's participants (one failing pupil of 11 is
      not evidence about a school).
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
    gia_min_failed: int = 3
    gia_min_share: float = 0.10

    def __post_init__(self) -> None:
        if self.min_participants < 2:
            raise ValueError("min_participants must be at least 2")
        for name in ("low_decile", "jump_quantile", "fdr_q", "bunching_share"):
            if not 0.0 < getattr(self, name) < 1.0:
                raise ValueError(f"{name} must be in (0, 1)")
        if self.low_years_needed < 1 or self.min_tasks < 3 or self.gia_min_failed < 1:
            raise ValueError("low_years_needed, gia_min_failed must be >= 1 and min_tasks >= 3")
        if not 0.0 <= self.gia_min_share < 1.0:
            raise ValueError("gia_min_share must be in [0, 1)")
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
    subject: str = ""  # the subject a reason is about, when it is about one (ГИА risk)


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
    ``minimums`` passed to :func:`gia_risk` are expressed in). ``participants`` > 1 stands for that many
    participants of the school with the same score (results grouped in the database)."""

    school: str
    year: int
    subject: str
    score: int
    municipality: str = ""
    participants: int = 1


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

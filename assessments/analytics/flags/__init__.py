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

from .common import (
    DEFAULT_SETTINGS,
    DISCLAIMER,
    EXAM_KIND_NAMES,
    FLAG_GIA_RISK,
    FLAG_LOW_RESULTS,
    FLAG_VPR_OBJECTIVITY,
    KIND_EGE,
    KIND_OGE,
    KIND_VPR,
    MARKERS,
    SUBJECT_DATIVE,
    Flag,
    FlagSettings,
    GiaScore,
    ParticipantMarks,
    Reason,
    SchoolMeta,
    SchoolYearIndicator,
    TaskResult,
)
from .gia import gia_risk
from .low import composites, low_results
from .vpr import vpr_objectivity

__all__ = [
    "DEFAULT_SETTINGS",
    "DISCLAIMER",
    "EXAM_KIND_NAMES",
    "FLAG_GIA_RISK",
    "FLAG_LOW_RESULTS",
    "FLAG_VPR_OBJECTIVITY",
    "KIND_EGE",
    "KIND_OGE",
    "KIND_VPR",
    "MARKERS",
    "SUBJECT_DATIVE",
    "Flag",
    "FlagSettings",
    "GiaScore",
    "ParticipantMarks",
    "Reason",
    "SchoolMeta",
    "SchoolYearIndicator",
    "TaskResult",
    "composites",
    "gia_risk",
    "low_results",
    "vpr_objectivity",
]

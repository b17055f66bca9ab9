"""Statistics for the committee's quality flags (pure Python, no Django).

The flags are signs for follow-up ("признак", "требует внимания"), never verdicts; see
:mod:`assessments.analytics.flags` for the rules and :mod:`assessments.analytics.stats` for the helpers.
"""

from .flags import (
    DEFAULT_SETTINGS,
    DISCLAIMER,
    FLAG_GIA_RISK,
    FLAG_LOW_RESULTS,
    FLAG_VPR_OBJECTIVITY,
    KIND_EGE,
    KIND_OGE,
    KIND_VPR,
    MARKERS,
    Flag,
    FlagSettings,
    GiaScore,
    ParticipantMarks,
    Reason,
    SchoolMeta,
    SchoolYearIndicator,
    TaskResult,
    gia_risk,
    low_results,
    vpr_objectivity,
)
from .stats import benjamini_hochberg, bh_adjust, quantile, shrink, spearman

__all__ = [
    "DEFAULT_SETTINGS",
    "DISCLAIMER",
    "FLAG_GIA_RISK",
    "FLAG_LOW_RESULTS",
    "FLAG_VPR_OBJECTIVITY",
    "KIND_EGE",
    "KIND_OGE",
    "KIND_VPR",
    "MARKERS",
    "Flag",
    "FlagSettings",
    "GiaScore",
    "ParticipantMarks",
    "Reason",
    "SchoolMeta",
    "SchoolYearIndicator",
    "TaskResult",
    "benjamini_hochberg",
    "bh_adjust",
    "gia_risk",
    "low_results",
    "quantile",
    "shrink",
    "spearman",
    "vpr_objectivity",
]

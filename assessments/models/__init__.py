"""Exam results (ЕГЭ, ОГЭ, ГВЭ, ВПР, olympiads), their yearly scales, aggregates and flags."""

from assessments.models.flags import FlagThresholds, SchoolFlag
from assessments.models.results import (
    AssessmentKind,
    Campaign,
    ExamSubject,
    ImportJob,
    OlympiadResult,
    Result,
    ResultAggregate,
    Scale,
    SchoolShare,
    Subject,
)

__all__ = [
    "AssessmentKind",
    "Campaign",
    "ExamSubject",
    "FlagThresholds",
    "ImportJob",
    "OlympiadResult",
    "Result",
    "ResultAggregate",
    "Scale",
    "SchoolFlag",
    "SchoolShare",
    "Subject",
]

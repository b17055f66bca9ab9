"""Exam results (ЕГЭ, ОГЭ, ГВЭ, ВПР, olympiads), their yearly scales, aggregates and flags."""

from assessments.models.flags import FlagThresholds, SchoolFlag
from assessments.models.results import (
    IMPORT_TRANSITIONS,
    AssessmentKind,
    Campaign,
    ExamSubject,
    ImportJob,
    ImportJobEvent,
    OlympiadResult,
    Result,
    ResultAggregate,
    Scale,
    SchoolShare,
    Subject,
)

__all__ = [
    "IMPORT_TRANSITIONS",
    "AssessmentKind",
    "Campaign",
    "ExamSubject",
    "FlagThresholds",
    "ImportJob",
    "ImportJobEvent",
    "OlympiadResult",
    "Result",
    "ResultAggregate",
    "Scale",
    "SchoolFlag",
    "SchoolShare",
    "Subject",
]

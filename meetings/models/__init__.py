"""Meetings, their protocols, decisions and the execution of decisions."""

from meetings.models.board import SavedFilter
from meetings.models.calendar import MeetingInvitee
from meetings.models.comments import ObligationComment, ObligationCommentFile
from meetings.models.documents import Document
from meetings.models.meetings import AgendaItem, Decision, DecisionParty, Meeting, MeetingEvent, Participant
from meetings.models.obligations import (
    ExtensionRequest,
    Obligation,
    ObligationEvent,
    ObligationStatus,
    Report,
    ReportFile,
)
from meetings.models.questionnaires import Answer, Question, Questionnaire, Survey, SurveyResponse

__all__ = [
    "AgendaItem",
    "Answer",
    "Decision",
    "DecisionParty",
    "Document",
    "ExtensionRequest",
    "Meeting",
    "MeetingEvent",
    "MeetingInvitee",
    "Obligation",
    "ObligationComment",
    "ObligationCommentFile",
    "ObligationEvent",
    "ObligationStatus",
    "Participant",
    "Question",
    "Questionnaire",
    "Report",
    "ReportFile",
    "SavedFilter",
    "Survey",
    "SurveyResponse",
]

"""Meetings, their protocols, decisions and the execution of decisions."""

from meetings.models.board import SavedFilter
from meetings.models.calendar import MeetingInvitee
from meetings.models.comments import ObligationComment, ObligationCommentFile
from meetings.models.documents import Document, DocumentEvent
from meetings.models.meetings import AgendaItem, Decision, DecisionParty, Meeting, MeetingEvent, Participant
from meetings.models.obligations import (
    ExtensionRequest,
    Obligation,
    ObligationEvent,
    ObligationStatus,
    Report,
    ReportFile,
)

__all__ = [
    "AgendaItem",
    "Decision",
    "DecisionParty",
    "Document",
    "DocumentEvent",
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
    "Report",
    "ReportFile",
    "SavedFilter",
]

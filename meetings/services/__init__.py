"""Writes that touch several models: protocols, obligations, reports, extensions, documents.

Callers import from here (``from meetings import services``); the modules split the writes by subject.
"""

from meetings.services.documents import document_request
from meetings.services.executors import executor_assign, lead_set
from meetings.services.obligations import (
    extension_decide,
    extension_request,
    obligation_set_due_date,
    obligation_start,
    report_accept,
    report_return,
    report_submit,
)
from meetings.services.planning import invitations_send, meeting_hold, meeting_plan
from meetings.services.protocols import (
    AlreadySaved,
    DecisionDraft,
    ItemDraft,
    MeetingDraft,
    agenda_item_add,
    asks_for_roadmap,
    attendance_set,
    decision_update,
    meeting_create,
    meeting_sign,
    organizer_of,
)

__all__ = [
    "AlreadySaved", "DecisionDraft", "ItemDraft", "MeetingDraft", "agenda_item_add", "asks_for_roadmap",
    "attendance_set", "decision_update", "document_request", "executor_assign", "extension_decide",
    "extension_request", "invitations_send", "lead_set", "meeting_create", "meeting_hold", "meeting_plan",
    "meeting_sign", "obligation_set_due_date", "obligation_start", "organizer_of", "report_accept", "report_return",
    "report_submit",
]  # fmt: skip

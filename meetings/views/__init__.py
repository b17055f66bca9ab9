from meetings.views.board import board_bulk, obligation_list, saved_filter_delete, saved_filter_save
from meetings.views.calendar import meeting_calendar, meeting_hold, meeting_plan
from meetings.views.documents import document_detail, document_request
from meetings.views.obligations import (
    comment_file,
    discipline,
    obligation_action,
    obligation_card,
    obligation_detail,
    report_file,
)
from meetings.views.protocols import (
    decision_detail,
    decision_edit,
    meeting_attendance,
    meeting_detail,
    meeting_edit,
    meeting_list,
    meeting_sign,
)
from meetings.views.review import meeting_new, meeting_review

__all__ = [
    "board_bulk",
    "comment_file",
    "decision_detail",
    "decision_edit",
    "discipline",
    "document_detail",
    "document_request",
    "meeting_attendance",
    "meeting_calendar",
    "meeting_detail",
    "meeting_edit",
    "meeting_hold",
    "meeting_list",
    "meeting_new",
    "meeting_plan",
    "meeting_review",
    "meeting_sign",
    "obligation_action",
    "obligation_card",
    "obligation_detail",
    "obligation_list",
    "report_file",
    "saved_filter_delete",
    "saved_filter_save",
]

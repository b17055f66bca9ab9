from meetings.views.documents import document_detail, document_request
from meetings.views.obligations import (
    comment_file,
    discipline,
    obligation_action,
    obligation_card,
    obligation_detail,
    obligation_list,
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
    "comment_file",
    "decision_detail",
    "decision_edit",
    "discipline",
    "document_detail",
    "document_request",
    "meeting_attendance",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_new",
    "meeting_review",
    "meeting_sign",
    "obligation_action",
    "obligation_card",
    "obligation_detail",
    "obligation_list",
    "report_file",
]

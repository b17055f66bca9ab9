"""REST endpoints of meetings, decisions, obligations and reports; every queryset is ``for_user``."""

from meetings.api.documents import DocumentViewSet
from meetings.api.obligations import ExtensionRequestViewSet, ObligationViewSet, ReportViewSet
from meetings.api.protocols import DecisionViewSet, MeetingViewSet
from meetings.api.serializers import CommentInputSerializer

__all__ = [
    "CommentInputSerializer",
    "DecisionViewSet",
    "DocumentViewSet",
    "ExtensionRequestViewSet",
    "MeetingViewSet",
    "ObligationViewSet",
    "ReportViewSet",
]

"""PDF documents of protocols: their state, and the file once it is ready (asked for at meetings/{id}/documents/)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from core.api_errors import ERROR, Conflict
from core.uploads import private_file_response
from meetings.api.serializers import DocumentOutputSerializer
from meetings.models import Document


class DocumentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A PDF of a protocol: queued, rendering, ready or failed; ``file`` downloads it when ready."""

    serializer_class = DocumentOutputSerializer

    def get_queryset(self):
        return Document.objects.for_user(self.request.user).select_related("meeting")

    def get_object(self):
        document = super().get_object()
        if document.kind == Document.Kind.STATUS and not document.meeting.user_sees_every_unit(
            self.request.user
        ):
            raise Http404
        return document

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            409: ERROR,
        }
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The PDF itself; 409 while it is still being rendered or when rendering failed."""
        document = self.get_object()
        if document.status != Document.Status.READY:
            raise Conflict(f"Документ ещё не готов: {document.get_status_display()}.")
        return private_file_response(document.file, document.filename)

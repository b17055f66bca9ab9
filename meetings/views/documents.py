"""PDF documents of a meeting: requested here, rendered by a worker, downloaded through a scope check."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.uploads import private_file_response
from meetings import services
from meetings.models import Document, Meeting


@login_required
@require_POST
def document_request(request, pk: int, kind: str):
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    if kind == Document.Kind.STATUS and not meeting.user_sees_every_unit(request.user):
        raise Http404
    try:
        document = services.document_request(meeting=meeting, kind=kind, actor=request.user)
    except ValidationError as exc:
        raise Http404 from exc
    return redirect(document)


@login_required
@require_safe
def document_detail(request, pk: int):
    """Ready: the PDF itself. Otherwise a page that follows the rendering (htmx polls it)."""
    document = get_object_or_404(Document.objects.for_user(request.user).select_related("meeting"), pk=pk)
    if document.kind == Document.Kind.STATUS and not document.meeting.user_sees_every_unit(request.user):
        raise Http404
    if document.status == Document.Status.READY and request.GET.get("view") != "status":
        return private_file_response(document.file, document.filename)
    template = (
        "meetings/_document_status.html" if request.headers.get("HX-Request") else "meetings/document.html"
    )
    return render(request, template, {"document": document, "meeting": document.meeting})

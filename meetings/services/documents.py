"""PDF documents of a protocol: requested here, rendered by a worker (``meetings.tasks``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import tasks
from meetings.models import (
    Document,
    DocumentEvent,
    Meeting,
)

# ---------------------------------------------------------------- documents


def document_request(*, meeting: Meeting, kind: str, actor) -> Document:
    """The PDF of the current revision: an existing one, or a new row queued for a worker.

    Rendering costs a worker's time, so it is a write: the read-only observer reads the PDFs others asked for."""
    if actor.is_read_only:
        raise PermissionDenied("Наблюдатель не может заказывать PDF-документы: он читает уже сформированные.")
    if kind not in Document.Kind.values:
        raise ValidationError("Неизвестный вид документа.")
    key = f"rev-{meeting.revision}" if kind != Document.Kind.STATUS else timezone.localdate().isoformat()
    live = Document.objects.filter(meeting=meeting, kind=kind, key=key).exclude(status=Document.Status.FAILED)
    existing = live.first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            document = Document.objects.create(meeting=meeting, kind=kind, key=key, revision=meeting.revision,
                                               requested_by=actor)  # fmt: skip
            DocumentEvent.record(document, actor, before="")
    except IntegrityError:
        return live.get()
    transaction.on_commit(lambda: tasks.render_enqueue(document.pk))
    return document

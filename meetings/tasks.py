"""Celery tasks of the meetings app and the queuing around them: take ids, call the worker's side."""

from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from core.queue import enqueue
from meetings.documents import RENDER_STALE, document_render
from meetings.models import Document


@shared_task(acks_late=True)
def render_document_task(document_id: int) -> str:
    return document_render(document_id)


def render_enqueue(document_id: int) -> bool:
    return enqueue(render_document_task, document_id)


def requeue_documents(now=None) -> int:
    """Documents whose task was lost (broker outage) or whose worker died are queued again."""
    now = now or timezone.now()
    stale = Document.objects.filter(
        Q(status=Document.Status.QUEUED, created_at__lt=now - timedelta(minutes=2))
        | Q(status=Document.Status.RENDERING, started_at__lt=now - RENDER_STALE)
    )
    return sum(1 for pk in stale.values_list("pk", flat=True) if render_enqueue(pk))

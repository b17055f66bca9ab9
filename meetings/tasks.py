"""Thin Celery tasks of the meetings app: take ids, call a service."""

from celery import shared_task

from meetings import services


@shared_task(acks_late=True)
def render_document_task(document_id: int) -> str:
    return services.document_render(document_id)

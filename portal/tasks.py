"""Thin Celery tasks: take ids, call the reminder services. Each has a management command twin."""

import uuid

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from portal import reminders

MAX_RETRIES = 6


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_reminder_email(self, reminder_id: int) -> str:
    token = self.request.id or uuid.uuid4().hex
    try:
        return reminders.deliver(reminder_id, token)
    except reminders.TransientMailError as exc:
        if self.request.retries >= MAX_RETRIES:
            reminders.mark_failed(reminder_id, f"Почтовый сервер недоступен: {exc}")
            return "failed"
        countdown = min(settings.REMINDER_RETRY_SECONDS * 2**self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def send_reminders_task() -> int:
    return len(reminders.send_reminders(timezone.localdate()))


@shared_task
def send_digests_task() -> int:
    from municipalities.models import User

    today = timezone.localdate()
    for user_id in (
        User.objects.filter(reminder__digest=True, reminder__status="pending")
        .values_list("pk", flat=True)
        .distinct()
    ):
        send_digest_task.delay(user_id, today.isoformat())
    return 0


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_digest_task(self, user_id: int, day: str) -> int:
    from datetime import date

    try:
        return reminders.send_digest(user_id, date.fromisoformat(day))
    except reminders.TransientMailError as exc:
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc


@shared_task
def requeue_reminders_task() -> int:
    return reminders.requeue_stale()

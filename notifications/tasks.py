"""Thin Celery tasks of the beat schedule: take ids, call the reminder services. Each has a management command
twin. The e-mail of one reminder is sent by ``notifications.delivery.send_reminder_email``."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import delivery, reminders
from notifications.delivery import MAX_RETRIES


@shared_task
def send_reminders_task() -> int:
    return len(reminders.send_reminders(timezone.localdate()))


@shared_task
def send_digests_task() -> int:
    User = get_user_model()
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
        return delivery.send_digest(user_id, date.fromisoformat(day))
    except delivery.TransientMailError as exc:
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc


@shared_task
def requeue_reminders_task() -> int:
    return reminders.requeue_stale()

"""Thin Celery tasks of the beat schedule: take ids, call the reminder services. Each has a management command
twin. The e-mail of one reminder is sent by ``notifications.delivery.send_reminder_email``."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import reminders
from notifications.delivery import send_digest_task


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


@shared_task
def requeue_reminders_task() -> int:
    return reminders.requeue_stale()

"""Delivering reminders: claim a row (exactly once), send the e-mail over SMTP, record the outcome; and the
day's digest of one person. ``send_reminder_email`` is the worker's task for one immediate reminder."""

import smtplib
import uuid
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import Reminder

STALE_CLAIM = timedelta(minutes=15)
MAX_RETRIES = 6


class TransientMailError(Exception):
    """The mail server could not take the message now; try again later."""


def _claim(reminder_id: int, token: str) -> bool:
    """Take the reminder for sending: exactly one worker wins (a redelivered task keeps its claim)."""
    now = timezone.now()
    return (
        Reminder.objects.filter(pk=reminder_id)
        .filter(
            Q(status=Reminder.Status.PENDING)
            | Q(status=Reminder.Status.SENDING, claimed_by=token)
            | Q(status=Reminder.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .update(status=Reminder.Status.SENDING, claimed_by=token, claimed_at=now)
        == 1
    )


def _message(reminders: list[Reminder], subject: str, body: str, message_id: str) -> EmailMultiAlternatives:
    recipient = reminders[0].recipient
    single_event = len(reminders) == 1 and reminders[0].key  # an e-mail of what happened, not a deadline
    html = render_to_string(
        "notifications/event.html" if single_event else "emails/reminder.html",
        {"reminders": reminders, "body": body, "url": reminders[0].url, "site_url": settings.SITE_URL},
    )
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email],
                                     headers={"Message-ID": message_id})  # fmt: skip
    message.attach_alternative(html, "text/html")
    return message


def _send(message: EmailMultiAlternatives, on_accepted=None) -> None:
    """Send over one SMTP session; ``on_accepted`` runs as soon as the server took the message, before QUIT,
    so that the window in which a killed worker could send twice is as short as it can be."""
    connection = get_connection()
    try:
        connection.open()
        message.connection = connection
        message.send()
        if on_accepted:
            on_accepted()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
        raise
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            raise
        raise TransientMailError(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientMailError(str(exc) or exc.__class__.__name__) from exc
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass


def deliver(reminder_id: int, token: str) -> str:
    """Send one immediate reminder. Returns "sent", "skipped" (someone else has it) or "failed"."""
    if not _claim(reminder_id, token):
        return "skipped"
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    Reminder.objects.filter(pk=reminder_id).update(attempts=reminder.attempts + 1)
    message = _message([reminder], reminder.subject, reminder.body, f"<reminder-{reminder.pk}@{_domain()}>")
    try:
        _send(message)
    except TransientMailError:
        raise
    except smtplib.SMTPException as exc:
        mark_failed(reminder_id, smtp_error_text(exc))
        return "failed"
    Reminder.objects.filter(pk=reminder_id, claimed_by=token).update(
        status=Reminder.Status.SENT, sent_at=timezone.now()
    )
    return "sent"


def smtp_error_text(exc: smtplib.SMTPException) -> str:
    """What the mail server said, readable: "head@x.ru: 550 5.1.1 Нет такого ящика"."""

    def text(value) -> str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {text(msg)}" for addr, (code, msg) in exc.recipients.items())[:2000]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {text(exc.smtp_error)}"[:2000]
    return f"{exc.__class__.__name__}: {exc}"[:2000]


def mark_failed(reminder_id: int, error: str) -> None:
    Reminder.objects.filter(pk=reminder_id).update(status=Reminder.Status.FAILED, last_error=error[:2000])


def send_digest(user_id: int, today: date) -> int:
    """One e-mail with every pending digest reminder of a user; returns how many it carried."""
    token = uuid.uuid4().hex
    Reminder.objects.filter(recipient_id=user_id, digest=True, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.SENDING, claimed_by=token, claimed_at=timezone.now()
    )
    reminders = list(
        Reminder.objects.filter(claimed_by=token).select_related("recipient").order_by("due_date", "pk")
    )
    if not reminders:
        return 0
    deadlines = [r for r in reminders if not r.key]
    events = [r for r in reminders if r.key]
    counts = ([f"сроков — {len(deadlines)}"] if deadlines else []) + (
        [f"событий — {len(events)}"] if events else []
    )
    subject = f"Сводка {'напоминаний ' if deadlines else ''}на {today:%d.%m.%Y}: {', '.join(counts)}"
    body = render_to_string(
        "emails/digest.txt",
        {"deadlines": deadlines, "events": events, "today": today, "site_url": settings.SITE_URL},
    )
    try:
        _send(
            _message(reminders, subject, body, f"<digest-{user_id}-{today:%Y%m%d}-{token[:8]}@{_domain()}>")
        )
    except TransientMailError:
        Reminder.objects.filter(claimed_by=token).update(status=Reminder.Status.PENDING, claimed_by="")
        raise
    except smtplib.SMTPException as exc:
        Reminder.objects.filter(claimed_by=token).update(
            status=Reminder.Status.FAILED, last_error=str(exc)[:2000]
        )
        return 0
    Reminder.objects.filter(claimed_by=token).update(status=Reminder.Status.SENT, sent_at=timezone.now())
    return len(reminders)


def _domain() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0].split(":")[0] or "portal"


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_reminder_email(self, reminder_id: int) -> str:
    token = self.request.id or uuid.uuid4().hex
    try:
        return deliver(reminder_id, token)
    except TransientMailError as exc:
        if self.request.retries >= MAX_RETRIES:
            mark_failed(reminder_id, f"Почтовый сервер недоступен: {exc}")
            return "failed"
        countdown = min(settings.REMINDER_RETRY_SECONDS * 2**self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_digest_task(self, user_id: int, day: str) -> int:
    try:
        return send_digest(user_id, date.fromisoformat(day))
    except TransientMailError as exc:
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc

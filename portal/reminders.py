"""Deciding which reminders are due, from the state of deadlines (not from one-off events), and sending them once.

Each app with deadlines provides candidates (``REMINDER_SOURCES``); the policy turns a candidate's due
date into a stage ("before_3", "overdue_1", "escalation"). A stage is a unique Reminder row per
recipient, so a missed day is caught up by the next run and nothing is sent twice.
"""

import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.models import Notification, Reminder, ReminderPolicy

STALE_CLAIM = timedelta(minutes=15)


@dataclass
class Candidate:
    """Something with a due date that people should be reminded of."""

    target_model: type
    target_id: int
    due_date: date
    title: str
    unit_name: str
    url: str
    recipients: list = field(default_factory=list)
    controllers: list = field(default_factory=list)
    superiors: list = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    candidate: Candidate
    kind: str
    recipient: object

    def as_json(self) -> dict:
        return {
            "obligation": self.candidate.target_id,
            "target": f"{self.candidate.target_model._meta.label_lower}:{self.candidate.target_id}",
            "recipient": self.recipient.email,
            "kind": self.kind,
            "due_date": self.candidate.due_date.isoformat(),
        }


def stage(policy: ReminderPolicy, due_date: date, today: date, before: list[int] | None = None) -> str | None:
    """The reminder stage a due date is in today; a missed stage is superseded by the current one."""
    days_left = (due_date - today).days
    if days_left >= 0:
        ahead = [d for d in (policy.before_list if before is None else before) if d >= days_left]
        return f"before_{min(ahead)}" if ahead else None
    overdue = -days_left
    return f"overdue_{(overdue - 1) // max(policy.overdue_every_days, 1)}"


def candidates(today: date) -> Iterable[Candidate]:
    for path in settings.REMINDER_SOURCES:
        yield from import_string(path)(today)


def plan(today: date, policy: ReminderPolicy | None = None) -> list[Planned]:
    """Every reminder due today that has not been created yet."""
    policy = policy or ReminderPolicy.current()
    before = policy.before_list
    planned: list[Planned] = []
    for candidate in candidates(today):
        kind = stage(policy, candidate.due_date, today, before)
        if kind is None:
            continue
        people = {u.pk: (u, kind) for u in candidate.recipients}
        overdue_days = (today - candidate.due_date).days
        if overdue_days >= policy.escalate_after_days:
            escalated = (candidate.controllers if policy.escalate_to_controller else []) + (
                candidate.superiors if policy.escalate_to_superior else []
            )
            for user in escalated:
                people.setdefault(user.pk, (user, "escalation"))
        for user, user_kind in people.values():
            planned.append(Planned(candidate, user_kind, user))
    if not planned:
        return []
    type_ids = {model: _type_id(model) for model in {p.candidate.target_model for p in planned}}
    # only the reminders that could be today's: the (due date, stage) pairs planned, a handful a day
    pairs = {(p.candidate.due_date, p.kind) for p in planned}
    same_stage = Q()
    for due_date, kind in pairs:
        same_stage |= Q(due_date=due_date, kind=kind)
    existing = set(
        Reminder.objects.filter(same_stage)
        .order_by()
        .values_list("content_type_id", "object_id", "due_date", "kind", "recipient_id")
    )
    if not existing:
        return planned
    return [
        p
        for p in planned
        if (
            type_ids[p.candidate.target_model],
            p.candidate.target_id,
            p.candidate.due_date,
            p.kind,
            p.recipient.pk,
        )
        not in existing
    ]


def _type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def _texts(p: Planned, today: date) -> tuple[str, str]:
    context = {"p": p, "c": p.candidate, "today": today, "site_url": settings.SITE_URL,
               "days_left": (p.candidate.due_date - today).days, "overdue_days": (today - p.candidate.due_date).days}  # fmt: skip
    subject = " ".join(render_to_string("emails/reminder_subject.txt", context).split())
    return subject[:300], render_to_string("emails/reminder.txt", context)


def send_reminders(today: date, *, dry_run: bool = False) -> list[Planned]:
    """Create today's reminders (and in-portal notifications); e-mails go out after commit."""
    planned = plan(today)
    if dry_run:
        return planned
    created: list[Planned] = []
    for p in planned:
        with transaction.atomic():
            subject, body = _texts(p, today)
            mode = p.recipient.email_mode if p.recipient.email else "off"
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        content_type_id=_type_id(p.candidate.target_model), object_id=p.candidate.target_id,
                        due_date=p.candidate.due_date, kind=p.kind, recipient=p.recipient,
                        digest=mode == "digest", subject=subject, body=body, url=p.candidate.url,
                        status=Reminder.Status.SKIPPED if mode == "off" else Reminder.Status.PENDING,
                    )  # fmt: skip
            except IntegrityError:
                continue  # another scan created it first
            Notification.objects.create(user=p.recipient, text=subject, url=p.candidate.url)
            if mode == "immediate":
                transaction.on_commit(lambda pk=reminder.pk: _enqueue(pk))
            created.append(p)
    return created


def _enqueue(reminder_id: int) -> bool:
    from portal.queue import enqueue
    from portal.tasks import send_reminder_email

    return enqueue(send_reminder_email, reminder_id)


def requeue_stale(now=None) -> int:
    """Immediate reminders whose task was lost (broker outage, killed worker) are queued again."""
    now = now or timezone.now()
    stale = Reminder.objects.filter(digest=False).filter(
        Q(status=Reminder.Status.PENDING, created_at__lt=now - timedelta(minutes=5))
        | Q(status=Reminder.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )
    ids = list(stale.values_list("pk", flat=True))
    queued = sum(1 for pk in ids if _enqueue(pk))
    from meetings.services import requeue_documents

    return queued + requeue_documents(now)


# ---------------------------------------------------------------- delivery


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
    html = render_to_string(
        "emails/reminder.html", {"reminders": reminders, "body": body, "site_url": settings.SITE_URL}
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
        Reminder.objects.filter(claimed_by=token).select_related("recipient").order_by("due_date")
    )
    if not reminders:
        return 0
    subject = f"Сводка напоминаний на {today:%d.%m.%Y}: сроков — {len(reminders)}"
    body = render_to_string(
        "emails/digest.txt", {"reminders": reminders, "today": today, "site_url": settings.SITE_URL}
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

"""Deciding which reminders are due, from the state of deadlines (not from one-off events), and sending them once.

Each app with deadlines provides candidates (``REMINDER_SOURCES``); the policy turns a candidate's due
date into a stage ("before_3", "overdue_1", "escalation"). A stage is a unique Reminder row per
recipient, so a missed day is caught up by the next run and nothing is sent twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from core.queue import enqueue
from notifications.delivery import STALE_CLAIM, send_digest_task, send_reminder_email
from notifications.models import Notification, Reminder, ReminderPolicy


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
    region_id: int | None = None  # whose reminder rules apply (None: the default rules)


@dataclass(frozen=True)
class Planned:
    candidate: Candidate
    kind: str
    recipient: object

    def as_json(self) -> dict:
        return {
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
    """Every reminder due today that has not been created yet, each by its region's rules (or ``policy``)."""
    policies: dict[int | None, tuple[ReminderPolicy, list[int]]] = {}
    planned: list[Planned] = []
    for candidate in candidates(today):
        if candidate.region_id not in policies:
            chosen = policy or ReminderPolicy.current(candidate.region_id)
            policies[candidate.region_id] = (chosen, chosen.before_list)
        region_policy, before = policies[candidate.region_id]
        kind = stage(region_policy, candidate.due_date, today, before)
        if kind is None:
            continue
        people = {u.pk: (u, kind) for u in candidate.recipients}
        overdue_days = (today - candidate.due_date).days
        if overdue_days >= region_policy.escalate_after_days:
            escalated = (candidate.controllers if region_policy.escalate_to_controller else []) + (
                candidate.superiors if region_policy.escalate_to_superior else []
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
    # late reminders (overdue, escalation) reach a person as one digest a day, never one e-mail per obligation:
    # a protocol of past years put under control must not flood anyone
    batched: set[int] = set()
    for p in planned:
        with transaction.atomic():
            subject, body = _texts(p, today)
            mode = p.recipient.email_mode if p.recipient.email else "off"
            if mode == "immediate" and _is_late(p.kind):
                mode = "digest"
                batched.add(p.recipient.pk)
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
    # one such digest a day: whoever got one today gets the rest in tomorrow's (the beat's send_digests)
    had_one = set(
        Reminder.objects.filter(recipient_id__in=batched, digest=True, status=Reminder.Status.SENT,
                                sent_at__date=today).values_list("recipient_id", flat=True)
    )  # fmt: skip
    for user_id in batched - had_one:
        transaction.on_commit(lambda pk=user_id: _enqueue_digest(pk, today))
    return created


def _is_late(kind: str) -> bool:
    return kind == "escalation" or kind.startswith("overdue")


def _enqueue_digest(user_id: int, today: date) -> bool:
    return enqueue(send_digest_task, user_id, today.isoformat())


def _enqueue(reminder_id: int) -> bool:
    return enqueue(send_reminder_email, reminder_id)


def requeue_stale(now=None) -> int:
    """Immediate reminders whose task was lost (broker outage, killed worker) are queued again; so is the
    other queued work the apps name in ``REQUEUE_SOURCES`` (e.g. PDF documents)."""
    now = now or timezone.now()
    stale = Reminder.objects.filter(digest=False).filter(
        Q(status=Reminder.Status.PENDING, created_at__lt=now - timedelta(minutes=5))
        | Q(status=Reminder.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )
    ids = list(stale.values_list("pk", flat=True))
    queued = sum(1 for pk in ids if _enqueue(pk))
    return queued + sum(import_string(path)(now) for path in settings.REQUEUE_SOURCES)

"""What happened to a person, told once: an in-portal notice at once, an e-mail after the commit.

The apps call ``tell`` in the transaction of the change and pass the texts and the link in (this module
imports no app). Each person's e-mail mode decides the e-mail: ``immediate`` — one e-mail by the worker's
task (``send_reminder_email``, which claims the row, so a retried task sends nothing twice); ``digest`` — a
line of the next daily digest; ``off`` (or no address) — the notice in the portal only. The ``key`` names
the event (e.g. ``obligation-event-42``): a second ``tell`` with the same key changes nothing for a person
already told, so a retried request or task never tells anyone twice.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from core.queue import enqueue
from notifications.delivery import send_reminder_email
from notifications.models import Notification, Reminder

# what happened, as the e-mail's kind (Reminder.kind) — stable codes, not shown to users
NEW_OBLIGATION = "event_new"
REPORT_RETURNED = "event_returned"
REPORT_ACCEPTED = "event_accepted"
EXTENSION_DECIDED = "event_extension"
NEW_COMMENT = "event_comment"
EXECUTOR_ASSIGNED = "event_executor"
OBLIGATION_REMINDED = "event_remind"
SURVEY_SENT = "event_survey"
SURVEY_REMINDED = "event_survey_remind"
SURVEY_REOPENED = "event_survey_reopen"


def tell(users: Iterable, *, kind: str, subject: str, text: str, url: str, key: str) -> int:
    """Tell each person once what happened; returns how many were told now (not before, under this key)."""
    told = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        mode = user.email_mode if user.email and user.is_active else "off"
        context = {"user": user, "subject": subject, "text": text, "url": url, "site_url": settings.SITE_URL}
        try:
            with transaction.atomic():
                message = Reminder.objects.create(
                    key=key[:200], kind=kind[:20], recipient=user, digest=mode == "digest", url=url[:300],
                    subject=" ".join(render_to_string("notifications/event_subject.txt", context).split())[:300],
                    body=render_to_string("notifications/event.txt", context),
                    status=Reminder.Status.SKIPPED if mode == "off" else Reminder.Status.PENDING,
                )  # fmt: skip
        except IntegrityError:
            continue  # told already under this key
        Notification.objects.create(user=user, text=subject[:500], url=url[:300])
        if mode == "immediate":
            transaction.on_commit(lambda pk=message.pk: enqueue(send_reminder_email, pk))
        told += 1
    return told

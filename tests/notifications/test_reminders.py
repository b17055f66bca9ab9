"""Reminders decided from the state of deadlines, sent once, caught up after a missed day."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Obligation
from notifications.delivery import send_digest
from notifications.models import Notification, Reminder, ReminderPolicy
from notifications.reminders import plan, send_reminders, stage
from tests.meetings.factories import committee_meeting, days, decision, written

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(10, None), (7, "before_7"), (5, "before_7"), (3, "before_3"), (2, "before_3"), (1, "before_1"),
     (0, "before_0"), (-1, "overdue_0"), (-3, "overdue_0"), (-4, "overdue_1"), (-7, "overdue_2")],
)  # fmt: skip
def test_stage_follows_the_default_policy(days_left, expected):
    assert stage(ReminderPolicy(), TODAY + timedelta(days=days_left), TODAY) == expected


def make(people, due_in=3, responsible="руководители ОМСУ"):
    return committee_meeting(
        people, decision("1", "Представить анализ ВПР.", f"до {written(due_in)}", responsible)
    )


def test_each_head_is_reminded_once_by_email(people, smtp, django_capture_on_commit_callbacks):
    make(people, due_in=3)
    with django_capture_on_commit_callbacks(execute=True):
        created = send_reminders(TODAY)
    assert sorted(p.recipient.username for p in created) == ["head_a", "head_b"]
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["head_a@example.ru", "head_b@example.ru"]
    message = smtp.inbox.messages[0]
    assert str(message["Subject"]).strip().startswith(f"Срок {written(3)} (через 3 дн.)")
    assert "Представить анализ ВПР." in message.get_body(("plain",)).get_content()
    assert set(Reminder.objects.deadlines().values_list("status", flat=True)) == {"sent"}
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(TODAY) == []  # the same day again: nothing new
    assert len(smtp.inbox.messages) == 2


def test_a_missed_day_is_caught_up_with_the_current_stage_only(people):
    make(people, due_in=8)
    assert send_reminders(TODAY + timedelta(days=1))  # 7 days left
    # the scan did not run for four days; 2 days left → the 3-day reminder, not the 7-day one again
    caught_up = send_reminders(TODAY + timedelta(days=6))
    assert {p.kind for p in caught_up} == {"before_3"}


def test_reported_and_accepted_obligations_are_not_reminded(people):
    make(people, due_in=1)
    obligation = Obligation.objects.get(municipality=people.mun_a)
    services.report_submit(obligation=obligation, actor=people.head_a, text="Готово")
    assert [p.recipient.username for p in send_reminders(TODAY)] == ["head_b"]


def test_escalation_reaches_the_controller_and_the_superior(people):
    make(people, due_in=-8, responsible="Агалатовская СОШ")
    recipients = {p.recipient.username: p.kind for p in send_reminders(TODAY)}
    assert recipients == {"committee": "escalation", "head_a": "escalation"}


def test_the_daily_scan_reads_a_fixed_number_of_queries_however_many_obligations(people):
    """Set-based planning: more obligations and decisions add rows, never queries."""
    everyone = "руководители ОМСУ; ЛОИРО; Агалатовская СОШ"
    make(people, due_in=3, responsible=everyone)
    with CaptureQueriesContext(connection) as few:
        assert len(plan(TODAY)) == 3
    committee_meeting(
        people,
        *[decision(str(n), f"Поручение {n}.", f"до {written(n % 5 - 2)}", everyone) for n in range(1, 11)],
    )
    with CaptureQueriesContext(connection) as many:
        planned = plan(TODAY)
    assert len(planned) == 33
    assert {p.candidate.unit_name for p in planned} == {
        "ГАОУ ДПО «ЛОИРО»", "КО Всеволожского района", "КО Выборгского района"
    }  # fmt: skip
    assert len(many) == len(few)


def test_policy_is_editable(people):
    policy = ReminderPolicy.objects.create(before_days="10, 2", overdue_every_days=1, escalate_after_days=30)
    make(people, due_in=9)
    assert {p.kind for p in send_reminders(TODAY)} == {"before_10"}
    assert policy.before_list == [10, 2]


def test_nothing_is_sent_for_a_rolled_back_transaction(people, smtp, django_capture_on_commit_callbacks):
    make(people, due_in=0)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            send_reminders(TODAY)
            raise RuntimeError("the scan failed half-way")
    assert smtp.inbox.messages == [] and not Reminder.objects.deadlines().exists()


def test_refused_address_is_recorded_and_shown_to_the_committee(
    people, smtp, client, django_capture_on_commit_callbacks
):
    smtp.inbox.refuse.add("head_b@example.ru")
    make(people, due_in=0)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(TODAY)
    failed = Reminder.objects.deadlines().get(recipient=people.head_b)
    assert failed.status == "failed" and "550" in failed.last_error
    assert Reminder.objects.deadlines().get(recipient=people.head_a).status == "sent"
    client.force_login(people.committee)
    page = client.get(reverse("delivery")).text
    assert "head_b@example.ru" in page and "Нет такого ящика" in page


def test_smtp_down_is_retried_not_lost(people, settings, django_capture_on_commit_callbacks):
    from tests.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    make(people, due_in=0)
    from celery.exceptions import Retry

    with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
        send_reminders(TODAY)
    assert Reminder.objects.filter(status="sending").exists()  # kept for the retry, not marked failed


def test_digest_users_get_one_letter(people, smtp, django_capture_on_commit_callbacks):
    people.head_a.email_mode = "digest"
    people.head_a.save()
    make(people, due_in=0)
    committee_meeting(
        people, decision("1", "Утвердить дорожную карту.", f"до {written(1)}", "руководители ОМСУ")
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(TODAY)
    assert [m["To"] for m in smtp.inbox.messages] == ["head_b@example.ru"] * 2
    # the two deadlines and the two new obligations (told at signing) in one letter
    assert send_digest(people.head_a.pk, TODAY) == 4
    digest = smtp.inbox.messages[-1]
    assert digest["To"] == "head_a@example.ru" and "сроков — 2, событий — 2" in digest["Subject"]
    assert send_digest(people.head_a.pk, TODAY) == 0


def test_every_reminder_is_also_an_in_portal_notification(people, client):
    make(people, due_in=1)
    send_reminders(TODAY)
    client.force_login(people.head_a)
    home = client.get(reverse("home")).text
    unread = Notification.objects.filter(user=people.head_a, read_at__isnull=True).count()
    assert unread >= 2  # "new obligation" at signing and the reminder
    assert f'data-unread="{unread}"' in home
    note = Notification.objects.filter(user=people.head_a).first()
    assert client.get(reverse("notification", args=[note.pk])).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_command_dry_run_json_with_a_date(people):
    make(people, due_in=10)
    out = StringIO()
    call_command("send_reminders", "--date", days(3).isoformat(), "--dry-run", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert sorted(r["recipient"] for r in rows) == ["head_a@example.ru", "head_b@example.ru"]
    assert {r["kind"] for r in rows} == {"before_7"}
    assert {r["due_date"] for r in rows} == {days(10).isoformat()}
    assert all(r["target"].startswith("meetings.obligation:") and "obligation" not in r for r in rows)
    assert not Reminder.objects.deadlines().exists()


def test_command_rejects_a_bad_date(people):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ожидается дата"):
        call_command("send_reminders", "--date", "15.03.2026")


def test_personal_calendar_feed(people, client):
    make(people, due_in=5)
    client.force_login(people.head_a)
    client.post(reverse("profile"), {"action": "calendar"})
    people.head_a.refresh_from_db()
    token = people.head_a.calendar_token
    client.logout()
    feed = client.get(reverse("calendar", args=[token]))
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and f"DTSTART;VALUE=DATE:{days(5):%Y%m%d}" in body
    assert body.count("BEGIN:VEVENT") == 1  # only own municipality's deadline
    assert client.get(reverse("calendar", args=["x" * 40])).status_code == 404


def test_late_reminders_come_as_one_digest_a_day(people, smtp, django_capture_on_commit_callbacks):
    """Overdue reminders and escalations never come as one e-mail per obligation, and at most one such digest a
    day: what turns late after it waits for the day's digest run."""
    from notifications.tasks import send_digests_task

    def to_head_a():
        return [
            " ".join(str(m["Subject"]).split()) for m in smtp.inbox.messages if m["To"] == "head_a@example.ru"
        ]

    make(people, due_in=-1)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(TODAY)
    assert to_head_a() == [f"Сводка напоминаний на {TODAY:%d.%m.%Y}: сроков — 1"]
    committee_meeting(people, decision("1", "Сдать отчёт о ГИА.", f"до {written(-2)}", "руководители ОМСУ"))
    with django_capture_on_commit_callbacks(execute=True):
        assert [p.recipient.username for p in send_reminders(TODAY)] == ["head_a", "head_b"]
    assert len(to_head_a()) == 1  # nothing more today
    with django_capture_on_commit_callbacks(execute=True):
        send_digests_task()  # the beat's daily digest run
    assert len(to_head_a()) == 2 and not Reminder.objects.deadlines().filter(status="pending").exists()

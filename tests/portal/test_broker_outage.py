"""Redis (the broker) down: pages still work, the saved rows wait, the periodic requeue catches up.

The outage is simulated at the one place the portal talks to the broker (publishing a task); stopping the
machine's Redis itself belongs to `make faults`.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from meetings.models import Document
from notifications.models import Reminder
from notifications.reminders import requeue_stale, send_reminders
from tests.meetings.factories import committee_meeting, decision, written


@pytest.fixture
def broker_down(monkeypatch):
    from celery.app.task import Task

    def refuse(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)
    return monkeypatch


def test_reminders_wait_for_the_broker_and_are_caught_up(
    people, smtp, broker_down, django_capture_on_commit_callbacks
):
    committee_meeting(people, decision("1", "Представить анализ.", f"до {written(0)}", "руководители ОМСУ"))
    Reminder.objects.events().delete()  # the e-mails of the new obligation: this test is about the reminders
    with django_capture_on_commit_callbacks(execute=True):
        created = send_reminders(timezone.localdate())  # no exception reaches the caller
    assert len(created) == 2 and smtp.inbox.messages == []
    assert set(Reminder.objects.deadlines().values_list("status", flat=True)) == {"pending"}
    broker_down.undo()
    assert requeue_stale(timezone.now() + timedelta(minutes=10)) == 2
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["head_a@example.ru", "head_b@example.ru"]
    assert requeue_stale(timezone.now() + timedelta(minutes=10)) == 0  # nothing left, nothing twice


def test_pdf_request_page_works_and_the_document_is_rendered_later(people, client, broker_down,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    meeting = committee_meeting(people, decision("1", "Представить анализ.", f"до {written(5)}", "ЛОИРО"))
    client.force_login(people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    assert response.status_code == 302
    document = Document.objects.get()
    assert client.get(document.get_absolute_url()).status_code == 200  # the status page, "в очереди"
    assert client.get(reverse("meetings:obligation_list")).status_code == 200
    broker_down.undo()
    requeue_stale(timezone.now() + timedelta(minutes=10))
    document.refresh_from_db()
    assert document.status == "ready"

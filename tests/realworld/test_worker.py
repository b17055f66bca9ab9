"""A real Celery worker on the machine's Redis and PostgreSQL, sending to a real SMTP server on localhost.

The worker is killed with SIGKILL in the middle of a batch and started again: every reminder still
arrives exactly once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from meetings.models import Obligation
from notifications.models import Reminder
from notifications.reminders import send_reminders
from portal.celery import app
from tests.meetings.factories import committee_meeting, decision, written
from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the worker shares the PostgreSQL test database"
    ),
    pytest.mark.django_db(transaction=True),
]


def start_worker(smtp_port: int) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_RESTORE_INTERVAL": "1",
        "REMINDER_RETRY_SECONDS": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING", "--concurrency", "2",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def people_committed():
    from municipalities.models import User
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():
        build_personas()
    return load_personas()


@pytest.fixture
def real_queue(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


def test_a_killed_worker_loses_and_duplicates_nothing(people_committed, real_queue):
    people = people_committed
    for n in range(50):
        committee_meeting(
            people, decision("1", f"Поручение № {n + 1}.", f"до {written(0)}", "руководители ОМСУ")
        )
    assert Obligation.objects.count() == 100
    forget_event_mails()
    with SMTPServer(delay=0.15) as smtp:
        worker = start_worker(smtp.port)
        try:
            created = send_reminders(written_today())
            assert len(created) == 100
            assert wait_until(lambda: len(smtp.inbox.messages) >= 25, 60), "the worker did not start sending"
            # Kill while both senders are mid-transaction. (SMTP itself cannot tell a sender that died between
            # its final dot and the server's "250"; the portal keeps that window to one UPDATE — see README.)
            assert wait_until(lambda: smtp.inbox.in_transaction == 2, 10)
            kill(worker)
            in_flight = 100 - len(smtp.inbox.messages)
            assert in_flight > 0
            worker = start_worker(smtp.port)
            assert wait_until(lambda: len(set(smtp.inbox.message_ids())) >= 100, 90)
            time.sleep(2)  # anything duplicated would arrive now
        finally:
            kill(worker)
        ids = smtp.inbox.message_ids()
    assert len(ids) == 100, f"{len(ids) - len(set(ids))} duplicated"
    assert len(set(ids)) == 100
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_mail_server_down_then_up_is_retried_by_the_worker(people_committed, real_queue):
    people = people_committed
    committee_meeting(people, decision("1", "Проверка повторной отправки.", f"до {written(1)}", "ЛОИРО"))
    forget_event_mails()
    smtp = SMTPServer()
    worker = start_worker(smtp.port)  # nothing listens on that port yet
    try:
        send_reminders(written_today())
        assert wait_until(lambda: Reminder.objects.filter(attempts__gte=1).exists(), 30)
        assert Reminder.objects.get().status == "sending"
        with smtp:
            assert wait_until(lambda: len(smtp.inbox.messages) == 1, 30)
            assert wait_until(lambda: Reminder.objects.get().status == "sent", 10)
    finally:
        kill(worker)


def forget_event_mails() -> None:
    """These tests count the deadline reminders: the e-mails telling of the new obligations (queued when the
    protocols were signed) are taken off the queue and the table."""
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    Reminder.objects.events().delete()


def written_today():
    from django.utils import timezone

    return timezone.localdate()


def test_the_worker_renders_a_protocol_pdf(people_committed, real_queue):
    from meetings import services
    from meetings.models import Document

    people = people_committed
    meeting = committee_meeting(people, decision("1", "Провести анализ ВПР.", f"до {written(5)}", "ЛОИРО"))
    worker = start_worker(0)
    try:
        document = services.document_request(meeting=meeting, kind="protocol", actor=people.committee)
        assert wait_until(lambda: Document.objects.get(pk=document.pk).status == "ready", 60)
    finally:
        kill(worker)
    document.refresh_from_db()
    assert document.file.read(5) == b"%PDF-"

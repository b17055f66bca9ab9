"""Faults with real components, each reported as lost / duplicated / half-imported (all must be 0).

Run by `make faults` against a private Redis (REDIS_URL points at it) and the PostgreSQL test database;
the PostgreSQL restart uses a private cluster.
"""

import csv
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from bench.faults.conftest import REDIS_PORT, redis_start, redis_stop
from meetings.models import Obligation
from notifications.models import Reminder
from notifications.reminders import requeue_stale, send_reminders
from portal.celery import app
from tests.meetings.factories import committee_meeting, decision, written
from tests.realworld.test_worker import forget_event_mails, kill, start_worker, wait_until, written_today
from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="faults run on PostgreSQL"),
    pytest.mark.skipif(f":{REDIS_PORT}/" not in (settings.REDIS_URL or ""), reason="needs the private Redis"),
    pytest.mark.django_db(transaction=True),
]


def report(fault: str, **counts: int) -> None:
    figures = ", ".join(f"{name.replace('_', '-')} = {value}" for name, value in counts.items())
    print(f"\nFAULT | {fault} | {figures}")


@pytest.fixture
def committed_people():
    from municipalities.models import User
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():
        build_personas()
    return load_personas()


@pytest.fixture
def real_queue(settings, private_redis):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    return private_redis


def _obligations(people, count: int) -> None:
    for n in range(count // 2):
        committee_meeting(
            people, decision("1", f"Поручение № {n + 1}.", f"до {written(0)}", "руководители ОМСУ")
        )
    assert Obligation.objects.count() == count
    forget_event_mails()


def _outcome(smtp, expected: int) -> dict:
    ids = smtp.inbox.message_ids()
    return {"sent": expected, "lost": expected - len(set(ids)), "duplicated": len(ids) - len(set(ids))}


def test_worker_killed_mid_batch(committed_people, real_queue):
    _obligations(committed_people, 100)
    with SMTPServer(delay=0.1) as smtp:
        worker = start_worker(smtp.port)
        try:
            send_reminders(written_today())
            assert wait_until(lambda: len(smtp.inbox.messages) >= 25, 60)
            kill(worker)
            worker = start_worker(smtp.port)
            wait_until(lambda: len(set(smtp.inbox.message_ids())) >= 100, 90)
            time.sleep(2)
        finally:
            kill(worker)
        outcome = _outcome(smtp, 100)
    report("kill -9 of the Celery worker mid-batch (100 reminders)", **outcome)
    assert outcome["lost"] == 0 and outcome["duplicated"] == 0


def test_redis_stopped_and_restarted(committed_people, real_queue):
    _obligations(committed_people, 40)
    with SMTPServer() as smtp:
        redis_stop(real_queue["server"])  # the broker is down when the daily scan runs
        send_reminders(written_today())  # rows are recorded; publishing fails quietly
        waiting = Reminder.objects.count()
        real_queue["server"] = redis_start()
        worker = start_worker(smtp.port)
        try:
            requeue_stale(now=timezone.now() + timedelta(minutes=10))  # the beat's pass, minutes later
            wait_until(lambda: len(set(smtp.inbox.message_ids())) >= waiting, 60)
            time.sleep(2)
        finally:
            kill(worker)
        outcome = _outcome(smtp, waiting)
    report(f"Redis stopped during the scan, restarted ({waiting} reminders)", **outcome)
    assert waiting == 40 and outcome["lost"] == 0 and outcome["duplicated"] == 0


def test_smtp_server_stopped(committed_people, real_queue):
    _obligations(committed_people, 20)
    smtp = SMTPServer()
    worker = start_worker(smtp.port)  # nothing listens on the mail port yet
    try:
        send_reminders(written_today())
        wait_until(lambda: Reminder.objects.filter(attempts__gte=1).count() >= 20, 60)
        with smtp:
            wait_until(lambda: len(set(smtp.inbox.message_ids())) >= 20, 90)
            time.sleep(2)
            outcome = _outcome(smtp, 20)
    finally:
        kill(worker)
    report("SMTP server down, then up (20 reminders)", **outcome)
    assert outcome["lost"] == 0 and outcome["duplicated"] == 0


ROWS = 200_000


def _manage(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "PORTAL_DEMO": "1"}
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603


def _results(url: str) -> int:
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assessments_result")
        return cursor.fetchone()[0]


def test_postgresql_restarted_during_an_import(private_postgres, tmp_path):
    url = private_postgres["url"]
    assert _manage(url, "migrate", "--noinput").returncode == 0
    assert _manage(url, "seed_demo", "--without-results").returncode == 0
    assert _manage(url, "shell", "-c", "from assessments.demo import _subjects; _subjects()").returncode == 0
    path = tmp_path / "ege.csv"
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT s.code, m.code FROM municipalities_school s JOIN municipalities_municipality m "
                       "ON m.id = s.municipality_id")  # fmt: skip
        schools = cursor.fetchall()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Код МСУ", "Код ОО", "Класс", "Код участника", "Первичный балл", "Балл"])
        for n in range(ROWS):
            school, municipality = schools[n % len(schools)]
            writer.writerow([municipality, school, "11", f"F{n:07d}", 20 + n % 30, 24 + n % 76])
    command = ("import_results", str(path), "--kind", "EGE", "--year", "2026", "--subject", "Русский язык")
    restarted, finished = threading.Event(), threading.Event()

    def restart_when_writing() -> None:
        while not finished.is_set():
            with psycopg2.connect(url) as db, db.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'COPY%' "
                               "OR query ILIKE 'INSERT INTO \"assessments_result\"%'")  # fmt: skip
                writing = cursor.fetchone()[0]
            if writing:
                private_postgres["control"]("restart")
                restarted.set()
                return
            time.sleep(0.05)

    watcher = threading.Thread(target=restart_when_writing)
    watcher.start()
    first = _manage(url, *command)
    finished.set()
    watcher.join()
    after_restart = _results(url)
    retry = _manage(url, *command)
    complete = _results(url)
    half = int(after_restart not in (0, ROWS))
    report(f"PostgreSQL restarted during a {ROWS:,}-row import".replace(",", " "),
           restarted=int(restarted.is_set()), failed_first_run=int(first.returncode != 0), half_imported=half,
           rows_after_retry=complete)  # fmt: skip
    assert restarted.is_set() and half == 0 and complete == ROWS, first.stderr[-1000:] + retry.stderr[-1000:]

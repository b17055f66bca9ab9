"""`make load`: 50 concurrent users (``LOAD_USERS=200``: 200) against gunicorn and PostgreSQL on loopback.

Prints p50/p95 and errors per page class, and the sign-in storm on its own line.

Bounded: the data (demo region, 1 000 000 ЕГЭ results through the real importer, 10 000 obligations) is
built once in its own database (``LOAD_DATABASE_URL``, default ``portal_load`` on the local server) and
reused; the browsing run lasts ``LOAD_SECONDS`` (60 s). The server runs with production settings except
TLS: on loopback there is no HTTPS, so secure cookies and the HTTPS redirect are switched off.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_load")
PORT = int(os.environ.get("LOAD_PORT", "8765"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
RESULT_ROWS = int(os.environ.get("LOAD_RESULT_ROWS", "1000000"))
OBLIGATIONS = 10_000

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only-secret-key-not-for-production-0123456789"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DEBUG": "0",
    "PORTAL_DEMO": "1",  # the demo people sign in with the password «demo»
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True)  # noqa: S603


def ensure_database() -> None:
    import psycopg2

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                             dbname="postgres")  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed() -> None:
    """Demo region, then 1 000 000 results through the importer and 10 000 obligations, once."""
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("seed_demo", "--if-empty")
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from assessments.models import Result
    from meetings.models import Obligation

    if Result.objects.count() < RESULT_ROWS:
        _import_results()
    if Obligation.objects.count() < OBLIGATIONS:
        _obligations()


def _import_results() -> None:
    from municipalities.models import School

    schools = list(School.objects.values_list("code", "municipality__code"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ege-russian.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["Код МСУ", "Код ОО", "Класс", "Код участника", "Задания с кратким ответом",
                             "Первичный балл", "Балл"])  # fmt: skip
            for n in range(RESULT_ROWS):
                school, municipality = schools[n % len(schools)]
                writer.writerow(
                    [municipality, school, "11", f"L{n:07d}", "++-+1+0+-+", 20 + n % 30, 24 + n % 76]
                )
        started = time.perf_counter()
        manage("import_results", str(path), "--kind", "EGE", "--year", "2026", "--subject", "Русский язык")
        print(
            f"LOAD | seeded {RESULT_ROWS:,} results in {time.perf_counter() - started:.0f} s".replace(
                ",", " "
            )
        )


def _obligations() -> None:
    from django.utils import timezone

    from meetings.models import AgendaItem, Decision, Meeting, Obligation
    from municipalities.models import Organization, School, User

    committee = User.objects.get(username="committee")
    today = timezone.localdate()
    school_ids = list(School.objects.values_list("pk", flat=True))
    per_meeting = len(school_ids)
    meetings = Meeting.objects.bulk_create([
        Meeting(kind="meeting", date=today - timedelta(days=30 + n), title=f"Нагрузочное совещание {n}", status="signed",
                organizer_organization=Organization.objects.get(code="koipo"), created_by=committee)
        for n in range(OBLIGATIONS // per_meeting + 1)
    ])  # fmt: skip
    items = AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=m, number=1, title="Вопрос") for m in meetings]
    )
    decisions = Decision.objects.bulk_create([
        Decision(item=i, number="1", text="Провести анализ результатов пробного ЕГЭ", tracked=True,
                 controller=committee) for i in items
    ])  # fmt: skip
    rows = [
        Obligation(decision=d, school_id=s, due_date=today + timedelta(days=(n % 40) - 10), status="assigned")
        for n, (d, s) in enumerate((d, s) for d in decisions for s in school_ids)
    ][:OBLIGATIONS]
    Obligation.objects.bulk_create(rows, batch_size=2000)


def serve() -> subprocess.Popen:
    command = [str(Path(PY).parent / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "5",
               "--threads", "2", "--keep-alive", "30", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=ENV, start_new_session=True)  # noqa: S603
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def browse() -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "load.json"
        command = [str(Path(PY).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                   "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS + 900}s", "--host", f"http://127.0.0.1:{PORT}",
                   "--only-summary", "--loglevel", "WARNING"]  # fmt: skip
        # the run stops LOAD_SECONDS after the last sign-in (-t only bounds a storm that never ends)
        env = {**ENV, "LOAD_RESULT": str(result), "LOAD_USERS": str(USERS), "LOAD_SECONDS": str(SECONDS)}
        subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
        figures = json.loads(result.read_text(encoding="utf-8"))
    print(f"LOAD | {USERS} users, {SECONDS} s, gunicorn 5×2 + PostgreSQL on loopback, after sign-in")
    print("LOAD | page | requests | errors | p50 ms | p95 ms")
    for name, row in sorted(figures["pages"].items()):
        print(f"LOAD | {name} | {row['requests']} | {row['errors']} | {row['p50']:.0f} | {row['p95']:.0f}")
    total = figures["all"]
    print(
        f"LOAD | all pages | {total['requests']} | {total['errors']} | {total['p50']:.0f} | {total['p95']:.0f}"
    )
    storm = figures["sign_in"]
    print(f"LOAD | sign-in storm ({USERS} users at once, password hash included) | {storm['requests']} | – | "
          f"{storm['p50']:.0f} | {storm['p95']:.0f}")  # fmt: skip


def main() -> None:
    ensure_database()
    seed()
    server = serve()
    try:
        browse()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

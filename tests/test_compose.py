"""docker-compose.yml describes a production that can start: no engine here, so check its structure."""

import importlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command_of(service: str) -> str:
    command = SERVICES[service]["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_it_has_the_five_services():
    assert set(SERVICES) == {"postgres", "redis", "web", "worker", "beat"}


def test_app_services_are_wired_to_the_database_and_redis():
    for name in ("web", "worker", "beat"):
        env = SERVICES[name]["environment"]
        assert re.match(r"postgres://portal:.+@postgres:5432/portal$", env["DATABASE_URL"])
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert SERVICES[name]["env_file"] == ".env"
        assert SERVICES[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert SERVICES["postgres"]["environment"]["POSTGRES_DB"] == "portal"


def test_web_runs_gunicorn_on_the_real_wsgi_module():
    command = command_of("web")
    assert "migrate --noinput" in command
    target = re.search(r"gunicorn (\S+):(\S+)", command)
    module = importlib.import_module(target.group(1))
    assert callable(getattr(module, target.group(2)))


def test_worker_and_beat_run_the_real_celery_app():
    import celery

    for name, verb in (("worker", "worker"), ("beat", "beat")):
        command = command_of(name)
        app_module = re.search(r"celery -A (\S+) (\S+)", command)
        assert app_module.group(2) == verb
        app = importlib.import_module(app_module.group(1)).celery_app
        assert isinstance(app, celery.Celery)


def test_env_example_covers_what_production_reads():
    example = (ROOT / ".env.example").read_text()
    for name in (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_HOST",
        "DEBUG",
        "RESULTS_PSEUDONYM_KEY",
    ):
        assert re.search(rf"^{name}=", example, re.MULTILINE), name
    assert "PORTAL_DEMO=0" in example


def test_dockerfile_builds_the_project_and_serves_the_wsgi_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11" in dockerfile
    assert "pip install --require-hashes --no-deps -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert '"portal.wsgi:application"' in dockerfile
    assert "USER portal" in dockerfile

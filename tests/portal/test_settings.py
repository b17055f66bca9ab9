"""Configuration from the environment: loud on bad values, safe in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-with-entropy-" + "Q7w" * 10,
    "ALLOWED_HOSTS": "portal.example.ru",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PORTAL_DEMO": "0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    unset = {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_bool_accepts_the_usual_spellings(monkeypatch):
    for value, expected in [
        ("1", True),
        ("yes", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("", False),
    ]:
        monkeypatch.setenv("PORTAL_X", value)
        assert env_bool("PORTAL_X", not expected) is expected


def test_bad_values_fail_loudly_and_name_the_variable(monkeypatch):
    monkeypatch.setenv("PORTAL_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_X='maybe'"):
        env_bool("PORTAL_X", False)
    monkeypatch.setenv("PORTAL_N", "five")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_N='five': expected an integer"):
        env_int("PORTAL_N", 1)


def test_secrets_may_come_from_files(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("PORTAL_SECRET", raising=False)
    monkeypatch.setenv("PORTAL_SECRET_FILE", str(secret))
    assert env_str("PORTAL_SECRET") == "from-a-file"
    monkeypatch.setenv("PORTAL_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read the file"):
        env_str("PORTAL_SECRET")


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("PORTAL_HOSTS", "a.ru, b.ru,,")
    assert env_list("PORTAL_HOSTS", []) == ["a.ru", "b.ru"]


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION}
    env.pop("SECRET_KEY")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr


def test_bad_boolean_in_environment_stops_the_portal():
    result = run_manage("check", env={**PRODUCTION, "DEBUG": "sometimes"})
    assert result.returncode != 0
    assert "DEBUG='sometimes'" in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_files_collect_with_hashed_names(tmp_path):
    result = run_manage("collectstatic", "--noinput", env={**PRODUCTION, "PORTAL_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert "vendor/htmx/htmx.min.js" in manifest
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in manifest


def _pseudonym_key(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "from django.conf import settings; print(repr(settings.RESULTS_PSEUDONYM_KEY))"
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "RESULTS_PSEUDONYM_KEY", "RESULTS_PSEUDONYM_KEY_FILE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env}, timeout=120, check=False,
    )  # fmt: skip


def test_the_pseudonym_key_comes_from_the_environment_or_one_file_per_embedded_installation(tmp_path):
    embedded = {"PORTAL_VAR_DIR": str(tmp_path)}
    first, second = _pseudonym_key(embedded), _pseudonym_key(embedded)
    key_file = tmp_path / "results_pseudonym_key"
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 40
    assert key_file.stat().st_mode & 0o777 == 0o600
    production = {**PRODUCTION, "PORTAL_VAR_DIR": str(tmp_path / "prod")}
    assert _pseudonym_key(production).stdout.strip() == "''"  # no key: such files are refused, none is made
    assert not (tmp_path / "prod" / "results_pseudonym_key").exists()
    secret = tmp_path / "secret"
    secret.write_text("k" * 40 + "\n")
    assert _pseudonym_key({**production, "RESULTS_PSEUDONYM_KEY_FILE": str(secret)}).stdout.strip() == repr(
        "k" * 40
    )
    short = _pseudonym_key({**production, "RESULTS_PSEUDONYM_KEY": "short"})
    assert short.returncode != 0 and "RESULTS_PSEUDONYM_KEY must be at least 32 characters" in short.stderr

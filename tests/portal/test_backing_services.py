"""The real PostgreSQL and Redis of the machine, when configured; in CI they must be there."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

IN_CI = os.environ.get("CI") == "true"


def test_ci_runs_on_postgresql_and_redis():
    if not IN_CI:
        pytest.skip("outside CI the suite may run on SQLite without Redis")
    assert connection.vendor == "postgresql"
    assert settings.REDIS_URL


@pytest.mark.django_db
def test_database_is_the_configured_one():
    expected = "postgresql" if settings.DATABASE_URL else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_cache_round_trips_through_redis_when_configured():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL not set")
    key = f"test-{uuid.uuid4()}"
    cache.set(key, "значение", 30)
    import redis

    raw = redis.Redis.from_url(settings.REDIS_URL)
    assert any(key in k.decode() for k in raw.keys(f"*{key}*"))
    assert cache.get(key) == "значение"
    cache.delete(key)


def test_celery_reaches_its_broker_or_runs_in_process():
    import portal.settings as configured  # the values from the environment, before test fixtures switch them
    from portal.celery import app

    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
        assert configured.CELERY_TASK_ALWAYS_EAGER is False
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
    else:
        assert configured.CELERY_TASK_ALWAYS_EAGER is True

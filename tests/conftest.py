import pytest

from tests.personas import build_personas, load_personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The personas are created once; each test runs in a transaction that rolls back."""
    with django_db_blocker.unblock():
        build_personas()


@pytest.fixture
def people(db):
    return load_personas()


@pytest.fixture
def client_for(client):
    """A test client signed in as the given persona."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collected manifest; test_settings checks collectstatic itself."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Unit tests run Celery tasks in-process; tests/realworld starts a real worker when it needs one.
    (Celery reads CELERY_* from Django settings on every access, so the settings fixture is the switch.)"""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def smtp(settings):
    """A real SMTP server on localhost; the portal's mail goes there."""
    from tests.smtp import SMTPServer

    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5
        yield server

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

"""Real headless Chromium (Debian's package) driven by Playwright, against the live test server.

In CI a missing browser is a failure; elsewhere these tests are skipped without it.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def chromium():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def people_live(transactional_db):
    from municipalities.models import User
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():
        build_personas()
    return load_personas()


@pytest.fixture
def page_as(chromium, live_server, settings):
    """A new browser page signed in as a persona, through the real login form."""
    settings.ALLOWED_HOSTS = ["*"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    contexts = []

    def open_as(username: str, password: str):
        context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

"""Every URL of the portal, taken from the URL conf (a new page cannot escape this), against every role.

- Anonymous visitors reach only the public pages; everything else sends them to the login page (HTML) or
  answers 401/403 (API).
- The read-only observer cannot change anything through any POST, PUT, PATCH or DELETE.
- An unknown object id answers 404, never 500.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
    "healthz", "calendar", "api:token",
}  # fmt: skip
# Writes an observer may make: to own account and own notifications, nothing of the portal's data.
OBSERVER_MAY_POST = {"logout", "password_change", "password_reset", "password_reset_confirm", "profile", "notifications",
                     "login", "api:token"}  # fmt: skip
ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SAMPLE = {"int": "999999", "str": "x" * 40, "slug": "start", "path": "x"}


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern)


REGEX_ARG = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def concrete(route: str) -> str | None:
    if "(?P<format>" in route or ":format>" in route:
        return None  # DRF's ".json" twins of the same views
    route = REGEX_ARG.sub("999999", route.replace("^", "").replace("$", ""))
    return "/" + ARG.sub(lambda m: SAMPLE.get(m["converter"] or "str", "x"), route)


ROUTES = sorted({(name, url) for name, route in walk(get_resolver().url_patterns)
                 if not name.startswith("admin:") and (url := concrete(route))})  # fmt: skip


def test_the_matrix_covers_the_portal():
    names = {name for name, _ in ROUTES}
    for expected in (
        "home",
        "meetings:obligation",
        "assessments:campaign",
        "api:obligation-accept",
        "notifications",
    ):
        assert expected in names
    assert len(ROUTES) > 60


@pytest.mark.parametrize(("name", "url"), ROUTES)
def test_anonymous_reaches_only_public_pages(client, db, name, url):
    response = client.get(url)
    if name in PUBLIC:
        assert response.status_code in (200, 302, 404, 405), (name, response.status_code)
        return
    if url.startswith("/api/"):
        assert response.status_code in (401, 403), (name, response.status_code)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            name,
            response.status_code,
        )


@pytest.mark.parametrize(("name", "url"), ROUTES)
def test_observer_cannot_write_anywhere(client, people, name, url):
    if name in OBSERVER_MAY_POST or name in PUBLIC:
        return
    client.force_login(people.observer)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, data={}, content_type="application/json")
        assert response.status_code in (403, 404, 405), (name, method, response.status_code)


@pytest.mark.parametrize("persona", ["committee", "head_a", "director_a", "loiro_staff"])
def test_unknown_ids_are_404_not_500(client, people, persona):
    client.force_login(getattr(people, persona))
    for name, url in ROUTES:
        if "999999" not in url:
            continue
        response = client.get(url)
        assert response.status_code in (404, 405, 403), (persona, name, response.status_code)


@pytest.mark.parametrize(("name", "url"), ROUTES)
def test_every_form_and_session_write_needs_the_csrf_token(people, name, url):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.committee)
    response = browser.post(url, {"x": "1"})
    assert response.status_code == 403, (name, response.status_code)
    if not url.startswith("/api/"):
        assert "Форма устарела" in response.content.decode(), name

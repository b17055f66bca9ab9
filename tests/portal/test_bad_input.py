"""Hostile values in every field people or programs can fill: never a server error, nothing changed by a refusal.

The fields are discovered, not listed: every HTML form on the portal's pages (the URL conf's pages, opened
with real ids as a committee member, a municipal head and a director) and every body field and query
parameter of the OpenAPI schema. Each field gets the table ``HOSTILE`` (empty, huge, wrong type, NaN and
infinity, absurd dates, control and right-to-left characters, HTML, SQL) while the rest of the form keeps the
values the page rendered. A refusal (4xx, or a form shown again) must leave every table exactly as it was
(row count and checksum of each table); each request runs in a savepoint rolled back afterwards, so an
accepted value does not change what the next one meets.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.urls import get_resolver, resolve

from meetings.models import Decision, Meeting
from surveys.models import Questionnaire, Survey
from tests.meetings.factories import committee_meeting, days, decision
from tests.portal.test_api_contract import _deref, _generated_schema, contract_data  # noqa: F401 (a fixture)
from tests.portal.test_url_matrix import walk

HOSTILE = [
    "",  # empty
    "x" * 60_000,  # huge: over every text limit
    "²", "1.5", "9" * 40,  # wrong type: not a number (though str.isdigit() says it is), a fraction, beyond bigint
    "nan", "-inf",  # not finite
    "0001-01-01", "31.12.9999",  # absurd dates, both spellings
    "a\x00b",  # NUL, which PostgreSQL cannot store
    "\x1b[2J\x07\u202eтекст\u200f",  # control and right-to-left characters
    "<script>alert(1)</script>' OR 1=1 --",  # HTML and SQL
]  # fmt: skip
JSON_ONLY = [None, 2**63, {"a": 1}, [[1]]]  # what a JSON body can carry and a form cannot
# Tables a refused request may touch without changing anything of the portal's: the session of the client
# that is signed in, and the login throttle.
VOLATILE = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
# Pages opened to find forms: whatever would start work rather than show a page stays out.
SKIP_PAGES = {"logout", "healthz", "calendar", "password_reset_confirm", "municipalities:school_export"}
PERSONAS = ("committee", "head_a", "director_a")


class _Forms(HTMLParser):
    """Every form of a page: method, action, and each field with the value a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action"),
                "fields": {},
            }
            self.forms.append(self._form)
            return
        name = a.get("name")
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind == "file":
                fields.setdefault(name, None)  # files are the upload attack suite's (test_upload_attacks)
            elif kind in {"checkbox", "radio"}:
                fields.setdefault(name, [])
                if "checked" in a:
                    fields[name].append(a.get("value", "on"))
            elif kind not in {"submit", "button", "image", "reset"}:
                fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._select[2] = value if self._select[2] is None else self._select[2]
            self._select[1] = value if "selected" in a else self._select[1]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select and self._form is not None:
            name, chosen, first = self._select
            self._form["fields"].setdefault(name, []).append(chosen if chosen is not None else first or "")
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea][-1] += data.removeprefix("\n")


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table (except the session and the login throttle)."""
    tables = [t for t in connection.introspection.table_names() if t not in VOLATILE]
    query = " UNION ALL ".join(  # table names from the catalogue, not from input
        f"SELECT %s, count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM {connection.ops.quote_name(t)} r"  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def writes() -> int:
    """Rows written so far in this transaction (rolled-back savepoints included): if a request leaves this
    number as it was, it wrote nothing, and the checksums need not be taken."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables "
            "WHERE relname <> ALL(%s)",
            [sorted(VOLATILE)],
        )
        return cursor.fetchone()[0]


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before if before[t] != after.get(t))


@pytest.fixture
def world(people, contract_data):  # noqa: F811 (the imported fixture)
    """The API contract's data (both municipalities, reports, extension requests, surveys, roadmaps, results)
    and a draft protocol, so that every form of every page has something to show."""
    committee_meeting(people, decision("1", "Подготовить предложения.", "до 01.12.2030", "ЛОИРО"), sign=False,
                      when=days(-2))  # fmt: skip
    return contract_data


def _pages(people, world) -> list[str]:
    """The pages to read forms from: every route of the URL conf without arguments, and the pages of one
    real object of each kind (the ids the routes would take)."""
    urls = []
    for name, route in walk(get_resolver().url_patterns):
        if name.startswith(("admin:", "api:")) or name in SKIP_PAGES or "<" in route or "(?P" in route:
            continue
        urls.append("/" + route.lstrip("^").rstrip("$"))
    obligation = world.obligations["head_a"]
    roadmap = world.roadmaps["head_a"]
    survey = Survey.objects.order_by("pk").first()
    campaign = world.ids["campaigns"][0]
    flag = world.ids["flags"][0]
    urls += [
        "/meetings/new/?blank=1", obligation.get_absolute_url(), world.obligations["director_a"].get_absolute_url(),
        world.extensions["head_a"].obligation.get_absolute_url(), obligation.decision.get_absolute_url(),
        f"/decisions/{obligation.decision.pk}/edit/", Meeting.objects.filter(status="draft").get().get_absolute_url(),
        obligation.decision.item.meeting.get_absolute_url(), Questionnaire.objects.get().get_absolute_url(),
        survey.get_absolute_url(), world.survey_response.get_absolute_url(), roadmap.get_absolute_url(),
        f"/roadmaps/{roadmap.pk}/edit/", f"/roadmaps/{roadmap.pk}/progress/", f"/results/{campaign}/",
        f"/results/flags/{flag}/", f"/results/school/{people.school_a.pk}/",
        f"/decisions/{Decision.objects.filter(item__meeting__status='draft').get().pk}/edit/",
    ]  # fmt: skip
    return urls


def _forms(client, urls, seen: set) -> list[dict]:
    """The forms of these pages not met before (as another role): one set of hostile values per form."""
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = _Forms()
        reader.feed(response.content.decode())
        for form in reader.forms:
            action = form["action"] or url
            if not action.startswith("/") or action.startswith("/admin/"):
                continue
            route = resolve(urlsplit(action).path).route
            # a filter (GET) form is the same code whoever sees which of its fields
            key = (form["method"], route, () if form["method"] == "get" else tuple(sorted(form["fields"])))
            if form["fields"] and key not in seen:
                seen.add(key)
                found.append({**form, "action": action, "page": url})
    return found


def _refused(response, method: str, api: bool) -> bool:
    """A 4xx, or a page that shows its form again instead of redirecting after a successful post."""
    return 400 <= response.status_code < 500 or (not api and method == "post" and response.status_code == 200)


FAILURES: list[str] = []
ROW = re.compile(r"-\d+-")


def _distinct(fields) -> list[str]:
    """Each field once: the same field of the next row of a formset (items-1-title after items-0-title) runs
    the same validation, so only its first row gets the table."""
    seen, chosen = set(), []
    for name in fields:
        if (general := ROW.sub("-N-", name)) not in seen:
            seen.add(general)
            chosen.append(name)
    return chosen


def _try(client, method: str, url: str, before: dict, **kwargs) -> None:
    """One hostile request inside a savepoint: no 5xx; a refusal leaves every table as it was."""
    with transaction.atomic():
        written = writes()
        try:
            response = getattr(client, method)(url, **kwargs)
        except Exception as exc:  # the test client re-raises what the view raised: that is the 500
            response = None
            error = f"{type(exc).__name__}: {str(exc)[:150]}"
        where = f"{method.upper()} {url} {str(kwargs)[:160]}"
        if response is None or response.status_code >= 500:
            FAILURES.append(f"{where}: {error if response is None else response.status_code}")
        elif (
            _refused(response, method, url.startswith("/api/"))
            and writes() != written
            and (diff := changed(before, snapshot()))
        ):
            FAILURES.append(f"{where}: a refusal changed {diff}")
        transaction.set_rollback(True)


def test_every_form_field_and_api_field_survives_hostile_values(people, world, client, settings):
    FAILURES.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the old-password check
    for persona in PERSONAS:  # of the password change form, 150 times, at test speed (rolled back after)
        user = getattr(people, persona)
        user.set_password(people.password)
        user.save(update_fields=["password"])
    tried, seen = 0, set()
    pages = _pages(people, world)
    for persona in PERSONAS:
        client.force_login(getattr(people, persona))
        forms = _forms(client, pages, seen)
        before = snapshot()  # after the pages were read: a setting created on first read is not a change
        for form in forms:
            baseline = {k: v for k, v in form["fields"].items() if v is not None}
            for field in _distinct(baseline):
                for value in HOSTILE:
                    data = {**baseline, field: [value]}
                    if form["method"] == "post":
                        _try(client, "post", form["action"], before, data=data)
                    else:
                        _try(client, "get", urlsplit(form["action"]).path, before, data=data)
                    tried += 1
    tried += _api(people, world, client)
    print(f"BAD-INPUT inputs tried: {tried}")
    unique = sorted({f.split(" {")[0] + " " + f.rsplit(": ", 1)[-1] for f in FAILURES})
    assert not FAILURES, f"{len(FAILURES)} of {tried} hostile inputs failed:\n" + "\n".join(unique[:60])
    assert tried > 3000


# ---------------------------------------------------------------- the API, from its OpenAPI schema


def _example(schema: dict, node) -> object:
    """A plain valid-looking value of a body field, so that only the field under test is hostile."""
    node = _deref(schema, node)
    kind, fmt = node.get("type"), node.get("format")
    if "enum" in node:
        return node["enum"][0]
    if kind == "string":
        return days(30).isoformat() if fmt == "date" else "Текст"
    return {"integer": 1, "number": 1, "boolean": False, "array": [], "object": {}}.get(kind, "Текст")


def _owner_of(path: str, people) -> list:
    """Who to send an operation as: the role entitled to it first, so that the hostile value meets the
    validation and the service rather than a 403."""
    head_first = ("/report/", "/start/", "/extension/", "/content/", "/submit/", "/template/", "/progress/")
    if path.endswith(head_first) or path.endswith("/roadmaps/"):
        return [people.head_a, people.committee]
    if "survey-responses" in path:
        return [people.director_a]
    return [people.committee]


def _concrete(path: str, world) -> str:
    resource = path.removeprefix("/api/v1/").split("/")[0]
    if "{id}" not in path:
        return path
    if resource == "obligations":
        pk = (
            world.obligations["head_a"].pk
            if not path.endswith("/due-date/")
            else world.obligations["head_b"].pk
        )
    elif resource == "extension-requests":
        pk = world.extensions["head_a"].pk
    elif resource == "roadmaps":
        pk = world.roadmaps["head_a"].pk
    elif resource == "survey-responses":
        pk = world.survey_response.pk
    else:
        pk = world.ids[resource][0]
    return path.replace("{id}", str(pk))


def _api(people, world, client) -> int:
    schema = _generated_schema()
    tried = 0
    for path, operations in schema["paths"].items():
        url = _concrete(path, world)
        for method, operation in operations.items():
            if method in {"get", "head"}:
                query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
                client.force_login(people.committee)
                before = snapshot()
                for name in query:
                    for value in HOSTILE:
                        _try(client, "get", url, before, data={name: value})
                        tried += 1
                continue
            body = operation.get("requestBody", {}).get("content", {})
            node = _deref(
                schema, (body.get("application/json") or next(iter(body.values()), {})).get("schema", {})
            )
            properties = node.get("properties", {})
            for user in _owner_of(path, people):
                client.force_login(user)
                before = snapshot()
                baseline = {name: _example(schema, prop) for name, prop in properties.items()}
                for name in properties:
                    for value in [*HOSTILE, *JSON_ONLY]:
                        _try(client, method, url, before, data={**baseline, name: value},
                             content_type="application/json")  # fmt: skip
                        tried += 1
    return tried


def test_the_suite_reaches_the_forms_that_matter(people, world, client):
    """The discovery is not empty by accident: the main forms of each role are found."""
    pages = _pages(people, world)
    client.force_login(people.committee)
    routes = {resolve(urlsplit(f["action"]).path).url_name for f in _forms(client, pages, set())}
    assert {
        "meeting_review",
        "questionnaire",
        "decision_edit",
        "obligation_action",
        "flag_thresholds",
    } <= routes
    client.force_login(people.head_a)
    assert {"edit", "new"} <= {
        resolve(urlsplit(f["action"]).path).url_name for f in _forms(client, pages, set())
    }
    client.force_login(people.director_a)
    assert "survey_response" in {
        resolve(urlsplit(f["action"]).path).url_name for f in _forms(client, pages, set())
    }

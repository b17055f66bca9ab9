"""Every URL of the portal, taken from the URL conf (a new page cannot escape this), against every role.

- Anonymous visitors reach only the public pages; everything else sends them to the login page (HTML) or
  answers 401/403 (API).
- The read-only observer cannot change anything through any POST, PUT, PATCH or DELETE: on every route, and on
  every id route again with the ids of real rows (one of each kind), where the data must stay unchanged.
- An unknown object id answers 404, never 500.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.portal.test_api_contract import contract_data  # noqa: F401  (a fixture: a little of everything)

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
    if url.startswith("/api/") and name != "api:docs":  # Swagger UI is a page: it asks to sign in
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


# ---------------------------------------------------------------- observer writes on real objects

# An id route, by its name (or, for the API, the router's resource), → the model whose real row fills it in.
API_RESOURCES = {
    "campaign": "assessments.Campaign", "decision": "meetings.Decision", "extension-request": "meetings.ExtensionRequest",
    "flag": "assessments.SchoolFlag", "meeting": "meetings.Meeting", "municipality": "municipalities.Municipality",
    "obligation": "meetings.Obligation", "organization": "municipalities.Organization", "report": "meetings.Report",
    "roadmap": "roadmaps.Roadmap", "school": "municipalities.School", "survey": "surveys.Survey",
    "survey-response": "surveys.SurveyResponse", "mechanism": "mechanisms.Direction",
    "mechanism-document": "mechanisms.MechanismDocument", "document": "meetings.Document",
}  # fmt: skip
PAGE_OBJECTS = {
    "assessments:campaign": "assessments.Campaign", "assessments:flag": "assessments.SchoolFlag",
    "assessments:import_job": "assessments.ImportJob", "assessments:import_commit": "assessments.ImportJob",
    "assessments:import_mapping": "assessments.ImportJob", "assessments:import_retry": "assessments.ImportJob", "assessments:school": "municipalities.School",
    "surveys:answer_file": "surveys.SurveyResponse", "meetings:decision": "meetings.Decision",
    "meetings:decision_edit": "meetings.Decision", "meetings:document": "meetings.Document",
    "meetings:document_request": "meetings.Meeting", "meetings:meeting": "meetings.Meeting",
    "meetings:meeting_attendance": "meetings.Meeting", "meetings:meeting_sign": "meetings.Meeting",
    "meetings:meeting_hold": "meetings.Meeting", "meetings:saved_filter_delete": "meetings.SavedFilter",
    "meetings:meeting_edit": "meetings.Meeting",
    "meetings:obligation": "meetings.Obligation", "meetings:obligation_action": "meetings.Obligation",
    "surveys:questionnaire": "surveys.Questionnaire", "surveys:questionnaire_edit": "surveys.Questionnaire",
    "surveys:survey_remind": "surveys.Survey", "meetings:report_file": "meetings.ReportFile",
    "surveys:survey": "surveys.Survey", "surveys:survey_reopen": "surveys.SurveyResponse",
    "surveys:survey_response": "surveys.SurveyResponse", "municipalities:municipality": "municipalities.Municipality",
    "municipalities:organization": "municipalities.Organization", "municipalities:school": "municipalities.School",
    "roadmaps:action": "roadmaps.Roadmap", "roadmaps:detail": "roadmaps.Roadmap", "roadmaps:edit": "roadmaps.Roadmap",
    "roadmaps:file": "roadmaps.RoadmapFile", "roadmaps:file_remove": "roadmaps.RoadmapFile",
    "roadmaps:files": "roadmaps.Roadmap", "roadmaps:progress": "roadmaps.Roadmap", "roadmaps:request": "meetings.Decision",
    "roadmaps:start": "meetings.Obligation", "meetings:obligation_card": "meetings.Obligation",
    "meetings:comment_file": "meetings.ObligationCommentFile", "roadmaps:template": "roadmaps.Roadmap", "roadmaps:upload": "roadmaps.Roadmap", "roadmaps:version": "roadmaps.Roadmap",
    "mechanisms:action": "mechanisms.MechanismDocument", "mechanisms:file": "mechanisms.MechanismDocument",
    "mechanisms:card": "municipalities.Municipality", "mechanisms:submit": "municipalities.Municipality",
    "mechanisms:decision_link": "meetings.Decision",
}  # fmt: skip
# Every value of a slug parameter the view acts on: each is a separate write to refuse.
SLUGS = {
    "meetings:obligation_action": ["start", "report", "accept", "return", "extension", "grant", "decline", "due_date"],
    "roadmaps:action": ["submit", "take", "approve", "return", "revise"],
    "meetings:document_request": ["protocol", "decisions", "status"],
    "mechanisms:action": ["accept", "return"],
}  # fmt: skip
# A write to the observer's own account or notifications, not to the portal's data.
OWN_DATA = {"notification"}
DATA_APPS = {
    "municipalities",
    "meetings",
    "assessments",
    "roadmaps",
    "mechanisms",
    "portal",
    "authtoken",
    "auditlog",
}


def _model_for(name: str) -> str | None:
    if name.startswith("api:"):
        resource = name.removeprefix("api:").rsplit("-", 1)[0]
        return API_RESOURCES.get(resource) or API_RESOURCES.get(resource.rsplit("-", 1)[0])
    return PAGE_OBJECTS.get(name)


def _real_urls(name: str, route: str, ids: dict) -> list[str]:
    """The route with a real row's id in every id parameter (and every action in a slug), or [] if not an id route."""
    model = _model_for(name)
    if model is None:
        return []
    values = {"pk": ids[model], "question_pk": ids["surveys.Question"], "obligation_pk": ids["meetings.Obligation"],
              "number": 1, "required_pk": ids["mechanisms.RequiredDocument"]}  # fmt: skip
    route = REGEX_ARG.sub(lambda m: str(values[m["name"]]), route.replace("^", "").replace("$", ""))
    urls = []
    for slug in SLUGS.get(name, ["x"]):
        urls.append(
            "/"
            + ARG.sub(
                lambda m, slug=slug: slug if m["converter"] == "slug" else str(values[m["name"]]), route
            )
        )
    return urls


def _fingerprint() -> dict[str, int]:
    """A hash of every row of the portal's data, per model."""
    from django.apps import apps

    return {
        model._meta.label: hash(repr(list(model.objects.order_by("pk").values_list())))
        for model in apps.get_models()
        if model._meta.app_label in DATA_APPS and not model._meta.proxy
    }


@pytest.fixture
def one_of_each(people, contract_data):  # noqa: F811
    """Real rows for every id route: the contract's data, plus a submitted roadmap version with a file, a report
    file, a comment with a file, a rendered document, an import job and a notification."""
    from django.apps import apps

    from assessments.models import ImportJob
    from meetings.models import Document, Obligation, Report, ReportFile
    from meetings.models.board import SavedFilter
    from meetings.models.comments import ObligationComment, ObligationCommentFile
    from notifications.models import Notification
    from roadmaps import services as roadmap_services
    from roadmaps.models import RoadmapFile
    from tests.roadmaps.test_api import CONTENT

    roadmap = contract_data.roadmaps["head_a"]
    roadmap_services.roadmap_update(roadmap=roadmap, actor=people.head_a, content=CONTENT)
    roadmap_services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    RoadmapFile.objects.create(roadmap=roadmap, file="roadmaps/plan.pdf", name="plan.pdf", size=10,
                               content_type="application/pdf", sha256="0" * 64, uploaded_by=people.head_a)  # fmt: skip
    report = Report.objects.filter(obligation__status="reported").first()
    ReportFile.objects.create(report=report, file="reports/r.pdf", name="r.pdf", size=10,
                              content_type="application/pdf", sha256="0" * 64)  # fmt: skip
    meeting = report.obligation.decision.item.meeting
    Document.objects.create(
        meeting=meeting, kind="protocol", revision=1, key="rev-1", requested_by=people.committee
    )
    ImportJob.objects.create(region=people.region, kind="EGE", year=2025, file="imports/x.xlsx", filename="x.xlsx", sha256="0" * 64,
                             status="checked", created_by=people.committee)  # fmt: skip
    Notification.objects.create(user=people.observer, text="Проверка", url="/")
    SavedFilter.objects.create(user=people.committee, name="Просрочено", query="state=overdue")
    comment = ObligationComment.objects.create(
        obligation=report.obligation, author=people.head_a, text="Уточнение"
    )
    ObligationCommentFile.objects.create(comment=comment, file="comments/c.pdf", name="c.pdf", size=10,
                                         content_type="application/pdf", sha256="0" * 64)  # fmt: skip
    assert Obligation.objects.filter(status="reported").exists()
    labels = {
        *API_RESOURCES.values(),
        *PAGE_OBJECTS.values(),
        "surveys.Question",
        "mechanisms.RequiredDocument",
    }
    ids = {}
    for label in labels:
        row = apps.get_model(label).objects.order_by("pk").first()
        assert row is not None, f"no {label} to test with"
        ids[label] = row.pk
    ids["meetings.Meeting"] = meeting.pk  # signed, with reports awaiting review
    ids["meetings.Obligation"] = report.obligation_id
    ids["meetings.Roadmap"] = roadmap.pk
    ids["roadmaps.Roadmap"] = roadmap.pk
    ids["meetings.Decision"] = roadmap.obligation.decision_id
    return ids


def test_observer_cannot_write_to_real_objects(client, people, one_of_each):
    """Id routes with the ids of existing rows (a made-up id answers 404 to every role and proves nothing): the
    observer gets 403 or 405 for every write, and the portal's data is unchanged."""
    client.force_login(people.observer)
    before = _fingerprint()
    tried, wrong = 0, []
    for name, route in sorted(walk(get_resolver().url_patterns)):
        if (
            name in OBSERVER_MAY_POST
            or name in PUBLIC
            or name in OWN_DATA
            or "format>" in route
            or name.startswith("admin:")
        ):
            continue
        if ("<" in route or "(?P<" in route) and _model_for(name) is None:
            wrong.append(f"{name}: an id route without a real object in PAGE_OBJECTS / API_RESOURCES")
        for url in _real_urls(name, route, one_of_each):
            for method in ("post", "put", "patch", "delete"):
                response = getattr(client, method)(url, data={}, content_type="application/json")
                tried += 1
                if response.status_code not in (403, 405):
                    wrong.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    print(f"observer writes on real ids: {tried} requests")
    assert tried > 300
    assert not wrong, "\n".join(wrong)
    after = _fingerprint()
    assert {k for k in before if before[k] != after.get(k)} == set()

"""The API contract: a complete OpenAPI schema, and the API keeping to it for every role.

* ``test_schema_*``: every route under ``/api/v1/`` is in the generated schema with each of its methods, and
  every operation documents a 2xx answer with a typed JSON body.
* ``test_api_keeps_its_contract``: Schemathesis generates requests from the schema the app serves and sends
  them to the WSGI application as each role (Token authentication): committee, observer, head_a, director_a,
  loiro_staff. No answer may be a server error, have a status the operation does not document, break the
  documented schema or content type, carry an undocumented field, answer a routed request with an HTML error page, or step outside the role's scope
  (a municipality, school, obligation or roadmap of another unit; a write accepted from an observer).
* ``test_every_operation_succeeds_as_documented``: random data rarely gets a write through, so every
  operation is also called once with valid data by the role entitled to it, and its 2xx answer goes through
  the same checks; each of those writes is first sent as the observer and must be refused (403).

Everything runs inside the test's transaction (pytest-django): nothing the generated calls create leaks into
other tests.
"""

import re
from io import BytesIO
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core import signals
from django.core.files.base import ContentFile
from django.db import close_old_connections
from django.urls import Resolver404, URLPattern, URLResolver, resolve
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from assessments.models import Campaign, SchoolFlag
from mechanisms import services as mechanism_services
from mechanisms.models import Direction, MechanismDocument
from meetings import services as meeting_services
from meetings.models import Decision, Document, ExtensionRequest, Meeting, Obligation, Report
from municipalities.models import Municipality, Organization, School
from roadmaps.models import Roadmap
from roadmaps.services import roadmap_for_obligation
from surveys.models import Survey, SurveyResponse
from surveys.sending import survey_send
from surveys.services import questionnaire_create
from tests.assessments.factories import ege
from tests.mechanisms.factories import pdf, small_monitoring
from tests.meetings.factories import committee_meeting, days, decision, written
from tests.roadmaps.factories import INDICATORS, ITEMS, filled_template, roadmap_meeting, sample_template

API = "/api/v1"
SCHEMA_URL = f"{API}/schema/?format=json"
# Routes of the API that are not part of the contract: the schema, its docs page, the browsable index
# (DRF's DefaultRouter root view sets ``schema = None``) and the JSON 404 of an address naming no operation.
NOT_IN_SCHEMA = {"schema", "docs", "api-root", "not-found"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Logging in is not a write: an observer may exchange a password for a token like anyone else.
NOT_A_WRITE = {f"{API}/auth/token/"}
ROLES = ["committee", "observer", "head_a", "director_a", "loiro_staff"]
# The first path segment after /api/v1/ → the model whose existing ids a generated {id} is mapped onto.
RESOURCES = {
    "municipalities": Municipality,
    "schools": School,
    "organizations": Organization,
    "meetings": Meeting,
    "documents": Document,
    "decisions": Decision,
    "obligations": Obligation,
    "extension-requests": ExtensionRequest,
    "reports": Report,
    "surveys": Survey,
    "survey-responses": SurveyResponse,
    "campaigns": Campaign,
    "flags": SchoolFlag,
    "roadmaps": Roadmap,
    "mechanisms": Direction,
    "mechanism-documents": MechanismDocument,
}
# Fuzzing runs for every role; the coverage phase (boundary and invalid values of every parameter and body
# field, undeclared methods) runs once, as the committee, whose writes reach furthest.
COVERAGE_ROLES = {"committee"}
FUZZ_EXAMPLES = 6


# ---------------------------------------------------------------- the schema itself


def _generated_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _api_routes() -> dict[str, set[str]]:
    """OpenAPI path → HTTP methods, for every route under /api/v1/ in the URLconf."""
    from portal import api

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    routes: dict[str, set[str]] = {}
    for route, pattern in walk(api.urlpatterns, ""):
        if pattern.name in NOT_IN_SCHEMA or "(?P<format>" in route:
            continue
        path = re.sub(r"\(\?P<pk>[^)]*\)", "{id}", route.removeprefix("^").removesuffix("$"))
        view = pattern.callback
        if getattr(view, "actions", None):  # a viewset route: its method → action map
            methods = set(view.actions)
        else:
            methods = {m for m in view.cls.http_method_names if hasattr(view.cls, m)}
        # HEAD and OPTIONS are answered by every view and not documented one by one
        routes.setdefault(f"{API}/{path}", set()).update(m.upper() for m in methods - {"head", "options"})
    return routes


def _deref(schema: dict, node):
    while isinstance(node, dict) and "$ref" in node:
        target = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _is_typed(schema: dict, node) -> bool:
    """A body schema that names its fields (or is a list of such, or a plain value), not a free-form object."""
    node = _deref(schema, node)
    if not isinstance(node, dict) or not node:
        return False
    parts = node.get("allOf") or node.get("oneOf") or node.get("anyOf")
    if parts:
        return all(_is_typed(schema, part) for part in parts)
    if node.get("type") == "array":
        return _is_typed(schema, node.get("items"))
    if node.get("type", "object") == "object":
        return bool(node.get("properties"))
    return True


def test_schema_lists_every_route_and_method():
    schema = _generated_schema()
    routes = _api_routes()
    assert {f"{API}/roadmaps/{{id}}/content/", f"{API}/me/", f"{API}/auth/token/"} <= set(routes)
    missing = sorted(
        f"{method} {path}"
        for path, methods in routes.items()
        for method in methods
        if method.lower() not in schema["paths"].get(path, {})
    )
    assert not missing, f"routes missing from the OpenAPI schema: {missing}"
    extra = sorted(set(schema["paths"]) - set(routes))
    assert not extra, f"schema paths without a route: {extra}"


def test_schema_documents_a_typed_answer_for_every_operation():
    schema = _generated_schema()
    problems = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            success = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
            if not success:
                problems.append(f"{label}: no 2xx response")
            for code, response in success.items():
                if set(response.get("content", {})) == {"application/pdf"}:
                    continue  # a file download: its body is the file
                body = response.get("content", {}).get("application/json", {}).get("schema")
                if body is None:
                    problems.append(f"{label} {code}: no application/json body")
                elif not _is_typed(schema, body):
                    problems.append(
                        f"{label} {code}: the body is a free-form object, its fields are undocumented"
                    )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- data, roles and the app


@pytest.fixture
def contract_data(people):
    """A little of everything, for both municipalities, so that lists are not empty and foreign rows exist."""
    roadmap_decision = roadmap_meeting(people)
    roadmap_obligations, roadmaps = {}, {}
    for head in (people.head_a, people.head_b):
        obligation = Obligation.objects.get(decision=roadmap_decision, municipality=head.municipality)
        roadmaps[head.username] = roadmap_for_obligation(obligation=obligation, actor=head)
        roadmap_obligations[head.username] = obligation
    meeting = committee_meeting(
        people,
        decision("1.2", "Представить информацию о готовности пунктов проведения экзаменов", f"до {written(20)}",
                 "руководители ОМСУ; ЛОИРО; СОШ № 1 Всеволожск; Гимназия Выборга"),
        decision("1.3", "Принять к сведению информацию о ходе подготовки", tracked=False),
        when=days(-5),
    )  # fmt: skip
    info = meeting.items.get().decisions.get(number="1.2")
    obligations = {
        "head_a": info.obligations.get(municipality=people.mun_a),
        "head_b": info.obligations.get(municipality=people.mun_b),
        "director_a": info.obligations.get(school=people.school_a),
        "director_b": info.obligations.get(school=people.school_b),
        "loiro_staff": info.obligations.get(organization=people.loiro),
    }
    extensions = {}
    for name in ("head_a", "head_b"):
        actor = getattr(people, name)
        meeting_services.report_submit(obligation=obligations[name], actor=actor, text="Пункты готовы.")
        extensions[name] = meeting_services.extension_request(
            obligation=roadmap_obligations[name],
            actor=actor,
            proposed_date=days(60),
            reason="Ждём данных от школ.",
        )
    extensions["director_a"] = meeting_services.extension_request(
        obligation=obligations["director_a"], actor=people.director_a, proposed_date=days(40),
        reason="Ремонт аудиторий.",
    )  # fmt: skip
    meeting_services.obligation_start(obligation=obligations["director_b"], actor=people.director_b)
    meeting_services.obligation_start(obligation=obligations["loiro_staff"], actor=people.loiro_staff)

    questionnaire = questionnaire_create(
        actor=people.committee, title="Готовность к ГИА",
        text="1. Утверждён ли план подготовки к ГИА?\n2. Сколько выпускников в группе риска? [число]",
    )  # fmt: skip
    survey = survey_send(actor=people.committee, questionnaire=questionnaire,
                         schools=[people.school_a, people.school_b], due_date=days(14))  # fmt: skip

    ege(2024, {people.school_a: [48, 66], people.school_b: [52]})
    ege(2025, {people.school_a: [50, 70], people.school_a2: [30], people.school_b: [80]})
    for school, municipality in (
        (people.school_a, people.mun_a),
        (people.school_b, people.mun_b),
        (None, people.mun_b),
    ):
        SchoolFlag.objects.create(kind=SchoolFlag.Kind.LOW_RESULTS, school=school, municipality=municipality,
                                  subject="Русский язык", year=2025, reasons=[{"code": "bottom_decile", "text": "Средний балл ниже областного"}],
                                  score=1.5)  # fmt: skip
    pdf_file = Document(meeting=meeting, kind=Document.Kind.DECISIONS, key="rev-1", revision=1,
                        status=Document.Status.READY, requested_by=people.committee)  # fmt: skip
    pdf_file.file.save("protocol.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    required = small_monitoring(people)
    mechanism_documents = {
        head.username: mechanism_services.document_submit(
            actor=head, municipality=head.municipality, required=required[0], year=2026, upload=pdf()
        )
        for head in (people.head_a, people.head_b)
    }
    return SimpleNamespace(
        required=required, mechanism_documents=mechanism_documents,
        ids={segment: list(_region_47(model, people).order_by("pk").values_list("pk", flat=True))
             for segment, model in RESOURCES.items()},
        obligations=obligations, roadmaps=roadmaps, extensions=extensions,
        survey_response=survey.responses.get(school=people.school_a),
        questions=list(questionnaire.questions.order_by("order")),
    )  # fmt: skip


def _region_47(model, people):
    """The committee's rows: the personas' other region (Omsk) is none of its business."""
    if model is ExtensionRequest:
        return model.objects.filter(obligation__in=Obligation.objects.for_user(people.committee))
    return model.objects.for_user(people.committee)


def _own(name: str, people, model) -> set[int] | None:
    """The obligations or roadmaps a role answers for, stated independently of ``for_user``; None: all."""
    if name == "head_a":
        rows = model.objects.filter(municipality=people.mun_a) | model.objects.filter(
            school__municipality=people.mun_a
        )
    elif name == "director_a":
        rows = model.objects.filter(school=people.school_a)
    elif name == "loiro_staff" and model is Obligation:
        rows = model.objects.filter(organization=people.loiro) | model.objects.filter(
            organization__parent=people.loiro
        )
    elif name == "loiro_staff":
        rows = model.objects.none()  # roadmaps are written by municipalities and schools only
    else:
        return None
    return set(rows.values_list("pk", flat=True))


def _contract(name: str, people) -> SimpleNamespace:
    """A role: its token, and what it may see (``scope=None``: region-wide)."""
    user = getattr(people, name)
    token, _ = Token.objects.get_or_create(user=user)
    scope = None
    if name in ("head_a", "director_a", "loiro_staff"):
        schools = {
            "head_a": School.objects.filter(municipality=people.mun_a),
            "director_a": School.objects.filter(pk=people.school_a.pk),
            "loiro_staff": School.objects.none(),
        }[name]
        municipalities = [people.mun_a] if name != "loiro_staff" else []
        scope = SimpleNamespace(
            municipalities={m.pk for m in municipalities},
            municipality_codes={m.code for m in municipalities},
            schools={s.pk for s in schools},
            school_codes={s.code for s in schools},
            foreign_obligations=set(Obligation.objects.values_list("pk", flat=True))
            - _own(name, people, Obligation),
            foreign_roadmaps=set(Roadmap.objects.values_list("pk", flat=True)) - _own(name, people, Roadmap),
        )
        assert scope.foreign_obligations and scope.foreign_roadmaps, (
            "the seed must give every role foreign rows"
        )
    return SimpleNamespace(name=name, user=user, headers={"Authorization": f"Token {token.key}"}, scope=scope)


@pytest.fixture
def wsgi_app(settings):
    """The WSGI application, answering inside the test's transaction as Django's test client does: the
    handler must not close the connection at the start and end of each request."""
    from portal.wsgi import application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the host of the WSGI test client
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _load_schema(app, headers: dict, *, coverage: bool):
    config = schemathesis.Config.from_dict({
        "seed": 20260101,
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": coverage},
            "stateful": {"enabled": False},
        },
    })  # fmt: skip
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, app, config=config, headers=headers)


@pytest.fixture(params=ROLES)
def contract(request, people, contract_data):
    role = _contract(request.param, people)
    role.ids = contract_data.ids
    return role


@pytest.fixture
def api_schema(contract, wsgi_app):
    return _load_schema(wsgi_app, contract.headers, coverage=contract.name in COVERAGE_ROLES)


# ---------------------------------------------------------------- checks


def _objects(node):
    """Every JSON object in a response body, however deep."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def _json(response):
    if "json" not in (response.headers.get("content-type") or [""])[0]:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _resource(case) -> str:
    return case.operation.path.removeprefix(f"{API}/").split("/")[0]


def _success(response) -> bool:
    return 200 <= response.status_code < 300


def _record_type(case, response) -> str:
    """What the documented answer is a page or one of: "Obligation", "Roadmap", "Report"…"""
    documented = case.operation.definition.raw.get("responses", {}).get(str(response.status_code), {})
    ref = documented.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    name = ref.rsplit("/", 1)[-1].removeprefix("Paginated").removesuffix("List").removesuffix("Output")
    return name.removesuffix("Detail")


def _scope_check(contract):
    scope = contract.scope

    def in_role_scope(ctx, response, case):
        """Nothing of another unit: municipalities, schools, obligations, roadmaps, summary rows."""
        body = _json(response)
        if scope is None or body is None or not _success(response):
            return
        problems = []
        for item in _objects(body):
            if item.get("municipality") not in scope.municipalities | {None}:
                problems.append(f"municipality {item['municipality']} in {item}")
            if item.get("school") not in scope.schools | {None}:
                problems.append(f"school {item['school']} in {item}")
            if item.get("municipality_code") not in scope.municipality_codes | {None}:
                problems.append(f"municipality_code {item['municipality_code']!r} in {item}")
            if item.get("school_code") not in scope.school_codes | {None, ""}:
                problems.append(f"school_code {item['school_code']!r} in {item}")
            if item.get("obligation") in scope.foreign_obligations:
                problems.append(f"foreign obligation {item['obligation']} in {item}")
        record = _record_type(case, response)
        foreign = {"Obligation": scope.foreign_obligations, "Roadmap": scope.foreign_roadmaps}.get(record)
        if foreign and isinstance(body, dict):
            records = body["results"] if isinstance(body.get("results"), list) else [body]
            problems += [
                f"{record} #{r.get('id')} of another unit" for r in records if r.get("id") in foreign
            ]
        if case.operation.path.endswith("/summary/") and isinstance(body, list):
            codes = scope.municipality_codes | scope.school_codes
            problems += [
                f"summary row of {row.get('code')!r}" for row in body if row.get("code") not in codes
            ]
        assert not problems, f"{contract.name} sees data outside their scope:\n" + "\n".join(problems[:10])

    return in_role_scope


def _read_only_check(contract):
    def observer_cannot_write(ctx, response, case):
        """An observer's write is refused, whatever the payload."""
        if contract.name != "observer" or case.method.upper() in SAFE_METHODS or case.path in NOT_A_WRITE:
            return
        assert not _success(response), (
            f"the observer's {case.method.upper()} {case.formatted_path} was accepted ({response.status_code})"
        )

    return observer_cannot_write


def _documented_fields_check(raw_schema):
    def no_undocumented_fields(ctx, response, case):
        """Every field of an answer is in the schema (the schema lets extra ones through, the contract not)."""
        body = _json(response)
        documented = case.operation.definition.raw.get("responses", {}).get(str(response.status_code))
        if body is None or documented is None or case.method.upper() != case.operation.method.upper():
            return
        node = documented.get("content", {}).get("application/json", {}).get("schema")
        problems = list(_undocumented(raw_schema, node, body, "$"))
        assert not problems, "fields missing from the schema: " + ", ".join(problems[:10])

    return no_undocumented_fields


def _undocumented(schema, node, value, where):
    node = _deref(schema, node)
    if not isinstance(node, dict):
        return
    for key in ("allOf", "oneOf", "anyOf"):  # drf-spectacular wraps enums and nullable references this way
        if key in node:
            merged = {k: v for k, v in node.items() if k != key}
            for branch in (_deref(schema, b) for b in node[key]):
                merged.setdefault("properties", {}).update(branch.get("properties", {}))
                merged.update({k: branch[k] for k in ("items", "additionalProperties") if k in branch})
            if not merged.get("properties"):
                merged.pop("properties", None)
            node = merged
    if isinstance(value, dict):
        properties, extra = node.get("properties"), node.get("additionalProperties")
        if properties is not None:
            for name, item in value.items():
                if name in properties:
                    yield from _undocumented(schema, properties[name], item, f"{where}.{name}")
                elif extra in (None, False):
                    yield f"{where}.{name}"
        elif isinstance(extra, dict):
            for name, item in value.items():
                yield from _undocumented(schema, extra, item, f"{where}.{name}")
    elif isinstance(value, list) and "items" in node:
        for n, item in enumerate(value):
            yield from _undocumented(schema, node["items"], item, f"{where}[{n}]")


def _routed(response) -> bool:
    """Whether the request reached an API view (a path the URLconf does not know gets the site's 404 page)."""
    try:
        resolve(urlsplit(response.request.url).path)
    except Resolver404:
        return False
    return True


def client_errors_are_json(ctx, response, case):
    """A request the API refuses gets its JSON error, not an HTML page."""
    if 400 <= response.status_code < 500 and response.status_code != 405 and _routed(response):
        assert _json(response) is not None, (
            f"{response.status_code} answered with {response.headers.get('content-type')}, not JSON"
        )


def routed_content_type_conformance(ctx, response, case):
    """The documented content type, for requests that reached an API view: a path the URLconf does not know
    (an id like "0.5") gets the site's HTML 404 page, whatever statuses the operation documents."""
    if _routed(response):
        return content_type_conformance(ctx, response, case)
    return None


def _checks(contract, raw_schema) -> list:
    return [
        not_a_server_error,
        status_code_conformance,
        response_schema_conformance,
        routed_content_type_conformance,
        _documented_fields_check(raw_schema),
        client_errors_are_json,
        _read_only_check(contract),
        _scope_check(contract),
    ]


def _use_seeded_ids(case, ids: dict[str, list[int]]) -> None:
    """Point a generated integer {id} at an existing row most of the time, so retrieves and actions do work."""
    value = case.path_parameters.get("id") if case.path_parameters else None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    known = ids.get(_resource(case))
    if known and isinstance(value, int) and not isinstance(value, bool):
        slot = abs(value) % (len(known) + 1)
        if slot < len(known):  # the last slot keeps the generated id: mostly one that does not exist
            case.path_parameters["id"] = known[slot]


# ---------------------------------------------------------------- generated requests, as each role

schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_api_keeps_its_contract(case, contract, api_schema):
    _use_seeded_ids(case, contract.ids)
    response = case.call(headers=contract.headers)
    case.validate_response(
        response, checks=_checks(contract, api_schema.raw_schema), headers=contract.headers
    )


# ---------------------------------------------------------------- every operation once, with valid data


def test_every_operation_succeeds_as_documented(people, contract_data, wsgi_app):
    data = contract_data
    roles = {name: _contract(name, people) for name in ROLES}
    api = _load_schema(wsgi_app, roles["committee"].headers, coverage=False)
    succeeded = set()

    def send(actor, case, upload):
        if upload is None:
            response = case.call(headers=actor.headers)
        else:  # a named file: the schema's binary field carries no file name, and the upload check needs one
            files = {name: value if isinstance(value, str) else (BytesIO(value[0]), value[1])
                     for name, value in upload.items()}  # fmt: skip
            sent = Client(wsgi_app).open(
                case.formatted_path, method=case.method, headers=actor.headers, data=files
            )
            response = schemathesis.Response.from_any(sent)
        case.validate_response(response, checks=_checks(actor, api.raw_schema), headers=actor.headers)
        return response

    def call(role, method, path, expect, pk=None, body=None, upload=None, query=None):
        """Send valid data as the role entitled to it; a write is first tried, and refused, as the observer."""
        parts = {"path_parameters": {"id": pk}} if pk is not None else {}
        if query is not None:
            parts["query"] = query
        if body is not None:
            parts.update(body=body, media_type="application/json")
        case = api[f"{API}{path}"][method].Case(**parts)
        if method not in SAFE_METHODS and case.path not in NOT_A_WRITE:
            refused = send(roles["observer"], case, upload)
            assert refused.status_code == 403, (
                f"observer: {method} {case.formatted_path} → {refused.status_code}"
            )
        response = send(roles[role], case, upload)
        assert response.status_code == expect, (
            f"{role}: {method} {case.formatted_path} → {response.status_code}: {response.text[:500]}"
        )
        succeeded.add(f"{method} {API}{path}")
        return response.json() if "json" in response.headers.get("content-type", [""])[0] else None

    # a roadmap asked by a decision, through its whole review, and one of the head's own, from the template
    roadmap = data.roadmaps["head_a"].pk
    content = {
        "periods": ["2026/2027"],
        "items": [{"number": "1.1", "activity": "Диагностика дефицитов", "deadline": "до 01.12.2026"}],
        "indicators": [{"name": "Доля ниже минимума", "unit": "%", "baseline": "12.5", "targets": {"2026/2027": "10"}}],
    }  # fmt: skip
    call("head_a", "PUT", "/roadmaps/{id}/content/", 200, roadmap, content)
    call("head_a", "POST", "/roadmaps/{id}/submit/", 200, roadmap)
    call("committee", "POST", "/roadmaps/{id}/take/", 200, roadmap)
    call("committee", "POST", "/roadmaps/{id}/return/", 200, roadmap, {"comment": "Уточните сроки."})
    call("head_a", "POST", "/roadmaps/{id}/submit/", 200, roadmap)
    call("committee", "POST", "/roadmaps/{id}/approve/", 200, roadmap, {"comment": ""})
    progress = {
        "period": "2026/2027",
        "actuals": {"Доля ниже минимума": "11"},
        "item_statuses": {"1.1": "in_progress"},
    }
    call("head_a", "POST", "/roadmaps/{id}/progress/", 200, roadmap, progress)
    call("head_a", "POST", "/roadmaps/{id}/revise/", 200, roadmap, {"comment": "Изменились сроки ГИА."})
    own = call(
        "head_a", "POST", "/roadmaps/", 201, body={"topic": "gia", "title": "ГИА-2027", "period": "2026/2027"}
    )
    template = filled_template(sample_template(), items=ITEMS, indicators=INDICATORS)
    upload = {"file": (template.read(), template.name)}
    call("head_a", "POST", "/roadmaps/{id}/template/", 200, own["id"], upload=upload)

    # obligations: returned, reported again, accepted; extensions granted and declined; a date set
    ob_a, ob_school, ob_loiro = (data.obligations[n].pk for n in ("head_a", "director_a", "loiro_staff"))
    call("committee", "POST", "/obligations/{id}/return/", 200, ob_a, {"comment": "Дополните сведения."})
    call("head_a", "POST", "/obligations/{id}/start/", 200, ob_a)
    call("head_a", "POST", "/obligations/{id}/report/", 201, ob_a, {"text": "Сведения дополнены."})
    call("committee", "POST", "/obligations/{id}/accept/", 200, ob_a, {"comment": ""})
    call("director_a", "POST", "/obligations/{id}/start/", 200, ob_school)
    call("committee", "POST", "/extension-requests/{id}/grant/", 200, data.extensions["director_a"].pk, {})
    call("committee", "POST", "/extension-requests/{id}/decline/", 200, data.extensions["head_b"].pk,
         {"comment": "Нет оснований."})  # fmt: skip
    call("director_a", "POST", "/obligations/{id}/extension/", 201, ob_school,
         {"proposed_date": days(90).isoformat(), "reason": "Ремонт продлён."})  # fmt: skip
    call(
        "committee", "POST", "/obligations/{id}/due-date/", 200, ob_loiro, {"due_date": days(30).isoformat()}
    )
    call("loiro_staff", "POST", "/obligations/{id}/report/", 201, ob_loiro, {"text": "Рекомендации готовы."})
    call("head_a", "POST", "/obligations/{id}/comments/", 201, ob_a, {"text": "Нужна ли разбивка по школам?"})
    call("committee", "POST", "/obligations/{id}/comments/", 201, ob_a,
         upload={"text": "Да, по каждой школе.", "files": (b"%PDF-1.4\n%%EOF\n", "форма.pdf")})  # fmt: skip
    # people, not only units: a director names the executor; the committee names the lead of a joint task
    call("director_a", "POST", "/obligations/{id}/executor/", 200, ob_school,
         {"executor": people.director_a.pk, "comment": "Отвечаю сама."})  # fmt: skip
    joint = committee_meeting(
        people, decision("2.1", "Подготовить справку.", f"до {written(15)}", "ЛОИРО; ИЦОКО")
    )
    lead = Obligation.objects.get(decision__item__meeting=joint, organization=people.loiro)
    call("committee", "POST", "/obligations/{id}/lead/", 200, lead.pk)
    found = call("head_a", "GET", "/search/", 200, query={"q": "готовности пунктов"})
    assert {g["kind"]: g["count"] for g in found["groups"]}["obligations"] == 2, found  # own and SOSH No 1

    # mechanism documents: one attached as a link, one accepted, one returned
    link = {"required": data.required[1].pk, "year": 2026, "url": "https://edu.example.ru/goals.pdf"}
    call("head_a", "POST", "/mechanism-documents/", 201, body=link)
    call("committee", "POST", "/mechanism-documents/{id}/accept/", 200, data.mechanism_documents["head_a"].pk,
         {"comment": ""})  # fmt: skip
    call("committee", "POST", "/mechanism-documents/{id}/return/", 200, data.mechanism_documents["head_b"].pk,
         {"comment": "Нет показателей."})  # fmt: skip

    # a flag put on a new draft protocol's agenda
    call("committee", "POST", "/flags/to-meeting/", 201, body={"flags": data.ids["flags"][:1]})

    # a questionnaire answered, a protocol parsed, a token issued
    yes_no, number = data.questions
    answers = {"answers": {str(yes_no.pk): "yes", str(number.pk): "3"}, "submit": True}
    call("director_a", "POST", "/survey-responses/{id}/answer/", 200, data.survey_response.pk, answers)
    created = call("committee", "POST", "/surveys/", 201, body={"title": "Анкета организаций",
                   "questions": "1. Есть ли план?", "due_date": days(10).isoformat()})  # fmt: skip
    call("committee", "POST", "/surveys/{id}/send/", 200, created["id"],
         {"recipients": "organizations", "all": True})  # fmt: skip
    call("committee", "POST", "/surveys/{id}/remind/", 200, created["id"])
    protocol = ("ПРОТОКОЛ совещания\n15.01.2026 № 1\nПредседатель: Петрова А.С.\n1. О подготовке к ГИА\n"
                "СЛУШАЛИ: Иванова И.И.\nРЕШИЛИ:\n1.1. Представить информацию. Срок: до 01.02.2026. "
                "Ответственные: руководители ОМСУ.")  # fmt: skip
    parsed = call("committee", "POST", "/meetings/parse/", 200, body={"text": protocol})
    assert parsed["items"] and parsed["items"][0]["decisions"], parsed
    # a signed protocol amended: its place, then a decision's wording, each with the reason
    signed, noted = data.ids["meetings"][-1], data.ids["decisions"][-1]
    amended = call("committee", "POST", "/meetings/{id}/amend/", 200, signed,
                   {"place": "Актовый зал комитета", "comment": "Уточнено место проведения."})  # fmt: skip
    assert amended["place"] == "Актовый зал комитета" and amended["revision"] == 2
    call("committee", "POST", "/decisions/{id}/amend/", 200, noted,
         {"text": "Принять к сведению информацию о ходе подготовки к ГИА.", "comment": "Уточнена формулировка."})  # fmt: skip
    # a meeting planned with its agenda and invited authority
    call("committee", "POST", "/planned-meetings/", 201, body={"title": "Совет директоров", "date": days(7).isoformat(),
         "time": "10:00", "agenda": ["Об олимпиаде"], "municipalities": [people.mun_a.pk]})  # fmt: skip
    call("head_a", "POST", "/auth/token/", 200, body={"username": "head_a", "password": people.password})
    # a protocol sent whole (the import_protocol --json shape), signed, its PDF asked for
    whole = {"meeting": {"kind": "meeting", "date": days(-1).isoformat(), "number": "9", "title": "О ВПР"},
             "items": [{"number": "1", "title": "О ВПР", "decisions": [
                 {"number": "1.1", "text": "Провести анализ ВПР.", "deadline_text": f"до {written(20)}",
                  "responsible": "руководители ОМСУ", "tracked": True}]}]}  # fmt: skip
    created = call("committee", "POST", "/meetings/", 201, body=whole)
    call("committee", "POST", "/meetings/{id}/sign/", 200, created["id"], {"unknown_ok": False})
    call("committee", "POST", "/meetings/{id}/documents/", 201, created["id"], {"kind": "decisions"})

    # every read, as the committee, of a row that exists
    for path, operations in api.raw_schema["paths"].items():
        if "get" in operations and path != f"{API}/search/":  # the search needs its words: called above
            segment = path.removeprefix(f"{API}/").split("/")[0]
            pk = data.ids[segment][-1] if "{id}" in path else None
            call("committee", "GET", path.removeprefix(API), 200, pk)

    # last, since it ends the head's token: revoking one's own token
    call("head_a", "DELETE", "/auth/token/", 200)

    every = {
        f"{method.upper()} {path}"
        for path, operations in api.raw_schema["paths"].items()
        for method in operations
    }
    assert every <= succeeded, f"operations never called with valid data: {sorted(every - succeeded)}"

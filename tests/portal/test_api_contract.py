"""The API contract: a complete OpenAPI schema, and the API keeping to it for every role.

* ``test_schema_*``: every route under ``/api/v1/`` is in the generated schema with each of its methods, and
  every operation documents a 2xx answer with a typed JSON body.
* ``test_api_keeps_its_contract``: Schemathesis generates requests from that schema and sends them to the
  WSGI application as each role (Token authentication). No answer may be a server error, break the
  documented schema or content type, carry an undocumented field, or step outside the role's scope (a
  municipality, school, obligation or roadmap of another unit; a write accepted from an observer).

All generated calls for one role run inside that test's transaction (pytest-django), so nothing they create
leaks into other tests.
"""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.urls import Resolver404, URLPattern, URLResolver, resolve
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from assessments.models import Campaign, SchoolFlag
from meetings import services as meeting_services
from meetings.models import Decision, ExtensionRequest, Meeting, Obligation, Report, Survey, SurveyResponse
from meetings.questionnaires import questionnaire_create, survey_send
from municipalities.models import Municipality, Organization, School
from roadmaps.models import Roadmap
from roadmaps.services import roadmap_for_obligation
from tests.assessments.factories import ege
from tests.meetings.factories import committee_meeting, days, decision, written
from tests.roadmaps.factories import roadmap_meeting

API = "/api/v1"
# Routes of the API that are not part of the contract: the schema, its docs page, and the browsable index
# (DRF's DefaultRouter root view sets ``schema = None``).
NOT_IN_SCHEMA = {"schema", "docs", "api-root"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Logging in is not a write: an observer may exchange a password for a token like anyone else.
NOT_A_WRITE = {f"{API}/auth/token/"}
ROLES = ["committee", "observer", "head_a", "director_a", "loiro_staff"]
# The first path segment after /api/v1/ → the model whose existing ids the generated {id} is mapped onto.
RESOURCES = {
    "municipalities": Municipality,
    "schools": School,
    "organizations": Organization,
    "meetings": Meeting,
    "decisions": Decision,
    "obligations": Obligation,
    "extension-requests": ExtensionRequest,
    "reports": Report,
    "surveys": Survey,
    "survey-responses": SurveyResponse,
    "campaigns": Campaign,
    "flags": SchoolFlag,
    "roadmaps": Roadmap,
}


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
            methods = {method.upper() for method in view.actions}
        else:
            cls = view.cls
            methods = {m.upper() for m in cls.http_method_names if m not in ("head", "options") and hasattr(cls, m)}
        routes.setdefault(f"{API}/{path}", set()).update(methods)
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
    if "allOf" in node or "oneOf" in node or "anyOf" in node:
        parts = node.get("allOf") or node.get("oneOf") or node.get("anyOf")
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
                continue
            for code, response in success.items():
                body = response.get("content", {}).get("application/json", {}).get("schema")
                if body is None:
                    problems.append(f"{label} {code}: no application/json body")
                elif not _is_typed(schema, body):
                    problems.append(f"{label} {code}: the body is a free-form object, its fields are undocumented")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- data and roles


@pytest.fixture
def contract_data(people):
    """A little of everything, for both municipalities, so that lists are not empty and foreign rows exist."""
    roadmap_decision = roadmap_meeting(people)
    roadmap_obligations = {}
    for head in (people.head_a, people.head_b):
        obligation = Obligation.objects.get(decision=roadmap_decision, municipality=head.municipality)
        roadmap_for_obligation(obligation=obligation, actor=head)
        roadmap_obligations[head.username] = obligation
    meeting = committee_meeting(
        people,
        decision("1.2", "Представить информацию о готовности пунктов проведения экзаменов", f"до {written(20)}",
                 "руководители ОМСУ; ЛОИРО; СОШ № 1 Всеволожск; Гимназия Выборга"),
        decision("1.3", "Принять к сведению информацию о ходе подготовки", tracked=False),
        when=days(-5),
    )  # fmt: skip
    info = meeting.items.get().decisions.get(number="1.2")
    by_unit = {
        "head_a": info.obligations.get(municipality=people.mun_a),
        "head_b": info.obligations.get(municipality=people.mun_b),
        "director_a": info.obligations.get(school=people.school_a),
        "director_b": info.obligations.get(school=people.school_b),
        "loiro_staff": info.obligations.get(organization=people.loiro),
    }
    for name in ("head_a", "head_b"):
        actor = getattr(people, name)
        meeting_services.report_submit(obligation=by_unit[name], actor=actor, text="Пункты готовы.")
        meeting_services.extension_request(obligation=roadmap_obligations[name], actor=actor,
                                           proposed_date=days(60), reason="Ждём данных от школ.")  # fmt: skip
    meeting_services.extension_request(obligation=by_unit["director_a"], actor=people.director_a,
                                       proposed_date=days(40), reason="Ремонт аудиторий.")  # fmt: skip
    meeting_services.obligation_start(obligation=by_unit["director_b"], actor=people.director_b)
    meeting_services.obligation_start(obligation=by_unit["loiro_staff"], actor=people.loiro_staff)

    questionnaire = questionnaire_create(
        actor=people.committee, title="Готовность к ГИА",
        text="1. Утверждён ли план подготовки к ГИА?\n2. Сколько выпускников в группе риска? [число]",
    )  # fmt: skip
    survey_send(actor=people.committee, questionnaire=questionnaire, schools=[people.school_a, people.school_b],
                due_date=days(14))  # fmt: skip

    ege(2024, {people.school_a: [48, 66], people.school_b: [52]})
    ege(2025, {people.school_a: [50, 70], people.school_a2: [30], people.school_b: [80]})
    for school, municipality in ((people.school_a, people.mun_a), (people.school_b, people.mun_b), (None, people.mun_b)):
        SchoolFlag.objects.create(kind=SchoolFlag.Kind.LOW_RESULTS, school=school, municipality=municipality,
                                  subject="Русский язык", year=2025, reasons=["Средний балл ниже областного"],
                                  score=1.5)  # fmt: skip
    return SimpleNamespace(ids={segment: list(model.objects.order_by("pk").values_list("pk", flat=True))
                                for segment, model in RESOURCES.items()})  # fmt: skip


def _own_obligations(name: str, people) -> set[int] | None:
    """The obligations a role answers for, stated independently of ``for_user``; None: region-wide."""
    units = {
        "head_a": Obligation.objects.filter(municipality=people.mun_a) | Obligation.objects.filter(
            school__municipality=people.mun_a),
        "director_a": Obligation.objects.filter(school=people.school_a),
        "loiro_staff": Obligation.objects.filter(organization=people.loiro) | Obligation.objects.filter(
            organization__parent=people.loiro),
    }  # fmt: skip
    return None if name not in units else set(units[name].values_list("pk", flat=True))


def _own_roadmaps(name: str, people) -> set[int] | None:
    units = {
        "head_a": Roadmap.objects.filter(municipality=people.mun_a) | Roadmap.objects.filter(
            school__municipality=people.mun_a),
        "director_a": Roadmap.objects.filter(school=people.school_a),
        "loiro_staff": Roadmap.objects.none(),
    }  # fmt: skip
    return None if name not in units else set(units[name].values_list("pk", flat=True))


@pytest.fixture(params=ROLES)
def contract(request, people, contract_data, settings):
    """The role under test: its token and what it may see."""
    name = request.param
    user = getattr(people, name)
    token, _ = Token.objects.get_or_create(user=user)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the WSGI test client's host
    scope = SimpleNamespace(region_wide=True)
    if name in ("head_a", "director_a", "loiro_staff"):
        schools = {
            "head_a": School.objects.filter(municipality=people.mun_a),
            "director_a": School.objects.filter(pk=people.school_a.pk),
            "loiro_staff": School.objects.none(),
        }[name]
        municipalities = Municipality.objects.filter(pk=people.mun_a.pk if name != "loiro_staff" else None)
        all_obligations = set(Obligation.objects.values_list("pk", flat=True))
        all_roadmaps = set(Roadmap.objects.values_list("pk", flat=True))
        scope = SimpleNamespace(
            region_wide=False,
            municipalities={m.pk for m in municipalities},
            municipality_codes={m.code for m in municipalities},
            schools={s.pk for s in schools},
            school_codes={s.code for s in schools},
            foreign_obligations=all_obligations - _own_obligations(name, people),
            foreign_roadmaps=all_roadmaps - _own_roadmaps(name, people),
        )
        assert scope.foreign_obligations and scope.foreign_roadmaps, "the seed must give every role foreign rows"
    return SimpleNamespace(
        name=name,
        user=user,
        headers={"Authorization": f"Token {token.key}"},
        scope=scope,
        ids=contract_data.ids,
    )


@pytest.fixture
def _wsgi_in_test_transaction():
    """Let the WSGI app answer inside the test's transaction, as Django's test client does: the handler
    must not close the connection at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Fuzzing for every role; the coverage phase (boundary and invalid values of every parameter and field, and
# undeclared methods) once, as the committee, whose writes reach furthest.
COVERAGE_ROLES = {"committee"}


def _config(role: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": 20260101,
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": role in COVERAGE_ROLES},
            "stateful": {"enabled": False},
        },
    })  # fmt: skip


@pytest.fixture
def api_schema(contract, _wsgi_in_test_transaction):
    from portal.wsgi import application

    return schemathesis.openapi.from_wsgi(
        f"{API}/schema/?format=json",
        application,
        config=_config(contract.name),
        headers=contract.headers,
    )


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


def _records(case, body):
    """The records an obligations/roadmaps answer is about: the page's results or the one retrieved."""
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body["results"]
    return [body] if isinstance(body, dict) else []


def _check_scope(contract):
    scope = contract.scope

    def in_role_scope(ctx, response, case):
        """Nothing of another unit: municipalities, schools, obligations, roadmaps."""
        body = _json(response)
        if scope.region_wide or body is None or not 200 <= response.status_code < 300:
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
        resource = _resource(case)
        foreign = {"obligations": scope.foreign_obligations, "roadmaps": scope.foreign_roadmaps}.get(resource)
        if foreign:
            problems += [f"foreign {resource} id {r.get('id')}" for r in _records(case, body) if r.get("id") in foreign]
        if case.operation.path.endswith("/summary/"):
            codes = scope.municipality_codes | scope.school_codes
            problems += [f"summary row of {row.get('code')!r}" for row in body if row.get("code") not in codes]
        assert not problems, f"{contract.name} sees data outside their scope:\n" + "\n".join(problems[:10])

    return in_role_scope


def _check_read_only(contract):
    def observer_cannot_write(ctx, response, case):
        """An observer's write is refused, whatever the payload."""
        if contract.name != "observer" or case.method.upper() in SAFE_METHODS or case.path in NOT_A_WRITE:
            return
        assert not 200 <= response.status_code < 300, (
            f"observer's {case.method.upper()} {case.formatted_path} was accepted ({response.status_code})"
        )

    return observer_cannot_write


def _check_documented_fields(raw_schema):
    def no_undocumented_fields(ctx, response, case):
        """Every field of an answer is in the schema (the schema allows extra ones, the contract does not)."""
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
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            branches = [_deref(schema, b) for b in node[key]]
            merged = {"properties": {}}
            for branch in branches:
                merged["properties"].update(branch.get("properties", {}))
                for other in ("items", "additionalProperties"):
                    if other in branch:
                        merged[other] = branch[other]
            if not merged["properties"]:
                merged.pop("properties")
            node = {**{k: v for k, v in node.items() if k != key}, **merged}
    if isinstance(value, dict):
        properties = node.get("properties")
        extra_allowed = node.get("additionalProperties")
        if properties is not None:
            for name, item in value.items():
                if name in properties:
                    yield from _undocumented(schema, properties[name], item, f"{where}.{name}")
                elif extra_allowed in (None, False):
                    yield f"{where}.{name}"
        elif isinstance(extra_allowed, dict):
            for name, item in value.items():
                yield from _undocumented(schema, extra_allowed, item, f"{where}.{name}")
    elif isinstance(value, list) and "items" in node:
        for n, item in enumerate(value):
            yield from _undocumented(schema, node["items"], item, f"{where}[{n}]")


def _check_errors_are_json():
    def client_errors_are_json(ctx, response, case):
        """A refused request gets the API's JSON error, not an HTML page."""
        if 400 <= response.status_code < 500 and response.status_code != 405 and _routed(response):
            assert _json(response) is not None, (
                f"{response.status_code} answered with {response.headers.get('content-type')}, not JSON"
            )

    return client_errors_are_json


def _routed(response) -> bool:
    """Whether the request reached an API view (a path the URLconf does not know gets the site's 404 page)."""
    try:
        resolve(urlsplit(response.request.url).path)
    except Resolver404:
        return False
    return True


def _use_seeded_ids(case, contract):
    """Point a generated integer {id} at an existing row most of the time, so retrieves and actions do work."""
    value = case.path_parameters.get("id") if case.path_parameters else None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    ids = contract.ids.get(_resource(case))
    if ids and isinstance(value, int) and not isinstance(value, bool):
        slot = abs(value) % (len(ids) + 1)
        if slot < len(ids):
            case.path_parameters["id"] = ids[slot]


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_keeps_its_contract(case, contract, api_schema):
    _use_seeded_ids(case, contract)
    import time, collections
    global _STATS
    try:
        _STATS
    except NameError:
        _STATS = collections.Counter()
        import atexit
        atexit.register(lambda: print("\nSTATS", sorted(_STATS.items(), key=lambda x: -x[1])[:60]))
    _STATS[(case.operation.label, case.meta.phase.name.value if case.meta else None)] += 1
    response = case.call(headers=contract.headers)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
            _check_documented_fields(api_schema.raw_schema),
            _check_errors_are_json(),
            _check_read_only(contract),
            _check_scope(contract),
        ],
        headers=contract.headers,
    )

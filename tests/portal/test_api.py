"""The API is documented by a complete OpenAPI schema and browsable docs that work offline."""

import yaml
from django.urls import reverse


def test_schema_lists_the_endpoints_with_their_fields(client_for, people):
    response = client_for(people.committee).get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert {"/api/v1/schools/", "/api/v1/municipalities/", "/api/v1/organizations/", "/api/v1/me/"} <= set(
        schema["paths"]
    )
    school = schema["components"]["schemas"]["SchoolOutput"]["properties"]
    assert {"id", "code", "name", "municipality"} <= set(school)
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_docs_page_uses_vendored_assets(client_for, people):
    response = client_for(people.committee).get(reverse("api:docs"))
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.text
    assert "cdn" not in response.text.lower()


def test_schools_endpoint_filters_by_municipality_code(client_for, people):
    response = client_for(people.committee).get(reverse("api:school-list"), {"municipality_code": "04"})
    rows = response.json()["results"]
    assert sorted(r["code"] for r in rows) == ["04001", "04002"]
    assert rows[0]["municipality"] == people.mun_a.pk

"""Who sees what: every role against every kind of object, in pages, the API and the admin."""

import pytest
from django.urls import reverse

# persona → objects it may open; everything else answers 404
VISIBLE = {
    "committee": {"mun_a", "mun_b", "school_a", "school_a2", "school_b", "loiro", "icoko"},
    "observer": {"mun_a", "mun_b", "school_a", "school_a2", "school_b", "loiro", "icoko"},
    "head_a": {"mun_a", "school_a", "school_a2"},
    "head_b": {"mun_b", "school_b"},
    "director_a": {"mun_a", "school_a"},
    "director_b": {"mun_b", "school_b"},
    "loiro_staff": {"loiro"},
}
OBJECTS = {
    "mun_a": "municipalities:municipality",
    "mun_b": "municipalities:municipality",
    "school_a": "municipalities:school",
    "school_a2": "municipalities:school",
    "school_b": "municipalities:school",
    "loiro": "municipalities:organization",
    "icoko": "municipalities:organization",
}
API = {
    "municipalities:municipality": "api:municipality-detail",
    "municipalities:school": "api:school-detail",
    "municipalities:organization": "api:organization-detail",
}
MATRIX = [(persona, obj) for persona in VISIBLE for obj in OBJECTS]


@pytest.mark.parametrize(("persona", "obj"), MATRIX)
def test_page_answers_200_in_scope_and_404_outside(people, client, persona, obj):
    client.force_login(getattr(people, persona))
    target = getattr(people, obj)
    response = client.get(reverse(OBJECTS[obj], args=[target.pk]))
    expected = 200 if obj in VISIBLE[persona] else 404
    assert response.status_code == expected
    if expected == 200:
        assert target.name in response.text


@pytest.mark.parametrize(("persona", "obj"), MATRIX)
def test_api_detail_answers_200_in_scope_and_404_outside(people, client, persona, obj):
    client.force_login(getattr(people, persona))
    target = getattr(people, obj)
    response = client.get(reverse(API[OBJECTS[obj]], args=[target.pk]))
    assert response.status_code == (200 if obj in VISIBLE[persona] else 404)


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_api_lists_hold_exactly_the_scope(people, client, persona):
    client.force_login(getattr(people, persona))
    seen = set()
    for endpoint, field in (("api:municipality-list", "code"), ("api:school-list", "code"),
                            ("api:organization-list", "code")):  # fmt: skip
        response = client.get(reverse(endpoint))
        assert response.status_code == 200
        seen |= {row[field] for row in response.json()["results"]}
    expected = {getattr(people, name).code for name in VISIBLE[persona]}
    if persona in {"committee", "observer"}:
        expected |= {"koipo", "koipo-general"}
    assert seen == expected


def test_school_list_page_shows_only_own_municipality_to_head(people, client):
    client.force_login(people.head_a)
    response = client.get(reverse("municipalities:school_list"))
    assert "Агалатовская СОШ" in response.text
    assert "Гимназия Выборга" not in response.text


def test_export_of_another_municipality_gives_nothing(people, client):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(people.head_b)
    response = client.get(reverse("municipalities:school_export"), {"municipality": people.mun_a.pk})
    # A municipality outside the scope is not a valid filter value: the filter answers with no rows.
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][0] == "Код ОО"
    assert all(row[0] != "04001" for row in rows[1:])


def test_anonymous_is_sent_to_login_and_api_refuses(client, people):
    response = client.get(reverse("municipalities:school", args=[people.school_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("api:school-list")).status_code in (401, 403)


def test_admin_list_is_scoped_by_the_same_rule(people, client):
    from django.contrib.auth.models import Permission

    # A municipal head given staff rights still sees only own schools in the admin.
    head = people.head_a
    head.is_staff = True
    head.save()
    head.user_permissions.add(Permission.objects.get(codename="view_school"))
    client.force_login(head)
    response = client.get(reverse("admin:municipalities_school_changelist"))
    assert response.status_code == 200
    assert "Агалатовская СОШ" in response.text
    assert "Гимназия Выборга" not in response.text


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_observer_cannot_write_through_the_api(people, client, method):
    client.force_login(people.observer)
    url = reverse("api:school-detail", args=[people.school_a.pk])
    response = getattr(client, method)(url, data={}, content_type="application/json")
    assert response.status_code == 403
    assert "Недостаточно прав" in response.json()["detail"]


def test_api_is_read_only_even_for_the_committee(people, client):
    client.force_login(people.committee)
    response = client.delete(reverse("api:school-detail", args=[people.school_a.pk]))
    assert response.status_code == 405
    people.school_a.refresh_from_db()

"""One filter definition for obligations: the board's parameter names work in the API alike, the API's earlier
names still work, and an id outside the user's scope is refused, never a way to see others' rows."""

import pytest
from django.urls import reverse

from meetings.models import Obligation
from tests.meetings.factories import committee_meeting, days, decision, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(people):
    soon = committee_meeting(
        people, decision("1", "Проанализировать ВПР.", f"до {written(5)}", "руководители ОМСУ")
    )
    later = committee_meeting(people, decision("1", "Провести семинар.", f"до {written(40)}", "ЛОИРО"))
    late = Obligation.objects.get(decision__item__meeting=soon, municipality=people.mun_b)
    Obligation.objects.filter(pk=late.pk).update(due_date=days(-3))
    return soon, later


def _ids(client, url, **params) -> set[int]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


def test_the_board_and_the_api_take_the_same_parameters(people, client, meetings):
    soon, _ = meetings
    client.force_login(people.committee)
    api = reverse("api:obligation-list")
    mun_a = Obligation.objects.get(municipality=people.mun_a).pk
    mun_b = Obligation.objects.get(municipality=people.mun_b).pk
    loiro = Obligation.objects.get(organization=people.loiro).pk
    assert _ids(client, api, meeting=soon.pk) == {mun_a, mun_b}
    assert _ids(client, api, state="overdue") == {mun_b}
    assert _ids(client, api, q="семинар") == {loiro}
    assert _ids(client, api, due_from=days(10).isoformat()) == {loiro}
    assert _ids(client, api, due_to=days(10).isoformat()) == {mun_a, mun_b}
    assert _ids(client, api, municipality=people.mun_a.pk) == {mun_a}
    board = client.get(
        reverse("meetings:obligation_list"), {"q": "семинар", "due_from": days(10).isoformat()}
    ).text
    assert "Провести семинар" in board and "Проанализировать ВПР" not in board


def test_the_apis_earlier_parameter_names_still_work(people, client, meetings):
    client.force_login(people.committee)
    api = reverse("api:obligation-list")
    loiro = Obligation.objects.get(organization=people.loiro).pk
    mun_b = Obligation.objects.get(municipality=people.mun_b).pk
    assert _ids(client, api, due_after=days(10).isoformat()) == {loiro}
    assert _ids(client, api, due_before=days(0).isoformat()) == {mun_b}
    assert _ids(client, api, overdue="true") == {mun_b}
    assert mun_b not in _ids(client, api, overdue="false")


def test_an_id_outside_the_scope_is_refused_in_russian(people, client, meetings):
    soon, _ = meetings
    client.force_login(people.head_a)
    response = client.get(reverse("api:obligation-list"), {"municipality": people.mun_b.pk})
    assert response.status_code == 400 and "municipality" in response.json()
    assert "Выберите корректный вариант" in response.content.decode()
    own = Obligation.objects.get(municipality=people.mun_a).pk
    assert _ids(client, reverse("api:obligation-list"), meeting=soon.pk) == {own}

"""The meetings API: the same scope and the same lifecycle as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Obligation
from tests.meetings.factories import committee_meeting, days, decision, written

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def meeting(people):
    return committee_meeting(
        people, decision("1", "Проанализировать результаты.", f"до {written(20)}", "руководители ОМСУ")
    )


def test_obligations_list_is_scoped(people, meeting, client):
    client.force_login(people.head_a)
    rows = client.get(reverse("api:obligation-list")).json()["results"]
    assert [r["municipality"] for r in rows] == [people.mun_a.pk]
    client.force_login(people.committee)
    assert client.get(reverse("api:obligation-list")).json()["count"] == 2
    client.force_login(people.director_a)
    assert client.get(reverse("api:obligation-list")).json()["count"] == 0


def test_obligations_list_pages_keep_the_order_and_the_filters(people, client, settings):
    """Pages are picked over keys first, then filled: every row once, in due-date order, filters applied."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 4}
    committee_meeting(people, *[
        decision(str(n), f"Поручение {n}.", f"до {written(n)}", "руководители ОМСУ; ЛОИРО") for n in range(1, 6)
    ])  # fmt: skip
    client.force_login(people.committee)
    url, rows = reverse("api:obligation-list"), []
    while url:
        page = client.get(url).json()
        assert page["count"] == 15
        rows += page["results"]
        url = page["next"]
    expected = list(Obligation.objects.order_by("due_date", "pk").values_list("pk", flat=True))
    assert [r["id"] for r in rows] == expected
    assert all(r["reference"].startswith("п. ") and r["unit"] for r in rows)
    mine = client.get(reverse("api:obligation-list"), {"municipality": people.mun_a.pk}).json()
    assert mine["count"] == 5
    assert {r["municipality"] for r in mine["results"]} == {people.mun_a.pk}


def test_report_and_accept_through_the_api(people, meeting, client):
    obligation = Obligation.objects.get(municipality=people.mun_a)
    client.force_login(people.head_a)
    response = client.post(
        reverse("api:obligation-report", args=[obligation.pk]),
        {"text": "Выполнено", "files": [SimpleUploadedFile("итоги.pdf", PDF)]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["files"][0]["name"] == "итоги.pdf"
    client.force_login(people.committee)
    response = client.post(reverse("api:obligation-accept", args=[obligation.pk]), {"comment": "Принято"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted"
    assert [e["kind"] for e in body["events"]] == ["assigned", "reported", "accepted"]
    again = client.post(
        reverse("api:obligation-accept", args=[obligation.pk]), content_type="application/json"
    )
    assert again.status_code == 400
    assert "уже рассмотрен" in again.json()["detail"][0]


def test_another_municipality_gets_404_and_observer_403(people, meeting, client):
    obligation = Obligation.objects.get(municipality=people.mun_a)
    client.force_login(people.head_b)
    response = client.post(reverse("api:obligation-report", args=[obligation.pk]), {"text": "x"})
    assert response.status_code == 404
    client.force_login(people.observer)
    response = client.post(reverse("api:obligation-report", args=[obligation.pk]), {"text": "x"})
    assert response.status_code == 403


def test_extension_request_and_grant(people, meeting, client):
    obligation = Obligation.objects.get(municipality=people.mun_b)
    client.force_login(people.head_b)
    response = client.post(reverse("api:obligation-extension", args=[obligation.pk]),
                           {"proposed_date": days(30).isoformat(), "reason": "Нет данных"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    request_id = response.json()["id"]
    client.force_login(people.committee)
    response = client.post(reverse("api:extension-request-grant", args=[request_id]), {},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    obligation.refresh_from_db()
    assert obligation.due_date == days(30)


def test_meeting_detail_has_items_and_decisions(people, meeting, client):
    client.force_login(people.head_a)
    body = client.get(reverse("api:meeting-detail", args=[meeting.pk])).json()
    decision_row = body["items"][0]["decisions"][0]
    assert decision_row["deadline_text"] == f"до {written(20)}"
    assert decision_row["due_dates"] == [days(20).isoformat()]
    assert decision_row["parties"] == ["все органы управления образованием муниципалитетов"]


def test_bad_input_gets_a_russian_400(people, meeting, client):
    obligation = Obligation.objects.get(municipality=people.mun_a)
    client.force_login(people.head_a)
    response = client.post(reverse("api:obligation-extension", args=[obligation.pk]),
                           {"proposed_date": days(5).isoformat(), "reason": "x"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert f"Новый срок должен быть позже действующего ({written(20)})." in str(response.json())

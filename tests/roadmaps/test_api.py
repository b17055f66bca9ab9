"""The roadmaps API: the same scope, validation and workflow as the pages."""

import pytest
from django.urls import reverse

from meetings.models import Obligation, ObligationStatus
from tests.roadmaps.factories import roadmap_meeting

pytestmark = pytest.mark.django_db

CONTENT = {
    "periods": ["2026/2027", "2027/2028"],
    "items": [
        {"number": "1.1", "activity": "Диагностика дефицитов", "responsible": "КО", "deadline": "до 01.12.2026"},
        {"number": "1.2", "activity": "Семинары для учителей", "deadline": "ежеквартально"},
    ],
    "indicators": [{"name": "Доля ниже минимума", "unit": "%", "baseline": "12.5",
                    "targets": {"2026/2027": "10", "2027/2028": "8"}}],
}  # fmt: skip


def test_head_creates_fills_submits_and_committee_approves(people, client):
    decision = roadmap_meeting(people)
    obligation = Obligation.objects.get(decision=decision, municipality=people.mun_a)
    client.force_login(people.head_a)
    created = client.post(
        reverse("api:roadmap-list"), {"obligation": obligation.pk}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    filled = client.put(reverse("api:roadmap-content", args=[pk]), CONTENT, content_type="application/json")
    assert filled.status_code == 200, filled.content
    assert filled.json()["content"]["indicators"][0]["targets"] == {"2026/2027": "10", "2027/2028": "8"}
    assert client.post(reverse("api:roadmap-submit", args=[pk])).json()["status"] == "submitted"

    client.force_login(people.committee)
    refused = client.post(
        reverse("api:roadmap-return-", args=[pk]), {"comment": ""}, content_type="application/json"
    )
    assert refused.status_code == 400 and "замечания" in refused.content.decode()
    approved = client.post(reverse("api:roadmap-approve", args=[pk]), {}, content_type="application/json")
    assert approved.json()["status"] == "approved"
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED

    client.force_login(people.head_a)
    progress = client.post(reverse("api:roadmap-progress", args=[pk]),
                           {"period": "2026/2027", "actuals": {"Доля ниже минимума": "9.1"},
                            "item_statuses": {"1.1": "done"}}, content_type="application/json")  # fmt: skip
    assert progress.status_code == 200, progress.content
    assert progress.json()["progress"][0]["actuals"] == {"Доля ниже минимума": "9.1"}


def test_bad_content_gets_russian_messages_and_changes_nothing(people, client):
    decision = roadmap_meeting(people)
    obligation = Obligation.objects.get(decision=decision, municipality=people.mun_a)
    client.force_login(people.head_a)
    pk = client.post(reverse("api:roadmap-list"), {"obligation": obligation.pk},
                     content_type="application/json").json()["id"]  # fmt: skip
    bad = {**CONTENT, "items": [CONTENT["items"][0], CONTENT["items"][0]]}
    response = client.put(reverse("api:roadmap-content", args=[pk]), bad, content_type="application/json")
    assert response.status_code == 400 and "1.1: номер повторяется" in response.content.decode()
    assert client.get(reverse("api:roadmap-detail", args=[pk])).json()["content"]["items"] == []


def test_list_is_scoped(people, client):
    decision = roadmap_meeting(people)
    for head, municipality in ((people.head_a, people.mun_a), (people.head_b, people.mun_b)):
        client.force_login(head)
        obligation = Obligation.objects.get(decision=decision, municipality=municipality)
        client.post(
            reverse("api:roadmap-list"), {"obligation": obligation.pk}, content_type="application/json"
        )
    client.force_login(people.head_a)
    assert [r["municipality"] for r in client.get(reverse("api:roadmap-list")).json()["results"]] == [
        people.mun_a.pk
    ]
    client.force_login(people.committee)
    assert client.get(reverse("api:roadmap-list")).json()["count"] == 2
    client.force_login(people.director_a)
    assert client.get(reverse("api:roadmap-list")).json()["count"] == 0
    client.force_login(people.observer)
    assert (
        client.post(reverse("api:roadmap-list"), {"topic": "gia", "title": "x", "period": "y"}).status_code
        == 403
    )

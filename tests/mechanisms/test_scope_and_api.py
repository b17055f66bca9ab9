"""Who sees and does what in the monitoring, on the pages and through the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mechanisms import services
from mechanisms.models import DocumentStatus, MechanismDocument
from tests.mechanisms.factories import pdf, small_monitoring

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
API = "/api/v1"


@pytest.fixture
def documents(people):
    required = small_monitoring(people)
    mine = services.document_submit(actor=people.head_a, municipality=people.mun_a, required=required[0],
                                    year=YEAR, upload=pdf())  # fmt: skip
    theirs = services.document_submit(actor=people.head_b, municipality=people.mun_b, required=required[0],
                                      year=YEAR, url="https://vyborg.example.ru/polozhenie")  # fmt: skip
    return required, mine, theirs


def test_a_head_of_another_municipality_gets_404_everywhere(people, client, documents):
    required, mine, _ = documents
    client.force_login(people.head_b)
    card = reverse("mechanisms:card", args=[people.mun_a.pk])
    assert client.get(card).status_code == 404
    assert client.get(reverse("mechanisms:file", args=[mine.pk])).status_code == 404
    submit = reverse("mechanisms:submit", args=[people.mun_a.pk, required[1].pk])
    assert client.post(submit, {"year": YEAR, "url": "https://x.example.ru/"}).status_code == 404
    assert client.get(f"{API}/mechanism-documents/{mine.pk}/").status_code == 404
    listed = client.get(f"{API}/mechanism-documents/").json()["results"]
    assert {d["municipality"] for d in listed} == {people.mun_b.pk}
    matrix = client.get(reverse("mechanisms:matrix")).text
    assert "Выборгский муниципальный район" in matrix and "Всеволожский муниципальный район" not in matrix
    answer = client.post(f"{API}/mechanism-documents/", {"required": required[1].pk, "year": YEAR,
                                                         "municipality": people.mun_a.pk, "url": "https://x.example.ru/"})  # fmt: skip
    assert answer.status_code == 400 and "Муниципалитет не найден" in answer.text
    assert MechanismDocument.objects.filter(municipality=people.mun_a).count() == 1


@pytest.mark.parametrize("persona", ["director_a", "loiro_staff"])
def test_schools_and_organisations_see_nothing_of_the_monitoring(people, client, documents, persona):
    _, mine, _ = documents
    client.force_login(getattr(people, persona))
    assert client.get(reverse("mechanisms:matrix")).status_code == 403
    assert client.get(reverse("mechanisms:card", args=[people.mun_a.pk])).status_code == 404
    assert client.get(reverse("mechanisms:file", args=[mine.pk])).status_code == 404
    assert client.get(f"{API}/mechanisms/").json()["results"] == []
    assert client.get(f"{API}/mechanism-documents/").json()["results"] == []
    assert "Механизмы управления" not in client.get(reverse("home")).text


@pytest.mark.parametrize("persona", ["committee", "observer"])
def test_committee_and_observer_see_the_region(people, client, documents, persona):
    _, mine, theirs = documents
    client.force_login(getattr(people, persona))
    for municipality in (people.mun_a, people.mun_b):
        assert client.get(reverse("mechanisms:card", args=[municipality.pk])).status_code == 200
    listed = client.get(f"{API}/mechanism-documents/", {"year": YEAR}).json()["results"]
    assert {d["id"] for d in listed} == {mine.pk, theirs.pk}
    card = client.get(reverse("mechanisms:card", args=[people.mun_a.pk])).text
    assert ("Принять" in card) == (persona == "committee")


def test_observer_writes_are_refused(people, client, documents):
    required, mine, _ = documents
    client.force_login(people.observer)
    assert client.post(reverse("mechanisms:action", args=[mine.pk, "accept"])).status_code == 403
    assert client.post(f"{API}/mechanism-documents/{mine.pk}/accept/", {}).status_code == 403
    assert client.post(f"{API}/mechanism-documents/{mine.pk}/return/", {"comment": "нет"}).status_code == 403
    created = client.post(f"{API}/mechanism-documents/", {"required": required[1].pk, "year": YEAR,
                                                          "municipality": people.mun_a.pk, "url": "https://x.ru/"})  # fmt: skip
    assert created.status_code == 403
    mine.refresh_from_db()
    assert mine.status == DocumentStatus.SUBMITTED and mine.events.count() == 1


def test_the_api_lists_directions_and_takes_documents_through_the_same_rules(people, client, documents):
    required, mine, _ = documents
    client.force_login(people.head_a)
    directions = client.get(f"{API}/mechanisms/").json()["results"]
    assert [d["name"] for d in directions] == ["Система работы со школами с низкими результатами",
                                               "Система организации воспитания"]  # fmt: skip
    assert [doc["name"] for doc in directions[0]["documents"]] == ["Положение", "Цели и показатели"]

    bad = client.post(f"{API}/mechanism-documents/", {"required": required[1].pk, "year": YEAR, "url": "ftp://x.ru"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "http:// или https://" in bad.json()["url"][0]
    bad_file = client.post(f"{API}/mechanism-documents/", {"required": required[1].pk, "year": YEAR,
                                                           "file": pdf("Цели.docx")})  # fmt: skip
    assert bad_file.status_code == 400 and "не соответствует расширению" in bad_file.json()["file"][0]
    created = client.post(f"{API}/mechanism-documents/", {"required": required[1].pk, "year": YEAR,
                                                          "file": pdf("Цели.pdf")})  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["status"] == "submitted"
        and body["file_name"] == "Цели.pdf"
        and body["municipality"] == people.mun_a.pk
    )
    assert client.post(f"{API}/mechanism-documents/{body['id']}/accept/", {}).status_code == 403

    client.force_login(people.committee)
    accepted = client.post(f"{API}/mechanism-documents/{mine.pk}/accept/", {"comment": "Хорошо"}).json()
    assert accepted["status"] == "accepted" and [e["to_status"] for e in accepted["events"]] == [
        "submitted",
        "accepted",
    ]
    returned = client.post(f"{API}/mechanism-documents/{body['id']}/return/", {"comment": ""})
    assert returned.status_code == 400 and "напишите, что нужно исправить" in returned.text
    returned = client.post(
        f"{API}/mechanism-documents/{body['id']}/return/", {"comment": "Нет целей на 2027 год"}
    )
    assert (
        returned.json()["status"] == "returned"
        and returned.json()["review_comment"] == "Нет целей на 2027 год"
    )
    schema = client.get(f"{API}/schema/?format=json").json()["paths"]
    assert {f"{API}/mechanisms/", f"{API}/mechanism-documents/", f"{API}/mechanism-documents/{{id}}/accept/",
            f"{API}/mechanism-documents/{{id}}/return/"} <= set(schema)  # fmt: skip

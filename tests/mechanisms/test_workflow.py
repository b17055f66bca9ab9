"""The monitoring's path: a head attaches documents (file or published link), the committee accepts or returns
them, the matrix counts what is accepted, and every change is in the document's history."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mechanisms import services
from mechanisms.demo import load_directions
from mechanisms.models import DocumentStatus, MechanismDocument, MechanismEvent
from tests.mechanisms.factories import pdf, small_monitoring

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def required(people):
    return small_monitoring(people)


def _submit_url(people, doc):
    return reverse("mechanisms:submit", args=[people.mun_a.pk, doc.pk])


def _card(people, municipality=None):
    return f"{reverse('mechanisms:card', args=[(municipality or people.mun_a).pk])}?year={YEAR}"


def test_submit_accept_and_the_matrix_counts_it(people, client, required):
    client.force_login(people.head_a)
    page = client.post(_submit_url(people, required[0]), {"year": YEAR, "file": pdf()}, follow=True).text
    assert "представлен на проверку" in page and "Положение.pdf" in page
    client.post(
        _submit_url(people, required[1]), {"year": YEAR, "url": "https://edu.example.ru/docs/goals.pdf"}
    )
    documents = MechanismDocument.objects.filter(municipality=people.mun_a, year=YEAR)
    assert [d.status for d in documents] == [DocumentStatus.SUBMITTED] * 2

    client.force_login(people.committee)
    first = documents.get(required=required[0])
    page = client.post(reverse("mechanisms:action", args=[first.pk, "accept"]), follow=True).text
    assert "принят" in page
    first.refresh_from_db()
    assert first.status == DocumentStatus.ACCEPTED and first.reviewed_by == people.committee
    assert first.link == reverse("mechanisms:file", args=[first.pk])
    assert client.get(first.link).getvalue().startswith(b"%PDF")

    matrix = client.get(reverse("mechanisms:matrix"), {"year": YEAR}).text
    assert "Всеволожский муниципальный район" in matrix and "Выборгский муниципальный район" in matrix
    assert "1&thinsp;/&thinsp;2" in matrix  # the first direction: one of two accepted
    assert "25 %" in matrix  # 1 of the municipality's 4 documents
    book = load_workbook(
        BytesIO(client.get(reverse("mechanisms:matrix"), {"year": YEAR, "format": "xlsx"}).content)
    )
    rows = {row[0]: row for row in book.active.iter_rows(values_only=True)}
    assert rows["Всеволожский муниципальный район"][1:6] == ("1 из 2", "0 из 2", 1, 4, 25)
    assert rows["Выборгский муниципальный район"][1:4] == ("0 из 2", "0 из 2", 0)


def test_returned_document_is_submitted_again_and_its_history_shows_every_step(people, client, required):
    document = services.document_submit(actor=people.head_a, municipality=people.mun_a, required=required[0],
                                        year=YEAR, url="https://edu.example.ru/polozhenie")  # fmt: skip
    client.force_login(people.committee)
    response = client.post(
        reverse("mechanisms:action", args=[document.pk, "return"]), {"comment": ""}, follow=True
    )
    assert "напишите, что нужно исправить" in response.text
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED
    client.post(reverse("mechanisms:action", args=[document.pk, "return"]), {"comment": "Нет показателей."})
    document.refresh_from_db()
    assert document.status == DocumentStatus.RETURNED

    client.force_login(people.head_a)
    card = client.get(_card(people)).text
    assert "Нет показателей." in card and "Представить снова" in card
    client.post(_submit_url(people, required[0]), {"year": YEAR, "file": pdf("Положение, ред. 2.pdf")})
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED and document.url == "" and document.file_name
    steps = [(e.from_status, e.to_status, e.actor.username) for e in document.events.all()]
    assert steps == [("", "submitted", "head_a"), ("submitted", "returned", "committee"),
                     ("returned", "submitted", "head_a")]  # fmt: skip
    history = client.get(_card(people)).text
    assert (
        "История (3)" in history
        and "возвращён на доработку" in history
        and "Положение, ред. 2.pdf" in history
    )


def test_an_accepted_document_is_final(people, required):
    document = services.document_submit(actor=people.head_a, municipality=people.mun_a, required=required[0],
                                        year=YEAR, url="https://edu.example.ru/a")  # fmt: skip
    services.document_accept(document=document, actor=people.committee)
    with pytest.raises(ValidationError, match="принят"):
        services.document_submit(actor=people.head_a, municipality=people.mun_a, required=required[0], year=YEAR,
                                 url="https://edu.example.ru/b")  # fmt: skip
    with pytest.raises(ValidationError):
        services.document_return(document=document, actor=people.committee, comment="Поздно")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "ftp://edu.example.ru/doc"}, "начинающийся с http:// или https://"),
        ({"url": "javascript:alert(1)"}, "не является адресом сайта"),
        ({"url": "сайт комитета"}, "не является адресом сайта"),
        ({}, "приложите файл или укажите ссылку"),
        (
            {"file": SimpleUploadedFile("Положение.pdf", b"MZ\x90\x00 not a pdf")},
            "не соответствует расширению",
        ),
        ({"file": SimpleUploadedFile("Положение.exe", b"MZ\x90\x00")}, "такой тип не принимается"),
    ],
)
def test_bad_link_or_file_is_refused_with_a_message_naming_the_document(
    people, client, required, data, message
):
    client.force_login(people.head_a)
    page = client.post(_submit_url(people, required[0]), {"year": YEAR, **data}, follow=True).text
    assert message in page
    assert "«Положение» (направление «Система работы со школами с низкими результатами»)" in page
    assert not MechanismDocument.objects.exists() and not MechanismEvent.objects.exists()


def test_only_the_municipalitys_own_head_submits(people, required):
    for actor in (people.head_b, people.committee, people.observer, people.director_a):
        with pytest.raises(PermissionDenied):
            services.document_submit(actor=actor, municipality=people.mun_a, required=required[0], year=YEAR,
                                     url="https://edu.example.ru/a")  # fmt: skip
    assert not MechanismDocument.objects.exists()


def test_only_committee_staff_review_and_never_their_own_submission(people, required):
    document = services.document_submit(actor=people.head_a, municipality=people.mun_a, required=required[0],
                                        year=YEAR, url="https://edu.example.ru/a")  # fmt: skip
    for actor in (people.observer, people.head_a, people.head_b, people.loiro_staff):
        with pytest.raises(PermissionDenied):
            services.document_accept(document=document, actor=actor)
        with pytest.raises(PermissionDenied):
            services.document_return(document=document, actor=actor, comment="Нет")
    head = people.head_a
    head.role = "committee"  # the same person moved to the committee may not accept what they submitted
    with pytest.raises(PermissionDenied, match="представленный вами"):
        services.document_accept(document=document, actor=head)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED


def test_the_demo_monitoring_has_seven_directions_of_six_documents(people):
    required = load_directions(people.mun_a.region)
    assert len(required) == 42 and len({r.direction_id for r in required}) == 7
    assert load_directions(people.mun_a.region) == required  # loading again changes nothing


def test_the_municipality_page_links_to_its_card(people, client, required):
    client.force_login(people.head_a)
    page = client.get(people.mun_a.get_absolute_url()).text
    assert reverse("mechanisms:card", args=[people.mun_a.pk]) in page
    assert "Механизмы управления" in client.get(reverse("home")).text


def test_the_matrix_lists_directions_by_their_number(people, client):
    from mechanisms.models import Direction, RequiredDocument

    for number in (3, 1, 2):
        direction = Direction.objects.create(
            region=people.mun_a.region, number=number, name=f"Направление {number}"
        )
        RequiredDocument.objects.create(direction=direction, name="Положение")
    client.force_login(people.committee)
    book = load_workbook(BytesIO(client.get(reverse("mechanisms:matrix"), {"format": "xlsx"}).content))
    header = next(book.active.iter_rows(values_only=True))
    assert header[1:4] == ("1. Направление 1", "2. Направление 2", "3. Направление 3")


def test_the_region_edits_directions_and_documents_in_the_admin(people, client, required):
    people.committee.is_superuser = True
    people.committee.save()
    client.force_login(people.committee)
    services.document_submit(actor=people.head_a, municipality=people.mun_a, required=required[0], year=YEAR,
                             url="https://edu.example.ru/a")  # fmt: skip
    for url in ("/admin/mechanisms/direction/", f"/admin/mechanisms/direction/{required[0].direction_id}/change/",
                "/admin/mechanisms/mechanismdocument/", "/admin/mechanisms/monitoringlink/add/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Направления мониторинга механизмов управления" in client.get("/admin/").text
    page = client.get(f"/admin/mechanisms/direction/{required[0].direction_id}/change/").text
    assert "Требуемые документы" in page and "Цели и показатели" in page

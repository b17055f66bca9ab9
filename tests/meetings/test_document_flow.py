"""Asking for a PDF: queued → rendered by a worker → downloaded only within scope; a new revision, a new file."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from meetings import services
from meetings.deadlines import parse_deadline
from meetings.models import Document
from meetings.parties import PartyResolver
from tests.meetings.factories import committee_meeting, decision, written


def pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def test_request_render_download(people, client, django_capture_on_commit_callbacks):
    meeting = committee_meeting(
        people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "руководители ОМСУ")
    )
    client.force_login(people.head_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    document = Document.objects.get()
    assert response.url == document.get_absolute_url()
    document.refresh_from_db()
    assert document.status == "ready" and document.revision == 1
    text = pdf_text(client.get(document.get_absolute_url()))
    assert "ПРОТОКОЛ" in text and "Провести анализ ВПР" in text
    client.force_login(people.director_b)
    assert client.get(document.get_absolute_url()).status_code == 404
    # asking again for the same revision gives the same file
    client.force_login(people.committee)
    client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    assert Document.objects.count() == 1


def test_a_changed_protocol_gets_a_new_file(people, client, django_capture_on_commit_callbacks):
    meeting = committee_meeting(people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "ЛОИРО"))
    client.force_login(people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    target = meeting.items.get().decisions.get()
    services.decision_update(
        decision=target, actor=people.committee, text="Провести анализ ВПР и ОГЭ.", tracked=True,
        deadline=parse_deadline(f"до {written(30)}"), responsible_text="ЛОИРО", parties=[PartyResolver().resolve("ЛОИРО")],
        controller=people.committee, comment="Уточнена формулировка",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    first, second = Document.objects.order_by("pk")
    assert (first.revision, second.revision) == (1, 2)
    assert "Провести анализ ВПР и ОГЭ" in pdf_text(client.get(second.get_absolute_url()))
    assert "Редакция 2" in pdf_text(client.get(second.get_absolute_url()))


def test_status_page_while_rendering(people, client):
    meeting = committee_meeting(people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "ЛОИРО"))
    client.force_login(people.committee)
    client.post(
        reverse("meetings:document_request", args=[meeting.pk, "decisions"])
    )  # no commit hook: still queued
    document = Document.objects.get()
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200 and "в очереди" in page.text.lower() and "hx-trigger" in page.text


def test_the_status_report_of_all_units_is_only_for_those_who_see_all_units(people, client,
                                                                            django_capture_on_commit_callbacks):  # fmt: skip
    meeting = committee_meeting(
        people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "руководители ОМСУ")
    )
    client.force_login(people.head_a)  # an addressee: sees own obligation only
    assert client.post(reverse("meetings:document_request", args=[meeting.pk, "status"])).status_code == 404
    assert "Справка об исполнении" not in client.get(meeting.get_absolute_url()).text
    client.force_login(people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:document_request", args=[meeting.pk, "status"]))
    status = Document.objects.get(kind="status")
    assert "Выборгского района" in pdf_text(client.get(status.get_absolute_url()))
    client.force_login(people.head_a)
    assert client.get(status.get_absolute_url()).status_code == 404


def test_the_observer_cannot_start_a_render(people, client, django_capture_on_commit_callbacks):
    meeting = committee_meeting(
        people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "руководители ОМСУ")
    )
    client.force_login(people.observer)
    assert "Документы ещё не сформированы" in client.get(meeting.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    assert response.status_code == 403
    assert "Наблюдатель не может заказывать PDF" in response.text
    assert not Document.objects.exists()
    with pytest.raises(PermissionDenied):
        services.document_request(meeting=meeting, kind="protocol", actor=people.observer)
    # what others asked for, the observer reads
    client.force_login(people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    client.force_login(people.observer)
    document = Document.objects.get()
    assert "Провести анализ ВПР" in pdf_text(client.get(document.get_absolute_url()))

"""A PDF document's status changes (queued → rendering → ready/failed) are lines of its history."""

from unittest import mock

from django.urls import reverse

from meetings.documents import document_render
from meetings.models import Document
from tests.meetings.factories import committee_meeting, decision, written


def test_a_rendered_document_writes_one_event_per_change(people, client, django_capture_on_commit_callbacks):
    meeting = committee_meeting(people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "ЛОИРО"))
    client.force_login(people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:document_request", args=[meeting.pk, "protocol"]))
    document = Document.objects.get()
    assert document.status == "ready"
    assert [(e.from_status, e.to_status, e.actor) for e in document.events.all()] == [
        ("", "queued", people.committee), ("queued", "rendering", people.committee),
        ("rendering", "ready", people.committee),
    ]  # fmt: skip
    assert document_render(document.pk) == "skipped" and document.events.count() == 3  # a duplicate delivery


def test_a_failed_render_keeps_its_reason_in_the_history(people, client):
    meeting = committee_meeting(people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "ЛОИРО"))
    client.force_login(people.committee)
    client.post(reverse("meetings:document_request", args=[meeting.pk, "decisions"]))  # queued, not rendered
    document = Document.objects.get()
    with mock.patch("meetings.documents.render_document", side_effect=OSError("шрифт не найден")):
        assert document_render(document.pk) == "failed"
    last = document.events.last()
    assert (last.from_status, last.to_status, last.comment) == ("rendering", "failed", "шрифт не найден")
    assert document.events.count() == 3

"""The thread on an obligation: executor and controller write, with files; history, notices, scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.comments import obligation_comment
from meetings.models import Obligation, ObligationComment, ObligationEvent
from portal.models import Notification
from tests.meetings.factories import committee_meeting, decision, written

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def obligation(people):
    committee_meeting(
        people,
        decision("1", "Представить анализ ВПР.", f"до {written(10)}", "руководители ОМСУ"),
        decision("2", "Провести заседания ШМО.", f"до {written(20)}", "СОШ № 1 Всеволожск"),
    )
    Notification.objects.all().delete()
    return Obligation.objects.get(municipality=people.mun_a)


def test_the_executor_writes_with_a_file_and_the_controller_is_told_once(client_for, people, obligation):
    client = client_for(people.head_a)
    upload = SimpleUploadedFile("Вопрос по форме.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("meetings:obligation_action", args=[obligation.pk, "comment"]),
        {"text": "Уточните, нужна ли разбивка по школам?", "files": [upload]},
    )
    assert response.status_code == 302
    comment = ObligationComment.objects.get(obligation=obligation)
    assert comment.author == people.head_a and comment.files.get().name == "Вопрос по форме.pdf"
    event = obligation.events.get(kind=ObligationEvent.Kind.COMMENTED)
    assert event.comment == "Уточните, нужна ли разбивка по школам?" and event.data["files"] == [
        "Вопрос по форме.pdf"
    ]
    told = Notification.objects.filter(text__startswith="Новый комментарий")
    assert [n.user for n in told] == [people.committee]
    assert obligation.reference in told.get().text
    page = client.get(obligation.get_absolute_url()).content.decode()
    assert "Уточните, нужна ли разбивка по школам?" in page and "Вопрос по форме.pdf" in page
    assert "комментарий" in page  # the history line
    file_url = comment.files.get().get_absolute_url()
    assert client_for(people.committee).get(file_url).status_code == 200
    assert client_for(people.head_b).get(file_url).status_code == 404
    assert client_for(people.director_a).get(file_url).status_code == 404


def test_the_controller_answers_through_the_api(client_for, people, obligation):
    obligation_comment(obligation=obligation, actor=people.head_a, text="Нужна ли разбивка?")
    url = reverse("api:obligation-comments", args=[obligation.pk])
    api = client_for(people.committee)
    response = api.post(url, {"text": "Да, по каждой школе."}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["author"] == people.committee.short_name
    assert [n.text for n in Notification.objects.filter(user=people.head_a)] == [
        f"Новый комментарий: КО Всеволожского района, {obligation.reference} — "
        f"{people.committee.short_name}: Да, по каждой школе."
    ]
    thread = client_for(people.head_a).get(url).json()
    assert [c["text"] for c in thread] == ["Нужна ли разбивка?", "Да, по каждой школе."]
    assert client_for(people.head_b).get(url).status_code == 404


def test_only_the_two_sides_may_write(client_for, people, obligation):
    school_duty = Obligation.objects.get(school=people.school_a)
    url = reverse("api:obligation-comments", args=[school_duty.pk])
    # the head sees the school's obligation but neither carries it out nor controls it
    refused = client_for(people.head_a).post(url, {"text": "Вопрос"}, content_type="application/json")
    assert refused.status_code == 403
    assert "исполнитель и контролирующий орган" in refused.json()["detail"]
    observer = client_for(people.observer).post(url, {"text": "Вопрос"}, content_type="application/json")
    assert observer.status_code == 403
    assert (
        client_for(people.director_a)
        .post(url, {"text": "Вопрос"}, content_type="application/json")
        .status_code
        == 201
    )
    assert ObligationComment.objects.count() == 1


def test_bad_input_is_named_and_nothing_is_saved(client_for, people, obligation):
    url = reverse("api:obligation-comments", args=[obligation.pk])
    fake = SimpleUploadedFile("справка.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client_for(people.head_a).post(url, {"text": "См. файл", "files": [fake]})
    assert response.status_code == 400
    assert "справка.pdf" in str(response.json()["files"])
    empty = client_for(people.head_a).post(url, {"text": "  "}, content_type="application/json")
    assert empty.status_code == 400
    page = client_for(people.head_a).post(
        reverse("meetings:obligation_action", args=[obligation.pk, "comment"]), {"text": "См. файл", "files": [
            SimpleUploadedFile("справка.pdf", b"not a pdf at all", content_type="application/pdf")]}
    )  # fmt: skip
    assert page.status_code == 400 and "справка.pdf" in page.content.decode()
    assert not ObligationComment.objects.exists()
    assert not obligation.events.filter(kind=ObligationEvent.Kind.COMMENTED).exists()
    assert not Notification.objects.exists()

"""A survey response moves only as its table allows, and every change is a line of the history on its page."""

from django.urls import reverse

from surveys.models import Question, SurveyResponse
from tests.surveys.test_questionnaires import PDF, answers, send


def submitted(client, people):
    """The director of school A saves a draft and then submits; returns the response and the questions."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    send(client, people)
    questions = list(Question.objects.order_by("order"))
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    assert (
        client.post(mine.get_absolute_url(), {f"q{questions[0].pk}": "no", "action": "draft"}).status_code
        == 302
    )
    data = {
        **answers(questions),
        f"q{questions[7].pk}": SimpleUploadedFile("приказ.pdf", PDF),
        "action": "submit",
    }
    assert client.post(mine.get_absolute_url(), data).status_code == 302
    mine.refresh_from_db()
    assert mine.status == SurveyResponse.Status.SUBMITTED
    return mine, questions


def test_each_change_writes_one_event_with_from_and_to(people, client):
    mine, _questions = submitted(client, people)
    assert [(e.kind, e.from_status, e.to_status, e.actor) for e in mine.events.all()] == [
        ("saved", "pending", "draft", people.director_a),
        ("submitted", "draft", "submitted", people.director_a),
    ]
    client.force_login(people.committee)
    client.post(reverse("surveys:survey_reopen", args=[mine.pk]))
    reopened = mine.events.last()
    assert (reopened.kind, reopened.from_status, reopened.to_status, reopened.actor) == (
        "reopened", "submitted", "submitted", people.committee,
    )  # fmt: skip
    page = client.get(mine.get_absolute_url()).text
    assert "История" in page and "сохранён черновик" in page and "не заполнена → черновик" in page
    assert (
        "анкета отправлена" in page and "черновик → отправлена" in page and "открыта для дополнения" in page
    )


def test_a_submitted_response_is_not_turned_back_into_a_draft(people, client):
    mine, questions = submitted(client, people)
    response = client.post(mine.get_absolute_url(), {f"q{questions[0].pk}": "yes", "action": "draft"})
    assert response.status_code == 400
    assert "Анкета в состоянии «отправлена»: перевести её в «черновик» нельзя." in response.text
    mine.refresh_from_db()
    assert mine.status == SurveyResponse.Status.SUBMITTED and mine.events.count() == 2
    assert mine.answers.get(question=questions[0]).value is True  # the submitted answer, not the refused one
    # the page offers no draft button for a submitted response, only sending the changes again
    page = client.get(mine.get_absolute_url()).text
    assert "Отправить ответы" in page and "Сохранить черновик" not in page
    # the API refuses it the same way
    url = reverse("api:survey-response-answer", args=[mine.pk])
    refused = client.post(url, {"answers": {str(questions[0].pk): "no"}}, content_type="application/json")
    assert refused.status_code == 400 and "перевести её в «черновик» нельзя" in str(refused.json())
    mine.refresh_from_db()
    assert mine.status == SurveyResponse.Status.SUBMITTED and mine.events.count() == 2

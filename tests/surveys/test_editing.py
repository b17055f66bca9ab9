"""A questionnaire can be edited until the first answer arrives; afterwards the service refuses in Russian."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from surveys.models import SurveyResponse
from surveys.sending import survey_send
from surveys.services import questionnaire_create, questionnaire_update
from tests.surveys.test_recipients import page_text


def made(people):
    return questionnaire_create(actor=people.committee, title="Анкета", text="1. Есть ли план?")


def test_the_owner_edits_the_questions_before_anyone_answers(people, client):
    q = made(people)
    client.force_login(people.committee)
    edit = reverse("surveys:questionnaire_edit", args=[q.pk])
    assert "Есть ли план?" in page_text(client.get(edit))
    response = client.post(
        edit, {"title": "Анкета ГИА", "text": "1. Есть ли план?\n2. Сколько учителей? [число]"}
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.title == "Анкета ГИА" and list(q.questions.values_list("kind", flat=True)) == [
        "yes_no",
        "number",
    ]


def test_after_the_first_answer_editing_is_refused_and_nothing_changes(people, client):
    q = made(people)
    survey = survey_send(actor=people.committee, questionnaire=q, schools=[people.school_a],
                         due_date=timezone.localdate() + timedelta(days=3))  # fmt: skip
    SurveyResponse.objects.filter(survey=survey).update(status="draft")
    with pytest.raises(ValidationError) as refused:
        questionnaire_update(actor=people.committee, questionnaire=q, title="Другая", text="1. Другой вопрос")
    assert refused.value.messages == [
        "Анкету нельзя изменить: на неё уже начали отвечать (1). Сделайте копию и измените её."
    ]
    client.force_login(people.committee)
    response = client.post(
        reverse("surveys:questionnaire_edit", args=[q.pk]), {"title": "Другая", "text": "1. Б"}
    )
    assert response.status_code == 400 and "уже начали отвечать" in page_text(response)
    q.refresh_from_db()
    assert q.title == "Анкета" and list(q.questions.values_list("text", flat=True)) == ["Есть ли план?"]
    assert "Изменить" not in page_text(client.get(q.get_absolute_url())).replace("изменить нельзя", "")


def test_only_the_owner_edits(people, client):
    q = made(people)
    for user in (people.head_a, people.director_a, people.observer):
        client.force_login(user)
        response = client.post(
            reverse("surveys:questionnaire_edit", args=[q.pk]), {"title": "Чужая", "text": "1. Б"}
        )
        assert response.status_code in (403, 404), user
    q.refresh_from_db()
    assert q.title == "Анкета"

"""The protocol of an interview shows the questionnaires sent for it, though meetings knows nothing of surveys:
the section comes through the hook the surveys app registers."""

from datetime import timedelta

from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from meetings import documents
from surveys.sending import survey_send
from surveys.services import questionnaire_create, response_save
from tests.meetings.factories import committee_meeting


def test_the_interview_protocol_summarises_the_answers_of_its_questionnaire(people):
    meeting = committee_meeting(people)
    questionnaire = questionnaire_create(
        actor=people.committee, title="Вопросы для собеседования", text="1. Есть ли план подготовки к ГИА?"
    )
    survey = survey_send(actor=people.committee, questionnaire=questionnaire, meeting=meeting,
                         schools=[people.school_a, people.school_b],
                         due_date=timezone.localdate() + timedelta(days=3))  # fmt: skip
    question = questionnaire.questions.get()
    response_save(response=survey.responses.get(school=people.school_a), actor=people.director_a,
                  data=MultiValueDict({f"q{question.pk}": ["yes"]}), files={}, submit=True)  # fmt: skip

    html = " ".join(documents.render_html(meeting, "protocol").split())

    assert "АНКЕТА «Вопросы для собеседования»: ответили 1 из 2" in html
    assert "1. Есть ли план подготовки к ГИА? — ответов: 1; да — 1" in html
    assert "АНКЕТА" not in documents.render_html(meeting, "decisions")


def test_a_protocol_without_questionnaires_has_no_questionnaire_section(people):
    assert "АНКЕТА" not in documents.render_html(committee_meeting(people), "protocol")

"""The board's «Напомнить исполнителям» and the surveys tell people by e-mail too (#17): one e-mail to a person in
the immediate mode, none twice on a repeat, a line of the daily digest in the digest mode.

Through the real local SMTP server (tests/smtp.py) and the Celery task run in-process, as test_events does.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Obligation, ObligationEvent
from notifications.delivery import send_digest
from surveys.models import SurveyResponse
from surveys.sending import survey_remind_lagging, survey_send
from surveys.services import questionnaire_create, response_reopen
from tests.meetings.factories import committee_meeting, decision, written
from tests.notifications.test_events import mail_to, subject, text_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DUE = TODAY + timedelta(days=5)


def digest_mode(user):
    user.email_mode = "digest"
    user.save(update_fields=["email_mode"])


def digest_of(smtp, user) -> str:
    assert send_digest(user.pk, TODAY) == 1
    [message] = mail_to(smtp, user.username)
    return text_of(message)


@pytest.fixture
def obligations(people):
    committee_meeting(
        people, decision("1", "Представить анализ ВПР.", f"до {written(10)}", "руководители ОМСУ")
    )


def remind(client, obligation):
    return client.post(
        reverse("meetings:board_bulk"), {"action": "remind", "ids": [obligation.pk], "confirm": "1"}
    )


def test_the_board_reminder_is_emailed_once_a_day(
    people, smtp, obligations, client_for, django_capture_on_commit_callbacks
):
    client = client_for(people.committee)
    own = Obligation.objects.get(municipality=people.mun_a)
    smtp.inbox.messages.clear()
    for _ in range(2):  # a second click the same day e-mails nobody again
        with django_capture_on_commit_callbacks(execute=True):
            remind(client, own)
    [message] = mail_to(smtp, "head_a")
    assert subject(message) == f"Напоминание: {own.reference}, срок — {written(10)}"
    assert "Представить анализ ВПР." in text_of(message) and own.get_absolute_url() in text_of(message)
    assert mail_to(smtp, "head_b") == []
    assert own.events.filter(kind=ObligationEvent.Kind.REMINDED).count() == 2  # the history keeps both clicks


def test_the_board_reminder_goes_to_the_digest_in_digest_mode(
    people, smtp, obligations, client_for, django_capture_on_commit_callbacks
):
    digest_mode(people.head_b)
    other = Obligation.objects.get(municipality=people.mun_b)
    smtp.inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remind(client_for(people.committee), other)
    assert mail_to(smtp, "head_b") == []
    assert f"• Напоминание: {other.reference}, срок — {written(10)}" in digest_of(smtp, people.head_b)


@pytest.fixture
def survey(people, django_capture_on_commit_callbacks):
    digest_mode(people.director_b)
    q = questionnaire_create(actor=people.committee, title="Готовность к ГИА", text="1. Есть ли план?")
    with django_capture_on_commit_callbacks(execute=True):
        return survey_send(actor=people.committee, questionnaire=q, due_date=DUE,
                           schools=[people.school_a, people.school_b])  # fmt: skip


def test_a_sent_questionnaire_is_emailed_with_a_quotable_subject(people, smtp, survey):
    [message] = mail_to(smtp, "director_a")
    assert subject(message) == f"Анкета «Готовность к ГИА»: ответ до {DUE:%d.%m.%Y}"
    response = SurveyResponse.objects.get(survey=survey, school=people.school_a)
    assert response.get_absolute_url() in text_of(message)
    # in the digest mode: no e-mail now, a line of the daily digest
    assert mail_to(smtp, "director_b") == []
    assert f"• Анкета «Готовность к ГИА»: ответ до {DUE:%d.%m.%Y}" in digest_of(smtp, people.director_b)


def test_remind_lagging_is_emailed_once_a_day(people, smtp, survey, django_capture_on_commit_callbacks):
    smtp.inbox.messages.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            survey_remind_lagging(actor=people.committee, survey=survey)
    [message] = mail_to(smtp, "director_a")
    assert subject(message) == f"Напоминание: анкета «Готовность к ГИА» ждёт ответа до {DUE:%d.%m.%Y}"
    assert mail_to(smtp, "director_b") == []
    assert send_digest(people.director_b.pk, TODAY) == 2  # the questionnaire and the reminder


def test_a_reopened_response_is_emailed_once(people, smtp, survey, django_capture_on_commit_callbacks):
    response = SurveyResponse.objects.get(survey=survey, school=people.school_a)
    SurveyResponse.objects.filter(pk=response.pk).update(status="submitted", submitted_at=timezone.now())
    smtp.inbox.messages.clear()
    for _ in range(2):  # reopened twice without a new submission: told once
        with django_capture_on_commit_callbacks(execute=True):
            response_reopen(response=response, actor=people.committee)
    [message] = mail_to(smtp, "director_a")
    assert subject(message) == f"Анкету «Готовность к ГИА» можно дополнить: ответ до {DUE:%d.%m.%Y}"

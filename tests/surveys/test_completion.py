"""The sender sees the completion per municipality and reminds the lagging ones in one click, at most once a day."""

from datetime import timedelta

from django.utils import timezone

from notifications.models import Notification
from surveys.models import SurveyResponse
from surveys.sending import survey_remind_lagging, survey_send
from surveys.services import questionnaire_create
from tests.surveys.test_recipients import page_text


def sent(people):
    q = questionnaire_create(actor=people.committee, title="Готовность к ГИА", text="1. Есть ли план?")
    survey = survey_send(actor=people.committee, questionnaire=q, due_date=timezone.localdate() + timedelta(days=5),
                         schools=[people.school_a, people.school_a2, people.school_b])  # fmt: skip
    SurveyResponse.objects.filter(survey=survey, school=people.school_a).update(status="submitted")
    SurveyResponse.objects.filter(survey=survey, school=people.school_a2).update(status="draft")
    return survey


def reminders(user) -> int:
    return Notification.objects.filter(user=user, text__startswith="Напоминание: анкета").count()


def test_the_page_shows_answered_drafts_and_not_started_per_municipality(people, client):
    survey = sent(people)
    client.force_login(people.committee)
    page = page_text(client.get(survey.get_absolute_url()))
    # the smallest share answered first: none of Выборгский's one school, one of Всеволожский's two
    assert "Выборгский муниципальный район 0 0 1 1 Всеволожский муниципальный район 1 1 0 2" in page
    assert "Напомнить отстающим (2)" in page


def test_remind_lagging_tells_each_lagging_recipient_once_a_day(people, client):
    survey = sent(people)
    client.force_login(people.committee)
    response = client.post(f"{survey.get_absolute_url()}remind/", follow=True)
    assert "Напоминание отправлено отстающим: 2." in page_text(response)
    assert reminders(people.director_b) == 1 and reminders(people.director_a) == 0  # school_a has answered
    again = client.post(f"{survey.get_absolute_url()}remind/", follow=True)
    assert "Напоминать некому" in page_text(again) and reminders(people.director_b) == 1
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert survey_remind_lagging(actor=people.committee, survey=survey, today=tomorrow) == 2
    assert reminders(people.director_b) == 2


def test_only_the_sender_reminds(people, client):
    survey = sent(people)
    for user in (people.observer, people.head_b):
        client.force_login(user)
        assert client.post(f"{survey.get_absolute_url()}remind/").status_code == 403
    client.force_login(people.director_a)
    assert "Напомнить отстающим" not in page_text(client.get(survey.get_absolute_url()))
    assert reminders(people.director_b) == 0


def test_daily_reminders_reach_authorities_and_organisations_that_have_not_answered(people):
    from notifications.reminders import send_reminders

    q = questionnaire_create(actor=people.committee, title="Анкета органов", text="1. Есть ли план?")
    tomorrow = timezone.localdate() + timedelta(days=1)
    survey_send(
        actor=people.committee,
        questionnaire=q,
        due_date=tomorrow,
        municipalities=[people.mun_a, people.mun_b],
    )
    survey_send(actor=people.committee, questionnaire=q, due_date=tomorrow, organizations=[people.loiro])
    SurveyResponse.objects.filter(municipality=people.mun_b).update(status="submitted")
    planned = [p for p in send_reminders(timezone.localdate()) if p.candidate.target_model is SurveyResponse]
    assert sorted(p.recipient.username for p in planned) == ["head_a", "loiro_staff"]

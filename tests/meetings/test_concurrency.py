"""Two controllers acting at once cannot both win: the obligation row is locked (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from meetings import services
from meetings.models import Obligation, ObligationEvent
from tests.meetings.factories import committee_meeting, decision, written

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_two_controllers_accept_at_once_and_exactly_one_wins():
    from municipalities.models import User
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():  # an earlier transactional test flushed the database
        build_personas()
    people = load_personas()
    committee_meeting(people, decision("1", "Представить анализ.", f"до {written(10)}", "ЛОИРО"))
    obligation = Obligation.objects.get()
    services.report_submit(obligation=obligation, actor=people.loiro_staff, text="Готово")

    barrier = threading.Barrier(2)
    outcomes = []

    def accept():
        try:
            barrier.wait()
            services.report_accept(obligation=obligation, actor=people.committee)
            outcomes.append("accepted")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "Отчёт уже рассмотрен: обновите страницу."]
    assert ObligationEvent.objects.filter(kind="accepted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_parallel_posts_of_one_review_form_make_one_protocol():
    from django.test import Client
    from django.urls import reverse

    from meetings.models import Meeting
    from municipalities.models import User
    from tests.html_forms import form_data
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():
        build_personas()
    people = load_personas()
    review = reverse("meetings:meeting_review")
    first = Client()
    first.force_login(people.committee)
    text = (f"ПРОТОКОЛ совещания № 8\n{written(-1)}\nРЕШИЛИ:\n1. Провести анализ результатов ВПР.\n"
            f"Срок: до {written(20)}\nОтветственные: руководители ОМСУ\n")  # fmt: skip
    page = first.post(reverse("meetings:meeting_new"), {"text": text})
    data = {**form_data(page.text, review), "action": ["sign"]}

    barrier = threading.Barrier(2)
    locations = []

    def post():
        client = Client()
        client.force_login(people.committee)
        try:
            barrier.wait()
            response = client.post(review, data)
            locations.append((response.status_code, response.get("Location")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    meeting = Meeting.objects.get()
    assert locations == [(302, meeting.get_absolute_url())] * 2
    assert Obligation.objects.filter(decision__item__meeting=meeting).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_parallel_sends_of_one_questionnaire_form_make_one_survey():
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from municipalities.models import User
    from surveys.models import Survey, SurveyResponse
    from surveys.sending import survey_send
    from surveys.services import questionnaire_create
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():  # an earlier transactional test flushed the database
        build_personas()
    people = load_personas()
    questionnaire = questionnaire_create(actor=people.committee, title="Анкета", text="1. Есть ли план?")
    key, due = uuid.uuid4(), timezone.localdate() + timedelta(days=5)
    barrier = threading.Barrier(2)
    sent = []

    def send():
        try:
            barrier.wait()
            survey = survey_send(actor=people.committee, questionnaire=questionnaire, due_date=due,
                                 schools=[people.school_a, people.school_b], form_key=key)  # fmt: skip
            sent.append(survey.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(sent) == 2 and sent[0] == sent[1]
    assert Survey.objects.count() == 1 and SurveyResponse.objects.count() == 2

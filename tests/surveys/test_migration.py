"""Questionnaires moved from meetings to surveys: a database migrated from before the move keeps every
questionnaire, survey, response and answer, and the content types (permissions, audit entries, reminders)
follow the models."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from meetings.models import Meeting
from municipalities.models import Municipality, Region, School, User
from surveys.models import Answer, Question, Questionnaire, Survey, SurveyResponse

LAST_BEFORE = ("meetings", "0015_planned_meetings")
BEFORE = [LAST_BEFORE, ("surveys", None)]


@pytest.mark.django_db(transaction=True)
def test_moving_the_questionnaires_keeps_every_row():
    region, _ = Region.objects.get_or_create(code="47", defaults={"name": "Ленинградская область"})
    municipality, _ = Municipality.objects.get_or_create(
        region=region, code="04", defaults={"name": "Всеволожский муниципальный район"}
    )
    school, _ = School.objects.get_or_create(
        municipality=municipality, code="04001", defaults={"name": "СОШ № 1", "short_name": "СОШ № 1"}
    )
    head = User.objects.create_user(
        username="migration-head", email="head@example.ru", password="x", role="federal"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([LAST_BEFORE]).apps
    meeting = old.get_model("meetings", "Meeting").objects.create(
        kind="interview",
        date=timezone.localdate(),
        title="Собеседование",
        created_by_id=head.pk,
        organizer_municipality_id=municipality.pk,
    )
    questionnaire = old.get_model("meetings", "Questionnaire").objects.create(
        title="Вопросы для собеседования", owner_municipality_id=municipality.pk, created_by_id=head.pk
    )
    OldQuestion = old.get_model("meetings", "Question")
    plan = OldQuestion.objects.create(
        questionnaire=questionnaire, order=1, text="Есть ли план?", kind="yes_no"
    )
    count = OldQuestion.objects.create(
        questionnaire=questionnaire, order=2, text="Сколько учителей?", kind="number"
    )
    survey = old.get_model("meetings", "Survey").objects.create(
        questionnaire=questionnaire, meeting_id=meeting.pk, sender_municipality_id=municipality.pk,
        due_date=timezone.localdate(), created_by_id=head.pk,
    )  # fmt: skip
    response = old.get_model("meetings", "SurveyResponse").objects.create(
        survey=survey,
        school_id=school.pk,
        status="submitted",
        submitted_at=timezone.now(),
        submitted_by_id=head.pk,
    )
    OldAnswer = old.get_model("meetings", "Answer")
    OldAnswer.objects.create(response=response, question=plan, value=True)
    OldAnswer.objects.create(response=response, question=count, value=12)
    assert ContentType.objects.filter(app_label="meetings", model="survey").exists()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Survey.objects.get()
    assert moved.questionnaire == Questionnaire.objects.get(title="Вопросы для собеседования")
    assert moved.meeting == Meeting.objects.get(title="Собеседование")
    assert list(moved.questionnaire.questions.values_list("text", flat=True)) == [
        "Есть ли план?",
        "Сколько учителей?",
    ]
    mine = SurveyResponse.objects.get()
    assert (mine.school, mine.status, mine.submitted_by) == (school, "submitted", head)
    assert sorted(a.display for a in Answer.objects.filter(response=mine)) == ["12", "да"]
    assert Question.objects.count() == 2
    assert ContentType.objects.get_for_model(Survey).app_label == "surveys"
    assert not ContentType.objects.filter(
        app_label="meetings", model__in=["questionnaire", "question", "survey", "surveyresponse", "answer"]
    ).exists()

"""Each bad value issue #13 found gave a server error; each is now a Russian message and nothing is saved."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, Obligation, Report
from surveys.models import Questionnaire, Survey, SurveyResponse
from tests.assessments.factories import ege
from tests.meetings.factories import committee_meeting, decision, written
from tests.surveys.test_questionnaires import send

BAD_IDS = ["abc", "1.5", "²", "-1", "0", "9" * 40, "1 OR 1=1"]


def page_text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_non_numeric_ids_in_query_strings_are_ignored_with_a_message(people, client, bad):
    campaign = ege(2025, {people.school_a: [50, 60]})
    client.force_login(people.committee)
    questionnaire = Questionnaire.objects.create(
        title="Анкета", owner_organization=people.committee_org, created_by=people.committee
    )
    for url, label in [
        (f"{reverse('assessments:campaign', args=[campaign.pk])}?municipality={bad}", "Муниципалитет"),
        (f"{reverse('assessments:olympiad')}?municipality={bad}&year={bad}", "Муниципалитет"),
        (f"{reverse('meetings:meeting_new')}?about_school={bad}", "Школа"),
        (f"{reverse('meetings:meeting_new')}?about_municipality={bad}", "Муниципалитет"),
        (f"{reverse('surveys:questionnaire_new')}?copy={bad}", "Анкета для копирования"),
        (f"{questionnaire.get_absolute_url()}?municipality={bad}", "Муниципалитет"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f"{label}: «" in page_text(response) and "не номер, фильтр не применён" in page_text(response)


@pytest.mark.parametrize("field", ["recipients", "meeting"])
def test_sending_a_questionnaire_with_a_non_numeric_school_or_meeting_is_refused(people, client, field):
    client.force_login(people.committee)
    questionnaire = Questionnaire.objects.create(
        title="Анкета", owner_organization=people.committee_org, created_by=people.committee
    )
    data = {
        "recipients": [people.school_a.pk],
        "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    data[field] = "abc"
    response = client.post(questionnaire.get_absolute_url(), data)
    assert response.status_code == 200
    assert (
        "Получатели: выберите из списка"
        if field == "recipients"
        else "Совещание: выберите совещание из списка"
    ) in (page_text(response))
    assert not Survey.objects.exists()


def test_two_sends_of_one_questionnaire_form_make_one_survey(people, client):
    client.force_login(people.committee)
    questionnaire = Questionnaire.objects.create(
        title="Анкета", owner_organization=people.committee_org, created_by=people.committee
    )
    page = page_text(client.get(questionnaire.get_absolute_url()))
    key = page.split('name="form_key" value="')[1].split('"')[0]
    data = {"recipients": [people.school_a.pk, people.school_b.pk], "form_key": key,
            "due_date": (timezone.localdate() + timedelta(days=5)).isoformat()}  # fmt: skip
    first = client.post(questionnaire.get_absolute_url(), data)
    second = client.post(questionnaire.get_absolute_url(), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Survey.objects.count() == 1 and SurveyResponse.objects.count() == 2
    fresh = page_text(client.get(questionnaire.get_absolute_url()))
    assert key not in fresh  # the next page gets a new key: a deliberate second send is still possible


HOSTILE_NUMBERS = ["nan", "inf", "-inf", "Infinity", "1e400", "9" * 5000, "1e5", "0x10", "12abc"]


@pytest.mark.parametrize("value", [*HOSTILE_NUMBERS, {"a": 1}, [[1]], [{"a": 1}]])
def test_number_answers_that_are_not_finite_plain_numbers_are_refused_by_the_api(people, client, value):
    send(client, people)
    number = Survey.objects.get().questionnaire.questions.get(kind="number")
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    response = client.post(reverse("api:survey-response-answer", args=[mine.pk]),
                           {"answers": {str(number.pk): value}}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert f"Вопрос {number.order}:" in str(response.json())
    assert not mine.answers.exists()
    mine.refresh_from_db()
    assert mine.status == "pending"


@pytest.mark.parametrize("value", ["nan", "-inf", "1e400", "9" * 5000])
def test_number_answers_are_refused_on_the_page(people, client, value):
    send(client, people)
    number = Survey.objects.get().questionnaire.questions.get(kind="number")
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    response = client.post(mine.get_absolute_url(), {f"q{number.pk}": value, "action": "save"})
    assert response.status_code == 400
    assert "введите число" in page_text(response) or "слишком большое число" in page_text(response)
    assert not mine.answers.exists()


def test_plain_numbers_are_still_accepted(people, client):
    send(client, people)
    number = Survey.objects.get().questionnaire.questions.get(kind="number")
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    for typed, stored in [("12", 12), ("3,5", 3.5), ("-0.25", -0.25), ("999999999999999", 999999999999999)]:
        response = client.post(reverse("api:survey-response-answer", args=[mine.pk]),
                               {"answers": {str(number.pk): typed}}, content_type="application/json")  # fmt: skip
        assert response.status_code == 200, typed
        assert mine.answers.get(question=number).value == stored


def test_a_questionnaire_title_over_300_characters_is_refused(people, client):
    client.force_login(people.committee)
    response = client.post(
        reverse("surveys:questionnaire_new"), {"title": "А" * 301, "text": "1. Есть ли план?"}
    )
    assert response.status_code == 200
    assert "Название анкеты: текст слишком длинный (301 знаков), допускается не более 300." in page_text(
        response
    )
    assert not Questionnaire.objects.exists()


def review_data(people, client, **override):
    """The review page of an empty protocol, filled in as a user would."""
    from tests.html_forms import form_data

    client.force_login(people.committee)
    page = client.get(reverse("meetings:meeting_new") + "?blank=1")
    data = form_data(page.content.decode(), reverse("meetings:meeting_review"))
    data.update({"date": [written(-3)[6:] + "-" + written(-3)[3:5] + "-" + written(-3)[:2]],
                 "title": ["О подготовке к ГИА"], "items-0-title": ["О подготовке"]})  # fmt: skip
    data.update({k: [v] for k, v in override.items()})
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("items-0-number", str(2**31), "Убедитесь, что это значение меньше либо равно 2147483647."),
        ("items-0-number", str(2**70), "Убедитесь, что это значение меньше либо равно 2147483647."),
        ("date", "0001-01-01", "дата 01.01.0001 вне допустимого диапазона"),
        ("date", "9999-12-31", "дата 31.12.9999 вне допустимого диапазона"),
    ],
)
def test_the_review_page_refuses_huge_item_numbers_and_absurd_dates(people, client, field, value, message):
    data = review_data(people, client, **{field: value}, action="draft")  # a post without it only re-checks
    response = client.post(reverse("meetings:meeting_review"), data)
    assert response.status_code in {200, 400}
    assert message in page_text(response)
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_the_service_refuses_an_agenda_number_beyond_the_database_integer(people):
    from django.core.exceptions import ValidationError

    from meetings import services

    draft = services.MeetingDraft(kind="meeting", date=date(2026, 3, 1), number="1", title="Т",
                                  items=[services.ItemDraft(number=2**31, title="Вопрос")])  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=people.committee, draft=draft, organizer_organization=people.committee_org
        )
    assert exc.value.messages == ["Вопрос повестки 2147483648: номер вопроса должен быть от 1 до 2147483647."]
    assert not Meeting.objects.exists()


@pytest.fixture
def obligation(people):
    committee_meeting(
        people, decision("1", "Проанализировать результаты.", f"до {written(20)}", "руководители ОМСУ")
    )
    return Obligation.objects.get(municipality=people.mun_a)


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_due_dates_outside_the_window_are_refused_by_page_and_api(people, client, obligation, bad):
    client.force_login(people.committee)
    response = client.post(reverse("api:obligation-due-date", args=[obligation.pk]), {"due_date": bad},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "вне допустимого диапазона" in str(response.json())
    response = client.post(
        reverse("meetings:obligation_action", args=[obligation.pk, "due_date"]), {"due_date": bad}
    )
    assert response.status_code == 400 and "вне допустимого диапазона" in page_text(response)
    client.force_login(people.head_a)
    response = client.post(reverse("api:obligation-extension", args=[obligation.pk]),
                           {"proposed_date": bad, "reason": "Нужно время"}, content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    obligation.refresh_from_db()
    assert obligation.due_date == date.fromisoformat(timezone.localdate().isoformat()) + timedelta(days=20)
    assert not obligation.extension_requests.exists()


def test_the_calendar_feed_survives_a_date_stored_before_the_window_was_enforced(people, client, obligation):
    Obligation.objects.filter(pk=obligation.pk).update(due_date=date(9999, 12, 31))
    client.force_login(people.head_a)
    client.post(reverse("profile"), {"action": "calendar"})
    people.head_a.refresh_from_db()
    feed = client.get(reverse("calendar", args=[people.head_a.calendar_token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert b"99991231" not in feed.content


def test_a_report_over_the_limit_is_refused_by_page_and_api(people, client, obligation):
    client.force_login(people.head_a)
    huge = "Сделано. " * 3000  # 27 000 characters
    response = client.post(reverse("api:obligation-report", args=[obligation.pk]), {"text": huge})
    assert response.status_code == 400 and "допускается не более 20 000" in str(response.json())
    response = client.post(
        reverse("meetings:obligation_action", args=[obligation.pk, "report"]), {"text": huge}
    )
    assert response.status_code == 400 and "допускается не более 20 000" in page_text(response)
    assert not Report.objects.exists()
    obligation.refresh_from_db()
    assert obligation.status == "assigned"


def test_a_decision_over_the_limit_is_refused(people, client, obligation):
    client.force_login(people.committee)
    url = reverse("meetings:decision_edit", args=[obligation.decision.pk])
    from tests.html_forms import form_data

    data = form_data(page_text(client.get(url)), url)
    data.update({"text": ["Решение. " * 1500], "comment": ["Уточнение"]})  # 13 500 characters
    response = client.post(url, data)
    assert response.status_code in {200, 400}
    assert "допускается не более 10 000" in page_text(response)
    obligation.decision.refresh_from_db()
    assert obligation.decision.text == "Проанализировать результаты."


def test_a_comment_over_the_limit_is_refused_by_the_api(people, client, obligation):
    client.force_login(people.committee)
    response = client.post(reverse("api:obligation-due-date", args=[obligation.pk]),
                           {"due_date": (timezone.localdate() + timedelta(days=30)).isoformat(), "comment": "x" * 6000},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 400 and "допускается не более 5 000" in str(response.json())
    assert not obligation.events.filter(kind="due_date_set").exists()


@pytest.mark.parametrize("data", [{"back": "abc", "meeting": "abc"}, {"flag": "²", "back": "abc"}])
def test_a_hostile_back_link_or_flag_id_on_flags_to_meeting_is_a_message(people, client, data):
    from assessments.models import SchoolFlag

    flag = SchoolFlag.objects.create(kind=SchoolFlag.Kind.LOW_RESULTS, school=people.school_a,
                                     municipality=people.mun_a, subject="Русский язык", year=2025, reasons=[], score=1.5)  # fmt: skip
    client.force_login(people.committee)
    response = client.post(reverse("assessments:flags_to_meeting"), {"flag": str(flag.pk), **data})
    assert response.status_code == 302 and response["Location"] == "/results/flags/"
    assert not Meeting.objects.exists()


def test_a_roadmap_review_comment_over_the_limit_is_refused(people):
    from django.core.exceptions import ValidationError

    from roadmaps import services as roadmap_services
    from roadmaps.models import RoadmapEvent
    from tests.roadmaps.factories import roadmap_meeting

    decision_ = roadmap_meeting(people)
    roadmap = roadmap_services.roadmap_for_obligation(
        obligation=Obligation.objects.get(decision=decision_, municipality=people.mun_a), actor=people.head_a
    )
    events = RoadmapEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        roadmap_services.roadmap_revise(roadmap=roadmap, actor=people.head_a, reason="x" * 5001)
    assert exc.value.message_dict == {
        "comment": ["Основание изменений: текст слишком длинный (5 001 знаков), допускается не более 5 000."]
    }
    assert RoadmapEvent.objects.count() == events


@pytest.mark.parametrize("stored", [date(1, 1, 1), date(9999, 12, 31)])
def test_the_daily_reminder_scan_survives_a_date_stored_before_the_window_was_enforced(
    people, obligation, stored
):
    from django.core.management import call_command

    Obligation.objects.filter(pk=obligation.pk).update(due_date=stored)
    call_command("send_reminders", "--dry-run")  # raises if a date overflows


def test_a_superscript_digit_is_not_an_id_for_attendance_or_a_year_for_olympiad_results(people, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = committee_meeting(people, decision("1", "Принять к сведению.", tracked=False))
    client.force_login(people.committee)
    response = client.post(reverse("meetings:meeting_attendance", args=[meeting.pk]), {"present": ["²"]})
    assert response.status_code == 302
    response = client.post(reverse("assessments:olympiad"),
                           {"year": "²", "file": SimpleUploadedFile("vsosh.csv", b"a;b\n")}, follow=True)  # fmt: skip
    assert "Укажите учебный год (год начала) и выберите файл." in page_text(response)

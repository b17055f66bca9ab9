"""A questionnaire is written as a list, sent to schools, answered by directors and tracked by the sender."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from notifications.reminders import send_reminders
from surveys.models import Question, Questionnaire, Survey, SurveyResponse
from surveys.services import parse_questions

QUESTIONS = """# Подготовка к ГИА
1. Размещён ли план подготовки к ГИА на сайте ОО?
2. Какая работа проводится со слабоуспевающими обучающимися?
3. Сколько учителей прошли курсы в этом году? [число]
4. Когда проведено последнее пробное тестирование? [дата]
5. Кто отвечает за подготовку? [один: директор; заместитель директора; руководитель МО]
6. Какие формы работы используются? [несколько: консультации; тренинги; индивидуальные планы]
# Объективность оценивания
7. Приглашаются ли независимые наблюдатели на ВПР?
8. Приложите приказ о проведении ВПР [файл]
9. Дополнительные комментарии (необязательный)
"""
PDF = b"%PDF-1.4\n%%EOF\n"


def test_the_list_is_read_with_types_sections_and_optional_questions():
    found = parse_questions(QUESTIONS)
    assert [q["kind"] for q in found] == [
        "yes_no",
        "text",
        "number",
        "date",
        "single",
        "multiple",
        "yes_no",
        "file",
        "text",
    ]
    assert found[0]["section"] == "Подготовка к ГИА" and found[6]["section"] == "Объективность оценивания"
    assert found[4]["choices"] == ["директор", "заместитель директора", "руководитель МО"]
    assert found[8]["required"] is False and found[0]["text"].startswith("Размещён ли план")
    with pytest.raises(ValidationError) as exc:
        parse_questions("1. Вопрос [цвет]\n2. Выбор [один: только один]")
    assert exc.value.messages == [
        "Строка 1: тип «цвет» не известен — укажите один из: да/нет, текст, число, дата, один, несколько, файл.",
        "Строка 2: для выбора укажите хотя бы два варианта через «;».",
    ]


def send(client, people, days=5):
    client.force_login(people.committee)
    client.post(
        reverse("surveys:questionnaire_new"), {"title": "Вопросы для собеседования", "text": QUESTIONS}
    )
    questionnaire = Questionnaire.objects.get()
    due = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = client.post(questionnaire.get_absolute_url(),
                           {"recipients": [people.school_a.pk, people.school_b.pk], "due_date": due})  # fmt: skip
    assert response.status_code == 302
    return Survey.objects.get()


def answers(questions, **override):
    data = {}
    for q in questions:
        value = {"yes_no": "yes", "text": "Индивидуальные планы", "number": "4", "date": "2026-10-01",
                 "single": "директор", "multiple": ["консультации", "тренинги"]}.get(q.kind)  # fmt: skip
        if value is not None and q.required:
            data[f"q{q.pk}"] = value
    data.update(override)
    return data


def test_sent_answered_submitted_and_tracked(people, client):
    survey = send(client, people)
    questions = list(Question.objects.order_by("order"))
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    home = client.get(reverse("home")).text
    assert "Анкеты к заполнению" in home and "Вопросы для собеседования" in home
    # a draft may be incomplete
    response = client.post(mine.get_absolute_url(), {f"q{questions[0].pk}": "no", "action": "draft"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "draft"
    # submitting without the required file is refused and nothing changes
    response = client.post(mine.get_absolute_url(), {**answers(questions), "action": "submit"})
    assert response.status_code == 400 and "Вопрос 8: ответ обязателен." in response.text
    assert "Индивидуальные планы</textarea>" in response.text  # what was typed is still there
    mine.refresh_from_db()
    assert mine.status == "draft"
    data = {
        **answers(questions),
        f"q{questions[7].pk}": SimpleUploadedFile("приказ.pdf", PDF),
        "action": "submit",
    }
    assert client.post(mine.get_absolute_url(), data).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "submitted"
    # the sender sees who answered, a summary and the table
    client.force_login(people.committee)
    page = client.get(survey.get_absolute_url())
    assert page.context["submitted"] == 1 and "да: 1" in page.text
    sheet = load_workbook(BytesIO(client.get(survey.get_absolute_url(), {"format": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    row_a = next(r for r in rows if r[1] == "04001")
    assert row_a[4] == "да" and row_a[8] == "директор" and row_a[11] == "приказ.pdf"
    assert (
        b"".join(
            client.get(reverse("surveys:answer_file", args=[mine.pk, questions[7].pk])).streaming_content
        )
        == PDF
    )


def test_only_those_who_have_not_answered_are_reminded(people, client):
    survey = send(client, people, days=1)
    questions = list(Question.objects.order_by("order"))
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    client.post(mine.get_absolute_url(), {**answers(questions), f"q{questions[7].pk}": SimpleUploadedFile("p.pdf", PDF),
                                          "action": "submit"})  # fmt: skip
    reminded = [p for p in send_reminders(timezone.localdate()) if p.candidate.target_model is SurveyResponse]
    assert [p.recipient.username for p in reminded] == ["director_b"]
    assert survey.due_date == reminded[0].candidate.due_date


def test_scope_and_editing_after_the_due_date(people, client):
    send(client, people)
    theirs = SurveyResponse.objects.get(school=people.school_b)
    client.force_login(people.director_a)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    client.force_login(people.head_b)
    assert client.get(theirs.get_absolute_url()).status_code == 200  # own school
    mine = SurveyResponse.objects.get(school=people.school_a)
    assert client.get(mine.get_absolute_url()).status_code == 404
    Survey.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(people.director_a)
    assert client.post(mine.get_absolute_url(), {"action": "draft"}).status_code == 403
    client.force_login(people.committee)
    client.post(reverse("surveys:survey_reopen", args=[mine.pk]))
    client.force_login(people.director_a)
    assert client.post(mine.get_absolute_url(), {"action": "draft"}).status_code == 302


def test_the_interview_protocol_prints_questions_and_the_answer_summary(people, client):
    from pypdf import PdfReader

    from meetings.documents import render_document
    from tests.meetings.factories import committee_meeting, decision

    meeting = committee_meeting(people, decision("1", "Рекомендовать разработать план.", f"до {timezone.localdate():%d.%m.%Y}",
                                                 "СОШ № 1 Всеволожск"))  # fmt: skip
    survey = send(client, people)
    Survey.objects.filter(pk=survey.pk).update(meeting=meeting)
    questions = list(Question.objects.order_by("order"))
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    client.post(mine.get_absolute_url(), {**answers(questions), f"q{questions[7].pk}": SimpleUploadedFile("p.pdf", PDF),
                                          "action": "submit"})  # fmt: skip
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(BytesIO(render_document(meeting, "protocol"))).pages
        ).split()
    )
    assert "ответили 1 из 2" in text
    assert "Размещён ли план подготовки к ГИА на сайте ОО?" in text and "да — 1" in text
    assert "Индивидуальные планы" in text


def test_api_answers_within_scope(people, client):
    send(client, people)
    questions = list(Question.objects.order_by("order"))
    mine = SurveyResponse.objects.get(school=people.school_a)
    client.force_login(people.director_a)
    listed = client.get(reverse("api:survey-response-list")).json()["results"]
    assert [r["school_code"] for r in listed] == ["04001"]
    url = reverse("api:survey-response-answer", args=[mine.pk])
    response = client.post(
        url, {"answers": {str(questions[0].pk): "yes"}, "submit": True}, content_type="application/json"
    )
    assert response.status_code == 400 and "Вопрос 2: ответ обязателен." in str(response.json())
    response = client.post(url, {"answers": {str(questions[0].pk): "yes"}}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert response.json()["answers"][0]["value"] is True
    theirs = SurveyResponse.objects.get(school=people.school_b)
    assert client.post(reverse("api:survey-response-answer", args=[theirs.pk]), {"answers": {}},
                       content_type="application/json").status_code == 404  # fmt: skip


def test_a_head_sends_to_own_schools_only(people, client):
    client.force_login(people.head_a)
    client.post(reverse("surveys:questionnaire_new"), {"title": "Собеседование", "text": "1. Есть ли план?"})
    questionnaire = Questionnaire.objects.get()
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.post(questionnaire.get_absolute_url(),
                {"recipients": [people.school_a.pk, people.school_a2.pk, people.school_b.pk], "due_date": due})  # fmt: skip
    survey = Survey.objects.get()
    assert survey.sender_municipality == people.mun_a
    assert sorted(survey.responses.values_list("school__code", flat=True)) == ["04001", "04002"]
    client.force_login(people.head_b)
    assert client.get(survey.get_absolute_url()).status_code == 404

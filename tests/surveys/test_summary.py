"""Number and date questions are summarised (minimum, median, maximum); the XLSX holds real numbers and dates."""

from datetime import date, datetime, timedelta
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from surveys.models import Answer, SurveyResponse
from surveys.sending import survey_send
from surveys.services import questionnaire_create
from tests.surveys.test_recipients import page_text


def answered(people):
    q = questionnaire_create(actor=people.committee, title="Кадры",
                             text="1. Сколько учителей математики? [число]\n2. Дата пробного ЕГЭ? [дата]")  # fmt: skip
    survey = survey_send(actor=people.committee, questionnaire=q, due_date=timezone.localdate() + timedelta(days=5),
                         schools=[people.school_a, people.school_a2, people.school_b])  # fmt: skip
    number, when = q.questions.order_by("order")
    values = {people.school_a: (3, "2026-10-01"), people.school_a2: (12.5, "2026-10-20"),
              people.school_b: (10, "2026-11-30")}  # fmt: skip
    for school, (count, day) in values.items():
        response = SurveyResponse.objects.get(survey=survey, school=school)
        Answer.objects.create(response=response, question=number, value=count)
        Answer.objects.create(response=response, question=when, value=day)
        SurveyResponse.objects.filter(pk=response.pk).update(status="submitted")
    return survey


def test_numbers_and_dates_show_minimum_median_and_maximum(people, client):
    survey = answered(people)
    client.force_login(people.committee)
    page = page_text(client.get(survey.get_absolute_url()))
    assert "мин. 3 · медиана 10 · макс. 12,5" in page
    assert "мин. 01.10.2026 · медиана 20.10.2026 · макс. 30.11.2026" in page


def test_the_xlsx_holds_numbers_as_numbers_and_dates_as_dates(people, client):
    survey = answered(people)
    client.force_login(people.committee)
    sheet = load_workbook(BytesIO(client.get(survey.get_absolute_url(), {"format": "xlsx"}).content)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "04002")
    assert row[4].value == 12.5 and row[4].data_type == "n"
    assert row[5].value == datetime(2026, 10, 20) and row[5].number_format == "DD.MM.YYYY"
    assert row[5].is_date and row[5].value.date() == date(2026, 10, 20)

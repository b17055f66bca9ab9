"""A questionnaire goes to schools, municipal education authorities and organisations, chosen by combined
filters (municipality, school type, flag), one by one or «выбрать всех», with the count shown before sending."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from surveys.models import Questionnaire, Survey, SurveyResponse
from surveys.services import questionnaire_create


def page_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def questionnaire(people, actor=None):
    return questionnaire_create(actor=actor or people.committee, title="Анкета", text="1. Есть ли план?")


def due() -> str:
    return (timezone.localdate() + timedelta(days=5)).isoformat()


def test_combined_filters_show_the_count_and_select_all_sends_to_exactly_those(people, client):
    q = questionnaire(people)
    client.force_login(people.committee)
    found = f"?municipality={people.mun_a.pk}&kind=sosh&flag=difficult_conditions"
    page = page_text(client.get(q.get_absolute_url() + found))
    assert "По отбору найдено: 1" in page and "Агалатовская СОШ" in page and "СОШ № 1 Всеволожск" not in page
    assert "Выбрать всех (1)" in page
    assert "По отбору найдено: 3" in page_text(client.get(q.get_absolute_url()))

    response = client.post(q.get_absolute_url() + found, {"all": "1", "due_date": due()})

    assert response.status_code == 302
    assert list(Survey.objects.get().responses.values_list("school__code", flat=True)) == ["04002"]


def test_authorities_and_organisations_receive_answer_and_are_reminded_by_name(people, client):
    q = questionnaire(people)
    client.force_login(people.committee)
    page = page_text(client.get(q.get_absolute_url() + "?recipients=municipalities"))
    assert "По отбору найдено: 2" in page and "КО Всеволожского района" in page
    client.post(q.get_absolute_url() + "?recipients=municipalities", {"all": "1", "due_date": due()})
    to_authorities = Survey.objects.get()
    assert sorted(to_authorities.responses.values_list("municipality__code", flat=True)) == ["04", "05"]
    client.post(q.get_absolute_url() + "?recipients=organizations", {"recipients": [people.loiro.pk],
                                                                      "due_date": due()})  # fmt: skip
    to_loiro = Survey.objects.exclude(pk=to_authorities.pk).get()
    assert [r.recipient_name for r in to_loiro.responses.all()] == ["ГАОУ ДПО «ЛОИРО»"]

    # each is told in the portal, and fills in its own response
    assert Notification.objects.filter(user=people.head_a, text__startswith="Анкета «Анкета»").exists()
    assert Notification.objects.filter(user=people.loiro_staff, text__startswith="Анкета «Анкета»").exists()
    own = to_authorities.responses.get(municipality=people.mun_a)
    client.force_login(people.head_a)
    assert "Анкеты к заполнению" in page_text(client.get(reverse("surveys:questionnaire_list")))
    question = q.questions.get()
    assert (
        client.post(own.get_absolute_url(), {f"q{question.pk}": "yes", "action": "submit"}).status_code == 302
    )
    own.refresh_from_db()
    assert own.status == "submitted" and own.submitted_by == people.head_a
    # another authority's or a director's eyes: as if it did not exist
    client.force_login(people.head_b)
    assert client.get(own.get_absolute_url()).status_code == 404
    client.force_login(people.director_a)
    assert client.get(own.get_absolute_url()).status_code == 404
    client.force_login(people.loiro_staff)
    mine = to_loiro.responses.get()
    assert (
        client.post(mine.get_absolute_url(), {f"q{question.pk}": "no", "action": "submit"}).status_code == 302
    )


def test_a_municipal_head_reaches_only_own_schools_whatever_the_filter(people, client):
    q = questionnaire(people, people.head_a)
    client.force_login(people.head_a)
    assert "По отбору найдено: 0" in page_text(
        client.get(f"{q.get_absolute_url()}?municipality={people.mun_b.pk}")
    )
    assert "По отбору найдено: 0" in page_text(
        client.get(f"{q.get_absolute_url()}?recipients=municipalities")
    )
    response = client.post(q.get_absolute_url(), {"recipients": [people.school_b.pk], "due_date": due()})
    assert "Выберите хотя бы одного получателя" in page_text(response)
    assert not Survey.objects.exists()


def test_a_bad_filter_is_a_message_and_nothing_is_sent(people, client):
    q = questionnaire(people)
    client.force_login(people.committee)
    response = client.post(f"{q.get_absolute_url()}?recipients=pupils", {"all": "1", "due_date": due()})
    assert response.status_code == 200 and "Получатели: выберите одно из" in page_text(response)
    assert not Survey.objects.exists() and not SurveyResponse.objects.exists()
    assert Questionnaire.objects.count() == 1

"""API: a survey made from a list of questions, sent to recipients chosen by filter (counted first with dry_run),
reminded; errors are 400 (bad input), 403 (no right), 404 (outside the scope), 409 (already sent)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from surveys.models import Questionnaire, Survey, SurveyResponse

QUESTIONS = "# Кадры\n1. Есть ли план?\n2. Сколько учителей? [число]\n3. Когда пробный ЕГЭ? [дата]"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def create(client, **override):
    body = {"title": "Анкета по кадрам", "questions": QUESTIONS,
            "due_date": (timezone.localdate() + timedelta(days=7)).isoformat(), **override}  # fmt: skip
    return post(client, reverse("api:survey-list"), body)


def test_create_count_send_and_remind(people, client):
    client.force_login(people.committee)
    made = create(client)
    assert made.status_code == 201, made.content
    survey = made.json()
    assert survey["sent_at"] is None and [q["kind"] for q in survey["questions"]] == [
        "yes_no",
        "number",
        "date",
    ]
    send = reverse("api:survey-send", args=[survey["id"]])

    counted = post(client, send, {"recipients": "schools", "municipality": people.mun_a.pk, "all": True,
                                  "dry_run": True})  # fmt: skip
    assert counted.status_code == 200 and counted.json()["count"] == 2 and counted.json()["sent"] is False
    assert not SurveyResponse.objects.exists()

    sent = post(client, send, {"recipients": "schools", "municipality": people.mun_a.pk, "school_kind": "sosh",
                               "flag": "low_results", "all": True})  # fmt: skip
    assert sent.status_code == 200 and sent.json()["count"] == 1 and sent.json()["survey"]["sent_at"]
    assert list(SurveyResponse.objects.values_list("school__code", flat=True)) == ["04001"]
    assert Notification.objects.filter(user=people.director_a, text__contains="Анкета по кадрам").exists()

    again = post(client, send, {"recipients": "municipalities", "all": True})
    assert again.status_code == 409 and "уже отправлена" in again.json()["detail"]
    assert SurveyResponse.objects.count() == 1

    reminded = post(client, reverse("api:survey-remind", args=[survey["id"]]), {})
    assert reminded.status_code == 200 and reminded.json() == {"reminded": 1}
    assert post(client, reverse("api:survey-remind", args=[survey["id"]]), {}).json() == {"reminded": 0}


def test_ticked_authorities_and_their_answers_through_the_api(people, client):
    client.force_login(people.committee)
    survey = create(client).json()
    sent = post(client, reverse("api:survey-send", args=[survey["id"]]),
                {"recipients": "municipalities", "ids": [people.mun_b.pk]})  # fmt: skip
    assert sent.json()["count"] == 1
    client.force_login(people.head_b)
    listed = client.get(reverse("api:survey-response-list")).json()["results"]
    assert [(r["recipient"], r["school_code"]) for r in listed] == [("КО Выборгского района", None)]


def test_errors_are_400_403_404_and_nothing_is_saved(people, client):
    client.force_login(people.committee)
    bad = create(client, questions="1. Вопрос [цвет]")
    assert bad.status_code == 400 and "тип «цвет» не известен" in str(bad.json())
    past = create(client, due_date=(timezone.localdate() - timedelta(days=1)).isoformat())
    assert past.status_code == 400 and "не может быть в прошлом" in str(past.json())
    assert not Questionnaire.objects.exists()

    survey = create(client).json()
    send = reverse("api:survey-send", args=[survey["id"]])
    assert post(client, send, {"recipients": "schools"}).status_code == 400  # neither ids nor all
    assert post(client, send, {"recipients": "pupils", "all": True}).status_code == 400
    nobody = post(client, send, {"recipients": "schools", "ids": [10**12]})
    assert nobody.status_code == 400 and "хотя бы одного получателя" in str(nobody.json())

    client.force_login(people.director_a)
    assert create(client).status_code == 403
    client.force_login(people.observer)
    assert post(client, send, {"recipients": "schools", "all": True}).status_code == 403
    client.force_login(people.head_b)  # the committee's unsent survey is not in a municipality's scope
    assert post(client, send, {"recipients": "schools", "all": True}).status_code == 404
    assert Survey.objects.get().sent_at is None and not SurveyResponse.objects.exists()


def test_the_schema_documents_the_error_statuses(people, client):
    client.force_login(people.committee)
    schema = client.get("/api/v1/schema/?format=json").json()
    send = schema["paths"]["/api/v1/surveys/{id}/send/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(send)
    assert {"201", "400", "403", "404"} <= set(schema["paths"]["/api/v1/surveys/"]["post"]["responses"])

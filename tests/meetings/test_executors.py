"""People, not only units: a named executor inside the unit, and a lead executor with co-executors."""

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import services
from meetings.comments import obligation_comment
from meetings.models import Obligation, ObligationEvent
from municipalities.models import Role, User
from notifications.models import Notification
from tests.meetings.factories import committee_meeting, decision, written

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def colleague(people, username="specialist_a", **unit):
    """A colleague in a unit (by default the Всеволожский authority, the head_a's), who can sign in."""
    return User.objects.create(
        username=username, email=f"{username}@example.ru", last_name="Смирнова", first_name="Ольга",
        middle_name="Петровна", position="главный специалист", password=make_password(people.password),
        **(unit or {"role": Role.MUNICIPALITY, "municipality": people.mun_a}),
    )  # fmt: skip


@pytest.fixture
def obligation(people):
    committee_meeting(
        people, decision("1", "Представить анализ ВПР.", f"до {written(10)}", "руководители ОМСУ")
    )
    return Obligation.objects.get(municipality=people.mun_a)


def test_the_head_assigns_a_colleague_who_sees_it_as_mine_and_is_told(people, obligation, client_for, smtp,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    specialist = colleague(people)
    client = client_for(people.head_a)
    page = client.get(obligation.get_absolute_url()).text
    assert "Назначить исполнителя" in page and "Смирнова Ольга Петровна, главный специалист" in page
    assert "Head_b" not in page  # only the unit's people are offered
    url = reverse("meetings:obligation_action", args=[obligation.pk, "executor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"executor": specialist.pk, "comment": "Подготовьте к пятнице."})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.executor == specialist
    event = obligation.events.get(kind=ObligationEvent.Kind.EXECUTOR_ASSIGNED)
    assert event.actor == people.head_a and event.comment == "Подготовьте к пятнице."
    [message] = [m for m in smtp.inbox.messages if m["To"] == "specialist_a@example.ru"]
    assert f"Вы назначены исполнителем: {obligation.reference}" in " ".join(str(message["Subject"]).split())
    assert "Подготовьте к пятнице." in message.get_body(("plain",)).get_content()
    # the executor's inbox: «назначенные мне»
    mine = client_for(specialist).get(reverse("meetings:obligation_list"), {"executor": "me"}).text
    assert obligation.reference in mine
    assert (
        obligation.reference
        not in client_for(people.head_a).get(reverse("meetings:obligation_list"), {"executor": "me"}).text
    )


def test_reassigning_keeps_the_history(people, obligation, client_for):
    specialist = colleague(people)
    services.executor_assign(obligation=obligation, actor=people.head_a, executor=specialist)
    services.executor_assign(obligation=obligation, actor=people.committee, executor=people.head_a)
    kinds = list(obligation.events.values_list("kind", "data"))
    assert kinds[-2][0] == "executor_assigned" and kinds[-1][0] == "executor_changed"
    assert kinds[-1][1]["previous_name"] == "Смирнова Ольга Петровна"
    page = client_for(people.head_a).get(obligation.get_absolute_url()).text
    assert "назначен исполнитель" in page and "переназначен" in page
    assert "Смирнова Ольга Петровна → Head_a Тест" in page
    with pytest.raises(ValidationError, match="уже исполнитель"):
        services.executor_assign(obligation=obligation, actor=people.head_a, executor=people.head_a)


def test_only_the_unit_or_the_controller_assigns_and_only_a_person_of_the_unit(people, obligation):
    with pytest.raises(ValidationError, match="только сотрудника исполнителя: КО Всеволожского района"):
        services.executor_assign(obligation=obligation, actor=people.head_a, executor=people.head_b)
    with pytest.raises(ValidationError, match="только сотрудника исполнителя"):
        services.executor_assign(obligation=obligation, actor=people.committee, executor=people.director_a)
    for outsider in (people.head_b, people.director_a, people.observer, people.loiro_staff):
        with pytest.raises(PermissionDenied, match="Назначать исполнителя может"):
            services.executor_assign(obligation=obligation, actor=outsider, executor=people.head_a)
    obligation.refresh_from_db()
    assert obligation.executor is None and not obligation.events.exclude(kind="assigned").exists()


def test_the_api_assigns_with_russian_refusals(people, obligation, client_for):
    specialist = colleague(people)
    url = f"/api/v1/obligations/{obligation.pk}/executor/"
    refused = client_for(people.head_a).post(
        url, {"executor": people.head_b.pk}, content_type="application/json"
    )
    assert refused.status_code == 400 and "только сотрудника исполнителя" in refused.text
    assert client_for(people.head_b).post(url, {"executor": specialist.pk}).status_code == 404
    assert client_for(people.observer).post(url, {"executor": specialist.pk}).status_code == 403
    response = client_for(people.head_a).post(
        url, {"executor": specialist.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (
        response.json()["executor"] == specialist.pk and response.json()["executor_name"] == "Смирнова О.П."
    )
    assert response.json()["events"][-1]["kind"] == "executor_assigned"


# ---------------------------------------------------------------- lead and co-executors


@pytest.fixture
def joint(people):
    """One task for two bodies: ЛОИРО and ИЦОКО."""
    committee_meeting(people, decision("1", "Подготовить аналитическую справку по ВПР.", f"до {written(10)}",
                                       "ЛОИРО; ИЦОКО"))  # fmt: skip
    icoko_staff = colleague(people, "icoko_staff", role=Role.ORGANIZATION, organization=people.icoko)
    lead = Obligation.objects.get(organization=people.loiro)
    co = Obligation.objects.get(organization=people.icoko)
    return lead, co, icoko_staff


def test_the_controller_names_the_lead_and_the_co_executor_cannot_report(people, joint, client_for):
    lead, co, icoko_staff = joint
    with pytest.raises(PermissionDenied):
        services.lead_set(obligation=lead, actor=people.loiro_staff)
    response = client_for(people.committee).post(
        reverse("meetings:obligation_action", args=[lead.pk, "lead"])
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.is_lead and lead.events.filter(kind="lead_set").exists()
    page = client_for(icoko_staff).get(co.get_absolute_url()).text
    assert "Ответственный исполнитель" in page and "ГАОУ ДПО «ЛОИРО»" in page and "Вы — соисполнитель" in page
    assert "Направить отчёт" not in page
    response = client_for(icoko_staff).post(
        reverse("meetings:obligation_action", args=[co.pk, "report"]), {"text": "Наша часть готова."}
    )
    assert response.status_code == 400
    assert (
        "соисполнитель. Итоговый отчёт по этому решению представляет ответственный исполнитель"
        in response.text
    )
    api = client_for(icoko_staff).post(f"/api/v1/obligations/{co.pk}/report/", {"text": "Готово"})
    assert api.status_code == 400 and "соисполнитель" in api.text
    co.refresh_from_db()
    assert co.status == "assigned" and not co.reports.exists()
    lead_page = client_for(people.committee).get(lead.get_absolute_url()).text
    assert "Соисполнители" in lead_page and "ГБУ ЛО «ИЦОКО»" in lead_page


def test_co_executors_contribute_and_follow_the_lead_report(people, joint, client_for, smtp,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    lead, co, icoko_staff = joint
    services.lead_set(obligation=lead, actor=people.committee)
    upload = SimpleUploadedFile("Таблица ИЦОКО.pdf", PDF, content_type="application/pdf")
    comment = obligation_comment(
        obligation=co, actor=icoko_staff, text="Наши данные по школам.", files=[upload]
    )
    # the lead and the controller see the contribution on the lead's page, and may open its file
    for viewer in (people.loiro_staff, people.committee):
        page = client_for(viewer).get(lead.get_absolute_url()).text
        assert "Материалы соисполнителей" in page and "Наши данные по школам." in page
        assert client_for(viewer).get(comment.files.get().get_absolute_url()).status_code == 200
    assert client_for(people.head_a).get(comment.files.get().get_absolute_url()).status_code == 404
    services.report_submit(obligation=lead, actor=people.loiro_staff, text="Справка подготовлена с ИЦОКО.")
    co.refresh_from_db()
    assert co.status == "reported"
    with pytest.raises(ValidationError, match="соисполнитель"):
        services.report_accept(obligation=co, actor=people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_accept(obligation=lead, actor=people.committee)
    lead.refresh_from_db()
    co.refresh_from_db()
    assert lead.status == co.status == "accepted" and co.closed_at is not None
    assert "Вместе с ответственным исполнителем" in co.events.last().comment
    told = {m["To"] for m in smtp.inbox.messages if "снято с контроля" in str(m["Subject"])}
    assert told == {"loiro_staff@example.ru", "icoko_staff@example.ru"}
    assert Notification.objects.filter(user=icoko_staff, text__startswith="Отчёт принят").count() == 1


def test_a_returned_lead_report_returns_the_co_executors_too(people, joint):
    lead, co, _ = joint
    services.lead_set(obligation=lead, actor=people.committee)
    services.report_submit(obligation=lead, actor=people.loiro_staff, text="Справка.")
    services.report_return(obligation=lead, actor=people.committee, comment="Нет данных ИЦОКО.")
    co.refresh_from_db()
    assert co.status == "returned"


def test_the_control_card_names_the_executor_and_the_co_executor(people, joint, client_for):
    from tests.meetings.test_control_card import text_of

    lead, co, icoko_staff = joint
    services.lead_set(obligation=lead, actor=people.committee)
    services.executor_assign(obligation=co, actor=people.committee, executor=icoko_staff)
    card = client_for(people.committee).get(reverse("meetings:obligation_card", args=[co.pk]))
    text = " ".join(text_of(card.content).split())
    assert "Смирнова Ольга Петровна, главный специалист" in text
    assert "соисполнитель (ответственный — ГАОУ ДПО «ЛОИРО»)" in text

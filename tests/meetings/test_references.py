"""Every place that names a decision quotes it the same way: «п. 1 протокола № 3 от 20.11.2026»."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Decision, Obligation
from meetings.models.meetings import decision_reference
from portal.calendar import calendar_for
from portal.models import Notification
from portal.reminders import send_reminders
from tests.meetings.factories import committee_meeting, decision, written

pytestmark = pytest.mark.django_db


def test_the_wording_with_and_without_a_protocol_number():
    assert decision_reference("2.1", "12", date(2026, 11, 5)) == "п. 2.1 протокола № 12 от 05.11.2026"
    assert decision_reference("2.1", "", date(2026, 11, 5)) == "п. 2.1 протокола от 05.11.2026"
    assert decision_reference("3.", " ", date(2026, 1, 9)) == "п. 3 протокола от 09.01.2026"


@pytest.fixture
def signed(people):
    meeting = committee_meeting(
        people, decision("1", "Представить анализ ВПР.", f"до {written(3)}", "руководители ОМСУ")
    )
    return meeting, f"п. 1 протокола № 3 от {meeting.date:%d.%m.%Y}"


def test_pages_lists_and_home_quote_the_reference(client_for, people, signed):
    _meeting, reference = signed
    obligation = Obligation.objects.get(municipality=people.mun_a)
    head = client_for(people.head_a)
    for url in (reverse("meetings:obligation_list"), reverse("home"), obligation.get_absolute_url()):
        page = head.get(url).content.decode()
        assert reference in page or reference.capitalize() in page, url
        assert "решение 1" not in page.lower(), url
    page = head.get(obligation.get_absolute_url()).content.decode()
    assert f"<title>КО Всеволожского района — {reference}" in page
    committee = client_for(people.committee)
    page = committee.get(obligation.decision.get_absolute_url()).content.decode()
    assert f'<h1 class="page-title">{reference.capitalize()}</h1>' in page


def test_notifications_reminders_and_calendar_quote_it(people, signed, django_capture_on_commit_callbacks):
    _meeting, reference = signed
    assert Notification.objects.filter(
        user=people.head_a, text__contains=f"Новое поручение: {reference}"
    ).exists()
    obligation = Obligation.objects.get(municipality=people.mun_a)
    services.report_submit(obligation=obligation, actor=people.head_a, text="Анализ представлен.", files=[])
    assert Notification.objects.get(user=people.committee, text__startswith="Отчёт на проверку").text == (
        f"Отчёт на проверку: КО Всеволожского района, {reference}"
    )
    other = Obligation.objects.get(municipality=people.mun_b)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(timezone.localdate())
    message = next(m for m in mail.outbox if people.head_b.email in m.to)
    assert reference in message.subject and reference in message.body
    assert other.reference == reference
    assert f"Срок: КО Выборгского района — {reference}" in calendar_for(people.head_b).decode().replace(
        "\r\n ", ""
    )


def test_the_api_gives_the_reference(client_for, people, signed):
    meeting, reference = signed
    decision_pk = Decision.objects.get(item__meeting=meeting).pk
    answer = client_for(people.committee).get(reverse("api:decision-detail", args=[decision_pk])).json()
    assert answer["reference"] == reference
    rows = client_for(people.head_a).get(reverse("api:obligation-list")).json()["results"]
    assert [row["reference"] for row in rows] == [reference]


def test_the_admin_lists_name_obligations_by_reference(client_for, people, signed):
    _meeting, reference = signed
    people.committee.is_superuser = True
    people.committee.save(update_fields=["is_superuser"])
    client = client_for(people.committee)
    for name in ("obligation", "report", "extensionrequest"):
        assert client.get(reverse(f"admin:meetings_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:meetings_obligation_changelist")).content.decode()
    assert f"{reference}: Представить анализ ВПР." in page

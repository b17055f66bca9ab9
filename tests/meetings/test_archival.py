"""Archival protocols: a record of the past sends nothing; current control escalates in one digest per person;
a report may carry the actual execution date; the rapporteur is printed as a name."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings import documents, services
from meetings.models import Meeting, Obligation
from notifications.models import Reminder
from notifications.reminders import send_reminders
from tests.meetings.factories import committee_meeting, decision
from tests.meetings.test_documents import pdf_text

TODAY = timezone.localdate()

OLD_PROTOCOL = """ПРОТОКОЛ совещания № 4
12.02.2020
РЕШИЛИ:
1. Провести анализ результатов ВПР.
Срок: до 15.03.2020
Ответственные: руководители ОМСУ
2. Провести родительские собрания.
Срок: до 20.04.2020
Ответственные: руководители ОМСУ, ЛОИРО
"""


def run(path, *args) -> dict:
    out = StringIO()
    call_command("import_protocol", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_an_archival_import_sends_nothing(people, tmp_path, smtp, django_capture_on_commit_callbacks):
    file = tmp_path / "old.txt"
    file.write_text(OLD_PROTOCOL, encoding="utf-8")
    result = run(file, "--archival")
    assert result["archival"] is True and result["past_deadlines"] == 2 and result["signed"] is True
    meeting = Meeting.objects.get(pk=result["meeting_id"])
    assert meeting.archival
    obligations = Obligation.objects.filter(decision__item__meeting=meeting)
    assert obligations.count() == result["obligations"] == 5
    assert set(obligations.values_list("status", flat=True)) == {"accepted"}
    with django_capture_on_commit_callbacks(execute=True):
        for day in (TODAY, TODAY + timedelta(days=10), TODAY + timedelta(days=100)):
            assert send_reminders(day) == []
    assert not Reminder.objects.exists() and smtp.inbox.messages == []


def test_without_archival_the_json_says_the_deadlines_are_past(people, tmp_path):
    file = tmp_path / "old.txt"
    file.write_text(OLD_PROTOCOL, encoding="utf-8")
    result = run(file, "--dry-run")
    assert result["archival"] is False and result["past_deadlines"] == 2
    assert any("--archival" in w for w in result["warnings"])
    assert {"meeting", "items", "warnings"} <= set(result)  # the shape is kept


def test_escalations_reach_a_person_as_one_digest(people, smtp, django_capture_on_commit_callbacks):
    """A controller with many overdue obligations gets one e-mail per run, not one per obligation."""
    due = f"до {TODAY - timedelta(days=10):%d.%m.%Y}"
    drafts = [decision(str(n), f"Поручение {n}.", due, "Агалатовская СОШ") for n in range(1, 7)]
    committee_meeting(people, *drafts, when=TODAY - timedelta(days=20))
    people.committee.email_mode = "immediate"
    people.committee.save(update_fields=["email_mode"])
    with django_capture_on_commit_callbacks(execute=True):
        created = send_reminders(TODAY)
    escalations = [p for p in created if p.kind == "escalation" and p.recipient == people.committee]
    assert len(escalations) == 6
    to_committee = [m for m in smtp.inbox.messages if m["To"] == people.committee.email]
    assert len(to_committee) == 1
    assert "сроков — 6" in str(to_committee[0]["Subject"])


def test_a_report_carries_the_actual_execution_date(people):
    meeting = committee_meeting(
        people,
        decision("1", "Провести анализ.", f"до {TODAY + timedelta(days=5):%d.%m.%Y}", "СОШ № 1 Всеволожск"),
    )
    obligation = Obligation.objects.get(decision__item__meeting=meeting)
    executed = TODAY - timedelta(days=3)
    with pytest.raises(Exception, match="не может быть позже"):
        services.report_submit(obligation=obligation, actor=people.director_a, text="Сделано",
                               executed_on=TODAY + timedelta(days=1))  # fmt: skip
    report = services.report_submit(obligation=obligation, actor=people.director_a, text="Сделано",
                                    executed_on=executed)  # fmt: skip
    assert report.executed_on == executed
    assert obligation.events.get(kind="reported").data["executed_on"] == executed.isoformat()
    services.report_accept(obligation=obligation, actor=people.committee)
    text = pdf_text(documents.render_document(meeting, "status"))
    assert f"исполнено {executed:%d.%m.%Y}" in text


def test_the_rapporteur_is_printed_as_a_name(people):
    meeting = committee_meeting(people, decision("1", "Принять к сведению.", tracked=False), sign=False)
    item = meeting.items.get()
    item.speakers = "докл. Иванова А.П., начальник отдела общего образования –"
    item.save()
    text = pdf_text(documents.render_document(meeting, "protocol"))
    assert "Докладчик: Иванова А.П." in text
    assert "докл." not in text and "начальник отдела общего образования" not in text


def test_a_draft_with_past_deadlines_is_signed_from_its_page_as_a_record_of_the_past(people, client):
    past = TODAY - timedelta(days=400)
    meeting = committee_meeting(
        people, decision("1", "Провести анализ.", f"до {past:%d.%m.%Y}", "руководители ОМСУ", meeting_date=past),
        sign=False, when=past - timedelta(days=30),
    )  # fmt: skip
    client.force_login(people.committee)
    page = client.get(meeting.get_absolute_url()).text
    assert "Подписать как запись о прошлом" in page and "Подписать и поставить на текущий контроль" in page
    response = client.post(
        reverse("meetings:meeting_sign", args=[meeting.pk]), {"control": "archival"}, follow=True
    )
    assert "Архивный протокол подписан: поручений внесено как исполненные — 2" in response.text
    meeting.refresh_from_db()
    assert meeting.archival and meeting.is_signed
    assert not Obligation.objects.open().exists()
    assert send_reminders(TODAY) == []


def test_the_report_page_takes_the_execution_date_and_the_history_shows_it(people, client):
    meeting = committee_meeting(
        people,
        decision("1", "Провести анализ.", f"до {TODAY + timedelta(days=5):%d.%m.%Y}", "руководители ОМСУ"),
    )
    obligation = Obligation.objects.get(decision__item__meeting=meeting, municipality=people.mun_a)
    executed = TODAY - timedelta(days=2)
    client.force_login(people.head_a)
    url = reverse("meetings:obligation_action", args=[obligation.pk, "report"])
    response = client.post(
        url, {"text": "Анализ проведён.", "executed_on": executed.isoformat()}, follow=True
    )
    assert response.status_code == 200
    assert f"исполнено {executed:%d.%m.%Y}" in response.text


def test_an_old_protocol_under_current_control_reaches_each_head_in_one_email(
    people, tmp_path, smtp, django_capture_on_commit_callbacks
):
    file = tmp_path / "old.txt"
    file.write_text(OLD_PROTOCOL, encoding="utf-8")
    result = run(file)
    assert result["signed"] is True and result["archival"] is False
    with django_capture_on_commit_callbacks(execute=True):
        created = send_reminders(TODAY)
    assert len([p for p in created if p.recipient == people.head_a]) == 2  # two overdue obligations
    to_head = [m for m in smtp.inbox.messages if m["To"] == people.head_a.email]
    assert len(to_head) == 1 and "сроков — 2" in str(to_head[0]["Subject"])

"""Protocols, obligations and PDF documents move only as their transition tables allow, and every change leaves
an event of one shape (from → to, who, when, comment) that the history on the page reads the same way."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.status import TransitionError
from meetings import services
from meetings.documents import document_render
from meetings.models import Document, Meeting, MeetingEvent, Obligation
from tests.meetings.factories import committee_meeting, days, decision, written

pytestmark = pytest.mark.django_db


def _draft(people):
    return committee_meeting(
        people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "руководители ОМСУ"), sign=False
    )


def test_protocol_events_carry_from_and_to_and_the_page_shows_the_signing(people, client):
    meeting = _draft(people)
    services.meeting_sign(meeting=meeting, actor=people.committee)
    steps = [(e.kind, e.from_status, e.to_status) for e in meeting.events.all()]
    assert steps == [("created", "", "draft"), ("signed", "draft", "signed")]
    client.force_login(people.committee)
    page = client.get(meeting.get_absolute_url()).text
    assert "черновик → подписан" in page and "Поставлено на контроль поручений: 2." in page


def test_signing_a_signed_protocol_is_refused_with_a_clear_message(people, client):
    meeting = _draft(people)
    services.meeting_sign(meeting=meeting, actor=people.committee)
    with pytest.raises(TransitionError, match="Протокол уже подписан"):
        services.meeting_sign(meeting=meeting, actor=people.committee)
    client.force_login(people.committee)
    page = client.post(reverse("meetings:meeting_sign", args=[meeting.pk]), follow=True).text
    assert "Протокол уже подписан." in page
    assert meeting.events.filter(kind=MeetingEvent.Kind.SIGNED).count() == 1
    assert Obligation.objects.filter(decision__item__meeting=meeting).count() == 2  # nothing put twice


def test_an_amendment_keeps_the_status_on_both_sides(people):
    meeting = _draft(people)
    services.meeting_sign(meeting=meeting, actor=people.committee)
    services.attendance_set(meeting=meeting, actor=people.committee, present=set())
    event = meeting.events.get(kind=MeetingEvent.Kind.ATTENDANCE)
    assert (event.from_status, event.to_status, event.transition) == ("signed", "signed", "")


def test_a_protocol_never_goes_back_to_a_draft(people):
    meeting = _draft(people)
    services.meeting_sign(meeting=meeting, actor=people.committee)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        meeting.check_transition(Meeting.Status.DRAFT)
    assert refused.value.messages == ["Нельзя перевести протокол из состояния «подписан» в «черновик»."]


def test_obligation_history_shows_the_change_of_status_and_dates_as_people_read_them(people, client):
    meeting = committee_meeting(
        people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "руководители ОМСУ")
    )
    obligation = Obligation.objects.get(decision__item__meeting=meeting, municipality=people.mun_a)
    services.obligation_start(obligation=obligation, actor=people.head_a)
    request = services.extension_request(obligation=obligation, actor=people.head_a, proposed_date=days(40),
                                         reason="Данные придут позже.")  # fmt: skip
    services.extension_decide(request=request, actor=people.committee, grant=True, comment="Согласовано")
    client.force_login(people.head_a)
    page = client.get(obligation.get_absolute_url()).text
    assert "назначено → в работе" in page
    assert f"{days(20):%d.%m.%Y} → {days(40):%d.%m.%Y}" in page


def test_a_ready_document_is_never_rendered_again(people, monkeypatch):
    meeting = committee_meeting(people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "ЛОИРО"))
    document = Document.objects.create(meeting=meeting, kind="protocol", key="rev-1", revision=1,
                                       requested_by=people.committee, status=Document.Status.READY)  # fmt: skip
    monkeypatch.setattr("meetings.documents.render_document", lambda *a, **k: pytest.fail("rendered again"))
    assert document_render(document.pk) == "skipped"
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    with pytest.raises(TransitionError) as refused:
        document.check_transition(Document.Status.RENDERING)
    assert refused.value.messages == ["Нельзя перевести документ из состояния «готов» в «формируется»."]


def test_a_failed_render_ends_failed_and_a_failed_document_is_not_claimed(people, monkeypatch):
    meeting = committee_meeting(people, decision("1", "Провести анализ ВПР.", f"до {written(20)}", "ЛОИРО"))
    document = Document.objects.create(meeting=meeting, kind="protocol", key="rev-1", revision=1,
                                       requested_by=people.committee)  # fmt: skip

    def broken(*args, **kwargs):
        raise RuntimeError("шрифт не найден")

    monkeypatch.setattr("meetings.documents.render_document", broken)
    assert document_render(document.pk) == "failed"
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED and "шрифт не найден" in document.error
    assert document_render(document.pk) == "skipped"


def test_the_api_gives_the_protocols_history_in_the_shape_of_every_history(people, client):
    meeting = _draft(people)
    services.meeting_sign(meeting=meeting, actor=people.committee)
    client.force_login(people.head_a)
    events = client.get(reverse("api:meeting-detail", args=[meeting.pk])).json()["events"]
    assert [(e["kind"], e["title"], e["from_status"], e["to_status"]) for e in events] == [
        ("created", "создан", "", "draft"), ("signed", "подписан", "draft", "signed"),
    ]  # fmt: skip
    assert events[1]["actor"] == people.committee.short_name
    obligation = Obligation.objects.get(decision__item__meeting=meeting, municipality=people.mun_a)
    line = client.get(reverse("api:obligation-detail", args=[obligation.pk])).json()["events"][0]
    assert set(events[0]) - {"revision"} == set(
        line
    )  # one shape: kind, title, from/to, who, when, comment, data


def test_a_planned_meeting_is_held_once_then_signed_and_each_step_is_in_the_history(people):
    from meetings.services.planning import meeting_hold, meeting_plan

    meeting = meeting_plan(actor=people.committee, title="О подготовке к ГИА", date=days(3),
                           agenda=["О подготовке к ГИА"], municipalities=[people.mun_a])  # fmt: skip
    with pytest.raises(TransitionError, match="Совещание ещё не проведено"):
        services.meeting_sign(meeting=meeting, actor=people.committee)
    meeting_hold(meeting=meeting, actor=people.committee)
    with pytest.raises(TransitionError, match="Совещание уже проведено: его протокол — «черновик»"):
        meeting_hold(meeting=meeting, actor=people.committee)
    steps = [(e.from_status, e.to_status) for e in meeting.events.all()]
    assert steps == [("", "planned"), ("planned", "draft")]
    assert meeting.events.last().transition == "запланировано → черновик"

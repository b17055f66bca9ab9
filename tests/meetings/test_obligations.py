"""From a signed protocol to "снято с контроля": obligations, reports, reviews, extensions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingEvent, Obligation, ObligationEvent, Report
from tests.meetings.factories import committee_meeting, days, decision, written

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def meeting(people):
    return committee_meeting(
        people,
        decision("1", "Принять информацию к сведению.", tracked=False),
        decision("2", "Провести анализ результатов пробного ЕГЭ.", f"до {written(20)}", "руководители ОМСУ"),
        decision("3", "Организовать курсы для учителей математики.", f"до {written(60)}", "ЛОИРО"),
    )


def obligation_of(meeting, number, **unit):
    return Obligation.objects.get(decision__item__meeting=meeting, decision__number=number, **unit)


def test_signing_puts_each_responsible_unit_under_control(people, meeting):
    assert meeting.status == Meeting.Status.SIGNED
    by_group = Obligation.objects.filter(decision__number="2")
    assert sorted(o.municipality.code for o in by_group) == ["04", "05"]
    assert {o.due_date for o in by_group} == {days(20)}
    assert obligation_of(meeting, "3").organization == people.loiro
    assert not Obligation.objects.filter(decision__number="1").exists()
    assert ObligationEvent.objects.filter(kind="assigned").count() == 3
    assert meeting.events.filter(kind=MeetingEvent.Kind.SIGNED).exists()


def test_a_tracked_decision_without_responsible_cannot_be_signed_and_nothing_is_saved(people):
    bad = decision("1", "Обеспечить контроль.", "до 01.05.2026", "")
    with pytest.raises(ValidationError) as exc:
        committee_meeting(people, bad)
    assert "П. 1: не указаны ответственные." in exc.value.messages
    assert not Meeting.objects.exists()


def test_each_head_sees_only_own_obligation(people, meeting, client):
    mine = obligation_of(meeting, "2", municipality=people.mun_a)
    theirs = obligation_of(meeting, "2", municipality=people.mun_b)
    client.force_login(people.head_a)
    inbox = client.get(reverse("meetings:obligation_list")).text
    assert mine.get_absolute_url() in inbox
    assert theirs.get_absolute_url() not in inbox
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
    # the protocol itself is visible to an addressee, not to a stranger
    assert client.get(meeting.get_absolute_url()).status_code == 200
    client.force_login(people.director_b)
    assert client.get(meeting.get_absolute_url()).status_code == 404


def test_report_with_a_file_then_accept_through_the_pages(people, meeting, client):
    obligation = obligation_of(meeting, "2", municipality=people.mun_a)
    client.force_login(people.head_a)
    response = client.post(reverse("meetings:obligation_action", args=[obligation.pk, "start"]))
    assert response.status_code == 302
    upload = SimpleUploadedFile("Анализ пробного ЕГЭ.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("meetings:obligation_action", args=[obligation.pk, "report"]),
        {"text": "Анализ проведён, результаты обсуждены с руководителями ОО.", "files": [upload]},
    )
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == "reported"
    stored = Report.objects.get(obligation=obligation).files.get()
    assert stored.name == "Анализ пробного ЕГЭ.pdf" and stored.content_type == "application/pdf"
    assert b"".join(client.get(stored.get_absolute_url()).streaming_content) == PDF

    client.force_login(people.head_b)
    assert client.get(stored.get_absolute_url()).status_code == 404

    client.force_login(people.committee)
    page = client.get(obligation.get_absolute_url()).text
    assert "Проверка отчёта" in page and "Анализ проведён" in page
    response = client.post(
        reverse("meetings:obligation_action", args=[obligation.pk, "accept"]), {"comment": ""}
    )
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == "accepted"
    assert obligation.closed_late is False
    kinds = list(obligation.events.values_list("kind", flat=True))
    assert kinds == ["assigned", "started", "reported", "accepted"]
    assert "снято с контроля" in client.get(obligation.get_absolute_url()).text


def test_return_needs_a_comment_and_the_unit_reports_again(people, meeting):
    obligation = obligation_of(meeting, "2", municipality=people.mun_b)
    services.report_submit(obligation=obligation, actor=people.head_b, text="Сделано.")
    with pytest.raises(ValidationError) as exc:
        services.report_return(obligation=obligation, actor=people.committee, comment="  ")
    assert "Укажите, что нужно доработать." in exc.value.messages
    obligation.refresh_from_db()
    assert obligation.status == "reported"
    services.report_return(
        obligation=obligation, actor=people.committee, comment="Приложите протокол анализа."
    )
    obligation.refresh_from_db()
    assert obligation.status == "returned"
    services.report_submit(obligation=obligation, actor=people.head_b, text="Протокол анализа приложен.")
    obligation.refresh_from_db()
    assert obligation.status == "reported"
    assert obligation.reports.count() == 2


def test_a_report_cannot_be_accepted_twice(people, meeting, client):
    obligation = obligation_of(meeting, "3")
    services.report_submit(obligation=obligation, actor=people.loiro_staff, text="Курсы проведены.")
    services.report_accept(obligation=obligation, actor=people.committee)
    with pytest.raises(ValidationError):
        services.report_accept(obligation=obligation, actor=people.committee)
    client.force_login(people.committee)
    response = client.post(reverse("meetings:obligation_action", args=[obligation.pk, "accept"]), follow=True)
    assert "Нельзя" in response.text or "уже рассмотрен" in response.text
    assert obligation.events.filter(kind="accepted").count() == 1


@pytest.mark.parametrize("persona", ["observer", "committee", "head_b", "director_a"])
def test_only_the_responsible_unit_reports(people, meeting, persona):
    obligation = obligation_of(meeting, "2", municipality=people.mun_a)
    with pytest.raises(PermissionDenied):
        services.report_submit(obligation=obligation, actor=getattr(people, persona), text="Отчёт")
    assert obligation.reports.count() == 0


@pytest.mark.parametrize("persona", ["observer", "head_a", "loiro_staff"])
def test_only_the_controller_accepts(people, meeting, persona):
    obligation = obligation_of(meeting, "2", municipality=people.mun_a)
    services.report_submit(obligation=obligation, actor=people.head_a, text="Отчёт")
    with pytest.raises(PermissionDenied):
        services.report_accept(obligation=obligation, actor=getattr(people, persona))


def test_extension_granted_keeps_the_old_date_in_history(people, meeting):
    obligation = obligation_of(meeting, "2", municipality=people.mun_a)
    with pytest.raises(ValidationError) as exc:
        services.extension_request(obligation=obligation, actor=people.head_a, proposed_date=days(5),
                                   reason="Нет данных")  # fmt: skip
    assert f"Новый срок должен быть позже действующего ({written(20)})." in exc.value.messages
    request = services.extension_request(obligation=obligation, actor=people.head_a, proposed_date=days(40),
                                         reason="Результаты пробного экзамена придут 30.04.")  # fmt: skip
    services.extension_decide(request=request, actor=people.committee, grant=True, comment="Согласовано")
    obligation.refresh_from_db()
    assert obligation.due_date == days(40)
    assert obligation.original_due_date == days(20)
    granted = obligation.events.get(kind="extension_granted")
    assert granted.data == {"old": days(20).isoformat(), "new": days(40).isoformat()}
    with pytest.raises(ValidationError):
        services.extension_decide(request=request, actor=people.committee, grant=False, comment="поздно")


def test_extension_decline_needs_a_reason(people, meeting):
    obligation = obligation_of(meeting, "3")
    request = services.extension_request(obligation=obligation, actor=people.loiro_staff,
                                         proposed_date=days(90), reason="Отпуска")  # fmt: skip
    with pytest.raises(ValidationError):
        services.extension_decide(request=request, actor=people.committee, grant=False, comment="")
    services.extension_decide(
        request=request, actor=people.committee, grant=False, comment="Курсы нужны к ГИА"
    )
    obligation.refresh_from_db()
    assert obligation.due_date == days(60)


def test_several_checkpoints_are_each_tracked(people):
    meeting = committee_meeting(
        people,
        decision(
            "1", "Представить информацию о ходе подготовки.", f"до {written(5)}, {written(35)}", "ЛОИРО"
        ),
    )
    obligation = Obligation.objects.get(decision__item__meeting=meeting)
    assert obligation.due_date == days(5)
    services.report_submit(obligation=obligation, actor=people.loiro_staff, text="Первая информация")
    services.report_accept(obligation=obligation, actor=people.committee)
    obligation.refresh_from_db()
    assert (obligation.status, obligation.due_date) == ("in_work", days(35))
    services.report_submit(obligation=obligation, actor=people.loiro_staff, text="Вторая информация")
    services.report_accept(obligation=obligation, actor=people.committee)
    obligation.refresh_from_db()
    assert obligation.status == "accepted"


def test_standing_obligation_gets_periodic_report_dates(people):
    meeting = committee_meeting(
        people, decision("1", "Обеспечить мониторинг.", "ежеквартально до 10 числа", "ЛОИРО")
    )
    obligation = Obligation.objects.get(decision__item__meeting=meeting)
    assert obligation.due_date is not None and obligation.due_date > days(-10)
    first = obligation.due_date
    services.report_submit(obligation=obligation, actor=people.loiro_staff, text="Квартальный отчёт")
    services.report_accept(obligation=obligation, actor=people.committee)
    obligation.refresh_from_db()
    assert obligation.status == "in_work" and obligation.due_date > first


def test_overdue_and_due_soon_are_computed_from_dates(people, meeting):
    obligation = obligation_of(meeting, "2", municipality=people.mun_a)
    assert obligation.is_overdue_on(days(21))
    assert not obligation.is_overdue_on(days(20))
    states = Obligation.objects.filter(pk=obligation.pk).with_state(days(15)).get()
    assert states.is_due_soon and not states.is_overdue
    services.report_submit(obligation=obligation, actor=people.head_a, text="Готово")
    obligation.refresh_from_db()
    assert not obligation.is_overdue_on(days(30))  # reported: waiting for the controller


def test_board_filters_overdue_and_counts(people, meeting, client):
    today = timezone.localdate()
    Obligation.objects.filter(decision__number="2").update(due_date=today - timedelta(days=3))
    Obligation.objects.filter(decision__number="3").update(due_date=today + timedelta(days=30))
    client.force_login(people.committee)
    response = client.get(reverse("meetings:obligation_list"), {"state": "overdue"})
    assert response.status_code == 200
    page = response.context["page"]
    assert {o.decision.number for o in page.object_list} == {"2"}
    assert response.context["counts"]["overdue"] == 2
    assert "просрочено" in response.text


def test_unreadable_upload_is_refused_and_nothing_is_saved(people, meeting, client):
    obligation = obligation_of(meeting, "2", municipality=people.mun_a)
    client.force_login(people.head_a)
    fake = SimpleUploadedFile("отчёт.pdf", b"this is not a pdf", content_type="application/pdf")
    response = client.post(reverse("meetings:obligation_action", args=[obligation.pk, "report"]),
                           {"text": "Отчёт", "files": [fake]})  # fmt: skip
    assert response.status_code == 400
    assert "содержимое не соответствует расширению .pdf" in response.text
    obligation.refresh_from_db()
    assert obligation.status == "assigned" and not obligation.reports.exists()
    assert not obligation.events.filter(kind="reported").exists()


def test_amending_a_signed_protocol_needs_a_reason_and_leaves_a_trace(people, meeting):
    from meetings.deadlines import parse_deadline
    from meetings.parties import PartyResolver

    target = meeting.items.get().decisions.get(number="3")
    loiro = PartyResolver().resolve("ЛОИРО")
    icoko = PartyResolver().resolve("ГБУ ЛО «ИЦОКО»")
    assert icoko is not None
    kwargs = {
        "decision": target, "actor": people.committee, "text": target.text, "tracked": True,
        "deadline": parse_deadline(f"до {written(70)}"), "responsible_text": "ЛОИРО, ИЦОКО",
        "parties": [loiro, icoko], "controller": people.committee,
    }  # fmt: skip
    with pytest.raises(ValidationError):
        services.decision_update(**kwargs, comment="")
    services.decision_update(**kwargs, comment="Письмо ЛОИРО от 01.04.2026")
    meeting.refresh_from_db()
    assert meeting.revision == 2
    assert meeting.events.filter(kind="amended", comment__contains="Письмо ЛОИРО").exists()
    assert Obligation.objects.get(decision=target, organization=people.loiro).due_date == days(70)
    assert Obligation.objects.filter(decision=target, organization=people.icoko).exists()


def test_organizer_marks_attendance_and_the_pdf_lists_the_absent(people, meeting, client):
    from meetings.documents import render_html

    member = meeting.participants.get(role="member")
    client.force_login(people.committee)
    response = client.post(reverse("meetings:meeting_attendance", args=[meeting.pk]), {"present": []})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.attended is False
    assert meeting.events.filter(kind="attendance").exists()
    assert "Отсутствовали" in render_html(meeting, "protocol")
    client.force_login(people.head_a)
    assert (
        client.post(reverse("meetings:meeting_attendance", args=[meeting.pk]), {"present": []}).status_code
        == 403
    )


def test_a_director_sees_own_obligation_but_not_the_schools_progress_of_the_municipality(people, client):
    from meetings import services as meeting_services
    from tests.meetings.factories import days

    draft = meeting_services.MeetingDraft(
        kind="meeting", date=days(-5), number="7", title="Совещание руководителей ОО",
        items=[meeting_services.ItemDraft(number=1, title="Об итогах ВПР", decisions=[
            decision("1", "Провести заседания ШМО.", f"до {written(10)}", "СОШ № 1 Всеволожск; Агалатовская СОШ")])],
    )  # fmt: skip
    meeting_services.meeting_create(actor=people.head_a, draft=draft, organizer_municipality=people.mun_a,
                                    controller=people.head_a, sign=True)  # fmt: skip
    client.force_login(people.head_a)
    assert "Решения наших совещаний" in client.get(reverse("home")).text
    client.force_login(people.director_a)
    home = client.get(reverse("home")).text
    assert "Провести заседания ШМО." in home  # own obligation
    assert "Решения наших совещаний" not in home and "0 из 2" not in home

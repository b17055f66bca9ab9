"""A saved protocol is edited — header, participants, agenda, decisions — as a new revision with a reason and a
history entry; the admin cannot change a signed protocol silently."""

from django.urls import reverse

from meetings.models import Meeting, MeetingEvent
from tests.html_forms import form_data
from tests.meetings.factories import committee_meeting, decision, written


def signed(people) -> Meeting:
    return committee_meeting(
        people, decision("1", "Проанализировать результаты ВПР.", f"до {written(20)}", "руководители ОМСУ")
    )


def test_a_signed_protocol_is_edited_as_a_new_revision_with_a_reason(people, client):
    meeting = signed(people)
    client.force_login(people.committee)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    data = form_data(client.get(url).text, "")
    assert data["title"] == ["О подготовке к ГИА-2026"]
    data["place"] = ["Актовый зал комитета"]
    data["members"] = ["Сидорова О.П.\nКузнецов П.Р."]
    data["items-0-speakers"] = ["докл. Смирнова О.В., начальник отдела –"]
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Обязательное поле." in refused.text  # the reason
    meeting.refresh_from_db()
    assert meeting.revision == 1 and meeting.place == ""
    data["comment"] = ["Уточнены место и состав участников."]
    response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.revision == 2 and meeting.place == "Актовый зал комитета"
    assert meeting.items.get().speakers == "Смирнова О.В."  # the rapporteur as a name
    assert [p.name for p in meeting.participants.filter(role="member")] == ["Сидорова О.П.", "Кузнецов П.Р."]
    event = meeting.events.get(kind=MeetingEvent.Kind.AMENDED)
    assert event.revision == 2 and event.comment.startswith("Уточнены место и состав участников.")
    assert event.data["changes"]["место"] == ["", "Актовый зал комитета"]
    page = client.get(meeting.get_absolute_url()).text
    assert "редакция 2" in page and "Уточнены место и состав участников." in page


def test_an_agenda_question_is_added_and_one_with_decisions_is_kept(people, client):
    meeting = signed(people)
    client.force_login(people.committee)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    data = form_data(client.get(url).text, "")
    data["items-1-title"] = ["Разное"]
    data["comment"] = ["Добавлен вопрос."]
    assert client.post(url, data).status_code == 302
    assert list(meeting.items.values_list("number", "title")) == [(1, "О подготовке к ГИА"), (2, "Разное")]
    data = form_data(client.get(url).text, "")
    assert 'name="items-0-DELETE"' not in client.get(url).text  # a question with decisions offers no deletion
    data["items-0-DELETE"] = ["on"]
    data["comment"] = ["Удалить вопрос с решением."]
    response = client.post(url, data)
    assert response.status_code == 200 and "нельзя удалить: в нём есть решения" in response.text
    assert meeting.items.count() == 2


def test_only_the_organiser_edits_a_protocol(people, client):
    meeting = signed(people)
    client.force_login(people.head_a)  # addressed by the protocol, not its organiser
    assert client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 403
    client.force_login(people.observer)
    assert client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 403


def test_the_admin_shows_a_signed_protocol_read_only(people, client):
    meeting = signed(people)
    people.committee.is_superuser = True
    people.committee.save(update_fields=["is_superuser"])
    client.force_login(people.committee)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="title"' not in page.text  # shown, not editable
    client.post(url, {"title": "Другая тема", "kind": "meeting", "date": meeting.date.isoformat()})
    meeting.refresh_from_db()
    assert meeting.title == "О подготовке к ГИА-2026" and meeting.revision == 1
    decision_url = reverse("admin:meetings_decision_change", args=[meeting.items.get().decisions.get().pk])
    assert 'name="text"' not in client.get(decision_url).text


def test_the_admin_edit_of_a_draft_leaves_a_revision_and_an_event(people, client):
    meeting = committee_meeting(people, decision("1", "Принять к сведению.", tracked=False), sign=False)
    people.committee.is_superuser = True
    people.committee.save(update_fields=["is_superuser"])
    client.force_login(people.committee)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url).text, "")
    data["title"] = ["О подготовке к ГИА-2027"]
    data.pop("_addanother", None), data.pop("_continue", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    meeting.refresh_from_db()
    assert meeting.title == "О подготовке к ГИА-2027" and meeting.revision == 2
    assert "Изменён в администрировании" in meeting.events.get(kind="amended").comment
    unchanged = form_data(client.get(url).text, "")
    assert client.post(url, unchanged).status_code == 302
    meeting.refresh_from_db()
    assert meeting.revision == 2 and meeting.events.filter(kind="amended").count() == 1  # nothing changed


def test_the_api_amends_a_signed_protocol_with_a_reason(people, client):
    meeting = signed(people)
    client.force_login(people.committee)
    url = reverse("api:meeting-amend", args=[meeting.pk])
    refused = client.post(url, {"title": "Другая тема"}, content_type="application/json")
    assert refused.status_code == 400 and "основание" in refused.text
    response = client.post(
        url, {"title": "Другая тема", "comment": "Опечатка"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["revision"] == 2
    decision_pk = meeting.items.get().decisions.get().pk
    response = client.post(reverse("api:decision-amend", args=[decision_pk]),
                           {"deadline_text": f"до {written(40)}", "comment": "Срок перенесён решением комитета"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.revision == 3
    client.force_login(people.head_a)
    assert (
        client.post(url, {"comment": "x", "title": "y"}, content_type="application/json").status_code == 403
    )

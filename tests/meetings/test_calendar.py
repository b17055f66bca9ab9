"""Planned meetings: the agenda and an .ics invitation e-mailed to the invited, the month's calendar page, the
personal iCalendar feed, and a held meeting becoming a draft protocol with its agenda."""

import pytest
from django.core import mail
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings.factories import days

pytestmark = pytest.mark.django_db
TOKEN = "t" * 40


def plan(client, people, **extra):
    data = {"kind": "meeting", "title": "О подготовке к ГИА-2027", "date": days(7).isoformat(), "time": "10:30",
            "place": "Смольный, каб. 101", "agenda": "О результатах ВПР\n\nО плане на год",
            "municipalities": [people.mun_a.pk], **extra}  # fmt: skip
    return client.post(reverse("meetings:meeting_plan"), data)


def test_planning_sends_the_agenda_with_an_ics_invitation_to_the_invited(
    client_for, people, django_capture_on_commit_callbacks
):
    people.head_a.email = "head-a@example.ru"
    people.head_a.save()
    client = client_for(people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        response = plan(client, people)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.status == Meeting.Status.PLANNED
    assert [i.title for i in meeting.items.all()] == ["О результатах ВПР", "О плане на год"]
    message = mail.outbox[-1]
    assert message.to == ["head-a@example.ru"] and "О результатах ВПР" in message.body
    ics = next(a for a in message.attachments if a[0] == "invite.ics")[1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:REQUEST" in ics
    assert f"UID:meeting-{meeting.pk}@" in ics
    assert f"DTSTART;TZID=Europe/Moscow:{days(7):%Y%m%d}T103000" in ics
    assert "mailto:head-a@example.ru" in ics


def test_an_empty_agenda_is_refused_and_nothing_is_saved(client_for, people):
    response = plan(client_for(people.committee), people, agenda="  \n ")
    assert response.status_code == 400 and "Повестка" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_calendar_lists_the_month_for_the_organiser_and_the_invited_only(client_for, people):
    plan(client_for(people.committee), people)
    month = f"{days(7):%Y-%m}"
    for persona, sees in (("committee", True), ("head_a", True), ("head_b", False)):
        page = client_for(getattr(people, persona)).get(
            reverse("meetings:meeting_calendar"), {"month": month}
        )
        assert ("О подготовке к ГИА-2027" in page.content.decode()) == sees, persona
    assert (
        client_for(people.committee).get(reverse("meetings:meeting_calendar"), {"month": "x"}).status_code
        == 200
    )


def test_the_personal_feed_holds_planned_meetings_beside_deadlines(client_for, people):
    plan(client_for(people.committee), people)
    people.head_a.calendar_token = TOKEN
    people.head_a.save()
    feed = client_for(people.head_a).get(reverse("calendar", args=[TOKEN])).content.decode()
    assert "О подготовке к ГИА-2027" in feed and "TZID=Europe/Moscow" in feed


def test_a_held_meeting_becomes_a_draft_protocol_with_its_agenda(client_for, people):
    client = client_for(people.committee)
    plan(client, people)
    meeting = Meeting.objects.get()
    with pytest.raises(Exception, match="ещё не проведено"):
        services.meeting_sign(meeting=meeting, actor=people.committee)
    assert (
        client_for(people.head_a).post(reverse("meetings:meeting_hold", args=[meeting.pk])).status_code == 403
    )
    client = client_for(people.committee)
    client.post(reverse("meetings:meeting_hold", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.items.count() == 2


def test_the_api_lists_and_creates_planned_meetings(client_for, people):
    client = client_for(people.committee)
    url = reverse("api:planned-meeting-list")
    created = client.post(url, {"title": "Совет директоров", "date": days(3).isoformat(), "time": "15:00",
                                "agenda": ["Об олимпиаде"], "organizations": [people.loiro.pk]},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["agenda"] == ["Об олимпиаде"] and created.json()["status"] == "planned"
    assert [m["title"] for m in client.get(url).json()["results"]] == ["Совет директоров"]
    assert client_for(people.head_b).get(url).json()["results"] == []
    bad = client.post(url, {"title": "x", "date": days(3).isoformat(), "agenda": [], "municipalities": [999999]},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert client_for(people.observer).post(url, {}, content_type="application/json").status_code == 403

"""Planned meetings as calendar events: the .ics invitation (METHOD:REQUEST) and the events of a feed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting

MEETING_LENGTH = timedelta(hours=2)


def _host() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0]


def meeting_uid(meeting: Meeting) -> str:
    """One UID per meeting for ever: a re-sent invitation updates the same calendar entry."""
    return f"meeting-{meeting.pk}@{_host()}"


def agenda_text(meeting: Meeting) -> str:
    return "\n".join(f"{item.number}. {item.title}" for item in meeting.items.all())


def meeting_event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("summary", f"{meeting.get_kind_display().capitalize()}: {meeting.title}")
    if meeting.time:
        start = datetime.combine(meeting.date, meeting.time, tzinfo=ZoneInfo(settings.TIME_ZONE))
        event.add("dtstart", start)  # written with TZID=Europe/Moscow
        event.add("dtend", start + MEETING_LENGTH)
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
    if meeting.place:
        event.add("location", meeting.place)
    url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    event.add("description", f"Повестка:\n{agenda_text(meeting)}\n\n{url}")
    event.add("url", url)
    event.add("dtstamp", datetime.now(tz=ZoneInfo("UTC")))
    event.add("sequence", meeting.revision)
    return event


def invitation_ics(meeting: Meeting, emails: list[str]) -> bytes:
    """The invitation sent to the invited: METHOD:REQUEST, the organiser and every addressee as attendees."""
    calendar = Calendar()
    calendar.add("prodid", "-//Портал контроля качества образования//RU")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = meeting_event(meeting)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(meeting.organizer_name)
    event.add("organizer", organizer)
    for email in emails:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()

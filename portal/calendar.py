"""A personal iCalendar feed of one's deadlines and planned meetings, for Outlook, Thunderbird and phone calendars."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.calendar import meeting_event
from meetings.models import Meeting, Obligation
from municipalities.limits import EARLIEST_DATE, LATEST_DATE


def deadlines_of(user):
    """Open obligations the user reports on, and those they control."""
    mine = Obligation.objects.for_user(user).open().filter(due_date__isnull=False)
    if user.is_region_wide:
        return mine.filter(decision__controller=user)
    unit = Q(municipality_id=user.municipality_id) if user.role == "municipality" else Q(pk__in=[])
    unit |= Q(school_id=user.school_id) if user.school_id else Q(pk__in=[])
    unit |= Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
    return mine.filter(unit | Q(decision__controller=user))


def calendar_for(user) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Портал контроля качества образования//RU")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Сроки поручений и совещания")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # a date outside the portal's window (01.01.0001, 31.12.9999 typed before the services refused them)
    # cannot become an event: the end date would overflow, so it stays on the board only
    sane = {"due_date__range": (EARLIEST_DATE, LATEST_DATE)}
    for o in (
        deadlines_of(user)
        .filter(**sane)
        .select_related("decision__item__meeting", "municipality", "school", "organization")
    ):
        event = Event()
        event.add(
            "uid", f"obligation-{o.pk}-{o.due_date:%Y%m%d}@{settings.SITE_URL.split('://')[-1].split('/')[0]}"
        )
        event.add("summary", f"Срок: {o.unit_name} — {o.reference}")
        event.add("dtstart", o.due_date)
        event.add("dtend", o.due_date + timedelta(days=1))
        event.add("description", f"{o.decision.text}\n\n{settings.SITE_URL}{o.get_absolute_url()}")
        event.add("url", f"{settings.SITE_URL}{o.get_absolute_url()}")
        calendar.add_component(event)
    # meetings planned from today on that the user organises or is invited to, beside the deadlines
    meetings = Meeting.objects.for_user(user).filter(
        status=Meeting.Status.PLANNED, date__gte=timezone.localdate(), date__lte=LATEST_DATE
    )
    for meeting in meetings.select_related(
        "organizer_organization", "organizer_municipality"
    ).prefetch_related("items"):
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()

"""Protocols built directly through the services, as the review page would save them."""

from datetime import date, timedelta

from django.utils import timezone

from meetings import services
from meetings.deadlines import parse_deadline
from meetings.parties import PartyResolver


def days(n: int) -> date:
    """A date n days from today: tests stay true whatever day they run."""
    return timezone.localdate() + timedelta(days=n)


def written(n: int) -> str:
    """The same date as a protocol writes it: 15.04.2026."""
    return days(n).strftime("%d.%m.%Y")


def decision(number: str, text: str, deadline: str = "", responsible: str = "", *, tracked: bool = True,
             meeting_date: date | None = None) -> services.DecisionDraft:  # fmt: skip
    meeting_date = meeting_date or days(-10)
    resolver = PartyResolver()
    parts = [p.strip() for p in responsible.split(";") if p.strip()]
    parties = [resolver.resolve(p) for p in parts]
    assert all(parties), f"unknown party in {parts}"
    return services.DecisionDraft(
        number=number, text=text, tracked=tracked, deadline=parse_deadline(deadline, meeting_date=meeting_date),
        responsible_text=responsible, parties=parties,
    )  # fmt: skip


def committee_meeting(people, *decisions, sign: bool = True, when: date | None = None):
    when = when or days(-10)
    draft = services.MeetingDraft(
        kind="meeting", date=when, number="3", title="О подготовке к ГИА-2026", chair="Петрова А.С.",
        secretary="Иванов И.И.", members=["Сидорова О.П."], invited=["руководители ОМСУ"],
        items=[services.ItemDraft(number=1, title="О подготовке к ГИА", decisions=list(decisions))],
    )  # fmt: skip
    return services.meeting_create(
        actor=people.committee, draft=draft, organizer_organization=people.committee_org,
        controller=people.committee, sign=sign,
    )  # fmt: skip

"""What the people of an obligation are told, in their words: texts and links for ``notifications.events.tell``.

Each event is told once per person (the key is the event row, or the first new obligation of a signing), in
the portal at once and by e-mail after the commit according to each person's e-mail mode.
"""

from collections import defaultdict

from django.urls import reverse

from meetings.models import Obligation, ObligationEvent
from notifications import events


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def tell_event(
    obligation: Obligation, event: ObligationEvent, *, kind: str, subject: str, text: str, people=None
) -> int:
    """Tell the obligation's people (its named executor, else its unit) what ``event`` did."""
    people = obligation.people_to_tell() if people is None else people
    url = obligation.get_absolute_url()
    if kind == events.NEW_COMMENT and event.data.get("comment"):
        url = f"{url}#comment-{event.data['comment']}"
    return events.tell(
        people, kind=kind, subject=subject, text=text, url=url, key=f"obligation-event-{event.pk}"
    )


def describe(obligation: Obligation) -> str:
    """«п. 2.1 протокола № 12 от 05.11.2026, срок 01.12.2026: Представить анализ…» — for an e-mail's text."""
    when = f", срок {obligation.due_date:%d.%m.%Y}" if obligation.due_date else ", срок не установлен"
    return f"{capital(obligation.reference)}{when}: {obligation.decision.text[:500]}"


def tell_new_obligations(obligations: list[Obligation]) -> int:
    """One message per unit (however many decisions of one signing it got): the new obligations, each quoted."""
    by_unit: dict[tuple, list[Obligation]] = defaultdict(list)
    for obligation in obligations:
        by_unit[(obligation.organization_id, obligation.municipality_id, obligation.school_id)].append(
            obligation
        )
    told = 0
    for group in by_unit.values():
        first = group[0]
        if len(group) == 1:
            subject = f"Новое поручение: {first.reference}" + (
                f", срок {first.due_date:%d.%m.%Y}" if first.due_date else ""
            )
            url = first.get_absolute_url()
        else:
            meeting = first.decision.item.meeting
            number = f" № {meeting.number}" if meeting.number else ""
            subject = f"Новые поручения ({len(group)}) по протоколу{number} от {meeting.date:%d.%m.%Y}"
            url = f"{reverse('meetings:obligation_list')}?meeting={meeting.pk}"
        text = f"Исполнитель: {first.unit_name}.\n\n" + "\n\n".join(describe(o) for o in group)
        told += events.tell(
            first.people_to_tell(), kind=events.NEW_OBLIGATION, subject=subject, text=text, url=url,
            key=f"obligations-new-{first.pk}",
        )  # fmt: skip
    return told

"""Editing a saved protocol — header, participants, agenda — as a new revision with a reason and a history entry.

Decisions are amended one by one (``services.decision_update``), each a revision of its own. Whoever calls
these (the page, the API, the admin), a signed protocol changes only here: with a reason, the revision
number raised (so its PDFs are made again) and an event that keeps what was before and what is now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from meetings.models import AgendaItem, Meeting, MeetingEvent, Participant
from meetings.protocol_import.people import rapporteurs

HEADER_FIELDS = ("kind", "date", "number", "title", "place")
ITEM_FIELDS = ("title", "speakers", "heard", "spoke")
ROLE_FIELDS = (
    ("chair", Participant.Role.CHAIR),
    ("secretary", Participant.Role.SECRETARY),
    ("members", Participant.Role.MEMBER),
    ("invited", Participant.Role.INVITED),
)
LABELS = {"kind": "вид", "date": "дата", "number": "номер", "title": "тема", "place": "место",
          "chair": "председатель", "secretary": "секретарь", "members": "присутствовали", "invited": "приглашённые",
          "speakers": "докладчики", "heard": "слушали", "spoke": "выступили"}  # fmt: skip


@dataclass
class ProtocolEdit:
    """What the protocol should say after the edit; ``None`` leaves a part as it is."""

    header: dict = field(default_factory=dict)  # kind, date, number, title, place
    people: dict[str, list[str]] | None = None  # chair, secretary, members, invited → names as written
    items: list[dict] | None = None  # {"number": n or None for a new question, "title", "speakers", …}


def current_people(meeting: Meeting) -> dict[str, list[str]]:
    people = {key: [] for key, _ in ROLE_FIELDS}
    role_key = {role: key for key, role in ROLE_FIELDS}
    for participant in meeting.participants.order_by("order", "pk"):
        people[role_key[participant.role]].append(participant.name)
    return people


@transaction.atomic
def meeting_amend(*, meeting: Meeting, actor, edit: ProtocolEdit, comment: str = "") -> dict:
    """Apply the edit; returns the changes ({what: [before, after]}), empty when nothing changed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.user_can_manage(actor):
        raise PermissionDenied("Изменять протокол может только его организатор.")
    if meeting.is_signed and not comment.strip():
        raise ValidationError({"comment": "Протокол подписан: укажите основание изменения."})
    changes: dict[str, list] = {}
    for name, value in edit.header.items():
        if name not in HEADER_FIELDS:
            raise ValidationError(f"Поле «{name}» протокола так не меняется.")
        before = getattr(meeting, name)
        value = value.strip() if isinstance(value, str) else value
        if value != before:
            changes[LABELS[name]] = [_plain(before), _plain(value)]
            setattr(meeting, name, value)
    meeting.full_clean(exclude=["submission_key", "created_by"])
    if edit.people is not None:
        changes.update(_people(meeting, edit.people))
    if edit.items is not None:
        changes.update(_items(meeting, edit.items))
    if not changes:
        return {}
    meeting.revision += 1
    meeting.save()
    summary = "; ".join(
        f"{what}: «{_short(before)}» → «{_short(after)}»" for what, (before, after) in changes.items()
    )
    MeetingEvent.record(
        meeting, actor, kind=MeetingEvent.Kind.AMENDED, revision=meeting.revision, data={"changes": changes},
        comment=f"{comment.strip()} ({summary})" if comment.strip() else summary,
    )  # fmt: skip
    return changes


def _people(meeting: Meeting, people: dict[str, list[str]]) -> dict[str, list]:
    before = current_people(meeting)
    wanted = {
        key: [n.strip()[:500] for n in people.get(key, before[key]) if n and n.strip()]
        for key, _ in ROLE_FIELDS
    }
    if wanted == before:
        return {}
    attended = {(p.role, p.name): p.attended for p in meeting.participants.all()}
    meeting.participants.all().delete()
    order = 0
    for key, role in ROLE_FIELDS:
        for name in wanted[key]:
            order += 1
            Participant.objects.create(meeting=meeting, role=role, name=name, order=order,
                                       attended=attended.get((role, name)))  # fmt: skip
    return {
        LABELS[k]: ["; ".join(before[k]), "; ".join(wanted[k])]
        for k, _ in ROLE_FIELDS
        if before[k] != wanted[k]
    }


def _items(meeting: Meeting, rows: list[dict]) -> dict[str, list]:
    """Questions edited in place; new ones added at the end; a question with decisions is never removed here."""
    existing = {item.number: item for item in meeting.items.all()}
    changes: dict[str, list] = {}
    kept = set()
    next_number = max(existing, default=0)
    for row in rows:
        values = {name: (row.get(name) or "").strip() for name in ITEM_FIELDS}
        values["speakers"] = ", ".join(rapporteurs(values["speakers"]))
        number = row.get("number")
        if number in existing:
            item = existing[number]
            kept.add(number)
            for name, value in values.items():
                if value != getattr(item, name):
                    changes[f"вопрос {number}, {LABELS.get(name, 'название')}"] = [getattr(item, name), value]
                    setattr(item, name, value)
            if not item.title:
                raise ValidationError(f"Вопрос {number}: укажите его название.")
            item.save()
        elif values["title"]:
            next_number += 1
            AgendaItem.objects.create(meeting=meeting, number=next_number, **values)
            changes[f"вопрос {next_number}"] = ["", values["title"]]
    for number, item in existing.items():
        if number in kept:
            continue
        if item.decisions.exists():
            raise ValidationError(f"Вопрос {number} нельзя удалить: в нём есть решения.")
        changes[f"вопрос {number}"] = [item.title, ""]
        item.delete()
    return changes


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _short(value) -> str:
    text = " ".join(str(value or "—").split())
    return text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + "…"

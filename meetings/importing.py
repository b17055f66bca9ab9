"""From a parsed protocol (ProtocolProposal) to a draft the services can save, with its warnings.

The warnings of a decision follow from its current content alone (deadline as written, responsible as
written, tracked or not), so that a page where a person edits the draft can compute them again with
``decision_warnings`` after every change: no warning is lost, none outlives its cause.
"""

from __future__ import annotations

from datetime import date

from meetings.deadlines import parse_deadline
from meetings.models import Meeting
from meetings.notices import Kind, Notice
from meetings.parties import Context, PartyResolver, context_for
from meetings.parties.scope import scope_problem
from meetings.protocol_import import ProtocolProposal
from meetings.protocol_import.proposals import DecisionProposal, ItemProposal
from meetings.services import DecisionDraft, ItemDraft, MeetingDraft

# Warnings a decision's content gives again every time it is read: not copied from the parse.
_CONTENT_KINDS = frozenset(
    {
        Kind.DATE_BEFORE_MEETING,
        Kind.YEAR_SLIP,
        Kind.NO_YEAR,
        Kind.RELATIVE,
        Kind.UNREADABLE,
        Kind.EMPTY_DEADLINE,
    }
)


def decision_warnings(
    *,
    resolver: PartyResolver,
    deadline_text: str,
    responsible_text: str,
    tracked: bool = True,
    standing: bool = False,
    meeting_date: date | None = None,
    number: str = "",
    where: str = "",
    context: Context | None = None,
) -> list[Notice]:
    """The warnings of one decision as it reads now: its deadline, its responsible parties and their scope."""
    label = where or (f"Решение {number}" if number else "Решение")
    warnings: list[Notice] = []
    deadline = parse_deadline(deadline_text or None, meeting_date=meeting_date)
    for warning in deadline.warnings:
        if isinstance(warning, Notice):
            warnings.append(warning.located(label, number))
    if tracked and not deadline.text and not standing:
        warnings.append(Notice(f"{label}: срок не указан — укажите дату или оставьте её контролёру.",
                               kind=Kind.EMPTY_DEADLINE, number=number))  # fmt: skip
    if not tracked:
        return warnings
    found = resolver.responsible(responsible_text, context)
    if not found:
        warnings.append(Notice(f"{label}: не указаны ответственные — укажите их вручную.",
                               kind=Kind.NO_RESPONSIBLE, number=number))  # fmt: skip
    for addressee in found:
        if not addressee.known:
            warnings.append(Notice(
                f"{label}: ответственный «{addressee.text}» не найден в справочнике — исправьте написание "
                "или добавьте его как вариант названия.", kind=Kind.UNKNOWN_PARTY, number=number, subject=addressee.text,
            ))  # fmt: skip
        for target in addressee.targets:
            problem = scope_problem(target, text=addressee.text, organizer_municipality=resolver.municipality,
                                    region=resolver.region)  # fmt: skip
            if problem:
                warnings.append(Notice(f"{label}: {problem}", kind=Kind.OUT_OF_SCOPE, number=number,
                                       subject=addressee.text))  # fmt: skip
    return warnings


def meeting_kind(kind: str) -> str:
    """The portal's kind of a parsed protocol: recommendations after an interview belong to the interview."""
    kind = Meeting.Kind.INTERVIEW if kind == "recommendations" else kind
    return kind if kind in Meeting.Kind.values else Meeting.Kind.OTHER


def proposal_rows(
    proposal: ProtocolProposal,
) -> tuple[dict, list[tuple[dict, ItemProposal, list[tuple[dict, DecisionProposal]]]]]:
    """A parsed protocol as the portal numbers it: the header, then each agenda item's row with its decisions'
    rows (each beside what the parser read), blank where the protocol says nothing. The review page shows the
    rows; the batch import turns them into a draft (``draft_from_proposal``): one reading for both."""
    m = proposal.meeting
    header = {
        "kind": meeting_kind(m.kind), "date": m.date, "number": m.number, "title": m.title, "place": m.place,
        "chair": m.with_position(m.chair), "secretary": m.with_position(m.secretary),
        "members": list(m.member_lines or m.members), "invited": list(m.invited_lines or m.invited),
        "conclusions": m.conclusions,
    }  # fmt: skip
    items = []
    for index, item in enumerate(proposal.items, start=1):
        number = int(item.number) if str(item.number).isdigit() else index
        row = {"number": number, "title": item.title or m.title or "Решения", "speakers": ", ".join(item.speakers),
               "heard": item.heard, "spoke": item.spoke}  # fmt: skip
        decisions = [
            ({"item_number": number, "number": d.number or str(position), "text": d.text, "tracked": d.tracked,
              "deadline_text": d.deadline_text, "responsible_text": d.responsible or d.addressed_to}, d)
            for position, d in enumerate(item.decisions, start=1)
        ]  # fmt: skip
        items.append((row, item, decisions))
    return header, items


def draft_from_proposal(
    proposal: ProtocolProposal, resolver: PartyResolver
) -> tuple[MeetingDraft, list[str]]:
    """Resolve responsible parties; what is unknown or out of the organiser's scope becomes a warning, never a guess."""
    header, rows = proposal_rows(proposal)
    warnings: list[str] = [w for w in proposal.warnings if getattr(w, "kind", "") not in _CONTENT_KINDS
                           and getattr(w, "number", "") == ""]  # fmt: skip
    context = context_for(kind=proposal.meeting.kind, members=header["members"], invited=header["invited"])
    several = len(rows) > 1
    items = []
    for item_row, item, decision_rows in rows:
        decisions = []
        for row, d in decision_rows:
            number, responsible = row["number"], row["responsible_text"]
            where = _where(item.number, item.title, number, several=several)
            found = resolver.responsible(responsible, context)
            warnings.extend(w for w in proposal.warnings if getattr(w, "kind", "") == Kind.DATE_IN_TEXT
                            and w.number == d.number and d.number)  # fmt: skip
            warnings.extend(decision_warnings(
                resolver=resolver, deadline_text=d.deadline_text, responsible_text=responsible, tracked=d.tracked,
                standing=d.standing, meeting_date=header["date"], number=number, where=where, context=context,
            ))  # fmt: skip
            decisions.append(DecisionDraft(number=number, text=d.text, tracked=d.tracked, deadline=d.deadline,
                                           responsible_text=responsible, addressees=found,
                                           parties=[t for a in found for t in a.targets]))  # fmt: skip
        items.append(ItemDraft(**item_row, decisions=decisions))
    draft = MeetingDraft(
        **{**header, "date": header["date"] or date.today(), "title": header["title"] or "Без названия"},
        items=items,
    )
    return draft, warnings


def _where(item_number: str, item_title: str, number: str, *, several: bool) -> str:
    if item_number:
        return f"Вопрос {item_number}, решение {number}"
    if several and item_title:
        title = item_title if len(item_title) <= 60 else item_title[:60].rsplit(" ", 1)[0] + "…"
        return f"Раздел «{title}», пункт {number}"
    return f"Решение {number}"

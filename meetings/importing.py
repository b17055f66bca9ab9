"""From a parsed protocol (ProtocolProposal) to a draft the services can save, with its warnings.

The warnings of a decision follow from its current content alone (deadline as written, responsible as
written, tracked or not), so that a page where a person edits the draft can compute them again with
``decision_warnings`` after every change: no warning is lost, none outlives its cause.
"""

from __future__ import annotations

from datetime import date

from meetings.deadlines import parse_deadline
from meetings.notices import Kind, Notice
from meetings.parties import Context, PartyResolver, context_for
from meetings.parties.scope import scope_problem
from meetings.protocol_import import ProtocolProposal
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


def draft_from_proposal(
    proposal: ProtocolProposal, resolver: PartyResolver
) -> tuple[MeetingDraft, list[str]]:
    """Resolve responsible parties; what is unknown or out of the organiser's scope becomes a warning, never a guess."""
    m = proposal.meeting
    warnings: list[str] = [w for w in proposal.warnings if getattr(w, "kind", "") not in _CONTENT_KINDS
                           and getattr(w, "number", "") == ""]  # fmt: skip
    members, invited = m.member_lines or m.members, m.invited_lines or m.invited
    context = context_for(kind=m.kind, members=members, invited=invited)
    several = len(proposal.items) > 1
    items = []
    for index, item in enumerate(proposal.items, start=1):
        number = int(item.number) if str(item.number).isdigit() else index
        decisions = []
        for position, d in enumerate(item.decisions, start=1):
            decision_number = d.number or str(position)
            where = _where(item.number, item.title, decision_number, several=several)
            responsible = d.responsible or d.addressed_to
            found = resolver.responsible(responsible, context)
            warnings.extend(w for w in proposal.warnings if getattr(w, "kind", "") == Kind.DATE_IN_TEXT
                            and w.number == d.number and d.number)  # fmt: skip
            warnings.extend(decision_warnings(
                resolver=resolver, deadline_text=d.deadline_text, responsible_text=responsible, tracked=d.tracked,
                standing=d.standing, meeting_date=m.date, number=decision_number, where=where, context=context,
            ))  # fmt: skip
            decisions.append(DecisionDraft(number=decision_number, text=d.text, tracked=d.tracked, deadline=d.deadline,
                                           responsible_text=responsible, addressees=found,
                                           parties=[t for a in found for t in a.targets]))  # fmt: skip
        items.append(ItemDraft(number=number, title=item.title or m.title or "Решения", speakers=", ".join(item.speakers),
                               heard=item.heard, spoke=item.spoke, decisions=decisions))  # fmt: skip
    draft = MeetingDraft(
        kind=m.kind if m.kind != "recommendations" else "interview", date=m.date or date.today(), number=m.number,
        title=m.title or "Без названия", place=m.place, chair=m.with_position(m.chair),
        secretary=m.with_position(m.secretary), members=list(members), invited=list(invited), items=items,
        conclusions=m.conclusions,
    )  # fmt: skip
    return draft, warnings


def _where(item_number: str, item_title: str, number: str, *, several: bool) -> str:
    if item_number:
        return f"Вопрос {item_number}, решение {number}"
    if several and item_title:
        title = item_title if len(item_title) <= 60 else item_title[:60].rsplit(" ", 1)[0] + "…"
        return f"Раздел «{title}», пункт {number}"
    return f"Решение {number}"

"""From a parsed protocol (ProtocolProposal) to a draft the services can save, with its warnings."""

from datetime import date

from meetings.parties import PartyResolver
from meetings.protocol_import import ProtocolProposal
from meetings.services import DecisionDraft, ItemDraft, MeetingDraft


def draft_from_proposal(
    proposal: ProtocolProposal, resolver: PartyResolver
) -> tuple[MeetingDraft, list[str]]:
    """Resolve responsible parties through the aliases; what is unknown becomes a warning, never a guess."""
    warnings = list(proposal.warnings)
    m = proposal.meeting
    items = []
    for index, item in enumerate(proposal.items, start=1):
        number = int(item.number) if str(item.number).isdigit() else index
        where = f"Вопрос {number}" if item.title else "Решения"
        decisions = []
        for d in item.decisions:
            parties = []
            for part in d.responsible_parts:
                target = resolver.resolve(part)
                if target is None:
                    warnings.append(
                        f"{where}, решение {d.number}: ответственный «{part}» не найден в справочнике."
                    )
                else:
                    parties.append(target)
            decisions.append(DecisionDraft(number=d.number, text=d.text, tracked=d.tracked, deadline=d.deadline,
                                           responsible_text=d.responsible, parties=parties))  # fmt: skip
        items.append(ItemDraft(number=number, title=item.title or m.title or "Решения", speakers=", ".join(item.speakers),
                               heard=item.heard, spoke=item.spoke, decisions=decisions))  # fmt: skip
    draft = MeetingDraft(
        kind=m.kind, date=m.date or date.today(), number=m.number, title=m.title or "Без названия", place=m.place,
        chair=m.chair, secretary=m.secretary, members=list(m.members), invited=list(m.invited), items=items,
    )  # fmt: skip
    return draft, warnings

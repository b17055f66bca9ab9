"""What the parser proposes: a meeting, its agenda items and their decisions, for a person to review."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from meetings.deadlines import Deadline, parse_deadline


@dataclass
class DecisionProposal:
    """One decision point ("2.1. Провести анализ…") with its deadline and responsible, as written."""

    number: str
    text: str
    deadline_text: str = ""
    responsible: str = ""
    responsible_parts: list[str] = field(default_factory=list)
    tracked: bool = False
    deadline: Deadline = field(default_factory=lambda: parse_deadline(""))

    @property
    def due_dates(self) -> list[date]:
        return list(self.deadline.due_dates)

    @property
    def standing(self) -> bool:
        return self.deadline.standing

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "text": self.text,
            "deadline_text": self.deadline_text,
            "due_dates": [due.isoformat() for due in self.due_dates],
            "standing": self.standing,
            "responsible": self.responsible,
            "tracked": self.tracked,
        }


@dataclass
class ItemProposal:
    """One agenda question with what was heard, who spoke and what was decided."""

    number: str
    title: str
    speakers: list[str] = field(default_factory=list)
    heard: str = ""
    spoke: str = ""
    decisions: list[DecisionProposal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "speakers": list(self.speakers),
            "heard": self.heard,
            "spoke": self.spoke,
            "decisions": [decision.to_json() for decision in self.decisions],
        }


@dataclass
class MeetingProposal:
    """The protocol header: what kind of meeting, when, who chaired and who took part."""

    kind: str = "other"
    date: date | None = None
    number: str = ""
    title: str = ""
    organization: str = ""
    place: str = ""
    chair: str = ""
    secretary: str = ""
    members: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "number": self.number,
            "title": self.title,
            "organization": self.organization,
            "place": self.place,
            "chair": self.chair,
            "secretary": self.secretary,
            "members": list(self.members),
            "invited": list(self.invited),
        }


@dataclass
class ProtocolProposal:
    """Everything read from one protocol, plus warnings about what a person must check by hand."""

    meeting: MeetingProposal
    items: list[ItemProposal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "meeting": self.meeting.to_json(),
            "items": [item.to_json() for item in self.items],
            "warnings": list(self.warnings),
        }

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
    # Whom the decision is addressed to when no "Ответственные" line says it: the heading of its block
    # ("Руководителям образовательных организаций … рекомендовано:", "Рекомендации для руководителей МОУО").
    addressed_to: str = ""

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
            "addressed_to": self.addressed_to,
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
    members: list[str] = field(default_factory=list)  # names only ("Шувалов Д.А."), or a body's name
    invited: list[str] = field(default_factory=list)
    date_range: tuple[date, date] | None = (
        None  # interviews held over several days: "(14.11.2023 – 17.11.2023)"
    )
    positions: dict[str, str] = field(default_factory=dict)  # name → position as written ("директор МАОУ …")
    member_lines: list[str] = field(default_factory=list)  # the entries as written, positions and classes too
    invited_lines: list[str] = field(default_factory=list)
    conclusions: str = ""  # "Были сделаны выводы: …": not decisions

    def with_position(self, name: str) -> str:
        """ "Фомичева О.Г. — директор МАОУ «СОШ № 11»": the name as the protocol prints it."""
        position = self.positions.get(name)
        return f"{name} — {position}" if position else name

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
            "date_range": [day.isoformat() for day in self.date_range] if self.date_range else None,
            "positions": dict(self.positions),
            "conclusions": self.conclusions,
        }


@dataclass
class LetterProposal:
    """A covering letter sent with the decision: its outgoing number and date are never the meeting's."""

    number: str = ""
    date: date | None = None

    def to_json(self) -> dict:
        return {"number": self.number, "date": self.date.isoformat() if self.date else None}


@dataclass
class QuestionnaireProposal:
    """An appended list of interview questions ("Вопросы для проведения собеседования"): not decisions."""

    title: str
    questions: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"title": self.title, "questions": list(self.questions)}


@dataclass
class ProtocolProposal:
    """Everything read from one protocol, plus warnings about what a person must check by hand."""

    meeting: MeetingProposal
    items: list[ItemProposal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    letter: LetterProposal | None = None
    questionnaire: QuestionnaireProposal | None = None

    def to_json(self) -> dict:
        return {
            "meeting": self.meeting.to_json(),
            "items": [item.to_json() for item in self.items],
            "warnings": list(self.warnings),
            "letter": self.letter.to_json() if self.letter else None,
            "questionnaire": self.questionnaire.to_json() if self.questionnaire else None,
        }


def proposal_from_json(data: dict) -> ProtocolProposal:
    """The proposal back from what ``to_json`` wrote (already validated): a protocol sent whole through the API."""
    m = data["meeting"]
    meeting = MeetingProposal(
        kind=m.get("kind") or "other", date=m.get("date"), number=m.get("number", ""), title=m.get("title", ""),
        place=m.get("place", ""), chair=m.get("chair", ""), secretary=m.get("secretary", ""),
        members=list(m.get("members", [])), invited=list(m.get("invited", [])), positions=dict(m.get("positions", {})),
        conclusions=m.get("conclusions", ""),
    )  # fmt: skip
    items = [
        ItemProposal(
            number=item.get("number", ""),
            title=item.get("title", ""),
            speakers=list(item.get("speakers", [])),
            heard=item.get("heard", ""),
            spoke=item.get("spoke", ""),
            decisions=[
                DecisionProposal(
                    number=d.get("number", ""),
                    text=d["text"],
                    deadline_text=d.get("deadline_text", ""),
                    responsible=d.get("responsible", ""),
                    tracked=d.get("tracked", True),
                    deadline=parse_deadline(d.get("deadline_text") or None, meeting_date=meeting.date),
                    addressed_to=d.get("addressed_to", ""),
                )
                for d in item.get("decisions", [])
            ],
        )
        for item in data["items"]
    ]
    return ProtocolProposal(meeting=meeting, items=items)

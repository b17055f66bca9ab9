"""Reading the text of a protocol into a ProtocolProposal.

``segments`` first cuts the document into its parts (a covering letter and an appended questionnaire are
set aside, a tab-separated table becomes protocol lines). The body is then read by a line-oriented state
machine. Every line is whitespace-normalised and first checked against the section labels valid in the
current phase; a label switches the state, and any text after the label (``РЕШИЛИ: Принять к сведению``)
is handled by the new state as if it were the next line. Lines that are not labels go to the current state:

``HEADER``     before any label. Lines above "ПРОТОКОЛ"/"РЕШЕНИЯ" are the organisation; lines after it are
               the title until a blank line or a line with the date / "№ …" / the place. A numbered
               question ("1. О …") opens an agenda question; in a "РЕШЕНИЯ" document another numbered line
               opens the single item of decisions; in a "Рекомендации …" document a bullet, a numbered line
               or a "…:" group heading does.
``CHAIR``, ``SECRETARY``, ``MEMBERS``, ``INVITED``   people (names apart from positions) or bodies.
``AGENDA``     after "ПОВЕСТКА ДНЯ:" or "… по следующим вопросам:": numbered questions with rapporteurs.
``QUESTION``, ``HEARD``, ``SPOKE``, ``NOTES``   the body of one question; a name alone on its line under
               the question is its rapporteur.
``NARRATIVE``  text that is neither agenda nor decisions (Roman-numeral sections of an interview, findings,
               proposals): nothing in it becomes a decision.
``DECIDED``    after "РЕШИЛИ:" / "Решили:" / "… рекомендовано:" / "… необходимо:": lines go to a
               ``DecisionBlock`` that assembles decision points.
``END``        the signature block; the rest is ignored.

Body labels are only recognised once the body has started, and header labels only before, so that
"Председатель комитета отметил …" in a speech is text and "Председатель ___ А.С. Петрова" ends the
document. Decisions are turned into ``DecisionProposal`` at the end, when the meeting date is known.
The handlers of the head (header, people, agenda) live in ``header``, shared pieces in ``reading``.
"""

from __future__ import annotations

import re

import meetings.protocol_import.patterns as p
from meetings.deadlines import Deadline
from meetings.notices import Kind, Notice

from .decision_block import DecisionBlock, ItemDraft, Point, is_numbered
from .errors import ProtocolFileError
from .header import HeaderReading
from .people import is_names_line, rapporteurs
from .proposals import DecisionProposal, ItemProposal, MeetingProposal, ProtocolProposal
from .reading import (
    PEOPLE_STATES,
    Line,
    State,
    is_people_entry,
    is_signature,
    meeting_kind,
    recommends,
    safe_deadline,
    same_title,
    shorten,
    speakers_from_heard,
    strip_sentence_end,
    strip_trailing_dot,
    title_and_speakers,
    unique,
)
from .segments import split_document
from .text_split import split_responsible

_TITLE_LIMIT = 300


class _ProtocolParser(HeaderReading):
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.position = 0
        self.meeting = MeetingProposal()
        self.state = State.HEADER
        self.in_body = False
        self.heading_kind = ""  # "protocol" | "decisions" | "recommendations"
        self.heading_line = ""
        self.addressee = ""  # "для руководителей …" in the heading of a recommendations document
        self.organization_lines: list[str] = []
        self.title_lines: list[str] = []
        self.title_done = False
        self.after_blank = False
        self.agenda_closed = False  # the last agenda line ended its sentence
        self.drafts: list[ItemDraft] = []
        self.agenda: list[ItemDraft] = []
        self.current: ItemDraft | None = None
        self.block: DecisionBlock | None = None
        self.warnings: list[str] = []

    # --- driving --------------------------------------------------------------------------------------

    def parse(self) -> ProtocolProposal:
        for index, raw in enumerate(self.lines):
            self.position = index
            self._feed(Line(raw=raw, text=" ".join(raw.split())))
            if self.state is State.END:
                break
        return self._finish()

    def _feed(self, line: Line) -> None:
        if not line.text:
            self._blank()
            return
        after_blank, self.after_blank = self.after_blank, False
        if self.in_body and is_signature(line, self._ahead(1)):
            self.state = State.END
            return
        if (
            self.state in PEOPLE_STATES
            and after_blank
            and not is_people_entry(line.text)
            and not self._is_header_label(line.text)
        ):
            self.in_body, self.state = (
                True,
                State.NARRATIVE,
            )  # the list is over: "I. Открывая собеседование …"
        if self._label(line.text):
            return
        handler = {
            State.HEADER: self._header_line,
            State.CHAIR: self._chair_line,
            State.SECRETARY: self._secretary_line,
            State.MEMBERS: self._people_line,
            State.INVITED: self._people_line,
            State.AGENDA: self._agenda_line,
            State.QUESTION: self._question_line,
            State.HEARD: self._body_text_line,
            State.SPOKE: self._body_text_line,
            State.NOTES: self._notes_line,
            State.NARRATIVE: self._narrative_line,
            State.DECIDED: self._decided_line,
        }[self.state]
        handler(line.text)

    def _ahead(self, count: int) -> list[str]:
        """The next ``count`` non-blank lines after the current one, whitespace collapsed."""
        found: list[str] = []
        for raw in self.lines[self.position + 1 :]:
            if text := " ".join(raw.split()):
                found.append(text)
                if len(found) == count:
                    break
        return found

    def _blank(self) -> None:
        self.after_blank = True
        if self.state is State.HEADER and self.title_lines:
            self.title_done = True
        if self.state is State.NOTES:
            self.state = State.NARRATIVE
        if self.block:
            self.block.blank()

    def _label(self, text: str) -> bool:
        """Switch state on a section label; the text after the label goes to the new state."""
        if self.state is State.HEADER and not self.heading_kind and p.HEADING_RE.match(text):
            return False  # "РЕШЕНИЕ" above the title is the document heading, not a section
        if not self.in_body and self._header_label(text):
            return True
        if match := p.HEARD_RE.match(text):
            number = match["number"] or p.ordinal_number(match["ordinal"])
            self._start_section(State.HEARD, self._item_for_heard(number))
            self._rest(match["rest"])
            return True
        if match := p.SPOKE_RE.match(text):
            number = p.ordinal_number(match["ordinal"])
            self._start_section(
                State.SPOKE, self._item_for_heard(number) if number else (self.current or self._next_item(""))
            )
            self._rest(match["rest"])
            return True
        if self.in_body and (match := p.RECOMMENDATIONS_RE.match(text)):
            draft = self._new_draft("", strip_sentence_end(match["title"]))
            self._start_section(State.DECIDED, draft, recommendations=True)
            return True
        if match := p.DECIDED_RE.match(text):
            number = match["number"] or ""
            draft = self._item_for_heard(number) if number else (self.current or self._next_item(""))
            self._start_section(State.DECIDED, draft, recommendations=recommends(text))
            self._rest(match["rest"])
            return True
        if self._decision_lead(text):
            return True
        if self.in_body and p.NOTE_RE.match(text):
            self.state, self.block = State.NOTES, None
            if self.current is not None:
                self.current.item.notes.append(text)
            self.meeting.conclusions = f"{self.meeting.conclusions}\n{text}".strip()
            return True
        if p.ROMAN_SECTION_RE.match(text) and (self.in_body or self.heading_kind):
            self.in_body, self.state, self.block = True, State.NARRATIVE, None
            return True
        return False

    def _decision_lead(self, text: str) -> bool:
        """ "… РЕШИЛИ:", "Руководителям ОО по результатам собеседования рекомендовано:", "В целях … необходимо:"."""
        match = p.DECISION_LEAD_RE.match(text)
        if not match:
            return False
        keyword = match["keyword"].lower()
        own_item = keyword == "необходимо" and self.heading_kind == "recommendations"
        if self.state is State.DECIDED and not match["section"] and not own_item and keyword != "решили":
            return False
        if match["section"] and match["section"].isdigit() and self.state is State.DECIDED:
            return False  # "3. Органам … рекомендовано:" is a point of the block, with its sub-points
        lead = strip_sentence_end(match["lead"])
        if own_item:  # a block of a recommendations document is an item of its own, titled by its lead
            draft = self._new_draft("", f"{lead} {match['keyword']}")
            self._start_section(State.DECIDED, draft, recommendations=True)
            self.block.addressed_to = self.addressee
        elif keyword in ("решили", "постановили"):
            self._start_section(State.DECIDED, self.current or self._next_item(""))
        else:
            who = p.LEAD_ADDRESSEE_RE.match(lead)
            self._start_section(State.DECIDED, self.current or self._next_item(""), recommendations=True)
            self.block.addressed_to = who["who"] if who else self.addressee
        self._rest(match["rest"])
        return True

    def _rest(self, rest: str) -> None:
        if rest.strip():
            self._feed(Line(raw=rest, text=" ".join(rest.split())))

    def _start_section(self, state: State, draft: ItemDraft, *, recommendations: bool = False) -> None:
        self.in_body = True
        self.state = state
        self.current = draft
        draft.body_seen = True
        self.block = DecisionBlock(draft, recommendations=recommendations) if state is State.DECIDED else None

    # --- items ----------------------------------------------------------------------------------------

    def _new_draft(self, number: str, title: str) -> ItemDraft:
        draft = ItemDraft(ItemProposal(number=number, title=title))
        self.drafts.append(draft)
        return draft

    def _item_for_heard(self, number: str) -> ItemDraft:
        if number:
            for draft in self.drafts:
                if draft.item.number == number:
                    return draft
            return self._new_draft(number, "")
        if self.current and self.state is State.QUESTION:
            return self.current
        return self._next_item("")

    def _next_item(self, number: str) -> ItemDraft:
        """The next agenda question nothing was recorded for yet, or a new item."""
        if number:
            return self._item_for_heard(number)
        for draft in self.agenda:
            if not draft.body_seen and (self.current is None or self.drafts.index(draft) > self._index()):
                return draft
        numbered = (
            self.agenda or self.heading_kind == "protocol"
        )  # a decision list's single item has no number
        return self._new_draft(str(len(self.drafts) + 1) if numbered else "", "")

    def _index(self) -> int:
        return self.drafts.index(self.current) if self.current in self.drafts else -1

    def _question(self, text: str) -> bool:
        """A question heading in the body ("2. О работе школьных библиотек …"): open its item.

        It is a question when it repeats an agenda question, or when it reads like one ("О …", "Об …")
        and what follows is its rapporteur, "СЛУШАЛИ"/"Решили" or its own sub-points ("2.1. …").
        """
        numbered = p.NUMBERED_RE.match(text)
        if not numbered or "." in numbered["number"] or not is_numbered(numbered):
            return False
        number, title = numbered["number"], numbered["text"]
        draft = self._agenda_question(number, title)
        if draft is None:
            if not p.QUESTION_TITLE_RE.match(title) or not self._question_follows(number):
                return False
            title, speakers = title_and_speakers(title)
            draft = next((d for d in self.drafts if d.item.number == number and not d.points), None)
            draft = draft or self._new_draft(number, title)
            draft.item.title = draft.item.title or title
            draft.item.speakers.extend(speakers)
        self.in_body, self.current, draft.body_seen = True, draft, True
        following = self._ahead(1)
        sub_point = following and re.match(rf"^{re.escape(number)}\.\d", following[0])
        if sub_point:  # a table of instructions: its section rows are the questions
            self.state, self.block = State.DECIDED, DecisionBlock(draft)
        else:
            self.state, self.block = State.QUESTION, None
        return True

    def _question_follows(self, number: str) -> bool:
        for following in self._ahead(3):
            if (
                is_names_line(following)
                or p.DECIDED_RE.match(following)
                or p.HEARD_RE.match(following)
                or p.SPEAKER_RE.match(following)
                or re.match(rf"^{re.escape(number)}\.\d", following)
            ):
                return True
            if p.NUMBERED_RE.match(following):
                return False
        return False

    def _agenda_question(self, number: str, text: str) -> ItemDraft | None:
        """An agenda question repeated as a heading in the body ("2. Об организации …")."""
        if "." in number:
            return None
        for draft in self.agenda:
            if draft.item.number == number and same_title(draft.item.title, text):
                return draft
        return None

    # --- body -----------------------------------------------------------------------------------------

    def _question_line(self, text: str) -> None:
        if self._question(text) or self.current is None:
            return
        if match := p.SPEAKER_RE.match(text):
            self.current.item.speakers.extend(rapporteurs(match["rest"]))
        elif is_names_line(text):
            self.current.item.speakers.extend(rapporteurs(text))
        elif (numbered := p.NUMBERED_RE.match(text)) and numbered["number"].startswith(
            f"{self.current.item.number}."
        ):
            self._start_section(State.DECIDED, self.current)  # "1.1. …" right under the question
            self.block.feed(text)
        else:
            self.current.heard_lines.append(text)

    def _body_text_line(self, text: str) -> None:
        if self._question(text) or self.current is None:
            return
        lines = self.current.heard_lines if self.state is State.HEARD else self.current.spoke_lines
        lines.append(text)

    def _notes_line(self, text: str) -> None:
        if self.current is not None and self.current.item.notes:
            self.current.item.notes[-1] = f"{self.current.item.notes[-1]} {text}"
        self.meeting.conclusions = f"{self.meeting.conclusions} {text}".strip()

    def _narrative_line(self, text: str) -> None:
        self._question(text)

    def _decided_line(self, text: str) -> None:
        if self._question(text) or self.block is None:
            return
        self.block.feed(text)

    # --- result ---------------------------------------------------------------------------------------

    def _finish(self) -> ProtocolProposal:
        meeting = self.meeting
        meeting.title = strip_sentence_end(" ".join(self.title_lines))
        if self.heading_kind:
            meeting.organization = " ".join(line for line in self.organization_lines if not p.find_date(line))
        elif self.organization_lines and not meeting.title:
            meeting.title = shorten(self.organization_lines[0], _TITLE_LIMIT)  # no heading: the first line
        meeting.kind = meeting_kind(f"{meeting.title} {self.heading_line}", self.heading_kind)
        meeting.members = unique(meeting.members)
        meeting.invited = unique(meeting.invited)
        if meeting.date is None:
            self.warnings.append(
                Notice("Не найдена дата совещания: укажите её вручную.", kind=Kind.NO_MEETING_DATE)
            )
        items = [self._item(draft) for draft in self.drafts]
        if not items and self.heading_kind != "protocol" and not self.agenda:
            items = [ItemProposal(number="", title="")]
        if not any(item.decisions for item in items):
            self.warnings.append(Notice(
                "Не найдено ни одного решения: проверьте, что в документе есть раздел «РЕШИЛИ:» "
                "или нумерованный список решений, либо добавьте решения вручную.", kind=Kind.NO_DECISIONS,
            ))  # fmt: skip
        return ProtocolProposal(meeting=meeting, items=items, warnings=self.warnings)

    def _item(self, draft: ItemDraft) -> ItemProposal:
        item = draft.item
        item.heard = "\n".join(draft.heard_lines)
        item.spoke = "\n".join(draft.spoke_lines)
        if not item.speakers and item.heard:
            item.speakers = speakers_from_heard(item.heard)
        where = f"Вопрос {item.number}" if item.number else ""
        if not where and len(self.drafts) > 1 and item.title:
            where = f"Раздел «{shorten(item.title, 60)}»"
        points = draft.block_points()
        item.decisions = [self._decision(point, where, draft) for point in points]
        return item

    def _decision(self, point: Point, where: str, draft: ItemDraft) -> DecisionProposal:
        label = f"{where}, решение {point.number}" if where else f"Решение {point.number}".strip()
        text = point.text()
        deadline_text = ", ".join(point.deadline)
        responsible = strip_trailing_dot(" ".join(point.responsible))
        noted = bool(p.NOTED_ONLY_RE.match(text))
        addressed_to = "" if responsible or noted else point.addressed_to
        tracked = bool(deadline_text or responsible or addressed_to or point.deadline_label) and not noted
        deadline = safe_deadline(deadline_text, self.meeting.date)
        if tracked and not deadline_text and point.recommendation:
            deadline = Deadline(
                text="", due_dates=(), standing=True
            )  # a recommendation: reported on, never overdue
        for warning in deadline.warnings:
            self.warnings.append(
                warning.located(label, point.number) if isinstance(warning, Notice) else warning
            )
        if not tracked and not noted and p.find_date(text):
            self.warnings.append(Notice(f"{label}: в тексте есть дата, но срок не выделен — проверьте срок вручную.",
                                        kind=Kind.DATE_IN_TEXT, number=point.number))  # fmt: skip
        return DecisionProposal(
            number=point.number,
            text=text,
            deadline_text=deadline_text,
            responsible=responsible,
            responsible_parts=split_responsible(responsible),
            tracked=tracked,
            deadline=deadline,
            addressed_to=addressed_to,
        )


def parse_protocol(text: str) -> ProtocolProposal:
    """Propose a meeting, its questions and decisions from a protocol's text; never fails on odd text."""
    if not text or not text.strip():
        raise ProtocolFileError(
            "Документ пуст: в нём нет текста протокола. Загрузите файл с текстом протокола."
        )
    segments = split_document(text)
    proposal = _ProtocolParser(segments.lines).parse()
    proposal.letter, proposal.questionnaire = segments.letter, segments.questionnaire
    return proposal

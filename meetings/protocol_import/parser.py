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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum, auto

import meetings.protocol_import.patterns as p
from meetings.deadlines import Deadline, parse_deadline
from meetings.notices import Kind, Notice

from .decision_block import DecisionBlock, ItemDraft, Point, is_numbered
from .errors import ProtocolFileError
from .people import institution, is_class, is_names_line, person_and_position, rapporteurs
from .proposals import DecisionProposal, ItemProposal, MeetingProposal, ProtocolProposal
from .segments import split_document
from .text_split import PERSON_NAME_RE, split_people, split_responsible, top_level_split

_TITLE_LIMIT = 300
_PARENTHESES_RE = re.compile(r"\([^()]*\)")


class _State(Enum):
    HEADER = auto()
    CHAIR = auto()
    SECRETARY = auto()
    MEMBERS = auto()
    INVITED = auto()
    AGENDA = auto()
    QUESTION = auto()
    HEARD = auto()
    SPOKE = auto()
    NOTES = auto()
    NARRATIVE = auto()
    DECIDED = auto()
    END = auto()


_PEOPLE_STATES = (_State.CHAIR, _State.SECRETARY, _State.MEMBERS, _State.INVITED)


@dataclass
class _Line:
    raw: str  # as in the document, for the signature's wide gaps
    text: str  # whitespace collapsed


class _ProtocolParser:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.position = 0
        self.meeting = MeetingProposal()
        self.state = _State.HEADER
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
            self._feed(_Line(raw=raw, text=" ".join(raw.split())))
            if self.state is _State.END:
                break
        return self._finish()

    def _feed(self, line: _Line) -> None:
        if not line.text:
            self._blank()
            return
        after_blank, self.after_blank = self.after_blank, False
        if self.in_body and _is_signature(line, self._ahead(1)):
            self.state = _State.END
            return
        if (
            self.state in _PEOPLE_STATES
            and after_blank
            and not _is_people_entry(line.text)
            and not self._is_header_label(line.text)
        ):
            self.in_body, self.state = (
                True,
                _State.NARRATIVE,
            )  # the list is over: "I. Открывая собеседование …"
        if self._label(line.text):
            return
        handler = {
            _State.HEADER: self._header_line,
            _State.CHAIR: self._chair_line,
            _State.SECRETARY: self._secretary_line,
            _State.MEMBERS: self._people_line,
            _State.INVITED: self._people_line,
            _State.AGENDA: self._agenda_line,
            _State.QUESTION: self._question_line,
            _State.HEARD: self._body_text_line,
            _State.SPOKE: self._body_text_line,
            _State.NOTES: self._notes_line,
            _State.NARRATIVE: self._narrative_line,
            _State.DECIDED: self._decided_line,
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
        if self.state is _State.HEADER and self.title_lines:
            self.title_done = True
        if self.state is _State.NOTES:
            self.state = _State.NARRATIVE
        if self.block:
            self.block.blank()

    def _label(self, text: str) -> bool:
        """Switch state on a section label; the text after the label goes to the new state."""
        if self.state is _State.HEADER and not self.heading_kind and p.HEADING_RE.match(text):
            return False  # "РЕШЕНИЕ" above the title is the document heading, not a section
        if not self.in_body and self._header_label(text):
            return True
        if match := p.HEARD_RE.match(text):
            number = match["number"] or p.ordinal_number(match["ordinal"])
            self._start_section(_State.HEARD, self._item_for_heard(number))
            self._rest(match["rest"])
            return True
        if match := p.SPOKE_RE.match(text):
            self._start_section(_State.SPOKE, self.current or self._next_item(""))
            self._rest(match["rest"])
            return True
        if self.in_body and (match := p.RECOMMENDATIONS_RE.match(text)):
            draft = self._new_draft("", _strip_sentence_end(match["title"]))
            self._start_section(_State.DECIDED, draft, recommendations=True)
            return True
        if match := p.DECIDED_RE.match(text):
            number = match["number"] or ""
            draft = self._item_for_heard(number) if number else (self.current or self._next_item(""))
            self._start_section(_State.DECIDED, draft, recommendations=_recommends(text))
            self._rest(match["rest"])
            return True
        if self._decision_lead(text):
            return True
        if self.in_body and p.NOTE_RE.match(text):
            self.state, self.block = _State.NOTES, None
            if self.current is not None:
                self.current.item.notes.append(text)
            self.meeting.conclusions = f"{self.meeting.conclusions}\n{text}".strip()
            return True
        if p.ROMAN_SECTION_RE.match(text) and (self.in_body or self.heading_kind):
            self.in_body, self.state, self.block = True, _State.NARRATIVE, None
            return True
        return False

    def _decision_lead(self, text: str) -> bool:
        """ "… РЕШИЛИ:", "Руководителям ОО по результатам собеседования рекомендовано:", "В целях … необходимо:"."""
        match = p.DECISION_LEAD_RE.match(text)
        if not match:
            return False
        keyword = match["keyword"].lower()
        own_item = keyword == "необходимо" and self.heading_kind == "recommendations"
        if self.state is _State.DECIDED and not match["section"] and not own_item and keyword != "решили":
            return False
        if match["section"] and match["section"].isdigit() and self.state is _State.DECIDED:
            return False  # "3. Органам … рекомендовано:" is a point of the block, with its sub-points
        lead = _strip_sentence_end(match["lead"])
        if own_item:  # a block of a recommendations document is an item of its own, titled by its lead
            draft = self._new_draft("", f"{lead} {match['keyword']}")
            self._start_section(_State.DECIDED, draft, recommendations=True)
            self.block.addressed_to = self.addressee
        elif keyword in ("решили", "постановили"):
            self._start_section(_State.DECIDED, self.current or self._next_item(""))
        else:
            who = p.LEAD_ADDRESSEE_RE.match(lead)
            self._start_section(_State.DECIDED, self.current or self._next_item(""), recommendations=True)
            self.block.addressed_to = who["who"] if who else self.addressee
        self._rest(match["rest"])
        return True

    @staticmethod
    def _is_header_label(text: str) -> bool:
        return any(
            pattern.match(text)
            for pattern in (p.PLACE_LABEL_RE, p.DATE_LABEL_RE, p.CHAIR_RE, p.SECRETARY_RE, p.INVITED_RE,
                            p.MEMBERS_RE, p.AGENDA_RE)
        )  # fmt: skip

    def _header_label(self, text: str) -> bool:
        if match := p.PLACE_LABEL_RE.match(text):
            town = self.meeting.place  # "22.05.2024  г. Череповец", then "Место проведения: ул. Труда, д. 37"
            place = match["rest"]
            self.meeting.place = f"{town}, {place}" if town and town.lower() not in place.lower() else place
            return True
        if match := p.DATE_LABEL_RE.match(text):
            self._take_date(match["rest"])
            return True
        if p.AGENDA_LEAD_RE.search(text):  # "… состоялось собеседование … по следующим вопросам:"
            self._take_date(text)
            self.organization_lines.append(text) if not self.heading_kind else self.title_lines.append(text)
            self.state = _State.AGENDA
            return True
        for pattern, state in (
            (p.CHAIR_RE, _State.CHAIR),
            (p.SECRETARY_RE, _State.SECRETARY),
            (p.INVITED_RE, _State.INVITED),
            (p.MEMBERS_RE, _State.MEMBERS),
            (p.AGENDA_RE, _State.AGENDA),
        ):
            if match := pattern.match(text):
                self.state = state
                self._rest(match["rest"])
                return True
        return False

    def _rest(self, rest: str) -> None:
        if rest.strip():
            self._feed(_Line(raw=rest, text=" ".join(rest.split())))

    def _start_section(self, state: _State, draft: ItemDraft, *, recommendations: bool = False) -> None:
        self.in_body = True
        self.state = state
        self.current = draft
        draft.body_seen = True
        self.block = (
            DecisionBlock(draft, recommendations=recommendations) if state is _State.DECIDED else None
        )

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
        if self.current and self.state is _State.QUESTION:
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
            title, speakers = _title_and_speakers(title)
            draft = next((d for d in self.drafts if d.item.number == number and not d.points), None)
            draft = draft or self._new_draft(number, title)
            draft.item.title = draft.item.title or title
            draft.item.speakers.extend(speakers)
        self.in_body, self.current, draft.body_seen = True, draft, True
        following = self._ahead(1)
        sub_point = following and re.match(rf"^{re.escape(number)}\.\d", following[0])
        if sub_point:  # a table of instructions: its section rows are the questions
            self.state, self.block = _State.DECIDED, DecisionBlock(draft)
        else:
            self.state, self.block = _State.QUESTION, None
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
            if draft.item.number == number and _same_title(draft.item.title, text):
                return draft
        return None

    # --- header ---------------------------------------------------------------------------------------

    def _header_line(self, text: str) -> None:
        if not self.heading_kind and (match := p.HEADING_RE.match(text)):
            kind = match["kind"].replace(" ", "").lower()
            self.heading_kind = {"протокол": "protocol", "решение": "decisions", "решения": "decisions"}.get(
                kind, "recommendations"
            )
            self.heading_line = text
            if self.heading_kind == "recommendations":
                self.title_lines.append(text)
                self._take_date_range(text)
            elif match["rest"]:
                self._header_details(match["rest"])
            return
        if self.heading_kind and self._question(text):
            return
        if self.heading_kind in ("decisions", "recommendations") and self._starts_decisions(text):
            title = self.heading_line if self.heading_kind == "recommendations" else ""
            self._start_section(_State.DECIDED, self._new_draft("", title),
                                recommendations=self.heading_kind == "recommendations")  # fmt: skip
            self.block.addressed_to = self.addressee
            self._feed(_Line(raw=text, text=text))
            return
        if self.heading_kind and (match := p.NUMBERED_RE.match(text)) and is_numbered(match):
            self.state = _State.AGENDA
            self._agenda_line(text)
            return
        if not self.heading_kind:
            self.organization_lines.append(text)
            self._take_date(text)
            return
        if self.heading_kind == "recommendations" and not self.title_done:
            self.title_lines.append(text)
            if who := p.ADDRESSEE_IN_TITLE_RE.search(" ".join(self.title_lines)):
                self.addressee = who["who"]
            if self._take_date_range(text):
                self.title_done = True
            return
        self._header_details(text)

    def _take_date_range(self, text: str) -> bool:
        match = p.DATE_RANGE_RE.search(text)
        first, last = (p.find_date(match[name]) for name in ("first", "last")) if match else (None, None)
        if not (first and last):
            return False
        self.meeting.date_range = (first[0], last[0])
        self.meeting.date = self.meeting.date or last[0]
        return True

    def _starts_decisions(self, text: str) -> bool:
        numbered = p.NUMBERED_RE.match(text)
        if numbered and is_numbered(numbered):
            return True
        return self.heading_kind == "recommendations" and (
            bool(p.BULLET_RE.match(text)) or (self.title_done and text.endswith(":"))
        )

    def _header_details(self, text: str) -> None:
        """A line after the heading: the title, or the date / number / place."""
        rest = text
        searchable = _PARENTHESES_RE.sub(" ", text)  # "(приказ … № 41-од от 02.03.2022 г.)" is a reference
        found_date = p.find_date(searchable)
        if found_date:
            if self.meeting.date is None:
                self.meeting.date = found_date[0]
            rest = rest.replace(found_date[1].group(0), " ")
        number = p.NUMBER_RE.search(p.QUOTED_RE.sub("", _PARENTHESES_RE.sub(" ", rest)))
        if number:
            if not self.meeting.number:
                self.meeting.number = number["number"]
            rest = rest.replace(number.group(0), " ")
        rest = " ".join(rest.split()).strip(" |,;–—-")
        if found_date or number:
            self.title_done = self.title_done or bool(self.title_lines)
            rest = re.sub(r"^(?:от|дата)\s+", "", rest)
            if rest and (p.PLACE_START_RE.match(rest) or rest[:1].isupper()) and not self.meeting.place:
                self.meeting.place = rest
            elif rest and not self.title_lines:
                self.title_lines.append(rest)
            elif rest and not found_date and text[:1].islower():
                self.title_lines.append(text)
            return
        if p.PLACE_START_RE.match(text) and self.title_lines:
            self.meeting.place = self.meeting.place or text
            self.title_done = True
        elif self.title_lines and not self.meeting.place and _looks_like_place(text):
            self.meeting.place = text
        elif not self.title_done or (self.title_lines and text[:1].islower()):
            self.title_lines.append(text)

    def _take_date(self, text: str) -> None:
        found = p.find_date(_PARENTHESES_RE.sub(" ", text))
        if found and self.meeting.date is None:
            self.meeting.date = found[0]

    # --- people ---------------------------------------------------------------------------------------

    def _chair_line(self, text: str) -> None:
        self.meeting.chair = self._person(self.meeting.chair, text)

    def _secretary_line(self, text: str) -> None:
        self.meeting.secretary = self._person(self.meeting.secretary, text)

    def _person(self, current: str, text: str) -> str:
        text = text.strip(" ;,")
        if current:
            if text[:1].islower() and current in self.meeting.positions:  # the position goes on
                self.meeting.positions[current] = f"{self.meeting.positions[current]} {text}"
            return current
        name, position = person_and_position(text)
        if not name:
            return text
        if position:
            self.meeting.positions[name] = position
        return name

    def _people_line(self, text: str) -> None:
        numbered = p.NUMBERED_RE.match(text)
        if numbered and is_numbered(numbered) and not PERSON_NAME_RE.match(numbered["text"]):
            self.state = _State.AGENDA  # an agenda without the "ПОВЕСТКА ДНЯ" label
            self._agenda_line(text)
            return
        if numbered and "." not in numbered["number"]:
            text = numbered["text"]
        elif bullet := p.BULLET_RE.match(text):
            text = bullet["text"]
        members = self.state is _State.MEMBERS
        names = self.meeting.members if members else self.meeting.invited
        lines = self.meeting.member_lines if members else self.meeting.invited_lines
        for entry in split_people(text):
            lines.append(entry)
            if is_class(entry):
                continue
            name, position = person_and_position(entry)
            if name:
                names.append(name)
                if position:
                    self.meeting.positions[name] = position
            else:
                names.extend(institution(part) for part in top_level_split(entry, ","))

    # --- agenda ---------------------------------------------------------------------------------------

    def _agenda_line(self, text: str) -> None:
        closed = self.agenda_closed  # the line before ended its sentence: an uppercase line starts anew
        if not (p.SPEAKER_RE.match(text) or p.PARENTHESES_LINE_RE.match(text) or is_names_line(text)):
            self.agenda_closed = text.endswith((".", "!", "?"))
        numbered = p.NUMBERED_RE.match(text)
        if numbered and is_numbered(numbered) and "." not in numbered["number"]:
            number = numbered["number"]
            known = next((draft for draft in self.agenda if draft.item.number == number), None)
            if known:  # the questions are repeated as headings in the body
                self.in_body, self.current, self.state = True, known, _State.QUESTION
                known.body_seen = True
                return
            title, speakers = _title_and_speakers(numbered["text"])
            draft = self._new_draft(number, title)
            draft.item.speakers.extend(speakers)
            self.agenda.append(draft)
            return
        bullet = p.BULLET_RE.match(text)
        if bullet or not self.agenda:  # "– О результатах …", or a single question without a number
            title, speakers = _title_and_speakers(bullet["text"] if bullet else text)
            draft = self._new_draft(str(len(self.agenda) + 1), title)
            draft.item.speakers.extend(speakers)
            self.agenda.append(draft)
            return
        last = self.agenda[-1].item
        if match := p.SPEAKER_RE.match(text):
            last.speakers.extend(rapporteurs(match["rest"]))
        elif match := p.PARENTHESES_LINE_RE.match(text):
            last.speakers.extend(rapporteurs(match["speakers"]))
        elif is_names_line(text):
            last.speakers.extend(rapporteurs(text))
        elif closed and text[:1].isupper():
            self.in_body, self.state = True, _State.NARRATIVE  # the agenda is over: the text goes on
            self._narrative_line(text)
        else:
            title, speakers = _title_and_speakers(f"{last.title} {text}")
            last.title = title
            last.speakers.extend(speakers)

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
            self._start_section(_State.DECIDED, self.current)  # "1.1. …" right under the question
            self.block.feed(text)
        else:
            self.current.heard_lines.append(text)

    def _body_text_line(self, text: str) -> None:
        if self._question(text) or self.current is None:
            return
        lines = self.current.heard_lines if self.state is _State.HEARD else self.current.spoke_lines
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
        meeting.title = _strip_sentence_end(" ".join(self.title_lines))
        if self.heading_kind:
            meeting.organization = " ".join(line for line in self.organization_lines if not p.find_date(line))
        elif self.organization_lines and not meeting.title:
            meeting.title = _shorten(self.organization_lines[0], _TITLE_LIMIT)  # no heading: the first line
        meeting.kind = _kind(f"{meeting.title} {self.heading_line}", self.heading_kind)
        meeting.members = _unique(meeting.members)
        meeting.invited = _unique(meeting.invited)
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
            item.speakers = _speakers_from_heard(item.heard)
        where = f"Вопрос {item.number}" if item.number else ""
        if not where and len(self.drafts) > 1 and item.title:
            where = f"Раздел «{_shorten(item.title, 60)}»"
        points = draft.block_points()
        item.decisions = [self._decision(point, where, draft) for point in points]
        return item

    def _decision(self, point: Point, where: str, draft: ItemDraft) -> DecisionProposal:
        label = f"{where}, решение {point.number}" if where else f"Решение {point.number}".strip()
        text = point.text()
        deadline_text = ", ".join(point.deadline)
        responsible = _strip_trailing_dot(" ".join(point.responsible))
        noted = bool(p.NOTED_ONLY_RE.match(text))
        addressed_to = "" if responsible or noted else point.addressed_to
        tracked = bool(deadline_text or responsible or addressed_to or point.deadline_label) and not noted
        deadline = _parse_deadline(deadline_text, self.meeting.date)
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


# --- small helpers ----------------------------------------------------------------------------------


def _parse_deadline(text: str, meeting_date: date | None) -> Deadline:
    try:
        return parse_deadline(text or None, meeting_date=meeting_date)
    except Exception:  # a bug in the deadline parser must not lose the whole protocol
        return Deadline(text=text, due_dates=(), readable=False)


def _is_signature(line: _Line, following: list[str]) -> bool:
    if p.SIGNATURE_ALONE_RE.match(line.text):
        return bool(following) and len(following[0]) < 40 and bool(PERSON_NAME_RE.search(following[0]))
    if not p.SIGNATURE_START_RE.match(line.raw):
        return False
    if p.SIGNATURE_GAP_RE.search(line.raw.strip()):
        return True
    return len(line.text) < 90 and bool(p.SIGNATURE_NAME_END_RE.search(line.text))


def _is_people_entry(text: str) -> bool:
    """Does the line go on a list of people or bodies (after a blank line)?"""
    if p.ROMAN_SECTION_RE.match(text) or len(text) > 300:
        return False
    if p.BULLET_RE.match(text):
        return True
    name, _ = person_and_position(text)
    return (
        bool(name) or is_class(text) or bool(re.match(r"^[А-ЯЁ]{2,6}\s+(?:[А-ЯЁ]{2,4}\s+)?[«\"А-ЯЁ]", text))
    )


def _recommends(text: str) -> bool:
    return bool(re.match(r"^(?:\d{1,2}\s*[.)]\s*)?(?:рекомендовано|рекомендации)", text, re.IGNORECASE))


def _looks_like_place(text: str) -> bool:
    """ "Великий Новгород" alone on its line under the title: a town, not more of the title."""
    words = text.split()
    return (
        1 <= len(words) <= 3
        and all(word[:1].isupper() for word in words)
        and not re.search(r"\d|област|кра[яй]|район|округ|республик|[,:;]", text, re.IGNORECASE)
    )


def _title_and_speakers(text: str) -> tuple[str, list[str]]:
    """An agenda title without its trailing "(Петрова А.С.)" or "Докладчик: …"."""
    text = " ".join(text.split())
    for pattern in (p.INLINE_SPEAKER_RE, p.TRAILING_PARENTHESES_RE):
        match = pattern.search(text)
        if match and (pattern is p.INLINE_SPEAKER_RE or PERSON_NAME_RE.search(match["speakers"])):
            return _strip_sentence_end(text[: match.start()]), rapporteurs(match["speakers"])
    return _strip_sentence_end(text), []


def _speakers_from_heard(heard: str) -> list[str]:
    """Names before the dash of "Ершов С.Н. — об итогах мониторинга …"."""
    first = heard.split("\n", 1)[0]
    parts = re.split(r"\s[–—-]\s", first, maxsplit=1)
    if len(parts) < 2 or not PERSON_NAME_RE.search(parts[0]):
        return []
    return rapporteurs(parts[0])


def _same_title(agenda_title: str, text: str) -> bool:
    def norm(value: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", value.lower().replace("ё", "е")).split())

    first, second = norm(agenda_title), norm(text)
    if not first or not second:
        return False
    shorter = min(len(first), len(second))
    return first == second or (shorter >= 20 and first[:shorter] == second[:shorter])


def _strip_sentence_end(text: str) -> str:
    text = text.strip().rstrip(";:,").strip()
    if text.endswith(".") and not re.search(r"(?:^|\s)[А-ЯЁа-яё]{1,2}\.$", text):
        text = text[:-1]
    return text


def _strip_trailing_dot(text: str) -> str:
    text = text.strip(" ;,")
    if text.endswith(".") and not re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", text):
        text = text[:-1]
    return text


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _kind(text: str, heading_kind: str) -> str:
    lowered = text.lower()
    if "собеседовани" in lowered:
        return "interview" if heading_kind != "recommendations" else "recommendations"
    if heading_kind == "recommendations":
        return "recommendations"
    if re.search(r"\bсовет\w*\b", lowered):
        return "council"
    if re.search(r"совещани|заседани|рабоч\w*\s+групп|комисси", lowered):
        return "meeting"
    return "other"


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

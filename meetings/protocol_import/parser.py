"""Reading the text of a protocol into a ProtocolProposal.

The parser is a line-oriented state machine.  Every line is whitespace-normalised and first checked
against the section labels valid in the current phase; a label switches the state, and any text after
the label (``РЕШИЛИ: Принять к сведению``) is handled by the new state as if it were the next line.
Lines that are not labels are handled by the current state:

``HEADER``     before any label.  Lines above "ПРОТОКОЛ"/"РЕШЕНИЯ" are the organisation; lines after it
               are the title until a blank line or a line with the date / "№ …" / the place.  In a
               "РЕШЕНИЯ" document the first numbered line opens the single item of decisions; in a
               "Рекомендации …" document a bullet, a numbered line or a "…:" group heading does.
``CHAIR``, ``SECRETARY``, ``MEMBERS``, ``INVITED``   after "Председатель:", "Секретарь:",
               "Присутствовали:"/"Члены …:", "Приглашённые:": people, one or several per line.
``AGENDA``     after "ПОВЕСТКА ДНЯ:": numbered questions, continuation lines, "Докладчик: …", "(…)".
               A number seen again ("1. О результатах …" repeated above "СЛУШАЛИ") starts the body.
``QUESTION``, ``HEARD``, ``SPOKE``, ``NOTES``   the body of one question: "N. СЛУШАЛИ:", "ВЫСТУПИЛИ:",
               "Были сделаны выводы: …".
``DECIDED``    after "РЕШИЛИ:"/"ПОСТАНОВИЛИ:"/"Рекомендации по …": lines go to a ``DecisionBlock``
               (see there) that assembles decision points.
``END``        the signature block; the rest is ignored.

Body labels are only recognised once the body has started, and header labels only before, so that
"Председатель комитета отметил …" in a speech is text and "Председатель ___ А.С. Петрова" ends the
document.  Decisions are turned into ``DecisionProposal`` at the end, when the meeting date is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum, auto

from meetings.deadlines import Deadline, parse_deadline

from . import patterns as p
from .decision_block import DecisionBlock, ItemDraft, Point, is_numbered
from .errors import ProtocolFileError
from .proposals import DecisionProposal, ItemProposal, MeetingProposal, ProtocolProposal
from .text_split import PERSON_NAME_RE, split_people, split_responsible

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"))
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TITLE_LIMIT = 300


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
    DECIDED = auto()
    END = auto()


@dataclass
class _Line:
    raw: str  # as in the document, for the signature's wide gaps
    text: str  # whitespace collapsed


class _ProtocolParser:
    def __init__(self) -> None:
        self.meeting = MeetingProposal()
        self.state = _State.HEADER
        self.in_body = False
        self.heading_kind = ""  # "protocol" | "decisions" | "recommendations"
        self.heading_line = ""
        self.organization_lines: list[str] = []
        self.title_lines: list[str] = []
        self.title_done = False
        self.drafts: list[ItemDraft] = []
        self.agenda: list[ItemDraft] = []
        self.current: ItemDraft | None = None
        self.block: DecisionBlock | None = None
        self.warnings: list[str] = []

    # --- driving --------------------------------------------------------------------------------------

    def parse(self, text: str) -> ProtocolProposal:
        text = _CONTROL_RE.sub("", text.translate(_INVISIBLE))
        for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            raw = raw.replace("\xa0", " ").replace("\u202f", " ").replace("\u2007", " ")
            self._feed(_Line(raw=raw, text=" ".join(raw.split())))
            if self.state is _State.END:
                break
        return self._finish()

    def _feed(self, line: _Line) -> None:
        if not line.text:
            self._blank()
            return
        if self.in_body and _is_signature(line):
            self.state = _State.END
            return
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
            _State.DECIDED: self._decided_line,
        }[self.state]
        handler(line.text)

    def _blank(self) -> None:
        if self.state is _State.HEADER and self.title_lines:
            self.title_done = True
        if self.state is _State.NOTES:
            self.state = _State.SPOKE
        if self.block:
            self.block.blank()

    def _label(self, text: str) -> bool:
        """Switch state on a section label; the text after the label goes to the new state."""
        if self.state is _State.HEADER and not self.heading_kind and p.HEADING_RE.match(text):
            return False  # "РЕШЕНИЕ" above the title is the document heading, not a section
        if not self.in_body:
            if self._header_label(text):
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
            self._start_section(_State.DECIDED, draft)
            return True
        if match := p.DECIDED_RE.match(text):
            number = match["number"] or ""
            draft = self._item_for_heard(number) if number else (self.current or self._next_item(""))
            self._start_section(_State.DECIDED, draft)
            self._rest(match["rest"])
            return True
        if self.in_body and p.NOTE_RE.match(text):
            draft = self.current or self._next_item("")
            self._start_section(_State.NOTES, draft)
            draft.item.notes.append(text)
            return True
        return False

    def _header_label(self, text: str) -> bool:
        if match := p.PLACE_LABEL_RE.match(text):
            self.meeting.place = match["rest"]
            return True
        if match := p.DATE_LABEL_RE.match(text):
            self._take_date(match["rest"])
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

    def _start_section(self, state: _State, draft: ItemDraft) -> None:
        self.in_body = True
        self.state = state
        self.current = draft
        draft.body_seen = True
        self.block = DecisionBlock(draft) if state is _State.DECIDED else None

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
        return self._new_draft(str(len(self.drafts) + 1), "")

    def _index(self) -> int:
        return self.drafts.index(self.current) if self.current in self.drafts else -1

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
            elif match["rest"]:
                self._header_details(match["rest"])
            return
        if self.heading_kind in ("decisions", "recommendations") and self._starts_decisions(text):
            title = self.heading_line if self.heading_kind == "recommendations" else ""
            self._start_section(_State.DECIDED, self._new_draft("", title))
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
        self._header_details(text)

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
        found_date = p.find_date(text)
        if found_date:
            if self.meeting.date is None:
                self.meeting.date = found_date[0]
            rest = rest.replace(found_date[1].group(0), " ")
        number = p.NUMBER_RE.search(p.QUOTED_RE.sub("", rest))
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
            return
        if p.PLACE_START_RE.match(text) and self.title_lines:
            self.meeting.place = self.meeting.place or text
            self.title_done = True
        elif not self.title_done or (self.title_lines and text[:1].islower()):
            self.title_lines.append(text)

    def _take_date(self, text: str) -> None:
        found = p.find_date(text)
        if found and self.meeting.date is None:
            self.meeting.date = found[0]

    # --- people ---------------------------------------------------------------------------------------

    def _chair_line(self, text: str) -> None:
        self.meeting.chair = _append_person(self.meeting.chair, text)

    def _secretary_line(self, text: str) -> None:
        self.meeting.secretary = _append_person(self.meeting.secretary, text)

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
        target = self.meeting.members if self.state is _State.MEMBERS else self.meeting.invited
        target.extend(split_people(text))

    # --- agenda ---------------------------------------------------------------------------------------

    def _agenda_line(self, text: str) -> None:
        numbered = p.NUMBERED_RE.match(text)
        if numbered and is_numbered(numbered) and "." not in numbered["number"]:
            number = numbered["number"]
            known = next((draft for draft in self.agenda if draft.item.number == number), None)
            if known:  # the questions are repeated as headings in the body
                self.in_body, self.current, self.state = True, known, _State.QUESTION
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
            last.speakers.extend(split_people(match["rest"]))
        elif match := p.PARENTHESES_LINE_RE.match(text):
            last.speakers.extend(split_people(match["speakers"]))
        else:
            title, speakers = _title_and_speakers(f"{last.title} {text}")
            last.title = title
            last.speakers.extend(speakers)

    # --- body -----------------------------------------------------------------------------------------

    def _question_line(self, text: str) -> None:
        if self._switch_question(text) or self.current is None:
            return
        if match := p.SPEAKER_RE.match(text):
            self.current.item.speakers.extend(split_people(match["rest"]))

    def _switch_question(self, text: str) -> bool:
        numbered = p.NUMBERED_RE.match(text)
        draft = self._agenda_question(numbered["number"], numbered["text"]) if numbered else None
        if draft is None:
            return False
        self.current, self.state, self.block = draft, _State.QUESTION, None
        return True

    def _body_text_line(self, text: str) -> None:
        if self._switch_question(text) or self.current is None:
            return
        lines = self.current.heard_lines if self.state is _State.HEARD else self.current.spoke_lines
        lines.append(text)

    def _notes_line(self, text: str) -> None:
        if self.current and self.current.item.notes:
            self.current.item.notes[-1] = f"{self.current.item.notes[-1]} {text}"

    def _decided_line(self, text: str) -> None:
        if self._switch_question(text) or self.block is None:
            return
        self.block.feed(text)

    # --- result ---------------------------------------------------------------------------------------

    def _finish(self) -> ProtocolProposal:
        meeting = self.meeting
        meeting.title = _strip_sentence_end(" ".join(self.title_lines))
        if self.heading_kind:
            meeting.organization = " ".join(line for line in self.organization_lines if not p.find_date(line))
        elif self.organization_lines and not meeting.title:
            meeting.title = self.organization_lines[0]  # no "ПРОТОКОЛ" heading: the first line is the title
        meeting.kind = _kind(f"{meeting.title} {self.heading_line}")
        meeting.members = _unique(meeting.members)
        meeting.invited = _unique(meeting.invited)
        if meeting.date is None:
            self.warnings.append("Не найдена дата совещания: укажите её вручную.")
        items = [self._item(draft) for draft in self.drafts]
        if not any(item.decisions for item in items):
            self.warnings.append(
                "Не найдено ни одного решения: проверьте, что в документе есть раздел «РЕШИЛИ:» "
                "или нумерованный список решений, либо добавьте решения вручную."
            )
        return ProtocolProposal(meeting=meeting, items=items, warnings=self.warnings)

    def _item(self, draft: ItemDraft) -> ItemProposal:
        item = draft.item
        item.heard = "\n".join(draft.heard_lines)
        item.spoke = "\n".join(draft.spoke_lines)
        if not item.title:
            item.title = self._fallback_title(item)
        if not item.speakers and item.heard:
            item.speakers = _speakers_from_heard(item.heard)
        where = f"Вопрос {item.number}" if item.number else ""
        if not where and len(self.drafts) > 1 and item.title:
            where = f"Раздел «{_shorten(item.title, 60)}»"
        item.decisions = [self._decision(point, where) for point in draft.points]
        return item

    def _fallback_title(self, item: ItemProposal) -> str:
        if item.heard:
            first = item.heard.split("\n", 1)[0]
            topic = re.split(r"\s[–—-]\s", first, maxsplit=1)[-1]
            return _shorten(_capitalize(_strip_sentence_end(topic)), _TITLE_LIMIT)
        if self.heading_kind == "decisions":
            return f"Решения {self.meeting.title}".strip()
        return self.meeting.title if len(self.drafts) == 1 else ""

    def _decision(self, point: Point, where: str) -> DecisionProposal:
        label = f"{where}, решение {point.number}" if where else f"Решение {point.number}"
        text = point.text()
        deadline_text = ", ".join(point.deadline)
        responsible = _strip_trailing_dot(" ".join(point.responsible))
        deadline = _parse_deadline(deadline_text, self.meeting.date)
        tracked = bool(deadline_text or responsible) and not p.NOTED_ONLY_RE.match(text)
        if deadline_text:
            self.warnings.extend(f"{label}: {_lower_first(warning)}" for warning in deadline.warnings)
            if not deadline.readable and not deadline.warnings:
                self.warnings.append(
                    f"{label}: не удалось распознать срок «{deadline_text}»: укажите дату вручную."
                )
        if not tracked and not p.NOTED_ONLY_RE.match(text) and p.find_date(text):
            self.warnings.append(f"{label}: в тексте есть дата, но срок не выделен — проверьте срок вручную.")
        if tracked and not responsible:
            self.warnings.append(f"{label}: не указаны ответственные — укажите их вручную.")
        return DecisionProposal(
            number=point.number,
            text=text,
            deadline_text=deadline_text,
            responsible=responsible,
            responsible_parts=split_responsible(responsible),
            tracked=tracked,
            deadline=deadline,
        )


# --- small helpers ----------------------------------------------------------------------------------


def _parse_deadline(text: str, meeting_date: date | None) -> Deadline:
    try:
        return parse_deadline(text or None, meeting_date=meeting_date)
    except Exception:  # a bug in the deadline parser must not lose the whole protocol
        return Deadline(text=text, due_dates=(), readable=False)


def _is_signature(line: _Line) -> bool:
    if not p.SIGNATURE_START_RE.match(line.raw):
        return False
    if p.SIGNATURE_GAP_RE.search(line.raw.strip()):
        return True
    return len(line.text) < 90 and bool(p.SIGNATURE_NAME_END_RE.search(line.text))


def _title_and_speakers(text: str) -> tuple[str, list[str]]:
    """An agenda title without its trailing "(Петрова А.С.)" or "Докладчик: …"."""
    text = " ".join(text.split())
    for pattern in (p.INLINE_SPEAKER_RE, p.TRAILING_PARENTHESES_RE):
        match = pattern.search(text)
        if match and (pattern is p.INLINE_SPEAKER_RE or PERSON_NAME_RE.search(match["speakers"])):
            return _strip_sentence_end(text[: match.start()]), split_people(match["speakers"])
    return _strip_sentence_end(text), []


def _speakers_from_heard(heard: str) -> list[str]:
    """Names before the dash of "Рыбакову Е.В., Никитину Л.М. – об организации …"."""
    first = heard.split("\n", 1)[0]
    parts = re.split(r"\s[–—-]\s", first, maxsplit=1)
    if len(parts) < 2 or not PERSON_NAME_RE.search(parts[0]):
        return []
    return split_people(parts[0])


def _same_title(agenda_title: str, text: str) -> bool:
    def norm(value: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", value.lower().replace("ё", "е")).split())

    first, second = norm(agenda_title), norm(text)
    if not first or not second:
        return False
    shorter = min(len(first), len(second))
    return first == second or (shorter >= 20 and first[:shorter] == second[:shorter])


def _append_person(current: str, text: str) -> str:
    text = text.strip(" ;,")
    if not current:
        return text
    return f"{current} {text}" if text[:1].islower() else current


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


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _kind(text: str) -> str:
    lowered = text.lower()
    if "собеседовани" in lowered:
        return "interview"
    if re.search(r"координационн\w*\s+совет|заседани\w*(?:\s+\S+){0,3}\s+совета\b", lowered):
        return "council"
    if "совещани" in lowered:
        return "meeting"
    return "other"


def parse_protocol(text: str) -> ProtocolProposal:
    """Propose a meeting, its questions and decisions from a protocol's text; never fails on odd text."""
    if not text or not text.strip():
        raise ProtocolFileError(
            "Документ пуст: в нём нет текста протокола. Загрузите файл с текстом протокола."
        )
    return _ProtocolParser().parse(text)

"""Reading the head of a protocol: heading, title, date, number and place; people; the agenda."""

from __future__ import annotations

import re

import meetings.protocol_import.patterns as p

from .decision_block import is_numbered
from .people import institution, is_class, is_names_line, person_and_position, rapporteurs
from .reading import PARENTHESES_RE, Line, State, looks_like_place, title_and_speakers
from .text_split import PERSON_NAME_RE, split_people, top_level_split


class HeaderReading:
    """The parser's handlers before the body: they fill ``self.meeting`` and the agenda (see ``parser``)."""

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
            self.state = State.AGENDA
            return True
        for pattern, state in (
            (p.CHAIR_RE, State.CHAIR),
            (p.SECRETARY_RE, State.SECRETARY),
            (p.INVITED_RE, State.INVITED),
            (p.MEMBERS_RE, State.MEMBERS),
            (p.AGENDA_RE, State.AGENDA),
        ):
            if match := pattern.match(text):
                self.state = state
                self._rest(match["rest"])
                return True
        return False

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
            self._start_section(State.DECIDED, self._new_draft("", title),
                                recommendations=self.heading_kind == "recommendations")  # fmt: skip
            self.block.addressed_to = self.addressee
            self._feed(Line(raw=text, text=text))
            return
        if self.heading_kind and (match := p.NUMBERED_RE.match(text)) and is_numbered(match):
            self.state = State.AGENDA
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
        searchable = PARENTHESES_RE.sub(" ", text)  # "(приказ … № 41-од от 02.03.2022 г.)" is a reference
        found_date = p.find_date(searchable)
        if found_date:
            if self.meeting.date is None:
                self.meeting.date = found_date[0]
            rest = rest.replace(found_date[1].group(0), " ")
        number = p.NUMBER_RE.search(p.QUOTED_RE.sub("", PARENTHESES_RE.sub(" ", rest)))
        if number:
            if not self.meeting.number:
                self.meeting.number = number["number"]
            rest = rest.replace(number.group(0), " ")
        rest = " ".join(rest.split()).strip(" |,;–—-")
        if found_date or number:
            self.title_done = self.title_done or bool(self.title_lines)
            rest = re.sub(r"^(?:от|дата)\s+|\s+(?:от|дата)$", "", rest)
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
        elif self.title_lines and not self.meeting.place and looks_like_place(text):
            self.meeting.place = text
        elif not self.title_done or (self.title_lines and text[:1].islower()):
            self.title_lines.append(text)

    def _take_date(self, text: str) -> None:
        found = p.find_date(PARENTHESES_RE.sub(" ", text))
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
            self.state = State.AGENDA  # an agenda without the "ПОВЕСТКА ДНЯ" label
            self._agenda_line(text)
            return
        if numbered and is_numbered(numbered) and "." not in numbered["number"]:
            text = numbered["text"]
        elif bullet := p.BULLET_RE.match(text):
            text = bullet["text"]
        members = self.state is State.MEMBERS
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
            elif re.match(r"[«\"А-ЯЁ]", institution(entry)):  # bodies, not "24 человека (список прилагается)"
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
                self.in_body, self.current, self.state = True, known, State.QUESTION
                known.body_seen = True
                return
            title, speakers = title_and_speakers(numbered["text"])
            draft = self._new_draft(number, title)
            draft.item.speakers.extend(speakers)
            self.agenda.append(draft)
            return
        bullet = p.BULLET_RE.match(text)
        if bullet or not self.agenda:  # "– О результатах …", or a single question without a number
            title, speakers = title_and_speakers(bullet["text"] if bullet else text)
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
            self.in_body, self.state = True, State.NARRATIVE  # the agenda is over: the text goes on
            self._narrative_line(text)
        else:
            title, speakers = title_and_speakers(f"{last.title} {text}")
            last.title = title
            last.speakers.extend(speakers)

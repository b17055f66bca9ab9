"""Assembling the decision points of one "РЕШИЛИ:" section, line by line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import meetings.protocol_import.patterns as p

from .proposals import ItemProposal


@dataclass
class Point:
    """A decision point being assembled."""

    number: str
    lines: list[str]
    explicit: bool  # numbered in the document rather than a bullet or a bare paragraph
    deadline: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    closed: bool = False  # a "Срок:"/"Ответственные:" line was read: further text starts a new point
    deadline_label: bool = False  # a "Срок:" line was there, even an empty one
    addressed_to: str = ""  # the block's addressee ("Руководителям ОО … рекомендовано:")
    recommendation: bool = False  # in a block of recommendations: reported on, never overdue without a date

    def text(self) -> str:
        text = ""
        for line in self.lines:
            separator = "\n" if p.BULLET_RE.match(line) else " "
            text = f"{text}{separator}{line}" if text else line
        return text.strip()

    @property
    def has_fields(self) -> bool:
        return bool(self.deadline or self.responsible or self.deadline_label)


@dataclass
class ItemDraft:
    item: ItemProposal
    points: list[Point] = field(default_factory=list)
    heard_lines: list[str] = field(default_factory=list)
    spoke_lines: list[str] = field(default_factory=list)
    body_seen: bool = False  # СЛУШАЛИ/ВЫСТУПИЛИ/РЕШИЛИ were met for this item

    def block_points(self) -> list[Point]:
        """The decisions: a lead-in whose sub-points carry their own deadlines is not one of them
        ("2. В целях развития …:" above 2.1–2.3); sub-points without their own deadlines are parts of their
        lead-in ("2. Органам … а именно:" with "2.1. организовать …" and one "Срок" after 2.3)."""
        result: list[Point] = []
        index = 0
        while index < len(self.points):
            point = self.points[index]
            subs: list[Point] = []
            while (
                index + 1 + len(subs) < len(self.points)
                and point.number
                and self.points[index + 1 + len(subs)].number.startswith(f"{point.number}.")
            ):
                subs.append(self.points[index + 1 + len(subs)])
            if subs and point.text().endswith(":") and not point.has_fields:
                if sum(sub.has_fields for sub in subs) > 1 or any(sub.has_fields for sub in subs[:-1]):
                    result.extend(subs)  # the lead-in only introduces its sub-points
                else:
                    for sub in subs:
                        point.lines.append(f"{sub.number}. {sub.text()}")
                    point.deadline, point.responsible = subs[-1].deadline, subs[-1].responsible
                    point.deadline_label = subs[-1].deadline_label
                    result.append(point)
                index += 1 + len(subs)
                continue
            result.append(point)
            index += 1
        return result


class DecisionBlock:
    """Assembles the points of one "РЕШИЛИ:" section.

    * "N." / "N.M." lines open a point with that number;
    * a bullet joins the open numbered point (kept with its marker on its own line); with no open
      numbered point it is a point of its own (without a number), prefixed by the group heading above it
      ("МОУ «…»:", "В 2020/2021 учебном году необходимо:");
    * "Срок: …" and "Ответственные: …" (also inside the text: "… Срок – до 01.03.2021") belong to the
      open point, or to the last one, and close it;
    * "в срок до 14.04.2023" inside an open point is one of its checkpoints, and the point goes on;
    * other lines continue the open point, or start an unnumbered one once it is closed or after a
      blank line.
    """

    def __init__(self, draft: ItemDraft, *, recommendations: bool = False) -> None:
        self.draft = draft
        self.first = len(draft.points)  # the block's own points start here
        self.recommendations = recommendations
        self.addressed_to = ""
        self.current: Point | None = None
        self.heading = ""
        self.after_blank = False
        self.last_field = ""

    def blank(self) -> None:
        self.after_blank = True

    def feed(self, text: str) -> None:
        after_blank, self.after_blank = self.after_blank, False
        if match := p.DEADLINE_LINE_RE.match(text):
            if (
                match["about"] and after_blank and self._list_without_fields()
            ):  # one deadline under a whole list
                for point in self.draft.points[self.first :]:
                    self.current = point
                    self._add_deadline(match["value"])
            else:
                self._add_deadline(match["value"])
        elif match := p.RESPONSIBLE_LINE_RE.match(text):
            self._add_responsible(match["value"])
        elif self._checkpoint(text):
            return
        elif (match := p.NUMBERED_RE.match(text)) and is_numbered(match):
            self._open(match["number"], match["text"], explicit=True)
        elif match := p.BULLET_RE.match(text):
            if self.current and self.current.explicit and not self.current.closed:
                self._continue(text)
            else:
                body = match["text"].rstrip(";,")
                self._open("", self._with_heading(body), explicit=False)
        elif text.endswith(":") and (
            self.current is None or self.current.closed or not self.current.explicit
        ):
            self.heading, self.current = text, None
        elif self.last_field == "responsible" and self.current and text[:1].islower():
            self.current.responsible.append(text)
        elif self.current and not self.current.closed and (not after_blank or self._unfinished()):
            self._continue(text)
        else:
            self._open("", self._with_heading(text), explicit=False)

    def _list_without_fields(self) -> bool:
        points = self.draft.points[self.first :]
        return len(points) > 1 and not any(point.has_fields for point in points)

    def _unfinished(self) -> bool:
        """The open point's last line stops in mid-sentence (a bullet broken over two lines)."""
        last = self.current.lines[-1] if self.current and self.current.lines else ""
        return bool(last) and last[-1] not in ".;:!?»)"

    def _checkpoint(self, text: str) -> bool:
        """ "в срок до 05.05.2023  приемку ППЭ …" inside an open numbered point: a checkpoint of that point."""
        point = self.current
        if point is None or point.closed or not point.explicit or not p.CHECKPOINT_RE.match(text):
            return False
        found = p.find_date(text)
        if found is None or text[: found[1].start()].strip(" ") not in _CHECKPOINT_LEADS:
            return False
        point.deadline.append(f"до {found[1].group(0).strip()}")
        rest = text[found[1].end() :].strip(" ,;:–—-")
        if rest:
            point.lines.append(rest)
        return True

    def _with_heading(self, text: str) -> str:
        return f"{self.heading} {text}" if self.heading else text

    def _open(self, number: str, text: str, *, explicit: bool) -> None:
        self.current = Point(number=number, lines=[], explicit=explicit, addressed_to=self.addressed_to,
                             recommendation=self.recommendations)  # fmt: skip
        self.draft.points.append(self.current)
        self.last_field = ""
        self._continue(text)

    def _continue(self, text: str) -> None:
        text, deadline, responsible = _split_inline_fields(text)
        if text and self.current:
            self.current.lines.append(text)
        if deadline:
            self._add_deadline(deadline)
        if responsible:
            self._add_responsible(responsible)

    def _target(self) -> Point | None:
        return self.current or (self.draft.points[-1] if self.draft.points else None)

    def _add_deadline(self, value: str) -> None:
        value, _, responsible = _split_inline_fields(value, deadline=False)
        point = self._target()
        if point is None:
            return
        if value.strip(" ;,.") and value.strip(" ;,.") not in _NOTHING:
            point.deadline.append(_strip_trailing_dot(value.strip(" ;,")))
        point.deadline_label = True
        point.closed, self.current, self.last_field = True, point, "deadline"
        if responsible:
            self._add_responsible(responsible)

    def _add_responsible(self, value: str) -> None:
        point = self._target()
        if point is None:
            return
        if value.strip(" ;,") and value.strip(" ;,.") not in _NOTHING:
            point.responsible.append(_drop_unbalanced_paren(value.strip(" ;,")))
        point.closed, self.current, self.last_field = True, point, "responsible"


_CHECKPOINT_LEADS = frozenset({"до", "в срок до", "не позднее", "в срок не позднее"})
_NOTHING = frozenset({"-", "–", "—", "―", "--"})


def is_numbered(match: re.Match[str]) -> bool:
    """Without a dot or bracket after the number, only "2.2 Организовать" counts, not "10 числа"."""
    return bool(match["delimiter"].strip()) or match["text"][:1].isupper() or match["text"][:1] in '«"'


def _strip_trailing_dot(text: str) -> str:
    """ "до 01.04.2023." → "до 01.04.2023", but "до 01.12.2023г." keeps its "г."."""
    return text[:-1] if text.endswith(".") and not re.search(r"(?:^|[\s\d])г\.$", text) else text


def _split_inline_fields(text: str, *, deadline: bool = True) -> tuple[str, str, str]:
    """Separate "… Срок – до 01.03.2021. Ответственные: …" written inside a point's text."""
    found_deadline = found_responsible = ""
    if match := p.INLINE_RESPONSIBLE_RE.search(text):
        found_responsible = _drop_unbalanced_paren(match["value"].strip())
        text = text[: match.start()].rstrip(" ,;(") + ("." if match.group(0)[:1] == "." else "")
    if deadline and (match := p.INLINE_DEADLINE_RE.search(text)):
        found_deadline = _drop_unbalanced_paren(match["value"].strip()).strip(" ,;")
        text = text[: match.start()].rstrip(" ,;(")
        if text and text[-1] not in ".:;!?»)" and (match.group(0)[:1] == "."):
            text += "."
    return text.strip(), found_deadline, found_responsible


def _drop_unbalanced_paren(text: str) -> str:
    """ "руководители ОМСУ)" from "(срок: …, ответственные: руководители ОМСУ)" loses the ")"."""
    text = text.rstrip(" .;,") if re.search(r"\)[\s.;,]*$", text) else text
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(" .;,")
    return text

"""Assembling the decision points of one "РЕШИЛИ:" section, line by line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import patterns as p
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

    def text(self) -> str:
        text = ""
        for line in self.lines:
            separator = "\n" if p.BULLET_RE.match(line) else " "
            text = f"{text}{separator}{line}" if text else line
        return text.strip()


@dataclass
class ItemDraft:
    item: ItemProposal
    points: list[Point] = field(default_factory=list)
    heard_lines: list[str] = field(default_factory=list)
    spoke_lines: list[str] = field(default_factory=list)
    body_seen: bool = False  # СЛУШАЛИ/ВЫСТУПИЛИ/РЕШИЛИ were met for this item


class DecisionBlock:
    """Assembles the points of one "РЕШИЛИ:" section.

    * "N." / "N.M." lines open a point with that number;
    * a bullet joins the open numbered point (kept with its marker on its own line); with no open
      numbered point it is a point of its own, prefixed by the group heading above it ("МОУ «…»:",
      "В 2020/2021 учебном году необходимо:"), numbered on from the last number;
    * "Срок: …" and "Ответственные: …" (also inside the text: "… Срок – до 01.03.2021") belong to the
      open point, or to the last one, and close it;
    * other lines continue the open point, or start an unnumbered one once it is closed or after a
      blank line.
    """

    def __init__(self, draft: ItemDraft) -> None:
        self.draft = draft
        self.current: Point | None = None
        self.heading = ""
        self.after_blank = False
        self.last_field = ""

    def blank(self) -> None:
        self.after_blank = True

    def feed(self, text: str) -> None:
        after_blank, self.after_blank = self.after_blank, False
        if match := p.DEADLINE_LINE_RE.match(text):
            self._add_deadline(match["value"])
        elif match := p.RESPONSIBLE_LINE_RE.match(text):
            self._add_responsible(match["value"])
        elif (match := p.NUMBERED_RE.match(text)) and is_numbered(match):
            self._open(match["number"], match["text"], explicit=True)
        elif match := p.BULLET_RE.match(text):
            if self.current and self.current.explicit and not self.current.closed:
                self._continue(text)
            else:
                self._open(
                    self._next_number(), self._with_heading(match["text"].rstrip(";,")), explicit=False
                )
        elif text.endswith(":") and (
            self.current is None or self.current.closed or not self.current.explicit
        ):
            self.heading, self.current = text, None
        elif self.last_field == "responsible" and self.current and text[:1].islower():
            self.current.responsible.append(text)
        elif self.current and not self.current.closed and not after_blank:
            self._continue(text)
        else:
            self._open(self._next_number(), self._with_heading(text), explicit=False)

    def _with_heading(self, text: str) -> str:
        return f"{self.heading} {text}" if self.heading else text

    def _next_number(self) -> str:
        numbers = [
            int(point.number.split(".")[0]) for point in self.draft.points if point.number[:1].isdigit()
        ]
        return str(max(numbers, default=0) + 1)

    def _open(self, number: str, text: str, *, explicit: bool) -> None:
        self.current = Point(number=number, lines=[], explicit=explicit)
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
        if value.strip():
            point.deadline.append(value.strip(" ;,"))
        point.closed, self.current, self.last_field = True, point, "deadline"
        if responsible:
            self._add_responsible(responsible)

    def _add_responsible(self, value: str) -> None:
        point = self._target()
        if point is None:
            return
        if value.strip(" ;,"):
            point.responsible.append(_drop_unbalanced_paren(value.strip(" ;,")))
        point.closed, self.current, self.last_field = True, point, "responsible"


def is_numbered(match: re.Match[str]) -> bool:
    """Without a dot or bracket after the number, only "2.2 Организовать" counts, not "10 числа"."""
    return bool(match["delimiter"].strip()) or match["text"][:1].isupper() or match["text"][:1] in '«"'


def _split_inline_fields(text: str, *, deadline: bool = True) -> tuple[str, str, str]:
    """Separate "… Срок – до 01.03.2021. Ответственные: …" written inside a point's text."""
    found_deadline = found_responsible = ""
    if match := p.INLINE_RESPONSIBLE_RE.search(text):
        found_responsible = _drop_unbalanced_paren(match["value"].strip())
        text = text[: match.start()].rstrip(" ,;(")
    if deadline and (match := p.INLINE_DEADLINE_RE.search(text)):
        found_deadline = _drop_unbalanced_paren(match["value"].strip()).strip(" ,;")
        text = text[: match.start()].rstrip(" ,;(")
        if text and text[-1] not in ".:;!?»)" and (match.group(0)[:1] == "."):
            text += "."
    return text.strip(), found_deadline, found_responsible


def _drop_unbalanced_paren(text: str) -> str:
    """ "руководители ОМСУ)" from "(срок: …, ответственные: руководители ОМСУ)" loses the ")"."""
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(" .;,")
    return text

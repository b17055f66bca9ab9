"""Cutting a document into its parts by their roles before the protocol itself is read.

* the lines are cleaned (CRLF, U+00A0 and other odd spaces, invisible and control characters, the
  ``**bold**`` markers of a Markdown paste) and a tab-separated table of instructions becomes protocol lines;
* a covering letter in front of the decision (letterhead, addressees, "Уважаемые …", "Приложение …",
  "Исп. …") is set aside; only its outgoing number and date are kept, and they are never the meeting's;
* an appended questionnaire ("Вопросы для проведения собеседования …" and its numbered questions) is set
  aside as a questionnaire, never read as decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .patterns import HEADING_RE, NUMBERED_RE, find_date
from .proposals import LetterProposal, QuestionnaireProposal
from .tables import text_table_lines

# Odd spaces become spaces; invisible and control characters go (one pass over the text).
_ODD = dict.fromkeys("\u00a0\u202f\u2007\u2009\u2002\u2003", " ")
_ODD_RE = re.compile(
    "[\u00a0\u202f\u2007\u2009\u2002\u2003\u00ad\u200b\u200c\u200d\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_BOLD_RE = re.compile(r"\*\*")

# What only a letter has: a salutation, the executor, an appendix line, the letterhead's contacts.
_LETTER_MARK_RE = re.compile(
    r"^(?:уважаем\w*\b|исп\.|исполнитель\s*:|приложени[ея]\s*(?:\d|:|на\s)|на\s+№\s*_+|"
    r"(?:тел\.|телефон|факс|e-?mail)\s*[:.]?\s*\S)",
    re.IGNORECASE,
)
_EXECUTOR_RE = re.compile(r"^(?:исп\.|исполнитель\s*:)", re.IGNORECASE)
_PHONE_RE = re.compile(r"^[\d\s()+\-–]{7,}$")
_REGISTRATION_NUMBER_RE = re.compile(r"^(?:№\s*)?(?P<number>[\w]*\d[\w]*(?:[-/.][\w]+)+)$")
_NUMBER_RE = re.compile(r"№\s*(?P<number>[\w/.\-]*\d[\w/.\-]*)")
_LETTER_DATE_RE = re.compile(r"^(?:от\s+)?(?P<date>[\d.\s]+(?:г\.?|года)?)$")

_QUESTIONNAIRE_RE = re.compile(
    r"^(?:перечень\s+)?вопрос\w*\s+(?:для|к)\s+(?:проведени\w+\s+)?(?:собеседовани|интервью|анкет)"
    r"|^анкета\b|^опросный\s+лист",
    re.IGNORECASE,
)


@dataclass
class Segments:
    """The body of the protocol (cleaned lines) and what was set aside around it."""

    lines: list[str]
    letter: LetterProposal | None = None
    questionnaire: QuestionnaireProposal | None = None
    letter_lines: list[str] = field(default_factory=list)


def clean_lines(text: str) -> list[str]:
    """The document's lines with odd characters removed; each line keeps its own spacing (tabs, gaps)."""
    text = _ODD_RE.sub(lambda match: _ODD.get(match.group(0), ""), text)
    text = _BOLD_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text_table_lines([line.rstrip() for line in text.split("\n")])


def split_document(text: str) -> Segments:
    lines = clean_lines(text)
    lines, questionnaire = _take_questionnaire(lines)
    start = _body_start(lines)
    if start is None:
        return Segments(lines=lines, questionnaire=questionnaire)
    letter_lines = lines[:start]
    return Segments(
        lines=lines[start:],
        letter=_letter(letter_lines),
        questionnaire=questionnaire,
        letter_lines=letter_lines,
    )


# --- the covering letter -----------------------------------------------------------------------------


def _body_start(lines: list[str]) -> int | None:
    """Where the decision begins after a covering letter, or None when there is no letter.

    The body is the first document heading ("Решение", "ПРОТОКОЛ", …) after the letter's own marks; the
    organisation's name right above it (after the executor's line and phone) belongs to the body.
    """
    marks = [index for index, line in enumerate(lines) if _LETTER_MARK_RE.match(line.strip())]
    if len(marks) < 2:
        return None
    for index in range(marks[-1] + 1, len(lines)):
        if HEADING_RE.match(" ".join(lines[index].split())):
            break
    else:
        return None
    start = marks[-1] + 1
    if _EXECUTOR_RE.match(lines[marks[-1]].strip()):
        while start < index and (not lines[start].strip() or _PHONE_RE.match(lines[start].strip())):
            start += 1
    return start


def _letter(lines: list[str]) -> LetterProposal:
    """The outgoing number and date: on a registration line of their own ("№ 24-02/ПО/1875", "от 11.04.2024",
    "02-12/6148" above "28.12.2022"), never from the text of the letter or its appendix line."""
    letter = LetterProposal()
    for raw in lines:
        line = " ".join(raw.split())
        if not line or "_" in line or len(line) > 60 or _PHONE_RE.match(line):
            continue
        if not letter.number:
            if match := _REGISTRATION_NUMBER_RE.match(line):
                if not find_date(line):
                    letter.number = match["number"]
                    continue
            if line.startswith("№") and (match := _NUMBER_RE.search(line)):
                letter.number = match["number"]
        if letter.date is None and (found := find_date(line)):
            rest = line.replace(found[1].group(0), " ")
            rest = _NUMBER_RE.sub(" ", rest)
            if not rest.replace("от", "").strip(" ,.;"):
                letter.date = found[0]
    return letter


# --- an appended questionnaire -----------------------------------------------------------------------


def _take_questionnaire(lines: list[str]) -> tuple[list[str], QuestionnaireProposal | None]:
    """A questionnaire after the protocol: a title "Вопросы для проведения собеседования …" (over one or
    more lines) followed by numbered questions up to the end of the document."""
    for index, raw in enumerate(lines):
        line = " ".join(raw.split())
        if index == 0 or not _QUESTIONNAIRE_RE.match(line):
            continue
        title_lines, position = [line], index + 1
        while (
            position < len(lines)
            and lines[position].strip()
            and not NUMBERED_RE.match(lines[position].strip())
        ):
            title_lines.append(" ".join(lines[position].split()))
            position += 1
        questions: list[str] = []
        for following in lines[position:]:
            text = " ".join(following.split())
            if not text:
                continue
            if match := NUMBERED_RE.match(text):
                questions.append(match["text"])
            elif questions:
                questions[-1] = f"{questions[-1]} {text}"
        if questions:
            return lines[:index], QuestionnaireProposal(title=" ".join(title_lines), questions=questions)
    return lines, None

"""The pieces the protocol parser shares between its parts: its states, a line, and small text helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum, auto

import meetings.protocol_import.patterns as p
from meetings.deadlines import Deadline, parse_deadline

from .people import is_class, person_and_position, rapporteurs
from .text_split import PERSON_NAME_RE

PARENTHESES_RE = re.compile(r"\([^()]*\)")


class State(Enum):
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


PEOPLE_STATES = (State.CHAIR, State.SECRETARY, State.MEMBERS, State.INVITED)


@dataclass
class Line:
    raw: str  # as in the document, for the signature's wide gaps
    text: str  # whitespace collapsed


def safe_deadline(text: str, meeting_date: date | None) -> Deadline:
    try:
        return parse_deadline(text or None, meeting_date=meeting_date)
    except Exception:  # a bug in the deadline parser must not lose the whole protocol
        return Deadline(text=text, due_dates=(), readable=False)


def is_signature(line: Line, following: list[str]) -> bool:
    if p.SIGNATURE_ALONE_RE.match(line.text):
        return bool(following) and len(following[0]) < 40 and bool(PERSON_NAME_RE.search(following[0]))
    if not p.SIGNATURE_START_RE.match(line.raw):
        return False
    if p.SIGNATURE_GAP_RE.search(line.raw.strip()):
        return True
    return len(line.text) < 90 and bool(p.SIGNATURE_NAME_END_RE.search(line.text))


def is_people_entry(text: str) -> bool:
    """Does the line go on a list of people or bodies (after a blank line)?"""
    if p.ROMAN_SECTION_RE.match(text) or len(text) > 300:
        return False
    if p.BULLET_RE.match(text):
        return True
    name, _ = person_and_position(text)
    return (
        bool(name) or is_class(text) or bool(re.match(r"^[А-ЯЁ]{2,6}\s+(?:[А-ЯЁ]{2,4}\s+)?[«\"А-ЯЁ]", text))
    )


def recommends(text: str) -> bool:
    return bool(re.match(r"^(?:\d{1,2}\s*[.)]\s*)?(?:рекомендовано|рекомендации)", text, re.IGNORECASE))


def looks_like_place(text: str) -> bool:
    """ "Великий Новгород" alone on its line under the title: a town, not more of the title."""
    words = text.split()
    return (
        1 <= len(words) <= 3
        and all(word[:1].isupper() for word in words)
        and not re.search(r"\d|област|кра[яй]|район|округ|республик|[,:;]", text, re.IGNORECASE)
    )


def title_and_speakers(text: str) -> tuple[str, list[str]]:
    """An agenda title without its trailing "(Петрова А.С.)" or "Докладчик: …"."""
    text = " ".join(text.split())
    for pattern in (p.INLINE_SPEAKER_RE, p.TRAILING_PARENTHESES_RE):
        match = pattern.search(text)
        if match and (pattern is p.INLINE_SPEAKER_RE or PERSON_NAME_RE.search(match["speakers"])):
            return strip_sentence_end(text[: match.start()]), rapporteurs(match["speakers"])
    return strip_sentence_end(text), []


def speakers_from_heard(heard: str) -> list[str]:
    """Names before the dash of "Ершов С.Н. — об итогах мониторинга …"."""
    first = heard.split("\n", 1)[0]
    parts = re.split(r"\s[–—-]\s", first, maxsplit=1)
    if len(parts) < 2 or not PERSON_NAME_RE.search(parts[0]):
        return []
    return rapporteurs(parts[0])


def same_title(agenda_title: str, text: str) -> bool:
    def norm(value: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", value.lower().replace("ё", "е")).split())

    first, second = norm(agenda_title), norm(text)
    if not first or not second:
        return False
    shorter = min(len(first), len(second))
    return first == second or (shorter >= 20 and first[:shorter] == second[:shorter])


def strip_sentence_end(text: str) -> str:
    text = text.strip().rstrip(";:,").strip()
    if text.endswith(".") and not re.search(r"(?:^|\s)[А-ЯЁа-яё]{1,2}\.$", text):
        text = text[:-1]
    return text


def strip_trailing_dot(text: str) -> str:
    text = text.strip(" ;,")
    if text.endswith(".") and not re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", text):
        text = text[:-1]
    return text


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def meeting_kind(text: str, heading_kind: str) -> str:
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

"""Splitting "who" lines: responsible bodies of a decision and lists of people in the header."""

from __future__ import annotations

import re

from .people import PERSON_RE as PERSON_NAME_RE

# The word after a comma that continues the same body instead of starting a new one:
# "руководители органов …, осуществляющих управление …", "…, в том числе …", "…, которые …".
_CONTINUATION_WORD_RE = re.compile(
    r"[а-яё]+(?:[ую]щ|[ая]щ|вш|ем|им|енн|анн)(?:ий|ая|ее|ие|их|им|ими|его|ей|ую|ем|ых|ые|ый|ое|ой|ым|ыми|ого|ему)\b"
    r"|котор[а-яё]+\b|в\s+том\s+числе\b|включая\b|в\s+части\b|за\s+исключением\b|кроме\b"
)

_OPENING = "«“„(["
_CLOSING = "»”)]"
_TRIM = " \t,;"


def top_level_split(text: str, separators: str) -> list[str]:
    """Split on separator characters that are not inside «», "", (), [] and not followed by a continuation."""
    parts: list[str] = []
    depth = 0
    in_plain_quotes = False
    start = 0
    for index, char in enumerate(text):
        if char == '"':
            in_plain_quotes = not in_plain_quotes
        elif char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0 and not in_plain_quotes:
            if char == "," and _CONTINUATION_WORD_RE.match(text[index + 1 :].lstrip()):
                continue
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip(_TRIM) for part in parts if part.strip(_TRIM)]


def split_responsible(text: str) -> list[str]:
    """Responsible bodies: split on ";" and on top-level "," (never inside quotes or before a participle)."""
    return [
        part.rstrip(".") if part.endswith(".") and not _ends_with_initial(part) else part
        for part in top_level_split(text, ";,")
    ]


def _ends_with_initial(part: str) -> bool:
    return bool(re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", part))


def split_people(line: str) -> list[str]:
    """People on one line: "Иванова А.П. – начальник отдела" stays whole; several names split on commas.

    A line naming fewer than two people ("руководители МОУ «…», МОУ «…»") is one entry; otherwise the
    comma-separated pieces without a name ("к.п.н.") stay with the person before them.
    """
    line = line.strip(_TRIM)
    if not line:
        return []
    people: list[str] = []
    for piece in top_level_split(line, ";"):
        if len(PERSON_NAME_RE.findall(piece)) < 2:
            people.append(piece)
            continue
        merged: list[str] = []
        for part in top_level_split(piece, ","):
            if merged and not PERSON_NAME_RE.search(part):
                merged[-1] = f"{merged[-1]}, {part}"
            else:
                merged.append(part)
        people.extend(merged)
    return people

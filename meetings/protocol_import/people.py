"""People and bodies as protocols list them: names apart from positions, schools with normalised spacing.

"Лебедева Т.Н.- заведующий отделом образования" is the person "Лебедева Т.Н." with a position;
"Ефремов Константин Андреевич — заместитель министра" keeps the full name; "руководители МОУ СОШ
с.Вохтома" is the school "МОУ СОШ с. Вохтома"; "руководители органов … (по списку)" names nobody.
"""

from __future__ import annotations

import re

_UPPER, _LOWER = "А-ЯЁ", "а-яё"
_SURNAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_INITIALS = rf"[{_UPPER}]\.\s?(?:[{_UPPER}]\.)?"
_PATRONYMIC = rf"[{_UPPER}][{_LOWER}]+(?:вич|вна|чна|ична|ич|оглы|кызы)"
# "Гаврилова Елена Сергеевна", "Лебедева Т.Н.", "Т.Н. Лебедева", "Т.Н.Лебедева"
FULL_NAME = rf"{_SURNAME}\s+[{_UPPER}][{_LOWER}]+\s+{_PATRONYMIC}"
SHORT_NAME = rf"{_SURNAME}\s+{_INITIALS}"
INITIALS_FIRST = rf"{_INITIALS}\s?{_SURNAME}"
PERSON_RE = re.compile(rf"(?<![{_UPPER}{_LOWER}])(?:{FULL_NAME}|{SHORT_NAME}|{INITIALS_FIRST})(?![{_LOWER}])")
_NAMES_LINE_RE = re.compile(
    rf"^(?:{FULL_NAME}|{SHORT_NAME}|{INITIALS_FIRST})(?:\s*(?:,|;|\sи\s)\s*(?:{FULL_NAME}|{SHORT_NAME}|{INITIALS_FIRST}))*\.?$"
)
# The dash between a name and a position: "Кудрина М.В. — заместитель", "Лебедева Т.Н.- заведующий"
_POSITION_DASH_RE = re.compile(r"\s*[–—]\s*|\s+-\s*|(?<=\.)-\s*")
_RAPPORTEUR_NOISE_RE = re.compile(
    r"\b(?:докл|содокл)\.\s*|\b(?:докладчик|содокладчик)\w*\s*[:–—-]?\s*", re.IGNORECASE
)

# "руководители органов местного самоуправления …", "руководители общеобразовательных организаций" —
# a class of bodies, not a named participant.
_CLASS_RE = re.compile(
    r"^(?:руководител\w*|директор\w*|представител\w*|специалист\w*|члены)\s+"
    r"(?:орган\w*|общеобразовательн\w*|образовательн\w*|муниципальн\w*|школ\w*|ОО\b|ОМСУ\b|МОУО\b|МОУО\b|подведомствен\w*)",
    re.IGNORECASE,
)
_ROLE_PREFIX_RE = re.compile(r"^(?:руководител\w*|директор\w*|представител\w*)\s+(?=[А-ЯЁ«\"])")
# "с.Вохтома" → "с. Вохтома"; "Николо – Поломь" → "Николо-Поломь"
_SETTLEMENT_RE = re.compile(r"(?<![А-ЯЁа-яё])(с|д|п|г|пос|дер|пгт|ст)\.\s*(?=[А-ЯЁ])")
_WORD_HYPHEN_RE = re.compile(rf"(?<=[{_LOWER}])\s*[–—-]\s*(?=[{_UPPER}])")


def normalize_name(name: str) -> str:
    """Initials without an inner space: "Шувалов Д. А." → "Шувалов Д.А.", "Т.Н.Лебедева" → "Т.Н. Лебедева"."""
    name = " ".join(name.split()).strip(" ,;")
    name = re.sub(rf"([{_UPPER}]\.)\s+(?=[{_UPPER}]\.)", r"\1", name)
    return re.sub(rf"^((?:[{_UPPER}]\.){{1,2}})(?=[{_UPPER}][{_LOWER}])", r"\1 ", name)


def person_and_position(entry: str) -> tuple[str, str]:
    """ "Лебедева Т.Н.- заведующий отделом" → ("Лебедева Т.Н.", "заведующий отделом"); no name → ("", entry)."""
    entry = " ".join(entry.split()).strip(" ;,")
    if entry.endswith(".") and not re.search(rf"(?:^|[\s.])[{_UPPER}]\.$", entry):
        entry = entry[:-1]
    match = PERSON_RE.match(entry)
    if match:
        rest = entry[match.end() :]
        dash = _POSITION_DASH_RE.match(entry, match.end())
        if not rest.strip(" .,;") or dash or rest.startswith((",", " (")):
            position = entry[dash.end() :] if dash else rest.strip(" ,")
            return normalize_name(match.group(0)), position.strip(" ;,.()")
    # "заместитель министра Ефремов К.А.": the position first, the name at the end
    tail = re.search(rf"(?:{FULL_NAME}|{SHORT_NAME}|{INITIALS_FIRST})$", entry)
    if tail and tail.start() > 0:
        return normalize_name(tail.group(0)), entry[: tail.start()].strip(" ,–—-")
    return "", entry


def is_class(entry: str) -> bool:
    """A class of bodies ("руководители органов … (по списку)"), not a named participant."""
    entry = entry.strip()
    return bool(_CLASS_RE.match(entry)) and not re.search(
        r"[«\"]|\b(?:[А-ЯЁ]{2,5}\s+)?(?:СОШ|ООШ|НОШ)\b", entry
    )


def institution(entry: str) -> str:
    """A school or body as invited: without "руководители", one space after "с.", no spaces around a hyphen."""
    entry = " ".join(_ROLE_PREFIX_RE.sub("", " ".join(entry.split())).split()).strip(" ;,.")
    entry = _SETTLEMENT_RE.sub(lambda match: f"{match.group(1)}. ", entry)
    return _WORD_HYPHEN_RE.sub("-", entry)


def is_names_line(text: str) -> bool:
    """A line that holds only people's names: "Корнилов Андрей Павлович, Сазонова Ирина Геннадьевна"."""
    return bool(_NAMES_LINE_RE.match(" ".join(text.split())))


def rapporteurs(text: str) -> list[str]:
    """The names of rapporteurs, without "докл.", positions and dashes; the text itself if it names nobody."""
    text = _RAPPORTEUR_NOISE_RE.sub("", " ".join(text.split())).strip(" ()–—-;,")
    names = [normalize_name(match.group(0)) for match in PERSON_RE.finditer(text)]
    return list(dict.fromkeys(names)) if names else ([text] if text else [])

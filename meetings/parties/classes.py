"""The official wordings of classes of addressees, in any region and any grammatical case.

* every municipal education authority: "руководители органов местного самоуправления <региона>,
  осуществляющих управление в сфере образования" (the inner comma belongs to the name), "органы
  местного самоуправления, осуществляющие …", "ОМСУ", "МОУО", "муниципальные органы управления
  образованием", "органы управления образованием муниципальных районов и городских округов …";
* every school: "руководители общеобразовательных организаций", "муниципальных общеобразовательных
  учреждений", "ОО";
* an education authority by its kind: "комитет по образованию", "отдел образования администрации … района".

What follows the class head is its qualifier: the region ("Тверской области"), the kinds of municipalities
("муниципальных районов и городских округов"), named municipalities ("Лихославльского и Спировского
муниципальных округов") or a restriction the text does not resolve (", включенных в перечень …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MUNICIPALITIES, SCHOOLS, AUTHORITY = "municipalities", "schools", "authority"

_HEADS = (
    (MUNICIPALITIES, r"(?:орган[аыу]?|органом|органам|органов|органами)\s+местного\s+самоуправления"),
    (MUNICIPALITIES, r"(?:ОМСУ|МОУО|ОМС|МОО)(?![\w«\"])"),
    (MUNICIPALITIES, r"(?:муниципальн\w*\s+)?(?:орган[аыу]?|органом|органам|органов|органами)\s+управлени\w*\s+(?:в\s+сфере\s+)?образовани\w*"),
    (SCHOOLS, r"(?:муниципальн\w*\s+|государственн\w*\s+)?(?:обще)?образовательн\w*\s+(?:организаци|учреждени)\w*"),
    (SCHOOLS, r"(?:ОО|ОУ)(?![\w«\"])"),
    (SCHOOLS, r"школ(?:ы|ам|ами|ах)?(?![\w«\"])"),
    (AUTHORITY, r"(?:комитет|отдел|управлени|департамент|министерств)\w*(?:\s+(?:по\s+)?(?:общего\s+)?образовани\w*)?(?:\s+и\s+науки)?"),
)  # fmt: skip
_HEAD_RE = [(kind, re.compile(rf"^{pattern}", re.IGNORECASE)) for kind, pattern in _HEADS]
# "…, осуществляющих управление в сфере образования": part of the class's name, not a restriction
_DEFINING_RE = re.compile(
    r",?\s*осуществляющ\w*\s+(?:государственное\s+)?управлени\w*\s+в\s+сфере\s+образовани\w*", re.I
)
_GENERIC_WORDS_RE = re.compile(
    r"\b(?:муниципальн\w*|городск\w*|сельск\w*|район\w*|округ\w*|поселени\w*|област\w*|кра[йяюе]\w*|"
    r"республик\w*|администраци\w*|мэри\w*|и|в|сфере|образовани\w*|по|при|г|город\w*|национальн\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ClassWording:
    """A class of addressees: its kind and what qualifies it."""

    kind: str
    qualifiers: str = ""  # the text after the head, the defining clause removed
    restricted: bool = False  # a restriction the text does not resolve ("…, включенных в перечень …")


def read_class(text: str) -> ClassWording | None:
    """The class a wording names, or None when it names a body (or nothing known)."""
    text = " ".join(text.split()).strip(" .;,")
    for kind, pattern in _HEAD_RE:
        match = pattern.match(text)
        if not match:
            continue
        rest = _DEFINING_RE.sub(" ", text[match.end() :])
        rest = " ".join(rest.split()).strip(" ,;.")
        if kind == AUTHORITY and not (re.search(r"образовани", text, re.I) or not rest):
            return None  # "отдел кадров администрации" is not an education authority
        if kind == AUTHORITY and re.search(r"[«\"]", rest):
            return None  # "Управление «…»": a named body
        return ClassWording(kind=kind, qualifiers=rest, restricted=_restricted(rest))
    return None


def is_generic(word: str) -> bool:
    """A word of a qualifier that names no municipality: "администрации", "района", "области"."""
    return bool(_GENERIC_WORDS_RE.fullmatch(word))


def _restricted(rest: str) -> bool:
    """Words other than names, kinds of municipalities and the region: a restriction of the class."""
    leftover = _GENERIC_WORDS_RE.sub(" ", rest)
    words = re.findall(r"[А-ЯЁа-яёA-Za-z]+", leftover)
    return any(word[:1].islower() for word in words) or bool(re.search(r"\d", leftover))

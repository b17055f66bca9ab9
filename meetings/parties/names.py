"""How the names of bodies are built, so that their many spellings can be matched by structure.

A name is read as its legal form ("ГАУ ДПО", "Государственное автономное учреждение …", "МБОУ"), its
proper part (in quotes when there are quotes: "Тверской областной институт усовершенствования учителей")
and what follows it. Two proper parts are the same when they match word by word, where a word written
in capitals ("ТОИУУ", "ИРР ПО", "СОШ", "А.М.") may stand for the initials of several words
("Тверской областной институт усовершенствования учителей", "Институт регионального развития
Пензенской области", "средняя общеобразовательная школа", "Адриана Митрофановича"), and Russian endings
do not matter ("Каменского района" = "Каменский район"). Quotes, ё/е, spacing and hyphen spacing never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_QUOTES_RE = re.compile(r"[«»\"“”„‟″]")
_TOKEN_RE = re.compile(r"№|\d+|[A-Za-zА-ЯЁа-яё]+(?:\.[А-ЯЁ](?=\.))*\.?")
_INITIALS_RE = re.compile(r"^(?:[А-ЯЁ]\.){1,3}$")
_CAPS_RE = re.compile(r"^[А-ЯЁ]{2,8}$")

# Words of a legal form, spelled out or abbreviated: they say what kind of body it is, not which one.
_FORM_WORDS = frozenset(
    {
        "государственное", "государственного", "государственному", "муниципальное", "муниципального",
        "муниципальному", "областное", "областного", "краевое", "краевого", "автономное", "автономного",
        "бюджетное", "бюджетного", "казенное", "казенного", "учреждение", "учреждения", "учреждению",
        "образовательное", "образовательного", "общеобразовательное", "общеобразовательного",
        "дополнительного", "профессионального", "образования", "организация", "организации",
    }
)  # fmt: skip
# "ГАУ ДПО", "АОУ ВО ДПО", "ГБУ ПО", "МБОУ", "ГКУ ТО", "КАУ ДПО", "ГОАУ ДПО", "ГАУ ДПО РК", "ОГБОУ ДПО"
_FORM_ABBREVIATION_RE = re.compile(
    r"^(?:[ГМКО]{0,2}[АБК]?[О]?[УН]|[ГМ]?[АБК]?ОУ|АОУ|БУ|АУ|КУ|ЧОУ|АНО|ФГБОУ|ФГБУ|ФГАОУ|МАДОУ|МБДОУ|МКДОУ)$"
)
_FORM_QUALIFIERS = frozenset(
    {"ДПО", "ВО", "СПО", "ДО", "ПО", "ТО", "РК", "ЛО", "РТ", "НО", "СО", "ВМО", "КГО"}
)
_STOP_WORDS = frozenset(
    {"и", "в", "по", "для", "при", "на", "им.", "имени", "г."}
)  # as written: "ПО" is not "по"
_ENDINGS = tuple(sorted({
    "ого", "его", "ому", "ему", "ыми", "ими", "ых", "их", "ой", "ей",
    "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю", "ам", "ям", "ами", "ями", "ом",
    "ем", "а", "я", "у", "ю", "е", "и", "ы", "ь", "й", "о",
}, key=len, reverse=True))  # fmt: skip


def plain(text: str) -> str:
    """Lower case, ё as е, no quotes, single spaces, no spaces around a hyphen."""
    text = _QUOTES_RE.sub(" ", text.lower().replace("ё", "е"))
    text = re.sub(r"\s*[-‐‑–—]\s*(?=\w)", "-", text) if re.search(r"\w\s*[-‐‑]\s*\w", text) else text
    return " ".join(text.split()).strip(" .,;")


def stem(word: str) -> str:
    """A word without its Russian ending: "Каменского" → "каменск", "района" → "район", "Череповца" → "череповц"."""
    word = word.lower().replace("ё", "е").strip(".")
    if len(word) <= 3 or not re.fullmatch(r"[а-я-]+", word):
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def same_word(first: str, second: str) -> bool:
    if first == second:
        return True
    a, b = stem(first), stem(second)
    if a == b:
        return True
    shorter = min(len(a), len(b))  # "череповц" / "череповец": a vowel dropped in declension
    return shorter >= 5 and a[: shorter - 1] == b[: shorter - 1] and abs(len(a) - len(b)) <= 1


@dataclass(frozen=True)
class Name:
    """A body's name read by its structure."""

    text: str
    form: tuple[str, ...]  # the legal form's abbreviations: ("ГАУ", "ДПО")
    tokens: tuple[str, ...]  # the proper part, as written (case kept, so capitals can be initials)

    @property
    def key(self) -> str:
        return " ".join(token.lower() for token in self.tokens)


@lru_cache(maxsize=4096)
def read_name(text: str) -> Name:
    """The legal form and the proper part of a name (the quoted part when there are quotes)."""
    text = " ".join(text.replace("ё", "е").replace("Ё", "Е").split())
    quoted = re.search(r"[«\"“„](.+)[»\"”]", text)
    outside = text[: quoted.start()] if quoted else text
    outside_tokens = _tokens(outside)
    form: list[str] = []
    rest: list[str] = []
    for index, token in enumerate(outside_tokens):
        upper = token.rstrip(".")
        if not rest and (_FORM_ABBREVIATION_RE.match(upper) or upper in _FORM_QUALIFIERS) and upper.isupper():
            form.append(upper)
        elif not rest and token.lower() in _FORM_WORDS and quoted:
            continue
        else:
            rest = outside_tokens[index:]
            break
    if quoted:
        return Name(text=text, form=tuple(form), tokens=tuple(_tokens(quoted.group(1))))
    return Name(text=text, form=tuple(form), tokens=tuple(rest))


def _tokens(text: str) -> list[str]:
    text = re.sub(r"(?<=\w)\s*-\s*(?=\w)", "-", text)
    text = re.sub(r"(?<![А-ЯЁа-яё])([а-яё]{1,3})\.(?=[А-ЯЁ])", r"\1. ", text)  # "с.Вохтома" → "с. Вохтома"
    return [token for token in re.split(r"[\s,;:()]+", text) if token]


def _initials(words: tuple[str, ...]) -> str:
    letters = ""
    for word in words:
        for part in word.split("-"):
            if part:
                letters += part[0].lower()
    return letters


def _is_abbreviation(token: str) -> bool:
    return bool(_CAPS_RE.match(token) or _INITIALS_RE.match(token))


def _abbreviation_letters(token: str) -> str:
    return token.replace(".", "").lower()


def same_name(first: Name, second: Name) -> bool:
    """Do two proper parts name the same body (word by word; capitals may stand for initials)?"""
    a = tuple(token for token in first.tokens if token not in _STOP_WORDS)
    b = tuple(token for token in second.tokens if token not in _STOP_WORDS)
    return bool(a) and bool(b) and _align(a, b)


def signature(name: Name) -> str:
    """What two names that are the same must share: the initials of their words, abbreviations spelled out as
    their letters, numbers as written. ``same_name`` holds only between names of one signature."""
    parts = []
    for word in name.tokens:
        if word in _STOP_WORDS:
            continue
        if word[:1].isdigit() or word == "№":
            parts.append(f"#{word}#")
        elif _is_abbreviation(word):
            parts.append(_abbreviation_letters(word))
        else:
            parts.append(_initials((word,)))
    return "".join(parts)


def _align(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return not a and not b
    first, second = a[0], b[0]
    if _same_token(first, second) and _align(a[1:], b[1:]):
        return True
    for short, long, flipped in ((a, b, False), (b, a, True)):
        if not _is_abbreviation(short[0]):
            continue
        letters = _abbreviation_letters(short[0])
        for size in range(1, min(len(long), len(letters)) + 1):
            if _initials(long[:size]) != letters:
                continue
            rest = (long[size:], short[1:]) if flipped else (short[1:], long[size:])
            if _align(*rest):
                return True
    return False


def _same_token(first: str, second: str) -> bool:
    if first.lower() == second.lower():
        return True
    if (
        not first[:1].isalpha()
        or not second[:1].isalpha()
        or _is_abbreviation(first)
        or _is_abbreviation(second)
    ):
        return False
    return same_word(first, second)


def tokens_of(text: str) -> tuple[str, ...]:
    return tuple(_tokens(" ".join(text.split())))

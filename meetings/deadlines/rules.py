"""Scanning a deadline as written: the named patterns of its fragments, most specific first.

The text is lower-cased, "ё" becomes "е" and every dash becomes "-".  An ordered list of named regular
expressions is applied to it; every match becomes an ``_Item`` (a checkpoint date, a standing-obligation
marker, a recurrence keyword, a day of the month, ...) and is masked out so that less specific rules
cannot reuse its pieces.  Whatever is left afterwards must consist of filler words only ("до", "в срок",
"года", "далее", punctuation); any other word or number makes the deadline unreadable.
"""

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
YEARLY = "yearly"

# Nominative, genitive and prepositional forms of month names, in calendar order.
_MONTH_FORMS: tuple[tuple[str, str, str], ...] = (
    ("январь", "января", "январе"),
    ("февраль", "февраля", "феврале"),
    ("март", "марта", "марте"),
    ("апрель", "апреля", "апреле"),
    ("май", "мая", "мае"),
    ("июнь", "июня", "июне"),
    ("июль", "июля", "июле"),
    ("август", "августа", "августе"),
    ("сентябрь", "сентября", "сентябре"),
    ("октябрь", "октября", "октябре"),
    ("ноябрь", "ноября", "ноябре"),
    ("декабрь", "декабря", "декабре"),
)
MONTHS: dict[str, int] = {
    form: number for number, forms in enumerate(_MONTH_FORMS, start=1) for form in forms
}

# Words that may remain in the text once every meaningful fragment has been recognised.
_FILLER_WORDS = frozenset(
    {
        "до",
        "в",
        "во",
        "к",
        "ко",
        "по",
        "с",
        "со",
        "и",
        "не",
        "позднее",
        "позже",
        "срок",
        "сроки",
        "исполнения",
        "г",
        "гг",
        "год",
        "года",
        "году",
        "годы",
        "годов",
        "далее",
        "затем",
        "дальнейшем",
        "включительно",
        "период",
        "периоде",
    }
)
_EMPTY_MARKERS = frozenset({"", "-", "–", "—", "―", "--"})

_LABEL_RE = re.compile(r"^срок(?:\s+исполнения)?(?:\s*[:\-–—]\s*|\s+)", re.IGNORECASE)
_DASHES_RE = re.compile(r"[‐‑‒–—―−]")
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")

_SCHOOL_YEAR_END = (5, 31)  # the Russian school year ends on 31 May
_SCHOOL_YEAR_START = (9, 1)

# --------------------------------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------------------------------


class _Kind(Enum):
    DATE = "date"  # a checkpoint (before the standing/recurrence keyword) or the end (after it)
    START = "start"  # "с 01.09.2021": the beginning of an obligation, not a deadline
    STANDING = "standing"  # "постоянно", "в течение ..."
    RECURRENCE = "recurrence"  # "ежемесячно", "раз в квартал"
    DAY = "day"  # "до 5 числа"
    WEEKDAY = "weekday"  # "по пятницам": the day of the week of a weekly report (0 = Monday)
    MONTH_DAY = "month_day"  # "до 1 сентября", "01.09", "в декабре" without a year
    NEXT_MONTH = "next_month"  # "месяца, следующего за отчётным"
    INVALID = "invalid"  # recognised shape, impossible value ("31.02.2021")


class _Span(Enum):
    """What a standing marker says about the end of the obligation."""

    NONE = "none"  # "постоянно"
    OPEN = "open"  # "в течение" followed by a period: the period is the end
    YEAR = "year"  # "в течение года": one year from the meeting
    SCHOOL_YEAR = "school_year"  # "в течение учебного года": until the next 31 May


@dataclass(frozen=True)
class _Item:
    kind: _Kind
    pos: int = 0
    when: date | None = None
    years: tuple[int, ...] = ()  # years as written, for the typo check
    recurrence: str = ""
    day: int | None = None  # explicit day of the month
    month: int | None = None
    first_of_month: bool = False  # "до декабря": the 1st rather than the last day
    span: _Span = _Span.NONE


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str]], _Item]


def _month_group(name: str) -> str:
    forms = "|".join(sorted(MONTHS, key=len, reverse=True))
    return rf"\b(?P<{name}>{forms})\b"


def _numeric_date_group(prefix: str) -> str:
    # "15.03.2021", "15.03.21", "14.04. 2021"
    return (
        rf"(?<![\d.])(?P<{prefix}d>\d{{1,2}})\s*\.\s*(?P<{prefix}m>\d{{1,2}})\s*\.\s*"
        rf"(?P<{prefix}y>\d{{4}}|\d{{2}})(?!\d)"
    )


def _year_group(name: str) -> str:
    return rf"(?<![\d./])(?P<{name}>\d{{4}})(?!\d|[./]\d)"


def _ordinal_group(name: str, *, upto: int) -> str:
    romans = ["iv", "iii", "ii", "i"][4 - upto :]
    words = ["перв", "втор", "трет", "четверт"][:upto]
    choices = "|".join([*romans, f"[1-{upto}]", *(rf"{word}\w*" for word in words)])
    return rf"(?<![\w.])(?P<{name}>{choices})(?:-?(?:й|го|м|ом|е))?"


_SINCE = r"(?:(?P<since>\bсо?)\s+)?"
_FROM = r"(?:\bсо?\s+)?"
_EDGE = r"(?:\b(?P<edge>до\s+конца|до\s+окончания|к\s+концу|к\s+окончанию|до\s+начала|к\s+началу|до|со?)\s+)?"
_RANGE_SEPARATOR = r"(?:\s*-\s*|\s+(?:по|до)\s+)"
_YEAR_SUFFIX = r"(?:\s*(?:года|г\b\.?))?"
_QUARTER_WORD = r"\s+(?:квартал\w*|кв\b\.?)\s*"

_END_EDGES = frozenset({"до конца", "до окончания", "к концу", "к окончанию"})
_START_EDGES = frozenset({"до начала", "к началу"})
_SINCE_EDGES = frozenset({"с", "со"})

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL_STEMS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_RECURRENCE_WORDS = {
    "еженедельно": WEEKLY,
    "ежемесячно": MONTHLY,
    "ежеквартально": QUARTERLY,
    "ежегодно": YEARLY,
    "неделю": WEEKLY,
    "месяц": MONTHLY,
    "квартал": QUARTERLY,
    "четверть": QUARTERLY,  # a school quarter, reported like a calendar one
    "год": YEARLY,
}
# "по понедельникам" … "по пятницам": the stems of the days of the week, Monday first.
_WEEKDAY_STEMS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")


def _year(raw: str) -> int:
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _edge(match: re.Match[str]) -> str:
    raw = match.groupdict().get("edge")
    return " ".join(raw.split()) if raw else ""


def _ordinal(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    if raw in _ROMAN:
        return _ROMAN[raw]
    return next(number for stem, number in _ORDINAL_STEMS.items() if raw.startswith(stem))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clamped(year: int, month: int, day: int | None) -> date:
    """The given day of the month, or its last day when ``day`` is None or too large."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day is None else min(day, last))


def _period(
    first: date, last: date, edge: str, years: tuple[int, ...], *, bare_before_means_first: bool
) -> _Item:
    """A checkpoint for a period: its end, or its first day for "к началу ..." (and "до <month>")."""
    if edge in _SINCE_EDGES:
        return _Item(_Kind.START, when=first, years=years)
    if edge in _START_EDGES or (edge == "до" and bare_before_means_first):
        return _Item(_Kind.DATE, when=first, years=years)
    return _Item(_Kind.DATE, when=last, years=years)


def _build_next_month(_match: re.Match[str]) -> _Item:
    return _Item(_Kind.NEXT_MONTH)


def _build_recurrence(match: re.Match[str]) -> _Item:
    return _Item(_Kind.RECURRENCE, recurrence=_RECURRENCE_WORDS[match["word"]])


def _build_weekday(match: re.Match[str]) -> _Item:
    word = match["w"]
    return _Item(_Kind.WEEKDAY, day=next(i for i, stem in enumerate(_WEEKDAY_STEMS) if word.startswith(stem)))


def _build_day(match: re.Match[str]) -> _Item:
    day = int(match["d"])
    if not 1 <= day <= 31:
        raise ValueError(day)
    return _Item(_Kind.DAY, day=day)


def _standing_builder(span: _Span) -> Callable[[re.Match[str]], _Item]:
    def build(_match: re.Match[str]) -> _Item:
        return _Item(_Kind.STANDING, span=span)

    return build


def _build_numeric_range(match: re.Match[str]) -> _Item:
    first = date(_year(match["ay"]), int(match["am"]), int(match["ad"]))
    last = date(_year(match["by"]), int(match["bm"]), int(match["bd"]))
    if first > last:
        raise ValueError(match[0])
    return _Item(_Kind.DATE, when=last, years=(first.year, last.year))


def _build_numeric_date(match: re.Match[str]) -> _Item:
    when = date(_year(match["y"]), int(match["m"]), int(match["d"]))
    return _Item(_Kind.START if match["since"] else _Kind.DATE, when=when, years=(when.year,))


def _build_numeric_day_month(match: re.Match[str]) -> _Item:
    day, month = int(match["d"]), int(match["m"])
    date(2000, month, day)  # validation; 2000 is a leap year, so 29.02 passes
    return _Item(_Kind.MONTH_DAY, day=day, month=month)


def _build_school_year(match: re.Match[str]) -> _Item:
    first_year, raw_last = int(match["y1"]), match["y2"]
    last_year = first_year // 100 * 100 + int(raw_last) if len(raw_last) == 2 else int(raw_last)
    if last_year != first_year + 1:
        raise ValueError(match[0])
    first, last = date(first_year, *_SCHOOL_YEAR_START), date(last_year, *_SCHOOL_YEAR_END)
    return _period(first, last, _edge(match), (first_year, last_year), bare_before_means_first=False)


def _build_word_date(match: re.Match[str]) -> _Item:
    day, month = int(match["d"]), MONTHS[match["m"]]
    if match["y"] is None:
        if match["since"]:
            return _Item(_Kind.START)
        date(2000, month, day)  # validation
        return _Item(_Kind.MONTH_DAY, day=day, month=month)
    when = date(int(match["y"]), month, day)
    return _Item(_Kind.START if match["since"] else _Kind.DATE, when=when, years=(when.year,))


def _build_month_range(match: re.Match[str]) -> _Item:
    first_month, last_month, last_year = MONTHS[match["m1"]], MONTHS[match["m2"]], int(match["y2"])
    if match["y1"]:
        first_year = int(match["y1"])
    else:
        first_year = last_year if first_month <= last_month else last_year - 1
    first, last = date(first_year, first_month, 1), _month_end(last_year, last_month)
    if first > last:
        raise ValueError(match[0])
    return _Item(_Kind.DATE, when=last, years=tuple(sorted({first_year, last_year})))


def _build_quarter_range(match: re.Match[str]) -> _Item:
    first, last, year = _ordinal(match["q1"]), _ordinal(match["q2"]), int(match["y"])
    if first >= last:
        raise ValueError(match[0])
    return _Item(_Kind.DATE, when=_month_end(year, 3 * last), years=(year,))


def _build_quarter(match: re.Match[str]) -> _Item:
    quarter, year = _ordinal(match["q"]), int(match["y"])
    first, last = date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    return _period(first, last, _edge(match), (year,), bare_before_means_first=False)


def _build_half_year(match: re.Match[str]) -> _Item:
    half, year = _ordinal(match["h"]), int(match["y"])
    first, last = date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
    return _period(first, last, _edge(match), (year,), bare_before_means_first=False)


def _build_month_year(match: re.Match[str]) -> _Item:
    month, year = MONTHS[match["m"]], int(match["y"])
    first, last = date(year, month, 1), _month_end(year, month)
    return _period(first, last, _edge(match), (year,), bare_before_means_first=True)


def _build_month_only(match: re.Match[str]) -> _Item:
    edge = _edge(match)
    if edge in _SINCE_EDGES:
        return _Item(_Kind.START)
    first_of_month = edge == "до" or edge in _START_EDGES
    return _Item(_Kind.MONTH_DAY, month=MONTHS[match["m"]], first_of_month=first_of_month)


def _build_year_range(match: re.Match[str]) -> _Item:
    first, last = int(match["y1"]), int(match["y2"])
    if first >= last:
        raise ValueError(match[0])
    return _Item(_Kind.DATE, when=date(last, 12, 31), years=(first, last))


def _build_year(match: re.Match[str]) -> _Item:
    year = int(match["y"])
    return _period(date(year, 1, 1), date(year, 12, 31), _edge(match), (year,), bare_before_means_first=False)


def _rule(name: str, pattern: str, build: Callable[[re.Match[str]], _Item]) -> _Rule:
    return _Rule(name, re.compile(pattern), build)


# Most specific first: a fragment consumed by an earlier rule is invisible to the later ones.
_RULES: tuple[_Rule, ...] = (
    _rule(
        "next_month",
        r"(?:\bмесяца,?\s+)?\bследующего\s+за\s+отчетн\w*(?:\s+(?:периодом|кварталом|месяцем|годом))?",
        _build_next_month,
    ),
    _rule(
        "recurrence_adverb", r"\b(?P<word>еженедельно|ежемесячно|ежеквартально|ежегодно)\b", _build_recurrence
    ),
    _rule(
        "recurrence_times",
        r"(?:\bне\s+реже\s+)?(?:\b(?:1|один|одного)\s+)?\bраза?\s+в\s+(?P<word>неделю|месяц|квартал|четверть|год)\b",
        _build_recurrence,
    ),
    _rule(
        "weekday",
        r"\bпо\s+(?P<w>понедельникам|вторникам|средам|четвергам|пятницам|субботам)\b",
        _build_weekday,
    ),
    _rule("day_of_month", r"\b(?P<d>\d{1,2})(?:-?го)?\s+числа\b", _build_day),
    _rule("school_year_span", r"\bв\s+течение\s+учебного\s+года\b", _standing_builder(_Span.SCHOOL_YEAR)),
    _rule("year_span", r"\bв\s+течение\s+(?:всего\s+)?года\b", _standing_builder(_Span.YEAR)),
    _rule(
        "standing",
        r"\bпостоянно\b|\bна\s+постоянной\s+основе\b|\bбессрочно\b|\bпо\s+мере\s+необходимости\b",
        _standing_builder(_Span.NONE),
    ),
    _rule("open_span", r"\bв\s+течение\b", _standing_builder(_Span.OPEN)),
    _rule(
        "numeric_range",
        _FROM + _numeric_date_group("a") + _YEAR_SUFFIX + _RANGE_SEPARATOR + _numeric_date_group("b"),
        _build_numeric_range,
    ),
    _rule("numeric_date", _SINCE + _numeric_date_group(""), _build_numeric_date),
    _rule(
        "numeric_day_month", r"(?<![\d.])(?P<d>\d{1,2})\s*\.\s*(?P<m>\d{1,2})(?!\d)", _build_numeric_day_month
    ),
    _rule(
        "school_year",
        _EDGE
        + r"(?<![\d./])(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{4}|\d{2})(?!\d)\s*(?:уч\.|учебн\w*)\s*(?:год\w*|г\b\.?)",
        _build_school_year,
    ),
    _rule(
        "word_date",
        _SINCE + r"\b(?P<d>\d{1,2})(?:-?го)?\s+" + _month_group("m") + r"(?:\s+(?P<y>\d{4})(?!\d))?",
        _build_word_date,
    ),
    _rule(
        "month_range",
        _FROM
        + _month_group("m1")
        + r"(?:\s+(?P<y1>\d{4})"
        + _YEAR_SUFFIX
        + r")?(?:\s*-\s*|\s+по\s+)"
        + _month_group("m2")
        + r"\s+(?P<y2>\d{4})(?!\d)",
        _build_month_range,
    ),
    _rule(
        "quarter_range",
        _ordinal_group("q1", upto=4)
        + r"\s*-\s*"
        + _ordinal_group("q2", upto=4)
        + _QUARTER_WORD
        + r"(?P<y>\d{4})(?!\d)",
        _build_quarter_range,
    ),
    _rule(
        "quarter",
        _EDGE + _ordinal_group("q", upto=4) + _QUARTER_WORD + r"(?P<y>\d{4})(?!\d)",
        _build_quarter,
    ),
    _rule(
        "half_year",
        _EDGE + _ordinal_group("h", upto=2) + r"\s+полугоди\w*\s*(?P<y>\d{4})(?!\d)",
        _build_half_year,
    ),
    _rule("month_year", _EDGE + _month_group("m") + r"\s+(?P<y>\d{4})(?!\d)", _build_month_year),
    _rule("month_only", _EDGE + _month_group("m"), _build_month_only),
    _rule(
        "year_range",
        _FROM + _year_group("y1") + r"(?:\s*-\s*|\s+по\s+)" + _year_group("y2"),
        _build_year_range,
    ),
    _rule("year", _EDGE + _year_group("y"), _build_year),
)


def _clean_text(text: str | None) -> str:
    """The text shown to the user: whitespace collapsed, a leading "Срок:" label removed."""
    collapsed = re.sub(r"\s+", " ", text or "").strip()
    return _LABEL_RE.sub("", collapsed, count=1).strip()


def _search_key(text: str) -> str:
    return _DASHES_RE.sub("-", text.lower().replace("ё", "е"))


def _scan(key: str) -> tuple[list[_Item], bool]:
    """Recognised fragments in text order, and whether everything else is filler."""
    items: list[_Item] = []
    masked = key
    for rule in _RULES:
        spans: list[tuple[int, int]] = []
        for match in rule.pattern.finditer(masked):
            try:
                item = rule.build(match)
            except ValueError:
                item = _Item(_Kind.INVALID)
            items.append(replace(item, pos=match.start()))
            spans.append(match.span())
        for start, end in spans:
            masked = masked[:start] + "#" * (end - start) + masked[end:]
    only_filler = all(token in _FILLER_WORDS for token in _TOKEN_RE.findall(masked))
    return sorted(items, key=lambda item: item.pos), only_filler

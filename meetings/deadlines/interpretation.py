"""Interpreting the scanned fragments of a deadline: checkpoints, standing duties, recurrence, warnings.

Items before the first standing/recurrence keyword are checkpoints (due dates); items after it describe
the obligation itself: its end (``until``), the day of the month a report is due, the date of a yearly
report.  The parser is strict: it either understands the whole text or marks the deadline unreadable so
that a person sets the date by hand.  It never guesses a missing year: a date without one is only
*proposed* (the next such date after the meeting) for the person to confirm.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from meetings.notices import Kind, Notice

from .rules import (
    _EMPTY_MARKERS,
    _SCHOOL_YEAR_END,
    WEEKLY,
    YEARLY,
    _clamped,
    _clean_text,
    _Item,
    _Kind,
    _scan,
    _search_key,
    _Span,
)

_UNREADABLE_MESSAGE = "Не удалось распознать срок «{text}»: укажите дату вручную."
_BEFORE_MEETING_MESSAGE = "Срок {due} раньше даты совещания {meeting}."
_YEAR_SLIP_MESSAGE = "Год {year} в сроке «{text}» похож на опечатку."
_NO_YEAR_MESSAGE = "Срок «{text}» записан без года: предлагается {proposed} — подтвердите дату."
_AFTER_SIGNING_MESSAGE = (
    "Срок «{text}» отсчитывается от подписания протокола: дата будет рассчитана при подписании "
    "по производственному календарю."
)
_EVENT_MESSAGE = "Срок «{text}» зависит от события, дата которого неизвестна: укажите дату вручную."

_MIN_PLAUSIBLE_YEAR = 2000
_MAX_YEARS_AHEAD = 5

_NUMBER_WORDS = {
    "одного": 1, "один": 1, "одной": 1, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7,
    "десяти": 10, "пятнадцати": 15, "двадцати": 20, "тридцати": 30,
}  # fmt: skip
# "в течение 10 (десяти) рабочих дней со дня подписания протокола", "в течение месяца", "через 2 недели"
_TERM_RE = re.compile(
    r"^(?:в\s+течение|не\s+позднее|в\s+срок\s+не\s+позднее|в\s+срок\s+до|через|до)\s+"
    r"(?:(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:\([а-я\s]+\)\s+)?)?"
    r"(?P<kind>рабоч\w*|календарн\w*)?\s*(?P<unit>дн\w*|день|недел\w*|месяц\w*)\b"
    r"(?:\s*(?P<anchor>.*))?$"
)
_SIGNING_ANCHOR_RE = re.compile(
    r"^(?:(?:со?|после|от)\s+(?:дня|даты|момента)?\s*)?подписани\w*(?:\s+(?:настоящего|данного))?"
    r"(?:\s+протокола)?$|^(?:со?|после|от)\s+(?:дня|даты)\s+(?:проведения\s+)?(?:совещания|заседания)$"
)
# "до открытия лагерной смены", "в период проведения ВПР", "после публикации результатов"
_EVENT_RE = re.compile(
    r"^(?:до|после|по\s+окончании|по\s+завершении|по\s+итогам|по\s+результатам|в\s+период|во\s+время|"
    r"в\s+ходе|в\s+дни|к\s+началу|к\s+моменту|с\s+момента|по\s+мере|накануне|перед|в\s+течение|"
    r"в\s+сроки|в\s+соответствии|согласно)\b"
)


@dataclass(frozen=True)
class Term:
    """A period counted from the signing of the protocol: "в течение 10 рабочих дней со дня подписания"."""

    amount: int
    unit: str  # WORKING_DAYS | DAYS | WEEKS | MONTHS


WORKING_DAYS, DAYS, WEEKS, MONTHS_UNIT = "working_days", "days", "weeks", "months"


@dataclass(frozen=True)
class Deadline:
    """A deadline as understood from the minutes."""

    text: str  # as written, "Срок:" label removed, whitespace normalised
    due_dates: tuple[date, ...]  # checkpoints, ascending, unique; the end of a standing duty is one too
    standing: bool = False  # "постоянно", "ежемесячно": never overdue by itself, reported periodically
    recurrence: str = ""  # "" | WEEKLY | MONTHLY | QUARTERLY | YEARLY
    recurrence_day: int | None = None  # "ежемесячно до 5 числа" -> 5; weekly: 0 (Monday) … 6
    until: date | None = None  # end of a standing/recurring obligation
    readable: bool = True  # False: the user must set the date by hand
    warnings: tuple[str, ...] = ()  # messages for the user, in Russian (each a ``Notice`` with its kind)
    after_signing: Term | None = None  # the due date is counted from the signing of the protocol
    proposed: date | None = None  # a date written without a year: the next such date, for the user to confirm

    @property
    def tracked(self) -> bool:
        """True when the deadline produces something to watch: a date, a standing or recurring duty."""
        return (
            bool(self.due_dates) or self.standing or bool(self.recurrence) or self.after_signing is not None
        )


# --------------------------------------------------------------------------------------------------
# Interpretation
# --------------------------------------------------------------------------------------------------


_T = TypeVar("_T")


class _UnreadableError(Exception):
    """The text cannot be turned into a deadline without guessing."""


def _require(condition: object) -> None:
    if not condition:
        raise _UnreadableError


def _single(values: Iterable[_T]) -> _T | None:
    """The only distinct value, None when there is none; several different values are unreadable."""
    distinct = list(dict.fromkeys(values))
    _require(len(distinct) <= 1)
    return distinct[0] if distinct else None


def _today() -> date:
    return date.today()


def _one_year_from(start: date) -> date:
    """The last day of the year that starts on ``start``."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


def _next_on_or_after(month: int, day: int | None, reference: date) -> date:
    candidate = _clamped(reference.year, month, day)
    return candidate if candidate >= reference else _clamped(reference.year + 1, month, day)


def _span_end(span: _Span, meeting_date: date | None) -> date | None:
    if meeting_date is None:
        return None
    if span is _Span.YEAR:
        return _one_year_from(meeting_date)
    if span is _Span.SCHOOL_YEAR:
        return _next_on_or_after(*_SCHOOL_YEAR_END, meeting_date)
    return None


def _check_open_spans(tail: list[_Item]) -> None:
    """ "в течение" must be followed by the period it is about."""
    for index, item in enumerate(tail):
        if item.kind is _Kind.STANDING and item.span is _Span.OPEN:
            _require(index + 1 < len(tail) and tail[index + 1].kind is _Kind.DATE)


def _yearly_first_due(month_day: _Item, head_dates: list[date], meeting_date: date | None) -> date:
    """The first yearly report: on/after the meeting and after the first-phase checkpoints.

    Without any reference date it is the date in the current year.
    """
    month = month_day.month or 12
    day = 1 if month_day.first_of_month else month_day.day
    references = [meeting_date] if meeting_date else []
    if head_dates:
        references.append(max(head_dates) + timedelta(days=1))
    if not references:
        return _clamped(_today().year, month, day)
    return _next_on_or_after(month, day, max(references))


def _warnings(text: str, items: list[_Item], meeting_date: date | None) -> tuple[str, ...]:
    messages: list[str] = []
    if meeting_date is not None:
        written = sorted({item.when for item in items if item.kind is _Kind.DATE and item.when is not None})
        messages.extend(
            Notice(
                _BEFORE_MEETING_MESSAGE.format(due=_format(due), meeting=_format(meeting_date)),
                kind=Kind.DATE_BEFORE_MEETING,
            )
            for due in written
            if due < meeting_date
        )
    reference_year = (meeting_date or _today()).year
    years = sorted({year for item in items for year in item.years})
    messages.extend(
        Notice(_YEAR_SLIP_MESSAGE.format(year=year, text=text), kind=Kind.YEAR_SLIP)
        for year in years
        if year < _MIN_PLAUSIBLE_YEAR or year > reference_year + _MAX_YEARS_AHEAD
    )
    return tuple(messages)


def _interpret(text: str, items: list[_Item], meeting_date: date | None) -> Deadline:
    _require(items)
    _require(all(item.kind is not _Kind.INVALID for item in items))

    switch = next(
        (i for i, item in enumerate(items) if item.kind in {_Kind.STANDING, _Kind.RECURRENCE}),
        len(items),
    )
    head, tail = items[:switch], items[switch:]
    _require(all(item.kind in {_Kind.DATE, _Kind.START} for item in head))
    due = [item.when for item in head if item.kind is _Kind.DATE and item.when is not None]

    recurrence = _single(item.recurrence for item in tail if item.kind is _Kind.RECURRENCE) or ""
    standing = any(item.kind is _Kind.STANDING for item in tail) or bool(recurrence)
    has_start = any(item.kind is _Kind.START for item in items)
    _require(standing or (due and not has_start))

    _check_open_spans(tail)
    until = _single(
        [item.when for item in tail if item.kind is _Kind.DATE and item.when is not None]
        + [
            end
            for item in tail
            if item.kind is _Kind.STANDING and (end := _span_end(item.span, meeting_date))
        ]
    )

    day = _single(item.day for item in tail if item.kind is _Kind.DAY)
    weekday = _single(item.day for item in tail if item.kind is _Kind.WEEKDAY)
    month_day = _single(item for item in tail if item.kind is _Kind.MONTH_DAY)
    next_month = any(item.kind is _Kind.NEXT_MONTH for item in tail)
    _require(day is None or (recurrence and recurrence != WEEKLY))
    _require(weekday is None or recurrence == WEEKLY)
    _require(not next_month or day is not None)
    _require(month_day is None or (recurrence == YEARLY and day is None))
    if recurrence == YEARLY and day is not None:
        _require(next_month)  # "ежегодно до 15 числа" alone does not say which month
        month_day = _Item(_Kind.MONTH_DAY, day=day, month=1)

    if recurrence == YEARLY and month_day is not None:
        due.append(_yearly_first_due(month_day, due, meeting_date))
        day = month_day.day
    if recurrence == WEEKLY:
        day = weekday
    if until is not None:
        due.append(until)

    return Deadline(
        text=text,
        due_dates=tuple(sorted(set(due))),
        standing=standing,
        recurrence=recurrence,
        recurrence_day=day,
        until=until,
        warnings=_warnings(text, items, meeting_date),
    )


def _format(value: date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _term(text: str) -> Deadline | None:
    """ "в течение 10 рабочих дней со дня подписания протокола": counted from the signing, or from an event."""
    key = _search_key(text).rstrip(" .;")
    match = _TERM_RE.match(key)
    if not match:
        return None
    raw = match["n"]
    amount = 1 if raw is None else int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    unit = match["unit"]
    if unit.startswith("недел"):
        unit, amount = DAYS, amount * 7
    elif unit.startswith("месяц"):
        unit = MONTHS_UNIT
    else:
        unit = WORKING_DAYS if (match["kind"] or "").startswith("рабоч") else DAYS
    anchor = " ".join((match["anchor"] or "").split())
    if not anchor or _SIGNING_ANCHOR_RE.match(anchor):
        return Deadline(
            text=text, due_dates=(), after_signing=Term(amount=amount, unit=unit),
            warnings=(Notice(_AFTER_SIGNING_MESSAGE.format(text=text), kind=Kind.RELATIVE),),
        )  # fmt: skip
    return _event(text)


def _event(text: str) -> Deadline:
    return Deadline(
        text=text, due_dates=(), readable=False,
        warnings=(Notice(_EVENT_MESSAGE.format(text=text), kind=Kind.RELATIVE),),
    )  # fmt: skip


def _without_year(text: str, items: list[_Item], meeting_date: date | None) -> Deadline | None:
    """ "до 1 сентября": never guessed, but the next such date after the meeting is proposed."""
    if not items or any(item.kind is not _Kind.MONTH_DAY for item in items) or len(items) > 1:
        return None
    item = items[0]
    day = 1 if item.first_of_month else item.day
    proposed = _next_on_or_after(item.month or 12, day, meeting_date or _today())
    message = _NO_YEAR_MESSAGE.format(text=text, proposed=_format(proposed))
    return Deadline(
        text=text, due_dates=(), readable=False, proposed=proposed,
        warnings=(Notice(message, kind=Kind.NO_YEAR),),
    )  # fmt: skip


def parse_deadline(text: str | None, *, meeting_date: date | None = None) -> Deadline:
    """Understand a deadline as written in minutes; see the module docstring for the approach."""
    clean = _clean_text(text)
    if clean in _EMPTY_MARKERS:
        return Deadline(text="", due_dates=())
    if term := _term(clean):
        return term
    items, only_filler = _scan(_search_key(clean))
    try:
        _require(only_filler)
        return _interpret(clean, items, meeting_date)
    except _UnreadableError:
        pass
    if only_filler and (yearless := _without_year(clean, items, meeting_date)):
        return yearless
    if _EVENT_RE.match(_search_key(clean)) and not re.search(r"\d", clean):
        return _event(clean)
    return Deadline(
        text=clean,
        due_dates=(),
        readable=False,
        warnings=(Notice(_UNREADABLE_MESSAGE.format(text=clean), kind=Kind.UNREADABLE),),
    )

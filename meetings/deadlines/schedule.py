"""Dates that follow from a deadline: periodic report dates, and due dates counted from the signing."""

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

from .interpretation import DAYS, MONTHS_UNIT, WORKING_DAYS, Deadline
from .rules import MONTHLY, QUARTERLY, WEEKLY, YEARLY, _clamped, _month_end
from .working_days import add_working_days

# --------------------------------------------------------------------------------------------------
# Report dates
# --------------------------------------------------------------------------------------------------


def _months(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _series_anchor(deadline: Deadline) -> date | None:
    """The last first-phase checkpoint: periodic reports start after it ("..., далее ежегодно")."""
    checkpoints = [due for due in deadline.due_dates if due != deadline.until]
    return max(checkpoints) if checkpoints else None


def _periodic_dates(deadline: Deadline, anchor: date | None, start: date, end: date) -> Iterator[date]:
    day = deadline.recurrence_day
    if deadline.recurrence == WEEKLY:
        current = start + timedelta(days=((day if day is not None else 4) - start.weekday()) % 7)
        while current <= end:
            yield current
            current += timedelta(days=7)
        return
    for year, month in _months(start, end):
        if deadline.recurrence == MONTHLY:
            yield _clamped(year, month, day)
        elif deadline.recurrence == QUARTERLY and day is not None:
            if month % 3 == 1:  # the month after a quarter
                yield _clamped(year, month, day)
        elif deadline.recurrence == YEARLY:
            yearly_month = anchor.month if anchor else 12
            yearly_day = day
            if yearly_day is None and anchor and anchor != _month_end(anchor.year, anchor.month):
                yearly_day = anchor.day
            if month == yearly_month:
                yield _clamped(year, month, yearly_day)
        elif month % 3 == 0:  # quarterly without a day, and standing obligations
            yield _month_end(year, month)


def report_dates(deadline: Deadline, *, start: date, horizon: date) -> list[date]:
    """Periodic report dates in [start, horizon] for standing/recurring obligations.

    Monthly: every month on ``recurrence_day`` (default: the last day).  Quarterly: on
    ``recurrence_day`` of the month after each quarter, otherwise on the last day of each quarter.
    Yearly: the anniversary of the last first-phase checkpoint, or 31 December.  Standing without
    recurrence: the last day of each quarter.  Periodic dates start after the first-phase checkpoints
    ("до 01.09.2021, далее ежеквартально").  Due dates inside the window are always included; nothing
    after ``until`` is returned.  For a plain dated deadline this is its due dates within the window.
    """
    end = horizon if deadline.until is None else min(horizon, deadline.until)
    if start > end:
        return []
    dates = {due for due in deadline.due_dates if start <= due <= end}
    if deadline.recurrence or deadline.standing:
        anchor = _series_anchor(deadline)
        dates.update(
            report
            for report in _periodic_dates(deadline, anchor, start, end)
            if start <= report <= end and (anchor is None or report > anchor)
        )
    return sorted(dates)


def due_after_signing(deadline: Deadline, signed_on: date) -> date | None:
    """The due date of a term counted from the signing ("в течение 10 рабочих дней со дня подписания").

    As the Civil Code counts terms, the period starts on the day after the signing; working days follow
    the Russian production calendar (holidays and the transferred days off and working Saturdays).
    """
    term = deadline.after_signing
    if term is None:
        return None
    if term.unit == WORKING_DAYS:
        return add_working_days(signed_on, term.amount)
    if term.unit == DAYS:
        return signed_on + timedelta(days=term.amount)
    if term.unit == MONTHS_UNIT:
        month_index = signed_on.month - 1 + term.amount
        year, month = signed_on.year + month_index // 12, month_index % 12 + 1
        return date(year, month, min(signed_on.day, calendar.monthrange(year, month)[1]))
    raise ValueError(term.unit)

"""The Russian production calendar: which days are working days.

Public holidays, the days off transferred by the government's yearly decrees and the Saturdays made
working days come from the ``holidays`` package (its Russian calendar follows each decree; a new year's
transfers arrive with a new release of the package).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def is_working_day(day: date) -> bool:
    """A weekday that is not a holiday or a transferred day off, or a Saturday made a working day."""
    return _calendar(day.year).is_working_day(day)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
    if count < 1:
        raise ValueError(count)
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day

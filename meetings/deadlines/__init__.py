"""Parsing of free-text deadlines ("сроки исполнения") written in meeting minutes, and their dates.

Official documents spell deadlines in many ways: "до 15.03.2021", "в марте-мае 2021 года",
"II полугодие 2021 года", "постоянно до 2025 года", "ежеквартально до 10 числа месяца, следующего
за отчётным", "декабрь 2021 года; далее – ежегодно", "в течение 10 рабочих дней со дня подписания
протокола" and so on.

* ``rules`` — normalisation and the named patterns of a deadline's fragments (scanning);
* ``interpretation`` — from the fragments to a ``Deadline``: checkpoints, standing and recurring duties,
  terms counted from the signing, dates without a year (proposed, never assumed), warnings;
* ``schedule`` — periodic report dates and the due date of a term once the protocol is signed;
* ``working_days`` — the Russian production calendar.
"""

from .interpretation import Deadline, Term, parse_deadline
from .rules import MONTHLY, MONTHS, QUARTERLY, WEEKLY, YEARLY
from .schedule import due_after_signing, report_dates
from .working_days import add_working_days, is_working_day

__all__ = [
    "MONTHLY",
    "MONTHS",
    "QUARTERLY",
    "WEEKLY",
    "YEARLY",
    "Deadline",
    "Term",
    "add_working_days",
    "due_after_signing",
    "is_working_day",
    "parse_deadline",
    "report_dates",
]

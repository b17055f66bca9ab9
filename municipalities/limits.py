"""Bounds on what people type, checked by the services (whoever calls them: page, API, command).

A refused value gets a Russian message naming the field; nothing is saved."""

from datetime import date

from django.core.exceptions import ValidationError

EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)

# characters; generous for real documents, small enough that a page or a PDF renders in time
REPORT_TEXT = 20_000
DECISION_TEXT = 10_000
COMMENT = 5_000
TITLE = 1_000
PROTOCOL_TEXT = 500_000
INTEGER_MAX = 2**31 - 1  # PostgreSQL integer


def dmy(value: date) -> str:
    """dd.mm.yyyy for any year (strftime drops the zeros of years before 1000)."""
    return f"{value.day:02}.{value.month:02}.{value.year:04}"


def date_problem(value: date | None, label: str) -> str | None:
    if value is None or EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return (
        f"{label}: дата {dmy(value)} вне допустимого диапазона — укажите дату "
        f"с {dmy(EARLIEST_DATE)} по {dmy(LATEST_DATE)}."
    )


def check_date(value: date | None, label: str, field: str | None = None) -> None:
    """Refuse a date outside the years the portal works with (01.01.0001 and 31.12.9999 are typos)."""
    if problem := date_problem(value, label):
        raise ValidationError({field: problem} if field else problem)


def text_problem(value: str | None, label: str, limit: int) -> str | None:
    if value is None or len(value) <= limit:
        return None
    return f"{label}: текст слишком длинный ({grouped(len(value))} знаков), допускается не более {grouped(limit)}."


def grouped(number: int) -> str:
    """20 000, as Russian texts group thousands."""
    return f"{number:,}".replace(",", " ")


def check_text(value: str | None, label: str, limit: int, field: str | None = None) -> None:
    if problem := text_problem(value, label, limit):
        raise ValidationError({field: problem} if field else problem)


def sane_date_validator(label: str):
    """The same window as a form field validator, so pages name the field before the service is called."""

    def validate(value: date) -> None:
        check_date(value, label)

    return validate

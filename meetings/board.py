"""Reads of the control board: whitelisted sort keys, days overdue, rows for XLSX and print."""

from datetime import date

from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce

from meetings.models import Obligation, ObligationStatus

# key → (label, ordering); every ordering ends with pk, so equal rows keep one order from page to page
SORTS: dict[str, tuple[str, list]] = {
    "due": ("Срок", [F("due_date").asc(nulls_last=True)]),
    "-due": ("Срок", [F("due_date").desc(nulls_last=True)]),
    "unit": ("Исполнитель", [Coalesce("school__name", "municipality__name", "organization__name").asc()]),
    "-unit": ("Исполнитель", [Coalesce("school__name", "municipality__name", "organization__name").desc()]),
    "reference": ("Пункт протокола", [F("decision__item__meeting__date").asc(), "decision__item__number",
                                      "decision__number"]),
    "-reference": ("Пункт протокола", [F("decision__item__meeting__date").desc(), "-decision__item__number",
                                       "-decision__number"]),
    "status": ("Статус", ["status"]),
    "-status": ("Статус", ["-status"]),
    # the most overdue first: overdue rows by the oldest due date
    "-overdue": ("Дней просрочки", [F("is_overdue").desc(), F("due_date").asc(nulls_last=True)]),
    "overdue": ("Дней просрочки", [F("is_overdue").asc(), F("due_date").desc(nulls_last=True)]),
}  # fmt: skip
COLUMNS = [("due", "Срок"), ("unit", "Исполнитель"), ("reference", "Пункт протокола"), ("status", "Состояние"),
           ("overdue", "Дней просрочки")]  # fmt: skip


def ordered(queryset, sort: str, today: date):
    """The board's order: a whitelisted key, or overdue first, then awaiting review, then by due date."""
    queryset = queryset.with_state(today)
    if sort in SORTS:
        return queryset.order_by(*SORTS[sort][1], "pk")
    rank = Case(
        When(status=ObligationStatus.ACCEPTED, then=Value(3)),
        When(is_overdue=True, then=Value(0)),
        When(status=ObligationStatus.REPORTED, then=Value(1)),
        default=Value(2),
    )
    return queryset.annotate(rank=rank).order_by("rank", F("due_date").asc(nulls_last=True), "pk")


def headers(sort: str, query: str) -> list[dict]:
    """Column headers that sort on click: the same column again reverses the order."""
    result = []
    for key, label in COLUMNS:
        default_first = "-overdue" if key == "overdue" else key
        active = sort in {key, f"-{key}"}
        next_key = (key if sort == f"-{key}" else f"-{key}") if active else default_first
        arrow = ("↓" if sort.startswith("-") else "↑") if active else ""
        result.append({"key": key, "label": label, "query": f"{query}&sort={next_key}".lstrip("&"),
                       "arrow": arrow, "active": active})  # fmt: skip
    return result


def days_overdue(obligation: Obligation, today: date) -> int | None:
    if obligation.is_open and obligation.due_date and obligation.due_date < today:
        return (today - obligation.due_date).days
    return None


def mark_days_overdue(obligations, today: date) -> None:
    for obligation in obligations:
        obligation.days_overdue = days_overdue(obligation, today)


EXPORT_HEADER = ["Срок", "Первоначальный срок", "Исполнитель", "Решение", "Пункт протокола", "Статус",
                 "Дней просрочки"]  # fmt: skip


UNITS_WITH_REGION = ["municipality__region", "school__region", "organization__region"]


def export_rows(queryset, today: date, *, with_region: bool = False):
    """The board's rows for XLSX; ``with_region`` (the federal observer) puts each row's region first."""
    rows = queryset.select_related("decision__item__meeting", "municipality", "school", "organization")
    if with_region:
        rows = rows.select_related(*UNITS_WITH_REGION)
    for o in rows.iterator(chunk_size=500):
        yield [
            *([o.region.name] if with_region else []),
            o.due_date.strftime("%d.%m.%Y") if o.due_date else "—",
            o.original_due_date.strftime("%d.%m.%Y") if o.original_due_date else "",
            o.unit_name, o.decision.text, o.reference, o.get_status_display(), days_overdue(o, today) or "",
        ]  # fmt: skip

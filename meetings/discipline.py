"""The execution-discipline report: per municipality (and regional organisation), how decisions were carried out."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from meetings.models import Obligation, ObligationStatus
from municipalities.models import Municipality, Organization


@dataclass
class DisciplineRow:
    name: str
    total: int
    on_time: int
    late: int
    overdue: int
    open: int
    url: str = ""

    @property
    def percent_on_time(self) -> float | None:
        """Share of decided outcomes (done on time, done late, overdue) that were on time."""
        known = self.on_time + self.late + self.overdue
        return round(100 * self.on_time / known, 1) if known else None


def _counts(today: date) -> dict:
    accepted = Q(status=ObligationStatus.ACCEPTED)
    return {
        "total": Count("pk"),
        "on_time": Count("pk", filter=accepted & Q(closed_late=False)),
        "late": Count("pk", filter=accepted & Q(closed_late=True)),
        "overdue": Count("pk", filter=Obligation.objects.overdue_q(today)),
        "open": Count("pk", filter=~accepted),
    }


def discipline_rows(obligations, *, today: date) -> list[DisciplineRow]:
    """Rows for each municipality (its authority and its schools together), then each regional organisation."""
    by_municipality = (
        obligations.annotate(mun=Coalesce(F("municipality_id"), F("school__municipality_id")))
        .filter(mun__isnull=False)
        .values("mun")
        .annotate(**_counts(today))
    )
    stats = {row["mun"]: row for row in by_municipality}
    rows = []
    for municipality in Municipality.objects.filter(pk__in=stats).order_by("name"):
        s = stats[municipality.pk]
        rows.append(DisciplineRow(municipality.name, s["total"], s["on_time"], s["late"], s["overdue"], s["open"],
                                  url=f"?municipality={municipality.pk}"))  # fmt: skip
    by_org = obligations.filter(organization__isnull=False).values("organization").annotate(**_counts(today))
    org_stats = {row["organization"]: row for row in by_org}
    for org in Organization.objects.filter(pk__in=org_stats).order_by("name"):
        s = org_stats[org.pk]
        rows.append(DisciplineRow(org.short_name, s["total"], s["on_time"], s["late"], s["overdue"], s["open"],
                                  url=f"?organization={org.pk}"))  # fmt: skip
    return rows


def discipline_total(rows: list[DisciplineRow]) -> DisciplineRow:
    return DisciplineRow(
        "Итого",
        sum(r.total for r in rows),
        sum(r.on_time for r in rows),
        sum(r.late for r in rows),
        sum(r.overdue for r in rows),
        sum(r.open for r in rows),
    )

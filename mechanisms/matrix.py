"""The completeness matrix: municipality × direction, accepted of required documents for a year."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from mechanisms.models import Direction, DocumentStatus, MechanismDocument, monitored_municipalities

STATE_LABELS = {
    "complete": "все документы приняты",
    "returned": "есть возвращённые",
    "submitted": "есть документы на проверке",
    "partial": "приняты не все",
    "empty": "документов нет",
}


@dataclass
class Cell:
    required: int = 0
    accepted: int = 0
    submitted: int = 0
    returned: int = 0
    direction_id: int | None = None

    @property
    def state(self) -> str:
        if self.required and self.accepted >= self.required:
            return "complete"
        if self.returned:
            return "returned"
        if self.submitted:
            return "submitted"
        return "partial" if self.accepted else "empty"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def percent(self) -> int:
        return round(100 * self.accepted / self.required) if self.required else 0

    def add(self, other: "Cell") -> None:
        self.required += other.required
        self.accepted += other.accepted
        self.submitted += other.submitted
        self.returned += other.returned


@dataclass
class Row:
    municipality: object
    cells: list[Cell]
    total: Cell = field(default_factory=Cell)


def years_of(user) -> list[int]:
    """The years with documents in the user's scope, and the current one."""
    years = set(MechanismDocument.objects.for_user(user).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def chosen_year(user, raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if year in years_of(user) else timezone.localdate().year


def directions_for(user):
    return (
        Direction.objects.for_user(user).active()
        .annotate(required=Count("documents", filter=Q(documents__is_active=True)))
        .select_related("region")
        .order_by("region_id", "number", "name")  # an aggregate drops Meta.ordering
    )  # fmt: skip


def build_matrix(user, year: int) -> tuple[list[Direction], list[Row], Row]:
    directions = list(directions_for(user))
    municipalities = list(monitored_municipalities(user).order_by("name"))
    counts: dict[tuple[int, int], Cell] = {}
    found = (
        MechanismDocument.objects.for_user(user)
        .filter(year=year, required__is_active=True, required__direction__is_active=True)
        .values("municipality_id", "required__direction_id", "status").annotate(n=Count("pk"))
    )  # fmt: skip
    for entry in found:
        cell = counts.setdefault((entry["municipality_id"], entry["required__direction_id"]), Cell())
        if entry["status"] == DocumentStatus.ACCEPTED:
            cell.accepted += entry["n"]
        elif entry["status"] == DocumentStatus.SUBMITTED:
            cell.submitted += entry["n"]
        elif entry["status"] == DocumentStatus.RETURNED:
            cell.returned += entry["n"]
    rows = []
    totals = Row(None, [Cell() for _ in directions])
    for municipality in municipalities:
        cells = []
        for index, direction in enumerate(directions):
            if direction.region_id != municipality.region_id:
                cells.append(Cell())
                continue
            found_cell = counts.get((municipality.pk, direction.pk), Cell())
            cell = Cell(direction.required, found_cell.accepted, found_cell.submitted, found_cell.returned,
                        direction.pk)  # fmt: skip
            cells.append(cell)
            totals.cells[index].add(cell)
        row = Row(municipality, cells)
        for cell in cells:
            row.total.add(cell)
        totals.total.add(row.total)
        rows.append(row)
    return directions, rows, totals

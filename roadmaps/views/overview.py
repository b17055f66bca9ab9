"""Region and municipality views of roadmaps: lists, who has submitted, indicator attainment."""

from collections import OrderedDict
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.xlsx import xlsx_response
from meetings.models import Decision, Obligation
from municipalities.region_filter import region_filter
from roadmaps.analytics import (
    IndicatorRow,
    PeriodSummary,
    actuals_by_period,
    indicator_rows,
    latest_reported,
    period_summaries,
)
from roadmaps.models import Roadmap, RoadmapStatus, Topic

NOT_STARTED = "не начата"


def roadmap_requests(user):
    """Decisions asking for roadmaps that the user sees, with how far their addressees are."""
    # counts only what the user may see, and only the units that answer with a roadmap
    seen = Q(obligations__in=Obligation.objects.for_user(user), obligations__organization__isnull=True)
    return (
        Decision.objects.for_user(user)
        .filter(requires_roadmap=True, tracked=True, item__meeting__status="signed")
        .select_related("item__meeting")
        .annotate(
            units=Count("obligations", filter=seen, distinct=True),
            approved=Count("obligations", filter=seen & Q(obligations__roadmap__status=RoadmapStatus.APPROVED),
                           distinct=True),
            pending=Count("obligations", distinct=True, filter=seen & Q(
                obligations__roadmap__status__in=[RoadmapStatus.SUBMITTED, RoadmapStatus.UNDER_REVIEW])),
            returned=Count("obligations", filter=seen & Q(obligations__roadmap__status=RoadmapStatus.RETURNED),
                           distinct=True),
        )
        .order_by("-item__meeting__date", "item__number", "order")
    )  # fmt: skip


@login_required
@require_safe
def roadmap_list(request):
    user = request.user
    roadmaps = Roadmap.objects.for_user(user).select_related("municipality", "school", "obligation")
    topic, status = request.GET.get("topic", ""), request.GET.get("status", "")
    if topic in Topic.values:
        roadmaps = roadmaps.filter(topic=topic)
    if status in RoadmapStatus.values:
        roadmaps = roadmaps.filter(status=status)
    regions = region_filter(request)
    if regions["region"]:
        roadmaps = roadmaps.filter(
            Q(municipality__region=regions["region"]) | Q(school__region=regions["region"])
        )
    if user.sees_every_region:
        roadmaps = roadmaps.select_related("municipality__region", "school__region")
    mine: list[Obligation] = []  # roadmaps this user's own unit still has to submit
    if user.role in ("municipality", "school"):
        waiting = (
            Obligation.objects.for_user(user).open()
            .filter(decision__requires_roadmap=True, roadmap__isnull=True, decision__item__meeting__status="signed")
            .select_related("decision__item__meeting", "municipality", "school")
        )  # fmt: skip
        mine = [o for o in waiting if o.user_is_responsible(user)]
    pending = Roadmap.objects.for_user(user).filter(
        status__in=[RoadmapStatus.SUBMITTED, RoadmapStatus.UNDER_REVIEW]
    )
    pending = pending.select_related("obligation__decision__item__meeting", "municipality", "school")
    context = {
        "roadmaps": roadmaps, "requests": roadmap_requests(user), "waiting": mine,
        "topics": Topic.choices, "statuses": RoadmapStatus.choices, "topic": topic, "status": status,
        "can_create": not user.is_read_only and user.role in ("municipality", "school"),
        "review": [r for r in pending if r.user_is_reviewer(user)], "today": timezone.localdate(), **regions,
    }  # fmt: skip
    return render(request, "roadmaps/roadmap_list.html", context)


@dataclass
class UnitRow:
    obligation: Obligation
    roadmap: Roadmap | None
    summaries: list[PeriodSummary]
    indicators: list[IndicatorRow]
    overdue: bool

    @property
    def status_label(self) -> str:
        return self.roadmap.get_status_display() if self.roadmap else NOT_STARTED

    @property
    def status(self) -> str:
        return self.roadmap.status if self.roadmap else ""

    @property
    def versions(self) -> int | None:
        return len(self.roadmap.versions.all()) if self.roadmap else None

    @property
    def latest(self) -> PeriodSummary | None:
        return latest_reported(self.summaries)

    def summary_for(self, period: str) -> PeriodSummary | None:
        return next((s for s in self.summaries if s.period == period), None)


def _unit_rows(decision: Decision, user, today) -> list[UnitRow]:
    obligations = (
        Obligation.objects.for_user(user).filter(decision=decision, organization__isnull=True)
        .select_related("municipality", "school", "roadmap")
        .prefetch_related("roadmap__progress", "roadmap__versions")
        .order_by("municipality__code", "school__code")
    )  # fmt: skip
    rows = []
    for obligation in obligations:
        roadmap = getattr(obligation, "roadmap", None)
        actuals = actuals_by_period(roadmap) if roadmap else {}
        content = roadmap.content if roadmap else {}
        overdue = obligation.due_date is not None and obligation.due_date < today and (
            roadmap is None or roadmap.status in (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED))  # fmt: skip
        rows.append(UnitRow(obligation, roadmap, period_summaries(content, actuals),
                            indicator_rows(content, actuals), overdue))  # fmt: skip
    return rows


def _indicator_matrix(rows: list[UnitRow], periods: list[str]) -> list[dict]:
    """Indicators by name across units: for each, the target and actual of every unit per period."""
    by_name: OrderedDict[str, dict] = OrderedDict()
    for row in rows:
        if not row.roadmap:
            continue
        for indicator in row.indicators:
            key = " ".join(indicator.name.lower().split())
            entry = by_name.setdefault(key, {"name": indicator.name, "unit": indicator.unit, "units": []})
            cells = dict(zip(row.roadmap.periods, indicator.cells, strict=False))
            entry["units"].append({
                "name": row.obligation.unit_name, "roadmap": row.roadmap, "baseline": indicator.baseline,
                "cells": [(cells.get(p), indicator.attained(cells[p]) if p in cells else None) for p in periods],
            })  # fmt: skip
    return list(by_name.values())


@login_required
@require_safe
def roadmap_request(request, pk: int):
    """One page for a decision asking for roadmaps: who has submitted, approved, reported, attained."""
    decision = get_object_or_404(
        Decision.objects.for_user(request.user).filter(requires_roadmap=True).select_related("item__meeting"),
        pk=pk,
    )
    today = timezone.localdate()
    rows = _unit_rows(decision, request.user, today)
    periods: list[str] = []
    for row in rows:
        for period in row.roadmap.periods if row.roadmap else []:
            if period not in periods:
                periods.append(period)
    if request.GET.get("format") == "xlsx":
        header = ["Исполнитель", "Срок", "Состояние", "Версия", "Представлена", "Утверждена", "Просрочено",
                  *[f"Достигнуто: {p}" for p in periods]]  # fmt: skip
        data = [
            [row.obligation.unit_name, row.obligation.due_date, row.status_label,
             row.versions,
             timezone.localtime(row.roadmap.submitted_at).strftime("%d.%m.%Y") if row.roadmap and row.roadmap.submitted_at else "",
             timezone.localtime(row.roadmap.approved_at).strftime("%d.%m.%Y") if row.roadmap and row.roadmap.approved_at else "",
             "да" if row.overdue else "",
             *[(f"{s.attained} из {s.measured}" if (s := row.summary_for(p)) and s.measured else "") for p in periods]]
            for row in rows
        ]  # fmt: skip
        return xlsx_response(f"roadmaps-{decision.pk}.xlsx", "Дорожные карты", header, data)
    counts = {
        "total": len(rows),
        "not_started": sum(1 for r in rows if r.roadmap is None or r.status == RoadmapStatus.DRAFT),
        "pending": sum(1 for r in rows if r.status in (RoadmapStatus.SUBMITTED, RoadmapStatus.UNDER_REVIEW)),
        "returned": sum(1 for r in rows if r.status == RoadmapStatus.RETURNED),
        "approved": sum(1 for r in rows if r.status == RoadmapStatus.APPROVED),
        "overdue": sum(1 for r in rows if r.overdue),
    }
    context = {
        "decision": decision, "meeting": decision.item.meeting, "rows": rows, "periods": periods,
        "counts": counts, "matrix": _indicator_matrix(rows, periods), "today": today,
    }  # fmt: skip
    return render(request, "roadmaps/roadmap_request.html", context)

"""Reminder candidates of the meetings app: every open obligation with a due date.

Read as plain values in a few set-based queries: the daily scan covers 100 000 open obligations and more.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse

from meetings.models import Decision, Obligation
from meetings.models.meetings import decision_reference
from municipalities.models import Municipality, Organization, Role, School, User
from notifications.models import ReminderPolicy
from notifications.reminders import Candidate


def _people() -> tuple[dict[tuple[str, int], list[User]], dict[int, User]]:
    """Who answers for each unit: heads of municipalities, directors of schools, staff of organisations."""
    units: dict[tuple[str, int], list[User]] = defaultdict(list)
    by_id: dict[int, User] = {}
    for user in User.objects.filter(is_active=True).exclude(role__in=[Role.OBSERVER, Role.FEDERAL]):
        by_id[user.pk] = user
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            units[("municipality", user.municipality_id)].append(user)
        elif user.role == Role.SCHOOL and user.school_id:
            units[("school", user.school_id)].append(user)
        elif user.organization_id:
            units[("organization", user.organization_id)].append(user)
    return units, by_id


def obligation_candidates(today: date):
    """Every open obligation of a signed protocol due within the policy's horizon, in due-date order.

    Set-based: one narrow range scan of open obligations (the ``obligation_status_due`` index), then the
    few thousand decisions and units they point at, each read once by primary key and joined here. Nothing
    depends on the planner guessing a six-table join right, and a decision's text crosses the wire once,
    not once per addressee.
    """
    horizon = today + timedelta(days=ReminderPolicy.horizon_days())
    rows = list(
        Obligation.objects.open()
        .filter(due_date__isnull=False, due_date__lte=horizon)
        .order_by("due_date", "pk")
        .values_list("pk", "due_date", "decision_id", "municipality_id", "school_id", "organization_id")
    )
    if not rows:
        return
    people, by_id = _people()
    titles, controllers, organizers, regions = _decisions({row[2] for row in rows}, by_id)
    committees: dict[int, list[User]] = defaultdict(list)
    for user in by_id.values():
        if user.role == Role.COMMITTEE:
            committees[user.region_id].append(user)
    units = _units(rows, people)
    prefix = reverse("meetings:obligation_list")
    for pk, due, decision, mun, school, org in rows:
        if decision not in titles:
            continue  # a draft's obligations are not under control yet
        unit = ("municipality", mun) if mun else ("school", school) if school else ("organization", org)
        recipients, superiors, unit_name = units[unit]
        yield Candidate(
            target_model=Obligation,
            target_id=pk,
            due_date=due,
            title=titles[decision],
            unit_name=unit_name,
            url=f"{prefix}{pk}/",
            recipients=recipients,
            # nobody controls their own work: a head's own authority's obligation escalates to the committee
            controllers=committees[regions[decision]]
            if mun and mun == organizers[decision]
            else controllers[decision],
            superiors=superiors,
            region_id=regions[decision],
        )


def _decisions(
    ids: set[int], by_id: dict[int, User]
) -> tuple[dict[int, str], dict[int, list[User]], dict[int, int | None], dict[int, int]]:
    """Reminder titles, controllers, organising municipalities and regions of the decisions of signed protocols
    among ``ids``."""
    rows = Decision.objects.filter(pk__in=ids, item__meeting__status="signed").values_list(
        "pk", "number", "text", "controller_id", "item__meeting__date", "item__meeting__number",
        "item__meeting__organizer_municipality_id", "item__meeting__organizer_municipality__region_id",
        "item__meeting__organizer_organization__region_id",
    )  # fmt: skip
    titles, controllers, organizers, regions = {}, {}, {}, {}
    for pk, number, text, controller, held, meeting_number, organizer, mun_region, org_region in rows:
        titles[pk] = f"{decision_reference(number, meeting_number, held)}: {text}"
        controllers[pk] = [by_id[controller]] if controller in by_id else []
        organizers[pk] = organizer
        regions[pk] = mun_region or org_region
    return titles, controllers, organizers, regions


def _units(rows: list[tuple], people: dict) -> dict[tuple[str, int], tuple[list[User], list[User], str]]:
    """(recipients, superiors, name) of every unit the obligations are addressed to."""
    found: dict[tuple[str, int], tuple[list[User], list[User], str]] = {}
    municipalities = {row[3] for row in rows if row[3]}
    schools = School.objects.filter(pk__in={row[4] for row in rows if row[4]}).values_list(
        "pk", "short_name", "municipality_id"
    )
    for pk, name, municipality in schools:
        found[("school", pk)] = (people[("school", pk)], people[("municipality", municipality)], name)
    organizations = Organization.objects.filter(pk__in={row[5] for row in rows if row[5]}).values_list(
        "pk", "short_name", "parent_id"
    )
    for pk, name, parent in organizations:
        superiors = people[("organization", parent)] if parent else []
        found[("organization", pk)] = (people[("organization", pk)], superiors, name)
    for pk, authority, name in Municipality.objects.filter(pk__in=municipalities).values_list(
        "pk", "authority_short_name", "name"
    ):
        found[("municipality", pk)] = (people[("municipality", pk)], [], authority or name)
    return found

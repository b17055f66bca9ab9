"""Reminder candidates of the meetings app: every open obligation with a due date."""

from collections import defaultdict
from datetime import date, timedelta

from meetings.models import Obligation
from municipalities.models import Role, User
from portal.models import ReminderPolicy
from portal.reminders import Candidate


def _people() -> dict[tuple[str, int], list[User]]:
    """Who answers for each unit: heads of municipalities, directors of schools, staff of organisations."""
    units: dict[tuple[str, int], list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True).exclude(role=Role.OBSERVER):
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            units[("municipality", user.municipality_id)].append(user)
        elif user.role == Role.SCHOOL and user.school_id:
            units[("school", user.school_id)].append(user)
        elif user.organization_id:
            units[("organization", user.organization_id)].append(user)
    return units


def obligation_candidates(today: date):
    policy = ReminderPolicy.current()
    horizon = today + timedelta(days=max(policy.before_list, default=0))
    obligations = (
        Obligation.objects.open()
        .filter(due_date__isnull=False, due_date__lte=horizon, decision__item__meeting__status="signed")
        .select_related(
            "decision__controller", "decision__item__meeting", "municipality", "school", "organization"
        )
    )
    people = _people()
    for o in obligations:
        if o.municipality_id:
            recipients, superiors = people[("municipality", o.municipality_id)], []
        elif o.school_id:
            recipients = people[("school", o.school_id)]
            superiors = people[("municipality", o.school.municipality_id)]
        else:
            recipients = people[("organization", o.organization_id)]
            superiors = people[("organization", o.organization.parent_id)] if o.organization.parent_id else []
        meeting = o.decision.item.meeting
        yield Candidate(
            target=o,
            due_date=o.due_date,
            title=f"решение {o.decision.number} ({meeting}): {o.decision.text}",
            unit_name=o.unit_name,
            url=o.get_absolute_url(),
            recipients=list(recipients),
            controllers=[o.decision.controller] if o.decision.controller_id else [],
            superiors=list(superiors),
        )

"""Reminder candidates of the meetings app: every open obligation with a due date.

Read as plain values (no model instances): the daily scan covers up to 100 000 open obligations.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse

from meetings.models import Obligation
from meetings.models.meetings import decision_reference
from municipalities.models import Role, User
from portal.models import ReminderPolicy
from portal.reminders import Candidate


def _people() -> tuple[dict[tuple[str, int], list[User]], dict[int, User]]:
    """Who answers for each unit: heads of municipalities, directors of schools, staff of organisations."""
    units: dict[tuple[str, int], list[User]] = defaultdict(list)
    by_id: dict[int, User] = {}
    for user in User.objects.filter(is_active=True).exclude(role=Role.OBSERVER):
        by_id[user.pk] = user
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            units[("municipality", user.municipality_id)].append(user)
        elif user.role == Role.SCHOOL and user.school_id:
            units[("school", user.school_id)].append(user)
        elif user.organization_id:
            units[("organization", user.organization_id)].append(user)
    return units, by_id


FIELDS = (
    "pk", "due_date", "municipality_id", "school_id", "school__municipality_id", "organization_id",
    "organization__parent_id", "municipality__authority_short_name", "municipality__name", "school__short_name",
    "organization__short_name", "decision__number", "decision__text", "decision__controller_id",
    "decision__item__meeting__date", "decision__item__meeting__number",
)  # fmt: skip


def obligation_candidates(today: date):
    policy = ReminderPolicy.current()
    horizon = today + timedelta(days=max(policy.before_list, default=0))
    rows = (
        Obligation.objects.open()
        .filter(due_date__isnull=False, due_date__lte=horizon, decision__item__meeting__status="signed")
        .values_list(*FIELDS)
    )
    units, by_id = _people()
    prefix = reverse("meetings:obligation_list")
    for (pk, due, mun, school, school_mun, org, org_parent, authority, mun_name, school_name, org_name, number, text,
         controller, held, meeting_number) in rows.iterator(chunk_size=5000):  # fmt: skip
        if mun:
            recipients, superiors, unit_name = units[("municipality", mun)], [], authority or mun_name
        elif school:
            recipients, superiors, unit_name = (
                units[("school", school)],
                units[("municipality", school_mun)],
                school_name,
            )
        else:
            recipients = units[("organization", org)]
            superiors = units[("organization", org_parent)] if org_parent else []
            unit_name = org_name
        yield Candidate(
            target_model=Obligation,
            target_id=pk,
            due_date=due,
            title=f"{decision_reference(number, meeting_number, held)}: {text}",
            unit_name=unit_name,
            url=f"{prefix}{pk}/",
            recipients=recipients,
            controllers=[by_id[controller]] if controller in by_id else [],
            superiors=superiors,
        )

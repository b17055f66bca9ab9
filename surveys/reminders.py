"""The reminder source of questionnaires (``REMINDER_SOURCES``): recipients that have not submitted yet."""

from datetime import date, timedelta

from municipalities.models import Role, User
from notifications.reminders import Candidate
from surveys.models import SurveyResponse


def survey_candidates(today: date):
    """Reminders reach only the recipients that have not submitted; the superiors of a school are its
    municipality's heads."""
    from notifications.models import ReminderPolicy

    horizon = today + timedelta(days=ReminderPolicy.horizon_days())
    pending = (
        SurveyResponse.objects.lagging()
        .filter(survey__due_date__lte=horizon)
        .select_related(
            "survey__questionnaire", "survey__created_by", "school", "municipality", "organization"
        )
    )
    # the people of every unit, read once: (role, unit id) → users
    people: dict[tuple[str, int], list] = {}
    for user in User.objects.filter(
        is_active=True, role__in=[Role.SCHOOL, Role.MUNICIPALITY, Role.ORGANIZATION]
    ):
        unit = {Role.SCHOOL: user.school_id, Role.MUNICIPALITY: user.municipality_id}.get(
            user.role, user.organization_id
        )
        if unit:
            people.setdefault((user.role, unit), []).append(user)
    for response in pending:
        if response.school_id:
            recipients = people.get((Role.SCHOOL, response.school_id), [])
            superiors = people.get((Role.MUNICIPALITY, response.school.municipality_id), [])
        elif response.municipality_id:
            recipients, superiors = people.get((Role.MUNICIPALITY, response.municipality_id), []), []
        else:
            recipients, superiors = people.get((Role.ORGANIZATION, response.organization_id), []), []
        yield Candidate(
            target_model=SurveyResponse, target_id=response.pk, due_date=response.survey.due_date,
            title=f"анкета «{response.survey.questionnaire.title}»", unit_name=response.recipient_name,
            url=response.get_absolute_url(), recipients=recipients,
            controllers=[response.survey.created_by], superiors=superiors,
            region_id=(response.school or response.municipality or response.organization).region_id,
        )  # fmt: skip

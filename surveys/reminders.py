"""The reminder source of questionnaires (``REMINDER_SOURCES``): schools that have not submitted yet."""

from datetime import date, timedelta

from municipalities.models import Role, User
from notifications.reminders import Candidate
from surveys.models import SurveyResponse


def survey_candidates(today: date):
    """Reminders reach only the schools that have not submitted."""
    from notifications.models import ReminderPolicy

    horizon = today + timedelta(days=max(ReminderPolicy.current().before_list, default=0))
    pending = (
        SurveyResponse.objects.exclude(status=SurveyResponse.Status.SUBMITTED)
        .filter(survey__due_date__lte=horizon)
        .select_related("survey__questionnaire", "survey__created_by", "school")
    )
    directors: dict[int, list] = {}
    heads: dict[int, list] = {}
    for user in User.objects.filter(is_active=True, role__in=[Role.SCHOOL, Role.MUNICIPALITY]):
        if user.role == Role.SCHOOL and user.school_id:
            directors.setdefault(user.school_id, []).append(user)
        elif user.municipality_id:
            heads.setdefault(user.municipality_id, []).append(user)
    for response in pending:
        yield Candidate(
            target_model=SurveyResponse, target_id=response.pk, due_date=response.survey.due_date,
            title=f"анкета «{response.survey.questionnaire.title}»", unit_name=str(response.school),
            url=response.get_absolute_url(), recipients=directors.get(response.school_id, []),
            controllers=[response.survey.created_by], superiors=heads.get(response.school.municipality_id, []),
        )  # fmt: skip

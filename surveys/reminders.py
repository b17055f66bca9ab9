"""The reminder source of questionnaires (``REMINDER_SOURCES``): recipients that have not submitted yet."""

from datetime import date, timedelta

from municipalities.models import Role, User
from notifications.reminders import Candidate
from surveys.models import SurveyResponse


def survey_candidates(today: date):
    """Reminders reach only the recipients that have not submitted; the superiors of a school are its
    municipality's heads."""
    from notifications.models import ReminderPolicy

    horizon = today + timedelta(days=max(ReminderPolicy.current().before_list, default=0))
    pending = (
        SurveyResponse.objects.lagging()
        .filter(survey__due_date__lte=horizon)
        .select_related(
            "survey__questionnaire", "survey__created_by", "school", "municipality", "organization"
        )
    )
    heads: dict[int, list] = {}
    for user in User.objects.filter(is_active=True, role=Role.MUNICIPALITY, municipality__isnull=False):
        heads.setdefault(user.municipality_id, []).append(user)
    for response in pending:
        yield Candidate(
            target_model=SurveyResponse, target_id=response.pk, due_date=response.survey.due_date,
            title=f"анкета «{response.survey.questionnaire.title}»", unit_name=response.recipient_name,
            url=response.get_absolute_url(), recipients=list(response.recipient_users()),
            controllers=[response.survey.created_by],
            superiors=heads.get(response.school.municipality_id, []) if response.school_id else [],
        )  # fmt: skip

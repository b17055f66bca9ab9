"""What the recipients of a survey are told, in their words: texts and links for ``notifications.events.tell``.

Each message is told once per person (the key names the response and the occasion), in the portal at once and
by e-mail after the commit according to each person's e-mail mode. The subject is quotable: «Анкета «…»: ответ
до dd.mm.yyyy».
"""

from datetime import date

from notifications import events
from surveys.models import Survey, SurveyResponse


def _sender(survey: Survey) -> str:
    if survey.sender_organization_id:
        return survey.sender_organization.short_name
    if survey.sender_municipality_id:
        municipality = survey.sender_municipality
        return municipality.authority_short_name or municipality.name
    return ""


def _quoted(survey: Survey) -> str:
    """«Анкета «Готовность к ГИА»: ответ до 05.12.2026»."""
    return f"Анкета «{survey.questionnaire.title}»: ответ до {survey.due_date:%d.%m.%Y}"


def _text(response: SurveyResponse, lead: str) -> str:
    survey = response.survey
    sender = _sender(survey)
    return (
        f"{lead}\n\n{_quoted(survey)}.\nПолучатель: {response.recipient_name}."
        + (f"\nОтправитель: {sender}." if sender else "")
        + "\n\nОтветить можно в портале по ссылке ниже."
    )


def tell_sent(responses) -> int:
    """A questionnaire sent to each recipient: one message per person of each response."""
    told = 0
    for response in responses:
        told += events.tell(
            response.recipient_users(), kind=events.SURVEY_SENT, subject=_quoted(response.survey),
            text=_text(response, "Вам направлена анкета."), url=response.get_absolute_url(),
            key=f"survey-sent-{response.pk}",
        )  # fmt: skip
    return told


def tell_reminded(responses, today: date) -> int:
    """«Напомнить отстающим»: each lagging recipient's people, once a day."""
    told = 0
    for response in responses:
        survey = response.survey
        told += events.tell(
            response.recipient_users(), kind=events.SURVEY_REMINDED,
            subject=f"Напоминание: анкета «{survey.questionnaire.title}» ждёт ответа до {survey.due_date:%d.%m.%Y}",
            text=_text(response, "Напоминаем: анкета ещё не отправлена."), url=response.get_absolute_url(),
            key=f"survey-remind-{response.pk}-{today:%Y%m%d}",
        )  # fmt: skip
    return told


def tell_reopened(response: SurveyResponse) -> int:
    """The sender reopened a submitted response: once per submission reopened."""
    survey = response.survey
    submitted = f"{response.submitted_at:%Y%m%d%H%M%S%f}" if response.submitted_at else "draft"
    return events.tell(
        response.recipient_users(), kind=events.SURVEY_REOPENED,
        subject=f"Анкету «{survey.questionnaire.title}» можно дополнить: ответ до {survey.due_date:%d.%m.%Y}",
        text=_text(response, "Отправитель открыл анкету повторно: ответ можно дополнить и отправить снова."),
        url=response.get_absolute_url(), key=f"survey-reopened-{response.pk}-{submitted}",
    )  # fmt: skip

"""Sending a questionnaire: who may receive it (schools, municipal education authorities, organisations),
chosen one by one or as everyone a combined filter finds, and reminding those who lag behind."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from meetings.models import Meeting
from municipalities.limits import check_date
from municipalities.models import Municipality, Organization, Role, School
from surveys.models import Questionnaire, Survey, SurveyResponse
from surveys.services import owner_of, questionnaire_create
from surveys.telling import tell_reminded, tell_sent

SCHOOLS, AUTHORITIES, ORGANIZATIONS = "schools", "municipalities", "organizations"
RECIPIENT_KINDS = {
    SCHOOLS: "Школы",
    AUTHORITIES: "Органы управления образованием",
    ORGANIZATIONS: "Организации",
}
FLAGS = {"low_results": "с низкими результатами", "difficult_conditions": "в неблагоприятных социальных условиях",
         "is_rural": "сельские"}  # fmt: skip
# what a questionnaire goes to besides schools: the region's own bodies and the colleges, or a municipality's
ANSWERING_ORGANIZATIONS = [
    Organization.Kind.SUBORDINATE,
    Organization.Kind.COLLEGE,
    Organization.Kind.MUNICIPAL,
]


class SurveyAlreadySent(ValidationError):
    """The survey has gone out already: its recipients are fixed (the API answers 409)."""


@dataclass(frozen=True)
class RecipientFilter:
    """A combined filter: the kind of recipient, and a municipality, a school type and a school flag (the last
    two only narrow schools)."""

    kind: str = SCHOOLS
    municipality: int | None = None
    school_kind: str = ""
    flag: str = ""

    def problems(self) -> list[str]:
        found = []
        if self.kind not in RECIPIENT_KINDS:
            found.append(f"Получатели: выберите одно из — {', '.join(RECIPIENT_KINDS.values()).lower()}.")
        if self.school_kind and self.school_kind not in School.Kind.values:
            found.append("Тип школы: выберите тип из списка.")
        if self.flag and self.flag not in FLAGS:
            found.append("Признак: выберите признак из списка.")
        return found


def recipients_in_scope(actor, kind: str) -> QuerySet:
    """Whom the actor may send to: the committee — every school, authority and organisation of the region; a
    municipal head — own schools and own municipal organisations."""
    if actor.is_read_only or not (actor.is_committee or actor.role == Role.MUNICIPALITY):
        raise PermissionDenied(
            "Рассылать анкеты могут сотрудники комитета и руководители органов управления."
        )
    if kind == SCHOOLS:
        return School.objects.for_user(actor).filter(is_active=True).select_related("municipality")
    if kind == AUTHORITIES:
        return Municipality.objects.for_user(actor) if actor.is_committee else Municipality.objects.none()
    return Organization.objects.for_user(actor).filter(kind__in=ANSWERING_ORGANIZATIONS)


def recipients_matching(actor, found: RecipientFilter) -> QuerySet:
    """Everyone of the filter's kind in the actor's scope that the filter finds (a bad filter raises)."""
    if problems := found.problems():
        raise ValidationError(problems)
    rows = recipients_in_scope(actor, found.kind)
    if found.municipality:
        rows = (
            rows.filter(pk=found.municipality)
            if found.kind == AUTHORITIES
            else rows.filter(municipality_id=found.municipality)
        )
    if found.kind == SCHOOLS:
        if found.school_kind:
            rows = rows.filter(kind=found.school_kind)
        if found.flag:
            rows = rows.filter(**{found.flag: True})
    return rows


def recipients_chosen(actor, found: RecipientFilter, ids: list[int] | None) -> QuerySet:
    """The ticked ones among what the filter finds, or (``ids`` None: «выбрать всех») all of them."""
    rows = recipients_matching(actor, found)
    return rows if ids is None else rows.filter(pk__in=ids)


@transaction.atomic
def survey_create(
    *, actor, title: str, text: str, due_date: date, meeting: Meeting | None = None,
    questionnaire: Questionnaire | None = None,
) -> Survey:  # fmt: skip
    """A survey not sent yet: from a new list of questions (``title``, ``text``) or an existing questionnaire."""
    owner = owner_of(actor)
    check_date(due_date, "Срок ответа", "due_date")
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": "Срок ответа не может быть в прошлом."})
    if meeting is not None and not Meeting.objects.for_user(actor).filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": "Совещание: выберите совещание из списка."})
    if questionnaire is None:
        questionnaire = questionnaire_create(actor=actor, title=title, text=text)
    return Survey.objects.create(
        questionnaire=questionnaire, meeting=meeting, due_date=due_date, created_by=actor,
        sender_organization=owner.get("owner_organization"), sender_municipality=owner.get("owner_municipality"),
    )  # fmt: skip


@transaction.atomic
def survey_deliver(*, actor, survey: Survey, schools=(), municipalities=(), organizations=()) -> Survey:
    """Send a survey not sent yet to the chosen recipients (each must be in the actor's scope): one response row
    and one notice each. A survey already sent is refused (its recipients are fixed)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.user_is_sender(actor):
        raise PermissionDenied("Отправить анкету может только тот, кто её составил.")
    if survey.is_sent:
        raise SurveyAlreadySent(f"Анкета уже отправлена {timezone.localtime(survey.sent_at):%d.%m.%Y}: "
                                "получатели не меняются — создайте новую рассылку.")  # fmt: skip
    chosen = {
        "school": recipients_in_scope(actor, SCHOOLS).filter(pk__in=[s.pk for s in schools]),
        "municipality": recipients_in_scope(actor, AUTHORITIES).filter(pk__in=[m.pk for m in municipalities]),
        "organization": recipients_in_scope(actor, ORGANIZATIONS).filter(
            pk__in=[o.pk for o in organizations]
        ),
    }
    rows = [
        SurveyResponse(survey=survey, **{field: unit}) for field, units in chosen.items() for unit in units
    ]
    if not rows:
        raise ValidationError(
            {"recipients": "Выберите хотя бы одного получателя: школу, орган или организацию."}
        )
    SurveyResponse.objects.bulk_create(rows)
    survey.sent_at = timezone.now()
    survey.save(update_fields=["sent_at"])
    tell_sent(
        survey.responses.select_related("school", "municipality", "organization", "survey__questionnaire")
    )
    return survey


@transaction.atomic
def survey_send(
    *, actor, questionnaire: Questionnaire, due_date: date, schools=(), municipalities=(), organizations=(),
    meeting: Meeting | None = None, form_key: uuid.UUID | None = None,
) -> Survey:  # fmt: skip
    """Make a survey of the questionnaire and send it at once (the page's form). ``form_key`` is the one-time key
    of that form: the same form sent twice (a double click, a resent request) gives the survey already made."""
    if form_key and (sent := Survey.objects.filter(form_key=form_key, created_by=actor).first()):
        return sent
    try:
        with (
            transaction.atomic()
        ):  # two parallel posts of one form: the second waits here, then gets the first's
            survey = survey_create(actor=actor, title="", text="", due_date=due_date, meeting=meeting,
                                   questionnaire=questionnaire)  # fmt: skip
            if form_key:
                Survey.objects.filter(pk=survey.pk).update(form_key=form_key)
    except IntegrityError:
        sent = Survey.objects.filter(form_key=form_key, created_by=actor).first()
        if sent is None:
            raise ValidationError("Эта форма уже отправлена: обновите страницу.") from None
        return sent
    return survey_deliver(actor=actor, survey=survey, schools=schools, municipalities=municipalities,
                          organizations=organizations)  # fmt: skip


@transaction.atomic
def survey_remind_lagging(*, actor, survey: Survey, today: date | None = None) -> int:
    """«Напомнить отстающим»: one notice to each recipient that has not submitted, at most once a day (a second
    click the same day, or two at once, reminds nobody twice). Gives how many recipients were reminded."""
    if not survey.user_is_sender(actor):
        raise PermissionDenied("Напомнить может только тот, кто отправил анкету.")
    today = today or timezone.localdate()
    due = (
        SurveyResponse.objects.filter(survey=survey).lagging()
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_for_update(of=("self",))
    )  # fmt: skip
    lagging = list(due.select_related("school", "municipality", "organization", "survey__questionnaire"))
    SurveyResponse.objects.filter(pk__in=[r.pk for r in lagging]).update(reminded_on=today)
    tell_reminded(lagging, today)
    return len(lagging)

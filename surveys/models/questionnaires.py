from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.status import StatusEvent, Transitions, status_fields
from meetings.models import Meeting
from municipalities.models import Municipality, Organization, Role, School
from municipalities.scope import region_q


class QuestionnaireQuerySet(models.QuerySet):
    def for_user(self, user) -> "QuestionnaireQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "owner_organization__region", "owner_municipality__region"))
        if user.role == Role.MUNICIPALITY:
            return self.filter(
                Q(owner_municipality_id=user.municipality_id)
                | Q(owner_organization__region_id=user.region_id)
            )
        return self.none()


class Questionnaire(models.Model):
    """A reusable list of interview questions ("Вопросы для собеседования"), sections and ordered questions."""

    title = models.CharField(_("название"), max_length=300)
    owner_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True)
    owner_municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        db_table = "meetings_questionnaire"  # the table kept its name when the model moved here
        verbose_name = _("анкета")
        verbose_name_plural = _("анкеты")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire", args=[self.pk])


class Question(models.Model):
    """One question: yes/no, text, number, date, single or multiple choice, or a file."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("да/нет")
        TEXT = "text", _("текст")
        NUMBER = "number", _("число")
        DATE = "date", _("дата")
        SINGLE = "single", _("один вариант")
        MULTIPLE = "multiple", _("несколько вариантов")
        FILE = "file", _("файл")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.CharField(_("раздел"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("№"))
    text = models.TextField(_("вопрос"))
    kind = models.CharField(_("тип"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("варианты"), default=list, blank=True)
    required = models.BooleanField(_("обязательный"), default=True)

    class Meta:
        db_table = "meetings_question"  # the table kept its name when the model moved here
        verbose_name = _("вопрос")
        verbose_name_plural = _("вопросы")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "order"], name="question_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:80]}"


class SurveyQuerySet(models.QuerySet):
    def for_user(self, user) -> "SurveyQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "sender_organization__region", "sender_municipality__region"))
        answering = SurveyResponse.objects.for_user(user).values("survey")
        own = Q(pk__in=answering)
        if user.role == Role.MUNICIPALITY:
            own |= Q(sender_municipality_id=user.municipality_id)
        return self.filter(own)


class Survey(models.Model):
    """A questionnaire sent to schools, municipal authorities and organisations (often before an interview),
    with a due date; made through the API it may wait unsent (``sent_at`` empty) until its recipients are chosen."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys"
    )
    sender_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True)
    sender_municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True)
    due_date = models.DateField(_("ответить до"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    sent_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    form_key = models.UUIDField(
        _("ключ формы отправки"), null=True, blank=True, unique=True, editable=False,
        help_text=_("Одноразовый ключ страницы отправки: повторная отправка той же формы не создаёт вторую рассылку."),
    )  # fmt: skip

    objects = SurveyQuerySet.as_manager()

    class Meta:
        db_table = "meetings_survey"  # the table kept its name when the model moved here
        verbose_name = _("рассылка анкеты")
        verbose_name_plural = _("рассылки анкет")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.questionnaire} — до {self.due_date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey", args=[self.pk])

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def user_is_sender(self, user) -> bool:
        if user.is_read_only or not user.is_authenticated:
            return False
        if self.sender_organization_id:
            return user.is_committee
        return user.role == Role.MUNICIPALITY and user.municipality_id == self.sender_municipality_id


class SurveyResponseQuerySet(models.QuerySet):
    def for_user(self, user) -> "SurveyResponseQuerySet":
        """A school's answers: whoever sees the school; an authority's: the region and that authority's head;
        an organisation's: whoever sees the organisation."""
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(
                region_q(user, "school__region", "municipality__region", "organization__region")
            )
        visible = Q(school__in=School.objects.for_user(user)) | Q(
            organization__in=Organization.objects.for_user(user)
        )
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            visible |= Q(municipality_id=user.municipality_id)
        return self.filter(visible)

    def answered_by(self, user) -> "SurveyResponseQuerySet":
        """The responses the user fills in: own school's, own authority's or own organisation's."""
        field = {Role.SCHOOL: "school_id", Role.MUNICIPALITY: "municipality_id",
                 Role.ORGANIZATION: "organization_id"}.get(user.role)  # fmt: skip
        unit = getattr(user, field, None) if field else None
        return self.filter(**{field: unit}) if unit else self.none()

    def lagging(self) -> "SurveyResponseQuerySet":
        """Not submitted yet: not started or a draft."""
        return self.exclude(status=SurveyResponse.Status.SUBMITTED)


class ResponseStatus(models.TextChoices):
    PENDING = "pending", _("не заполнена")
    DRAFT = "draft", _("черновик")
    SUBMITTED = "submitted", _("отправлена")


# a sent questionnaire is never turned back into a draft: it is changed and sent again (while editable)
RESPONSE_TRANSITIONS = Transitions(
    ResponseStatus,
    {
        ResponseStatus.PENDING: {ResponseStatus.DRAFT, ResponseStatus.SUBMITTED},
        ResponseStatus.DRAFT: {ResponseStatus.DRAFT, ResponseStatus.SUBMITTED},
        ResponseStatus.SUBMITTED: {ResponseStatus.SUBMITTED},
    },
    what="анкету",
)


class SurveyResponse(models.Model):
    """One recipient's answers to one survey (a school, a municipality's education authority or an
    organisation): a draft until submitted; the sender may reopen it."""

    Status = ResponseStatus

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("орган управления образованием"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="survey_responses",
    )  # fmt: skip
    organization = models.ForeignKey(
        Organization, verbose_name=_("организация"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="survey_responses",
    )  # fmt: skip
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reopened = models.BooleanField(_("открыта повторно"), default=False)
    submitted_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # fmt: skip
    reminded_on = models.DateField(_("последнее напоминание отстающему"), null=True, blank=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        db_table = "meetings_surveyresponse"  # the table kept its name when the model moved here
        verbose_name = _("ответ на анкету")
        verbose_name_plural = _("ответы на анкеты")
        ordering = ["school__municipality__name", "school__short_name", "municipality__name",
                    "organization__short_name"]  # fmt: skip
        constraints = [
            models.UniqueConstraint(fields=["survey", "school"], name="survey_response_once"),
            models.UniqueConstraint(fields=["survey", "municipality"], name="survey_response_once_authority"),
            models.UniqueConstraint(
                fields=["survey", "organization"], name="survey_response_once_organization"
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=False, municipality__isnull=True, organization__isnull=True)
                | Q(school__isnull=True, municipality__isnull=False, organization__isnull=True)
                | Q(school__isnull=True, municipality__isnull=True, organization__isnull=False),
                name="survey_response_one_recipient",
                violation_error_message=_("Ответ на анкету принадлежит одной школе, органу или организации."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} — {self.survey}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey_response", args=[self.pk])

    @property
    def recipient_name(self) -> str:
        if self.school_id:
            return self.school.short_name
        if self.municipality_id:
            return self.municipality.authority_short_name or self.municipality.name
        return self.organization.short_name

    @property
    def recipient_municipality(self) -> Municipality | None:
        """The municipality the recipient belongs to; None for a regional organisation."""
        if self.school_id:
            return self.school.municipality
        return self.municipality if self.municipality_id else self.organization.municipality

    def recipient_users(self):
        """The people who answer for the recipient: its director, the authority's heads or the staff."""
        from municipalities.models import User

        users = User.objects.filter(is_active=True)
        if self.school_id:
            return users.filter(role=Role.SCHOOL, school_id=self.school_id)
        if self.municipality_id:
            return users.filter(role=Role.MUNICIPALITY, municipality_id=self.municipality_id)
        return users.filter(role=Role.ORGANIZATION, organization_id=self.organization_id)

    def answered_by(self, user) -> bool:
        """Whether the user answers for this recipient."""
        if self.school_id:
            return user.role == Role.SCHOOL and user.school_id == self.school_id
        if self.municipality_id:
            return user.role == Role.MUNICIPALITY and user.municipality_id == self.municipality_id
        return user.role == Role.ORGANIZATION and user.organization_id == self.organization_id

    def editable_by(self, user) -> bool:
        """The recipient edits until the due date, or later only when the sender reopened the questionnaire."""
        if user.is_read_only or not self.answered_by(user):
            return False
        if self.status == self.Status.SUBMITTED and not self.reopened:
            return timezone.localdate() <= self.survey.due_date
        return timezone.localdate() <= self.survey.due_date or self.reopened

    def check_transition(self, to: str) -> None:
        RESPONSE_TRANSITIONS.check(
            self.status, to, "Анкета в состоянии «%(from)s»: перевести её в «%(to)s» нельзя. "
            "Измените ответы и отправьте её снова.",
        )  # fmt: skip


class SurveyResponseEvent(StatusEvent):
    """An append-only line of a survey response's history: saved, submitted, reopened — who, when, from → to."""

    class Kind(models.TextChoices):
        SAVED = "saved", _("сохранён черновик")
        SUBMITTED = "submitted", _("анкета отправлена")
        REOPENED = "reopened", _("открыта для дополнения")

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("событие"), max_length=10, choices=Kind.choices)
    subject_field = "response"
    from_status, to_status = status_fields(ResponseStatus, max_length=10)

    class Meta(StatusEvent.Meta):
        verbose_name = _("событие ответа на анкету")
        verbose_name_plural = _("события ответов на анкеты")


class Answer(models.Model):
    """The answer of one school to one question; files are stored privately."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(_("ответ"), null=True, blank=True)
    file = models.FileField(_("файл"), upload_to="answers/", blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "meetings_answer"  # the table kept its name when the model moved here
        verbose_name = _("ответ на вопрос")
        verbose_name_plural = _("ответы на вопросы")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return str(self.value)

    @property
    def typed_value(self):
        """A number answer as a number, a date answer as a date (stored in JSON as an ISO string), else the value."""
        if self.value is None:
            return None
        if self.question.kind == Question.Kind.DATE:
            try:
                return date.fromisoformat(str(self.value))
            except ValueError:
                return None
        if self.question.kind == Question.Kind.NUMBER:
            return (
                self.value
                if isinstance(self.value, int | float) and not isinstance(self.value, bool)
                else None
            )
        return self.value

    @property
    def display(self) -> str:
        if self.question.kind == Question.Kind.YES_NO:
            return {True: "да", False: "нет"}.get(self.value, "")
        if self.question.kind == Question.Kind.MULTIPLE:
            return "; ".join(self.value or [])
        if self.question.kind == Question.Kind.FILE:
            return self.file_name
        if self.question.kind == Question.Kind.DATE and isinstance(self.typed_value, date):
            return f"{self.typed_value:%d.%m.%Y}"
        return "" if self.value is None else str(self.value)

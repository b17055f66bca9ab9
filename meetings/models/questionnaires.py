from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models.meetings import Meeting
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
        verbose_name = _("анкета")
        verbose_name_plural = _("анкеты")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:questionnaire", args=[self.pk])


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
    """A questionnaire sent to a set of schools before an interview, with a due date."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys"
    )
    sender_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True)
    sender_municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True)
    due_date = models.DateField(_("ответить до"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("отправлена"), auto_now_add=True)
    form_key = models.UUIDField(
        _("ключ формы отправки"), null=True, blank=True, unique=True, editable=False,
        help_text=_("Одноразовый ключ страницы отправки: повторная отправка той же формы не создаёт вторую рассылку."),
    )  # fmt: skip

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("рассылка анкеты")
        verbose_name_plural = _("рассылки анкет")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.questionnaire} — до {self.due_date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:survey", args=[self.pk])

    def user_is_sender(self, user) -> bool:
        if user.is_read_only or not user.is_authenticated:
            return False
        if self.sender_organization_id:
            return user.is_committee
        return user.role == Role.MUNICIPALITY and user.municipality_id == self.sender_municipality_id


class SurveyResponseQuerySet(models.QuerySet):
    def for_user(self, user) -> "SurveyResponseQuerySet":
        return self.filter(school__in=School.objects.for_user(user))


class SurveyResponse(models.Model):
    """One school's answers to one survey: a draft until submitted; the sender may reopen it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("не заполнена")
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("отправлена")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="survey_responses")
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reopened = models.BooleanField(_("открыта повторно"), default=False)
    submitted_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")  # fmt: skip

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ответ школы")
        verbose_name_plural = _("ответы школ")
        ordering = ["school__municipality__name", "school__short_name"]
        constraints = [models.UniqueConstraint(fields=["survey", "school"], name="survey_response_once")]

    def __str__(self) -> str:
        return f"{self.school} — {self.survey}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:survey_response", args=[self.pk])

    def editable_by(self, user) -> bool:
        """The director edits until the due date, or later only when the sender reopened the questionnaire."""
        if user.role != Role.SCHOOL or user.school_id != self.school_id or user.is_read_only:
            return False
        if self.status == self.Status.SUBMITTED and not self.reopened:
            return timezone.localdate() <= self.survey.due_date
        return timezone.localdate() <= self.survey.due_date or self.reopened


class Answer(models.Model):
    """The answer of one school to one question; files are stored privately."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(_("ответ"), null=True, blank=True)
    file = models.FileField(_("файл"), upload_to="answers/", blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("ответ на вопрос")
        verbose_name_plural = _("ответы на вопросы")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return str(self.value)

    @property
    def display(self) -> str:
        if self.question.kind == Question.Kind.YES_NO:
            return {True: "да", False: "нет"}.get(self.value, "")
        if self.question.kind == Question.Kind.MULTIPLE:
            return "; ".join(self.value or [])
        if self.question.kind == Question.Kind.FILE:
            return self.file_name
        return "" if self.value is None else str(self.value)

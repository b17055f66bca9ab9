"""The monitoring of municipal management mechanisms («муниципальные механизмы управления качеством образования»).

The region defines the directions of the monitoring and the documents every municipality must have and
publish for each direction. A municipality attaches each document (a file or the address where it is
published) per direction and year; the committee accepts it or returns it with a comment. Every change is
a ``MechanismEvent``. A decision may be linked to the monitoring: its municipal obligations close when the
municipality's documents are all accepted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.status import StatusEvent, Transitions, status_fields
from municipalities.models import Municipality, Role
from municipalities.scope import region_q

MIN_YEAR, MAX_YEAR = 2000, 2100


def sees_monitoring(user) -> bool:
    """Region-wide roles and municipal heads take part in the monitoring; schools and organisations do not."""
    return user.is_authenticated and (
        user.is_region_wide or (user.role == Role.MUNICIPALITY and user.municipality_id is not None)
    )


def monitored_municipalities(user):
    """The municipalities whose monitoring the user sees: the region, or the head's own one."""
    if not sees_monitoring(user):
        return Municipality.objects.none()
    return Municipality.objects.for_user(user).filter(is_active=True)


class DirectionQuerySet(models.QuerySet):
    def for_user(self, user) -> "DirectionQuerySet":
        if not sees_monitoring(user):
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "region"))
        return self.filter(region__municipality=user.municipality_id)

    def active(self) -> "DirectionQuerySet":
        return self.filter(is_active=True)


class Direction(models.Model):
    """A direction of the monitoring, e.g. «Система работы со школами с низкими результатами обучения»."""

    region = models.ForeignKey("municipalities.Region", verbose_name=_("регион"), on_delete=models.PROTECT,
                               related_name="mechanism_directions")  # fmt: skip
    number = models.PositiveSmallIntegerField(_("№ п/п"), default=1)
    name = models.CharField(_("направление"), max_length=300)
    short_name = models.CharField(_("краткое название"), max_length=60, blank=True,
                                  help_text=_("Для заголовков столбцов матрицы, например «Воспитание»."))  # fmt: skip
    is_active = models.BooleanField(_("действует"), default=True)

    objects = DirectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("направление мониторинга механизмов управления")
        verbose_name_plural = _("направления мониторинга механизмов управления")
        ordering = ["region", "number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="mechanism_direction_unique_name",
                violation_error_message=_("Такое направление в регионе уже есть."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class RequiredDocument(models.Model):
    """A document every municipality must have for a direction: положение, цели и показатели, мониторинг …"""

    direction = models.ForeignKey(Direction, verbose_name=_("направление"), on_delete=models.CASCADE,
                                  related_name="documents")  # fmt: skip
    number = models.PositiveSmallIntegerField(_("№ п/п"), default=1)
    name = models.CharField(_("документ"), max_length=300)
    description = models.TextField(_("что должно быть в документе"), blank=True)
    is_active = models.BooleanField(_("требуется"), default=True)

    class Meta:
        verbose_name = _("требуемый документ")
        verbose_name_plural = _("требуемые документы")
        ordering = ["direction", "number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "name"], name="mechanism_required_document_unique_name",
                violation_error_message=_("Такой документ в направлении уже есть."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


def required_documents(region_ids=None):
    """The documents currently required: active ones of active directions."""
    documents = RequiredDocument.objects.filter(is_active=True, direction__is_active=True)
    return documents if region_ids is None else documents.filter(direction__region__in=region_ids)


class DocumentStatus(models.TextChoices):
    MISSING = "", _("не представлен")
    SUBMITTED = "submitted", _("на проверке")
    RETURNED = "returned", _("возвращён на доработку")
    ACCEPTED = "accepted", _("принят")


# from → the statuses it may move to; a submitted document may be replaced until it is reviewed
TRANSITIONS = Transitions(
    DocumentStatus,
    {
        DocumentStatus.MISSING: {DocumentStatus.SUBMITTED},
        DocumentStatus.SUBMITTED: {
            DocumentStatus.SUBMITTED,
            DocumentStatus.ACCEPTED,
            DocumentStatus.RETURNED,
        },
        DocumentStatus.RETURNED: {DocumentStatus.SUBMITTED},
        DocumentStatus.ACCEPTED: set(),
    },
    what="документ",
)


class MechanismDocumentQuerySet(models.QuerySet):
    def for_user(self, user) -> "MechanismDocumentQuerySet":
        if not sees_monitoring(user):
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "municipality__region"))
        return self.filter(municipality_id=user.municipality_id)


class MechanismDocument(models.Model):
    """What a municipality has attached for one required document in one year, and its review state."""

    required = models.ForeignKey(RequiredDocument, verbose_name=_("требуемый документ"), on_delete=models.PROTECT,
                                 related_name="submissions")  # fmt: skip
    municipality = models.ForeignKey("municipalities.Municipality", verbose_name=_("муниципалитет"),
                                     on_delete=models.PROTECT, related_name="mechanism_documents")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("год"))
    status = models.CharField(_("состояние"), max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.SUBMITTED)  # fmt: skip
    url = models.URLField(_("ссылка на опубликованный документ"), max_length=500, blank=True)
    file = models.FileField(_("файл"), upload_to="mechanisms/", max_length=200, blank=True)
    file_name = models.CharField(_("имя файла"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("размер"), null=True, blank=True)
    content_type = models.CharField(_("тип"), max_length=120, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("представил"),
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    submitted_at = models.DateTimeField(_("представлен"), default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("рассмотрел"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(_("рассмотрен"), null=True, blank=True)
    review_comment = models.TextField(_("замечания"), blank=True)

    objects = MechanismDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("документ муниципалитета")
        verbose_name_plural = _("документы муниципалитетов")
        ordering = ["municipality__name", "year", "required__direction__number", "required__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["required", "municipality", "year"], name="mechanism_document_once_per_year",
                violation_error_message=_("Этот документ муниципалитета за этот год уже есть."),
            ),
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="mechanism_document_file_or_url",
                violation_error_message=_("Приложите файл или укажите ссылку — одно из двух."),
            ),
            models.CheckConstraint(
                condition=~Q(status=""), name="mechanism_document_has_status",
                violation_error_message=_("Представленный документ не может быть в состоянии «не представлен»."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.required} — {self.municipality}, {self.year}"

    def get_absolute_url(self) -> str:
        return f"{reverse('mechanisms:card', args=[self.municipality_id])}?year={self.year}#doc-{self.required_id}"

    def get_file_url(self) -> str:
        return reverse("mechanisms:file", args=[self.pk]) if self.file else ""

    @property
    def link(self) -> str:
        """Where the document is: its published address, or the portal's download of the file."""
        return self.url or self.get_file_url()

    def check_transition(self, to: str) -> None:
        # the document's name in the message: the card lists many documents at once
        name = self.required.name.replace("%", "%%")
        TRANSITIONS.check(
            self.status, to, f"Документ «{name}» в состоянии «%(from)s»: перевести его в «%(to)s» нельзя. "
            "Обновите страницу.",
        )  # fmt: skip


class MechanismEvent(StatusEvent):
    """An append-only line of a document's history: from → to, who, when, comment."""

    document = models.ForeignKey(MechanismDocument, on_delete=models.CASCADE, related_name="events")
    subject_field = "document"
    from_status, to_status = status_fields(DocumentStatus, max_length=10)

    class Meta(StatusEvent.Meta):
        verbose_name = _("событие документа")
        verbose_name_plural = _("события документов")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class MonitoringLinkQuerySet(models.QuerySet):
    def for_user(self, user) -> "MonitoringLinkQuerySet":
        from meetings.models import Decision

        return self.filter(decision__in=Decision.objects.for_user(user))


class MonitoringLink(models.Model):
    """A decision tied to the monitoring: a municipality's obligation closes once its documents are accepted."""

    decision = models.OneToOneField("meetings.Decision", verbose_name=_("решение"), on_delete=models.CASCADE,
                                    related_name="mechanism_link")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("год мониторинга"))
    direction = models.ForeignKey(
        Direction, verbose_name=_("направление"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="links", help_text=_("Пусто — все направления."),
    )  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("связано"), default=timezone.now)

    objects = MonitoringLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("решение, снимаемое с контроля по мониторингу")
        verbose_name_plural = _("решения, снимаемые с контроля по мониторингу")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        scope = self.direction.name if self.direction_id else _("все направления")
        return f"{self.decision} — {self.year}, {scope}"

    def clean(self) -> None:
        if self.decision_id and self.decision.requires_roadmap:
            raise ValidationError(
                _("По этому решению представляются дорожные карты: с мониторингом его связать нельзя.")
            )
        if self.decision_id and not self.decision.tracked:
            raise ValidationError(_("Решение не на контроле: снимать с контроля по мониторингу нечего."))
        if self.decision_id and self.decision.item.meeting.status != "signed":
            raise ValidationError(
                _("Протокол ещё не подписан: свяжите решение с мониторингом после подписания.")
            )

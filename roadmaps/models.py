"""Roadmaps (дорожные карты) of municipalities and schools: content, versions, review, progress.

The content of a roadmap — reporting periods, numbered items and target indicators — is one JSON
document (see ``roadmaps.template`` for its shape). Every submission freezes it into a
``RoadmapVersion``, so older versions stay readable and versions can be compared; progress is
entered per reporting period once the roadmap is approved.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.status import StatusEvent, Transitions, status_fields
from municipalities.models import Role
from municipalities.scope import region_q


def empty_content() -> dict:
    return {"periods": [], "items": [], "indicators": []}


class Topic(models.TextChoices):
    GIA = "gia", _("подготовка к ГИА")
    OBJECTIVITY = "objectivity", _("объективность оценивания")
    OLYMPIAD = "olympiad", _("результаты олимпиад")
    LOW_RESULTS = "low_results", _("школы с низкими результатами")
    OTHER = "other", _("другое")


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("черновик")
    SUBMITTED = "submitted", _("представлена")
    UNDER_REVIEW = "under_review", _("на рассмотрении")
    RETURNED = "returned", _("возвращена на доработку")
    APPROVED = "approved", _("утверждена")


EDITABLE_STATUSES = (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED)
PENDING_REVIEW_STATUSES = (RoadmapStatus.SUBMITTED, RoadmapStatus.UNDER_REVIEW)

# the review: submitted → (taken) → approved or returned; an approved roadmap goes back to a draft only to be
# amended («внесение изменений»), and the amended version is submitted again
TRANSITIONS = Transitions(
    RoadmapStatus,
    {
        RoadmapStatus.DRAFT: {RoadmapStatus.SUBMITTED},
        RoadmapStatus.RETURNED: {RoadmapStatus.SUBMITTED},
        RoadmapStatus.SUBMITTED: {RoadmapStatus.UNDER_REVIEW, RoadmapStatus.APPROVED, RoadmapStatus.RETURNED},
        RoadmapStatus.UNDER_REVIEW: {RoadmapStatus.APPROVED, RoadmapStatus.RETURNED},
        RoadmapStatus.APPROVED: {RoadmapStatus.DRAFT},
    },
    what="дорожную карту",
)


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("не начато")
    IN_PROGRESS = "in_progress", _("выполняется")
    DONE = "done", _("выполнено")
    NOT_DONE = "not_done", _("не выполнено")


class RoadmapQuerySet(models.QuerySet):
    def for_user(self, user) -> "RoadmapQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, "municipality__region", "school__region"))
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            return self.filter(
                Q(municipality_id=user.municipality_id) | Q(school__municipality_id=user.municipality_id)
            )
        if user.role == Role.SCHOOL and user.school_id:
            return self.filter(school_id=user.school_id)
        return self.none()


class Roadmap(models.Model):
    """A municipality's or a school's roadmap, possibly answering a decision (through its obligation)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", verbose_name=_("муниципалитет"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="roadmaps",
    )  # fmt: skip
    school = models.ForeignKey(
        "municipalities.School", verbose_name=_("школа"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="roadmaps",
    )  # fmt: skip
    obligation = models.OneToOneField(
        "meetings.Obligation", verbose_name=_("поручение"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="roadmap",
    )  # fmt: skip
    topic = models.CharField(_("тема"), max_length=16, choices=Topic.choices, default=Topic.OTHER)
    title = models.CharField(_("название"), max_length=500)
    period = models.CharField(_("период"), max_length=100, help_text=_("например, «2026/2027 учебный год»"))
    status = models.CharField(_("статус"), max_length=12, choices=RoadmapStatus.choices,
                              default=RoadmapStatus.DRAFT)  # fmt: skip
    content = models.JSONField(_("содержание"), default=empty_content)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)
    submitted_at = models.DateTimeField(_("представлена"), null=True, blank=True)
    approved_at = models.DateTimeField(_("утверждена"), null=True, blank=True)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        verbose_name = _("дорожная карта")
        verbose_name_plural = _("дорожные карты")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, school__isnull=True)
                | Q(municipality__isnull=True, school__isnull=False),
                name="roadmap_has_one_unit",
                violation_error_message=_(
                    "Дорожная карта принадлежит ровно одному муниципалитету или школе."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.unit_name}"

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:detail", args=[self.pk])

    @property
    def unit(self):
        return self.municipality or self.school

    @property
    def unit_name(self) -> str:
        if self.municipality_id:
            return self.municipality.authority_short_name or self.municipality.name
        return self.school.short_name or self.school.name

    @property
    def due_date(self):
        return self.obligation.due_date if self.obligation_id else None

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def periods(self) -> list[str]:
        return list(self.content.get("periods", []))

    @property
    def items(self) -> list[dict]:
        return list(self.content.get("items", []))

    @property
    def indicators(self) -> list[dict]:
        return list(self.content.get("indicators", []))

    def check_transition(self, to: str, message: str = "") -> None:
        TRANSITIONS.check(self.status, to, message)

    def user_is_author(self, user) -> bool:
        """The people who write and submit the roadmap: the head of its municipality or school."""
        if not user.is_authenticated or user.is_read_only:
            return False
        if self.municipality_id:
            return user.role == Role.MUNICIPALITY and user.municipality_id == self.municipality_id
        return user.role == Role.SCHOOL and user.school_id == self.school_id

    def user_is_reviewer(self, user) -> bool:
        """Who approves: the controller of the decision it answers; otherwise the level above the unit.
        Never its authors, nor whoever created it: nobody approves their own work."""
        if not user.is_authenticated or user.is_read_only:
            return False
        if self.user_is_author(user) or user.pk == self.created_by_id:
            return False
        if self.obligation_id:
            return self.obligation.user_can_control(user)
        if user.is_committee:
            return user.works_in((self.municipality or self.school).region_id)
        return (
            self.school_id is not None
            and user.role == Role.MUNICIPALITY
            and user.municipality_id == self.school.municipality_id
        )


class RoadmapVersion(models.Model):
    """The content as submitted, frozen, with the outcome of its review."""

    class Outcome(models.TextChoices):
        PENDING = "", _("на рассмотрении")
        APPROVED = "approved", _("утверждена")
        RETURNED = "returned", _("возвращена")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("версия"))
    content = models.JSONField(_("содержание"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("представлена"), default=timezone.now)
    outcome = models.CharField(_("итог"), max_length=10, choices=Outcome.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)
    review_comment = models.TextField(_("замечания"), blank=True)

    class Meta:
        verbose_name = _("версия дорожной карты")
        verbose_name_plural = _("версии дорожных карт")
        ordering = ["roadmap", "number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_version_unique"),
        ]

    def __str__(self) -> str:
        return f"версия {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:version", args=[self.roadmap_id, self.number])


class RoadmapFile(models.Model):
    """An uploaded document of a roadmap (DOCX, PDF, XLSX), private, tied to the version it was sent with."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="files")
    version = models.ForeignKey(
        RoadmapVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("файл"), upload_to="roadmaps/", max_length=200)
    name = models.CharField(_("имя файла"), max_length=200)
    size = models.PositiveBigIntegerField(_("размер"))
    content_type = models.CharField(_("тип"), max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("файл дорожной карты")
        verbose_name_plural = _("файлы дорожных карт")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmaps:file", args=[self.pk])


class RoadmapProgress(models.Model):
    """What was reached in one reporting period: actual indicator values and the status of each item."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="progress")
    period = models.CharField(_("период"), max_length=100)
    actuals = models.JSONField(_("фактические значения"), default=dict, blank=True)  # indicator name → "12.5"
    item_statuses = models.JSONField(_("выполнение мероприятий"), default=dict, blank=True)  # number → status
    comment = models.TextField(_("комментарий"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("внесено"), default=timezone.now)

    class Meta:
        verbose_name = _("отчёт о ходе реализации")
        verbose_name_plural = _("отчёты о ходе реализации")
        ordering = ["roadmap", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "period"], name="roadmap_progress_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap} — {self.period}"


class RoadmapEvent(StatusEvent):
    """An append-only line of a roadmap's history: who did what and when, from → to."""

    class Kind(models.TextChoices):
        CREATED = "created", _("создана")
        EDITED = "edited", _("изменено содержание")
        UPLOADED = "uploaded", _("загружен файл")
        SUBMITTED = "submitted", _("представлена на рассмотрение")
        TAKEN = "taken", _("взята на рассмотрение")
        RETURNED = "returned", _("возвращена на доработку")
        APPROVED = "approved", _("утверждена")
        PROGRESS = "progress", _("внесён отчёт о ходе реализации")
        REVISED = "revised", _("начато внесение изменений")

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("событие"), max_length=12, choices=Kind.choices)
    subject_field = "roadmap"
    from_status, to_status = status_fields(RoadmapStatus, max_length=12)
    version = models.PositiveIntegerField(_("версия"), null=True, blank=True)

    class Meta(StatusEvent.Meta):
        verbose_name = _("событие дорожной карты")
        verbose_name_plural = _("события дорожных карт")

    @property
    def details(self) -> list[str]:
        return [*super().details, *([f"версия {self.version}"] if self.version else [])]


def decimal_text(value: Decimal | None) -> str | None:
    """How content stores a number: plain, no exponent, no trailing zeros ("12.50" -> "12.5", "1E+2" -> "100")."""
    if value is None:
        return None
    return "0" if value == 0 else format(value.normalize(), "f")


def decimal_or_none(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.status import StatusEvent, Transitions, day_text, status_fields
from municipalities.models import Role, one_unit_condition, unit_fields
from municipalities.scope import region_q

DUE_SOON_DAYS = settings.DUE_SOON_DAYS


class ObligationStatus(models.TextChoices):
    ASSIGNED = "assigned", _("назначено")
    IN_WORK = "in_work", _("в работе")
    REPORTED = "reported", _("отчёт на проверке")
    RETURNED = "returned", _("возвращено на доработку")
    ACCEPTED = "accepted", _("снято с контроля")


OPEN_STATUSES = (ObligationStatus.ASSIGNED, ObligationStatus.IN_WORK, ObligationStatus.RETURNED)

# from → the statuses it may move to; anything else is refused with a clear message
TRANSITIONS = Transitions(
    ObligationStatus,
    {
        ObligationStatus.ASSIGNED: {ObligationStatus.IN_WORK, ObligationStatus.REPORTED},
        ObligationStatus.IN_WORK: {ObligationStatus.REPORTED},
        ObligationStatus.RETURNED: {ObligationStatus.IN_WORK, ObligationStatus.REPORTED},
        # accepting a checkpoint of a recurring obligation puts it back in work with the next date
        ObligationStatus.REPORTED: {
            ObligationStatus.ACCEPTED,
            ObligationStatus.RETURNED,
            ObligationStatus.IN_WORK,
        },
        ObligationStatus.ACCEPTED: set(),
    },
    what="поручение",
)


class ObligationQuerySet(models.QuerySet):
    def for_user(self, user) -> "ObligationQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(
                region_q(user, "organization__region", "municipality__region", "school__region")
            )
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            return self.filter(
                Q(municipality_id=user.municipality_id)
                | Q(school__municipality_id=user.municipality_id)
                | Q(organization__municipality_id=user.municipality_id)
            )
        if user.role == Role.SCHOOL and user.school_id:
            return self.filter(school_id=user.school_id)
        if user.role == Role.ORGANIZATION and user.organization_id:
            return self.filter(
                Q(organization_id=user.organization_id) | Q(organization__parent_id=user.organization_id)
            )
        return self.none()

    def open(self) -> "ObligationQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    @staticmethod
    def overdue_q(today: date) -> Q:
        return Q(status__in=OPEN_STATUSES, due_date__lt=today)

    @staticmethod
    def due_soon_q(today: date) -> Q:
        return Q(
            status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
        )

    def overdue(self, today: date | None = None) -> "ObligationQuerySet":
        return self.filter(self.overdue_q(today or timezone.localdate()))

    def due_soon(self, today: date | None = None) -> "ObligationQuerySet":
        return self.filter(self.due_soon_q(today or timezone.localdate()))

    def counts(self, today: date | None = None) -> dict:
        """The figures at a glance of a board or an inbox, in one query."""
        today = today or timezone.localdate()
        return self.aggregate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=self.overdue_q(today)),
            due_soon=Count("pk", filter=self.due_soon_q(today)),
            review=Count("pk", filter=Q(status=ObligationStatus.REPORTED)),
            no_date=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__isnull=True)),
            accepted=Count("pk", filter=Q(status=ObligationStatus.ACCEPTED)),
        )

    def with_state(self, today: date | None = None) -> "ObligationQuerySet":
        """Annotate the computed states: ``is_overdue`` and ``is_due_soon``."""
        today = today or timezone.localdate()
        return self.annotate(
            is_overdue=Case(When(self.overdue_q(today), then=Value(True)), default=Value(False),
                            output_field=BooleanField()),
            is_due_soon=Case(When(self.due_soon_q(today), then=Value(True)), default=Value(False),
                             output_field=BooleanField()),
        )  # fmt: skip


class Obligation(models.Model):
    """One responsible unit's duty to carry out one decision, with its own status, reports and history."""

    decision = models.ForeignKey(
        "meetings.Decision", verbose_name=_("решение"), on_delete=models.CASCADE, related_name="obligations"
    )
    organization, municipality, school = unit_fields("obligations")
    status = models.CharField(
        _("статус"), max_length=12, choices=ObligationStatus.choices, default=ObligationStatus.ASSIGNED
    )
    # the person inside the unit who does the work (named by the unit's head or the controller)
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("исполнитель (сотрудник)"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="executed_obligations",
    )  # fmt: skip
    # when a decision names several bodies for one task: the lead (ответственный исполнитель) reports, the
    # other obligations of the same decision are co-executors (соисполнители) that contribute
    is_lead = models.BooleanField(_("ответственный исполнитель"), default=False)
    due_date = models.DateField(_("срок"), null=True, blank=True)
    original_due_date = models.DateField(_("первоначальный срок"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("последний отчёт"), null=True, blank=True)
    closed_at = models.DateTimeField(_("снято с контроля"), null=True, blank=True)
    closed_late = models.BooleanField(_("исполнено с нарушением срока"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("поручение исполнителю")
        verbose_name_plural = _("поручения исполнителям")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="obligation_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=one_unit_condition(group=False),
                name="obligation_has_one_unit",
                violation_error_message=_("Исполнитель — ровно одна организация, муниципалитет или школа."),
            ),
            models.UniqueConstraint(
                fields=["decision", "organization"],
                condition=Q(organization__isnull=False),
                name="obligation_unique_org",
            ),
            models.UniqueConstraint(
                fields=["decision", "municipality"],
                condition=Q(municipality__isnull=False),
                name="obligation_unique_mun",
            ),
            models.UniqueConstraint(
                fields=["decision", "school"],
                condition=Q(school__isnull=False),
                name="obligation_unique_school",
            ),
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(is_lead=True),
                name="obligation_one_lead_per_decision",
                violation_error_message=_("У решения один ответственный исполнитель."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.unit_name}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:obligation", args=[self.pk])

    @property
    def status_label(self) -> str:
        """The status as shown in tables: one lookup (``get_status_display`` translates every choice to hash it,
        which a board of 300 rows paid 1 800 times)."""
        return ObligationStatus(self.status).label

    @property
    def unit(self):
        return self.organization or self.municipality or self.school

    @property
    def region(self):
        """The region of the unit that carries the obligation out (shown to the federal observer)."""
        return self.unit.region

    @property
    def reference(self) -> str:
        """The decision this obligation carries out, as people quote it: «п. 2.1 протокола № 12 от 05.11.2026»."""
        return self.decision.reference

    @property
    def unit_name(self) -> str:
        if self.municipality_id:
            return self.municipality.authority_short_name or self.municipality.name
        return str(self.unit)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today

    @property
    def answers_with_roadmap(self) -> bool:
        """A municipality's or school's duty under a decision asking for roadmaps: reported through the roadmap."""
        return self.decision.requires_roadmap and not self.organization_id

    def user_is_responsible(self, user) -> bool:
        """The people who report on this obligation: the head of its unit."""
        if not user.is_authenticated or user.is_read_only:
            return False
        if self.municipality_id:
            return user.role == Role.MUNICIPALITY and user.municipality_id == self.municipality_id
        if self.school_id:
            return user.role == Role.SCHOOL and user.school_id == self.school_id
        return user.organization_id is not None and user.organization_id in {
            self.organization_id,
            self.organization.parent_id,
        }

    @cached_property
    def lead(self) -> "Obligation | None":
        """The lead executor's obligation when the decision names one (ответственный исполнитель), else None."""
        if self.is_lead:
            return self
        return (
            self.decision.obligations.filter(is_lead=True)
            .select_related("municipality", "school", "organization")
            .first()
        )

    @property
    def is_co_executor(self) -> bool:
        """A соисполнитель: contributes (comments, files), the lead's report is the one accepted."""
        return not self.is_lead and self.lead is not None

    def co_executors(self):
        """The other obligations of the decision, when this one is the lead."""
        if not self.is_lead:
            return Obligation.objects.none()
        return self.decision.obligations.exclude(pk=self.pk).select_related(
            "municipality", "school", "organization", "executor"
        )

    def people_to_tell(self) -> list:
        """Who hears what happened to this obligation: its named executor, else the people of its unit."""
        if self.executor_id and self.executor.is_active:
            return [self.executor]
        return list(self.responsible_users())

    def responsible_users(self):
        """The people who report on this obligation."""
        from municipalities.models import User

        people = User.objects.filter(is_active=True)
        if self.municipality_id:
            return people.filter(role=Role.MUNICIPALITY, municipality_id=self.municipality_id)
        if self.school_id:
            return people.filter(role=Role.SCHOOL, school_id=self.school_id)
        return people.filter(organization_id=self.organization_id)

    @property
    def is_organizers_own(self) -> bool:
        """An obligation of the organising municipality's own authority (its head's protocol addresses itself)."""
        return (
            bool(self.municipality_id)
            and self.municipality_id == self.decision.item.meeting.organizer_municipality_id
        )

    def controllers(self) -> list:
        """Who is told of reports and extension requests: the decision's controller — unless that person belongs
        to the responsible unit (nobody controls their own work); then the committee staff who may control it."""
        from municipalities.models import User

        controller = self.decision.controller if self.decision.controller_id else None
        if controller is None or self.user_can_control(controller):
            return [controller] if controller else []
        region_id = self.decision.item.meeting.region.pk
        return [
            u
            for u in User.objects.filter(is_active=True, role=Role.COMMITTEE, region_id=region_id)
            if self.user_can_control(u)
        ]

    def user_can_control(self, user) -> bool:
        """The organiser controls; nobody controls their own work: the responsible unit never accepts its own
        report, and the organising municipality's own obligations are controlled by the committee."""
        if self.user_is_responsible(user):
            return False
        if self.is_organizers_own:
            region_id = self.decision.item.meeting.organizer_municipality.region_id
            return user.is_authenticated and user.is_committee and user.works_in(region_id)
        return self.decision.item.meeting.user_can_manage(user)

    def check_transition(self, to: str) -> None:
        TRANSITIONS.check(self.status, to)


class ObligationEvent(StatusEvent):
    """An append-only line of an obligation's history: who, when, what, from → to, comment."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("назначено")
        STARTED = "started", _("взято в работу")
        REPORTED = "reported", _("направлен отчёт")
        ACCEPTED = "accepted", _("отчёт принят")
        RETURNED = "returned", _("возвращено на доработку")
        EXTENSION_REQUESTED = "extension_requested", _("запрошен перенос срока")
        EXTENSION_GRANTED = "extension_granted", _("срок перенесён")
        EXTENSION_DECLINED = "extension_declined", _("в переносе срока отказано")
        DUE_DATE_SET = "due_date_set", _("установлен срок")
        COMMENTED = "commented", _("комментарий")
        ARCHIVED = "archived", _("внесено как исполненное (архивный протокол)")
        EXECUTOR_ASSIGNED = "executor_assigned", _("назначен исполнитель")
        EXECUTOR_CHANGED = "executor_changed", _("переназначен")
        LEAD_SET = "lead_set", _("назначен ответственный исполнитель")
        REMINDED = "reminded", _("направлено напоминание")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("событие"), max_length=24, choices=Kind.choices)
    subject_field = "obligation"
    from_status, to_status = status_fields(ObligationStatus, max_length=12)

    class Meta(StatusEvent.Meta):
        verbose_name = _("событие поручения")
        verbose_name_plural = _("события поручений")

    @property
    def details(self) -> list[str]:
        notes = super().details
        if executor := self.data.get("executor_name"):  # a named executor, or the change of one
            previous = self.data.get("previous_name")
            notes.append(f"{previous} → {executor}" if previous else executor)
        if executed_on := self.data.get("executed_on"):
            notes.append(f"исполнено {day_text(executed_on)}")
        return notes


class ReportQuerySet(models.QuerySet):
    def for_user(self, user) -> "ReportQuerySet":
        return self.filter(obligation__in=Obligation.objects.for_user(user))


class Report(models.Model):
    """An execution report of a responsible unit for one checkpoint: text and files."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("на проверке")
        ACCEPTED = "accepted", _("принят")
        RETURNED = "returned", _("возвращён")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("автор"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("текст отчёта"))
    due_date = models.DateField(_("за срок"), null=True, blank=True)
    executed_on = models.DateField(_("дата фактического исполнения"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("направлен"), default=timezone.now)
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("проверил"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    review_comment = models.TextField(_("замечания"), blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("отчёт об исполнении")
        verbose_name_plural = _("отчёты об исполнении")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"Отчёт от {self.submitted_at:%d.%m.%Y}"

    @property
    def submitted_late(self) -> bool:
        return self.due_date is not None and timezone.localdate(self.submitted_at) > self.due_date


class ReportFile(models.Model):
    """A file attached to a report, stored privately and served only to those who may see the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("файл"), upload_to="reports/", max_length=200)
    name = models.CharField(_("имя файла"), max_length=200)
    size = models.PositiveBigIntegerField(_("размер"))
    content_type = models.CharField(_("тип"), max_length=120)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("файл отчёта")
        verbose_name_plural = _("файлы отчётов")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:report_file", args=[self.pk])


class ExtensionRequest(models.Model):
    """A responsible unit's request to move a due date, and the controller's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("на рассмотрении")
        GRANTED = "granted", _("срок перенесён")
        DECLINED = "declined", _("отказано")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    current_due_date = models.DateField(_("действующий срок"), null=True, blank=True)
    proposed_date = models.DateField(_("предлагаемый срок"))
    reason = models.TextField(_("обоснование"))
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("запрос переноса срока")
        verbose_name_plural = _("запросы переноса срока")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(status="pending"),
                name="one_pending_extension_per_obligation",
                violation_error_message=_("Запрос на перенос срока уже на рассмотрении."),
            )
        ]

    def __str__(self) -> str:
        return f"Перенос срока на {self.proposed_date:%d.%m.%Y}"

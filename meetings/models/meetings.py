from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.status import StatusEvent, Transitions, status_fields
from meetings.deadlines import Deadline, due_after_signing, parse_deadline, report_dates
from municipalities.models import Municipality, Organization, Role, one_unit_condition, unit_fields
from municipalities.scope import region_q

MEETING_REGION_PATHS = ("organizer_organization__region", "organizer_municipality__region")


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user) -> "MeetingQuerySet":
        """Region-wide roles see all; others see meetings they organise or that address them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_region_wide:
            return self.filter(region_q(user, *MEETING_REGION_PATHS))
        from meetings.models.calendar import MeetingInvitee
        from meetings.models.obligations import Obligation

        addressed = Obligation.objects.for_user(user).values("decision__item__meeting")
        own = Q(pk__in=addressed) | Q(pk__in=MeetingInvitee.objects.for_user(user).values("meeting"))
        if user.role == Role.MUNICIPALITY and user.municipality_id:
            own |= Q(organizer_municipality_id=user.municipality_id)
        return self.filter(own)


class Meeting(models.Model):
    """A meeting, interview or council session, and its protocol."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("совещание")
        INTERVIEW = "interview", _("собеседование")
        COUNCIL = "council", _("заседание координационного совета")
        OTHER = "other", _("другое")

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланировано")  # before the meeting: date, time, place, agenda, invitations
        DRAFT = "draft", _("черновик")
        SIGNED = "signed", _("подписан")

    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    organizer_organization = models.ForeignKey(
        Organization,
        verbose_name=_("организатор (региональный орган)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    organizer_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("организатор (муниципалитет)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    number = models.CharField(_("номер протокола"), max_length=32, blank=True)
    date = models.DateField(_("дата"))
    time = models.TimeField(_("время"), null=True, blank=True)
    place = models.CharField(_("место"), max_length=300, blank=True)
    title = models.CharField(_("тема"), max_length=500)
    conclusions = models.TextField(_("выводы"), blank=True)
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("редакция"), default=1)
    source_text = models.TextField(_("исходный текст"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("создал"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    signed_at = models.DateTimeField(_("подписан"), null=True, blank=True)
    archival = models.BooleanField(
        _("запись о прошлом"), default=False,
        help_text=_("Архивный протокол: поручения внесены как исполненные, без напоминаний и просрочек."),
    )  # fmt: skip
    submission_key = models.CharField(
        _("ключ отправки формы"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("совещание")
        verbose_name_plural = _("совещания")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organizer_organization__isnull=False, organizer_municipality__isnull=True)
                | Q(organizer_organization__isnull=True, organizer_municipality__isnull=False),
                name="meeting_has_one_organizer",
                violation_error_message=_(
                    "Укажите одного организатора: региональный орган или муниципалитет."
                ),
            ),
        ]

    def __str__(self) -> str:
        number = f" № {self.number}" if self.number else ""
        return f"{self.get_kind_display().capitalize()} от {self.date:%d.%m.%Y}{number}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def organizer(self):
        return self.organizer_organization or self.organizer_municipality

    @property
    def region(self):
        """The region of the organiser: the units a protocol may address belong to it."""
        return (self.organizer_organization or self.organizer_municipality).region

    @property
    def organizer_name(self) -> str:
        if self.organizer_organization:
            return self.organizer_organization.name
        return self.organizer_municipality.authority_name

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def user_can_manage(self, user) -> bool:
        """Committee staff manage the committee's meetings; a municipal head manages own municipality's."""
        if user.is_read_only or not user.is_authenticated:
            return False
        if self.organizer_organization_id:
            return user.is_committee and user.works_in(self.organizer_organization.region_id)
        return user.role == Role.MUNICIPALITY and user.municipality_id == self.organizer_municipality_id

    def user_sees_every_unit(self, user) -> bool:
        """Who may see all responsible units' statuses at once (the status report): region-wide roles, the organiser."""
        return user.is_authenticated and (user.is_region_wide or self.user_can_manage(user))

    def people(self, role: str) -> list["Participant"]:
        return [p for p in self.participants.all() if p.role == role]

    def check_transition(self, to: str, message: str = "") -> None:
        MEETING_TRANSITIONS.check(self.status, to, message)


# planned → held (its protocol a draft) → signed; a signed protocol stays signed: it changes only by amendment
# (a new revision), never back to a draft
MEETING_TRANSITIONS = Transitions(
    Meeting.Status,
    {
        Meeting.Status.PLANNED: {Meeting.Status.DRAFT},
        Meeting.Status.DRAFT: {Meeting.Status.SIGNED},
        Meeting.Status.SIGNED: set(),
    },
    what="протокол",
)


class MeetingEvent(StatusEvent):
    """An append-only record of what happened to a protocol: created, signed, amended."""

    class Kind(models.TextChoices):
        CREATED = "created", _("создан")
        IMPORTED = "imported", _("импортирован")
        SIGNED = "signed", _("подписан")
        AMENDED = "amended", _("изменён")
        ATTENDANCE = "attendance", _("отмечено присутствие")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("событие"), max_length=20, choices=Kind.choices)
    from_status, to_status = status_fields(Meeting.Status, max_length=10)
    subject_field = "meeting"
    revision = models.PositiveIntegerField(_("редакция"))
    # data: {"changes": {field: [before, after]}} of an amendment

    class Meta(StatusEvent.Meta):
        verbose_name = _("событие протокола")
        verbose_name_plural = _("события протоколов")


class Participant(models.Model):
    """A person or a whole body taking part in a meeting: chair, secretary, member or invited."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("председатель")
        SECRETARY = "secretary", _("секретарь")
        MEMBER = "member", _("присутствовали")
        INVITED = "invited", _("приглашённые")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("роль"), max_length=12, choices=Role.choices)
    name = models.CharField(_("как записано"), max_length=500)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    attended = models.BooleanField(_("присутствовал"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("участник")
        verbose_name_plural = _("участники")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """A question of the agenda with its speakers and the СЛУШАЛИ / ВЫСТУПИЛИ notes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField(_("номер"))
    title = models.TextField(_("вопрос"))
    speakers = models.TextField(_("докладчики"), blank=True)
    heard = models.TextField(_("слушали"), blank=True)
    spoke = models.TextField(_("выступили"), blank=True)

    class Meta:
        verbose_name = _("вопрос повестки")
        verbose_name_plural = _("вопросы повестки")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agenda_item_number_unique",
                violation_error_message=_("В повестке уже есть вопрос с этим номером."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def decision_reference(number: str, meeting_number: str, meeting_date: date) -> str:
    """How people quote a decision: «п. 2.1 протокола № 12 от 05.11.2026» (no «№» when the protocol has none)."""
    point = (number or "").strip().rstrip(".")
    numbered = f" № {meeting_number.strip()}" if (meeting_number or "").strip() else ""
    return f"п. {point} протокола{numbered} от {meeting_date:%d.%m.%Y}"


class DecisionQuerySet(models.QuerySet):
    def for_user(self, user) -> "DecisionQuerySet":
        return self.filter(item__meeting__in=Meeting.objects.for_user(user))

    def most_behind(self, today: date, limit: int) -> list["Decision"]:
        """The decisions furthest behind (most overdue obligations, then the nearest open due date) among those
        not fully carried out, each with ``total``, ``done``, ``review``, ``overdue`` and ``next_due``.

        Counted over the obligations alone, grouped by decision, then only the chosen decisions are read: grouping
        the decisions joined to 10 000 obligations by every column of the decision was the slowest query of the
        committee's first screen.
        """
        from meetings.models.obligations import OPEN_STATUSES, Obligation

        open_ = Q(status__in=OPEN_STATUSES)
        rows = list(
            Obligation.objects.filter(decision__in=self.values("pk"))
            .values("decision_id")
            .annotate(
                total=models.Count("pk"),
                done=models.Count("pk", filter=Q(status="accepted")),
                review=models.Count("pk", filter=Q(status="reported")),
                overdue=models.Count("pk", filter=open_ & Q(due_date__lt=today)),
                next_due=models.Min("due_date", filter=open_),
            )
            .filter(total__gt=models.F("done"))
            .order_by("-overdue", "next_due", "decision_id")[:limit]
        )
        decisions = Decision.objects.select_related("item__meeting").in_bulk([r["decision_id"] for r in rows])
        chosen = []
        for row in rows:
            decision = decisions[row.pop("decision_id")]
            for name, value in row.items():
                setattr(decision, name, value)
            chosen.append(decision)
        return chosen


class Decision(models.Model):
    """A point of РЕШИЛИ: tracked (deadline and responsible parties) or not ("принять к сведению")."""

    class Recurrence(models.TextChoices):
        NONE = "", _("нет")
        WEEKLY = "weekly", _("еженедельно")
        MONTHLY = "monthly", _("ежемесячно")
        QUARTERLY = "quarterly", _("ежеквартально")
        YEARLY = "yearly", _("ежегодно")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    number = models.CharField(_("номер"), max_length=16)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(_("текст"))
    tracked = models.BooleanField(_("на контроле"), default=False)
    deadline_text = models.CharField(_("срок, как записан"), max_length=300, blank=True)
    due_dates = models.JSONField(_("сроки"), default=list, blank=True)
    standing = models.BooleanField(_("постоянно"), default=False)
    recurrence = models.CharField(_("периодичность"), max_length=10, choices=Recurrence.choices, blank=True)
    recurrence_day = models.PositiveSmallIntegerField(_("день отчёта"), null=True, blank=True)
    until = models.DateField(_("действует до"), null=True, blank=True)
    responsible_text = models.TextField(_("ответственные, как записано"), blank=True)
    requires_roadmap = models.BooleanField(
        _("требуется дорожная карта"), default=False,
        help_text=_("Каждый ответственный исполнитель представляет дорожную карту на утверждение."),
    )  # fmt: skip
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("контролёр"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_decisions",
    )
    flag = models.ForeignKey(
        "assessments.SchoolFlag",
        verbose_name=_("признак, по которому принято"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("решение")
        verbose_name_plural = _("решения")
        ordering = ["item__number", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:decision", args=[self.pk])

    @property
    def meeting(self) -> Meeting:
        return self.item.meeting

    @property
    def reference(self) -> str:
        """«п. 2.1 протокола № 12 от 05.11.2026»: the one way every page, notice, e-mail and PDF names a decision."""
        meeting = self.item.meeting
        return decision_reference(self.number, meeting.number, meeting.date)

    @property
    def due_date_list(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.due_dates]

    @property
    def deadline(self) -> Deadline:
        return Deadline(
            text=self.deadline_text,
            due_dates=tuple(self.due_date_list),
            standing=self.standing,
            recurrence=self.recurrence,
            recurrence_day=self.recurrence_day,
            until=self.until,
        )

    def apply_deadline(self, deadline: Deadline) -> None:
        self.deadline_text = deadline.text
        self.due_dates = [d.isoformat() for d in deadline.due_dates]
        self.standing = deadline.standing
        self.recurrence = deadline.recurrence
        self.recurrence_day = deadline.recurrence_day
        self.until = deadline.until

    def reparse_deadline(self) -> Deadline:
        deadline = parse_deadline(self.deadline_text, meeting_date=self.item.meeting.date)
        self.apply_deadline(deadline)
        return deadline

    @property
    def is_periodic(self) -> bool:
        return self.standing or bool(self.recurrence)

    def _report_dates_after(self, after: date) -> list[date]:
        horizon = date(after.year + 2, after.month, 1)
        return [d for d in report_dates(self.deadline, start=after, horizon=horizon) if d > after]

    def first_due_date(self, *, signed_on: date | None = None) -> date | None:
        """The first checkpoint: the first written date, or the first periodic report date.

        Periodic reports start after the signing (an archival protocol signed today must not be overdue at
        once for reports that fell due between the meeting and the signing), and never before the meeting.
        """
        if self.is_periodic:
            start = max(self.item.meeting.date, signed_on or self.item.meeting.date)
            upcoming = self._report_dates_after(start)
            return upcoming[0] if upcoming else None
        dates = self.due_date_list
        return dates[0] if dates else None

    def date_from_signing(self, signed_on: date) -> date | None:
        """A term counted from the signing ("в течение 10 рабочих дней со дня подписания") gets its date.

        The date is computed once, by the production calendar, and stored as the decision's due date.
        """
        if self.due_dates or not self.deadline_text:
            return None
        due = due_after_signing(
            parse_deadline(self.deadline_text, meeting_date=self.item.meeting.date), signed_on
        )
        if due is not None:
            self.due_dates = [due.isoformat()]
        return due

    def next_due_date(self, after: date) -> date | None:
        """The checkpoint after ``after``: the next written date, or the next periodic report date."""
        if self.is_periodic:
            upcoming = self._report_dates_after(after)
            return upcoming[0] if upcoming else None
        later = [d for d in self.due_date_list if d > after]
        return later[0] if later else None

    def clean(self) -> None:
        if self.tracked and not self.text.strip():
            raise ValidationError({"text": _("Введите текст решения.")})


class DecisionParty(models.Model):
    """A responsible party of a decision: one unit, or a class of units ("все ОМСУ")."""

    class Group(models.TextChoices):
        NONE = "", _("—")
        MUNICIPALITIES = "municipalities", _("все органы управления образованием муниципалитетов")
        SCHOOLS = "schools", _("все образовательные организации")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="parties")
    text = models.CharField(_("как записано"), max_length=500)
    organization, municipality, school = unit_fields(None)
    group = models.CharField(_("группа"), max_length=20, choices=Group.choices, blank=True, default="")

    class Meta:
        verbose_name = _("ответственный")
        verbose_name_plural = _("ответственные")
        constraints = [
            models.CheckConstraint(
                condition=one_unit_condition(group=True, schools_of_municipality=True),
                name="decision_party_points_at_exactly_one_target",
                violation_error_message=_(
                    "Ответственный должен указывать ровно на одно: организацию, муниципалитет, школу, группу "
                    "или школы одного муниципалитета."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def target(self):
        if self.group == self.Group.SCHOOLS and self.municipality_id:
            return f"школы: {self.municipality}"
        return self.organization or self.municipality or self.school or self.get_group_display()

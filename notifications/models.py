"""Reminders and in-app notifications, shared by every app that has deadlines; the password-reset throttle."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def parse_day_list(text: str) -> list[int]:
    """ "7, 3, 1, 0" → [7, 3, 1, 0]; a clear Russian error otherwise."""
    try:
        days = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()}, reverse=True)
    except ValueError as exc:
        raise ValidationError(_("Перечислите дни числами через запятую, например: 7, 3, 1, 0.")) from exc
    if any(day < 0 or day > 90 for day in days):
        raise ValidationError(_("Дни до срока — от 0 до 90."))
    return days


class ReminderPolicy(models.Model):
    """A region committee's reminder rules: before each due date, overdue repeats, escalation.

    A row without a region is the installation's default, for regions that have no rules of their own."""

    region = models.OneToOneField(
        "municipalities.Region", verbose_name=_("регион"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="reminder_policy", help_text=_("Пусто — правила по умолчанию для регионов без своих."),
    )  # fmt: skip
    before_days = models.CharField(
        _("за сколько дней до срока"), max_length=60, default="7, 3, 1, 0", help_text=_("0 — в день срока.")
    )
    overdue_every_days = models.PositiveSmallIntegerField(_("после срока — каждые N дней"), default=3)
    escalate_after_days = models.PositiveSmallIntegerField(_("эскалация после N дней просрочки"), default=7)
    escalate_to_controller = models.BooleanField(_("сообщать контролёру"), default=True)
    escalate_to_superior = models.BooleanField(_("сообщать вышестоящему органу"), default=True)

    class Meta:
        db_table = "portal_reminderpolicy"  # the table keeps the name it had when this lived in portal
        verbose_name = _("правила напоминаний")
        verbose_name_plural = _("правила напоминаний")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overdue_every_days__gte=1),
                name="reminder_policy_overdue_every_positive",
                violation_error_message=_("Повтор после срока — не реже одного раза в день."),
            )
        ]

    def __str__(self) -> str:
        return f"{_('Правила напоминаний')}: {self.region or _('по умолчанию')}"

    def clean(self) -> None:
        parse_day_list(self.before_days)

    @property
    def before_list(self) -> list[int]:
        return parse_day_list(self.before_days)

    @classmethod
    def current(cls, region_id: int | None = None) -> "ReminderPolicy":
        """The region's own rules, else the default ones, else the built-in defaults."""
        rows = {
            p.region_id: p for p in cls.objects.filter(models.Q(region_id=region_id) | models.Q(region=None))
        }
        return rows.get(region_id) or rows.get(None) or cls()

    @classmethod
    def horizon_days(cls) -> int:
        """The furthest «days before» of any region's rules: how far ahead the daily scan must look."""
        policies = list(cls.objects.all()) or [cls()]
        return max((max(p.before_list, default=0) for p in policies), default=0)


class ReminderQuerySet(models.QuerySet):
    def deadlines(self) -> "ReminderQuerySet":
        """Reminders of deadlines (from the daily scan)."""
        return self.filter(key="")

    def events(self) -> "ReminderQuerySet":
        """E-mails of what happened (``notifications.events.tell``)."""
        return self.exclude(key="")


class Reminder(models.Model):
    """One e-mail to one person about a deadline (a reminder) or about an event (``key`` set): the unique row
    that makes sending exactly-once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ждёт отправки")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("не доставлено")
        SKIPPED = "skipped", _("только в портале")

    # a reminder points at what has the deadline; an event message has a key instead (unique per person)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    due_date = models.DateField(_("срок"), null=True, blank=True)
    key = models.CharField(_("событие"), max_length=200, blank=True, default="")
    kind = models.CharField(_("вид"), max_length=20)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("кому"), on_delete=models.CASCADE)
    digest = models.BooleanField(_("в ежедневной сводке"), default=False)
    subject = models.CharField(_("тема"), max_length=300)
    body = models.TextField(_("текст"))
    url = models.CharField(max_length=300)
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    last_error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        db_table = "portal_reminder"
        verbose_name = _("напоминание")
        verbose_name_plural = _("напоминания")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "due_date", "kind", "recipient"], name="reminder_once"
            ),
            models.UniqueConstraint(
                fields=["key", "recipient"], condition=~models.Q(key=""), name="reminder_event_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(key="")
                | models.Q(content_type__isnull=False, object_id__isnull=False, due_date__isnull=False),
                name="reminder_has_target_or_key",
                violation_error_message=_(
                    "Напоминание — о сроке чего-то, письмо о событии — с ключом события."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "digest"], name="reminder_status_digest"),
            # the daily scan asks which of today's (due date, stage) pairs were already sent
            models.Index(fields=["due_date", "kind"], name="reminder_due_kind"),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's in-portal list, with an unread mark."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("текст"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "portal_notification"
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.text

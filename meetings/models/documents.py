from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.status import StatusEvent, Transitions, status_fields
from meetings.models.meetings import Meeting


class DocumentQuerySet(models.QuerySet):
    def for_user(self, user) -> "DocumentQuerySet":
        return self.filter(meeting__in=Meeting.objects.for_user(user))


class Document(models.Model):
    """A rendered PDF of a meeting (protocol, decisions extract, execution status), tied to a protocol revision."""

    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("протокол")
        DECISIONS = "decisions", _("решения (выписка)")
        STATUS = "status", _("справка об исполнении решений")

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RENDERING = "rendering", _("формируется")
        READY = "ready", _("готов")
        FAILED = "failed", _("ошибка")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("документ"), max_length=12, choices=Kind.choices)
    revision = models.PositiveIntegerField(_("редакция протокола"))
    # "rev-3" for the protocol and the extract; the date for the status report, which changes every day
    key = models.CharField(max_length=40)
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("файл"), upload_to="documents/", blank=True, max_length=200)
    error = models.TextField(_("ошибка"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("запрошен"), auto_now_add=True)
    started_at = models.DateTimeField(_("начато формирование"), null=True, blank=True)
    finished_at = models.DateTimeField(_("готов"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("документ PDF")
        verbose_name_plural = _("документы PDF")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "key"],
                condition=~Q(status="failed"),
                name="document_one_live_per_key",
                violation_error_message=_("Такой документ уже формируется."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:document", args=[self.pk])

    def check_transition(self, to: str, message: str = "") -> None:
        DOCUMENT_TRANSITIONS.check(self.status, to, message)

    @property
    def filename(self) -> str:
        number = f"-{self.meeting.number}" if self.meeting.number else ""
        names = {"protocol": "protocol", "decisions": "decisions", "status": "status"}
        return f"{names[self.kind]}{number}-{self.meeting.date:%Y-%m-%d}-r{self.revision}.pdf"


# a worker claims a queued document (or one whose worker died while rendering) and ends it ready or failed;
# a failed one stays as the record of the failure: asking again makes a new document
DOCUMENT_TRANSITIONS = Transitions(
    Document.Status,
    {
        Document.Status.QUEUED: {Document.Status.RENDERING, Document.Status.FAILED},
        Document.Status.RENDERING: {Document.Status.RENDERING, Document.Status.READY, Document.Status.FAILED},
        Document.Status.READY: set(),
        Document.Status.FAILED: set(),
    },
    what="документ",
)


class DocumentEvent(StatusEvent):
    """An append-only line of a PDF document's history: queued → rendering → ready/failed, who asked, when."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    subject_field = "document"
    from_status, to_status = status_fields(Document.Status, max_length=10)

    class Meta(StatusEvent.Meta):
        verbose_name = _("событие документа PDF")
        verbose_name_plural = _("события документов PDF")

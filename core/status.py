"""Statuses the same way everywhere: a table of allowed transitions and one shape of the event row.

Every status model has a ``TextChoices`` status and a ``Transitions`` table (status → the statuses it may
move to); services call ``check`` before they change a status, and write one event row (from → to, who, when,
comment) in the same transaction. The history page of any object renders its events with
``templates/_history.html``.

This module holds no concrete model (core is no app): ``StatusEvent`` is abstract, each app's event model
inherits it and adds its foreign key to the object (and its ``kind`` when it has one).
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionError(ValidationError):
    """A status change the workflow does not allow."""


class Transitions:
    """A status model's table of allowed transitions: ``{status: {next statuses}}``, nothing else allowed.

    ``what`` names the object in the default refusal (in the accusative: «поручение», «дорожную карту»).
    """

    def __init__(self, choices: type[models.TextChoices], table: Mapping[str, Iterable[str]], *, what: str):
        unknown = (set(table) | {s for nexts in table.values() for s in nexts}) - set(choices.values)
        if unknown or set(table) != set(choices.values):
            raise ValueError(f"transition table of {choices.__name__}: every status once, known ones only")
        self.choices = choices
        self.table = {str(status): frozenset(str(s) for s in nexts) for status, nexts in table.items()}
        self.what = what

    def label(self, status: str) -> str:
        return str(self.choices(status).label) if status in self.choices.values else str(status)

    def allowed(self, current: str) -> frozenset[str]:
        return self.table.get(current, frozenset())

    def can(self, current: str, to: str) -> bool:
        return to in self.allowed(current)

    def sources(self, to: str) -> list[str]:
        """The statuses from which ``to`` may be reached: the condition of a claim (``UPDATE … WHERE status IN``)."""
        return sorted(status for status, nexts in self.table.items() if to in nexts)

    def check(self, current: str, to: str, message: str = "") -> None:
        """Refuse a transition the table does not allow with a Russian message naming both statuses.

        ``message`` replaces the default wording where a page has a clearer one; it may use ``%(from)s`` and
        ``%(to)s`` (the labels)."""
        if self.can(current, to):
            return
        labels = {"from": self.label(current), "to": self.label(to)}
        default = "Нельзя перевести %(what)s из состояния «%(from)s» в «%(to)s»."
        text = message or default
        raise TransitionError(text % {**labels, "what": self.what}, code="transition", params=labels)


def status_fields(
    choices: type[models.TextChoices], max_length: int
) -> tuple[models.CharField, models.CharField]:
    """The from/to pair of an event model, with the labels of its object's statuses."""
    return (
        models.CharField(_("было"), max_length=max_length, choices=choices.choices, blank=True),
        models.CharField(_("стало"), max_length=max_length, choices=choices.choices, blank=True),
    )


class StatusEvent(models.Model):
    """An append-only line of an object's history: who, when, from → to (equal when the status stayed), comment.

    ``data`` keeps what a line needs beyond that (old and new dates, before and after of an amendment). A
    subclass overrides ``from_status``/``to_status`` with ``status_fields`` to give them its labels."""

    from_status = models.CharField(_("было"), max_length=20, blank=True)
    to_status = models.CharField(_("стало"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кто"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("когда"), default=timezone.now)
    comment = models.TextField(_("комментарий"), blank=True)
    data = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    # the name of the foreign key to the object whose history this is («obligation», «meeting»…)
    subject_field = ""

    def __str__(self) -> str:
        return f"{self.title} {self.created_at:%d.%m.%Y %H:%M}"

    @classmethod
    def record(cls, subject, actor, *, before: str | None = None, comment: str = "", data=None, **fields):
        """Write the event of a change just made to ``subject``: from ``before`` (its status before the change;
        None when the status stayed) to its status now."""
        status = subject.status
        return cls.objects.create(
            **{cls.subject_field: subject}, actor=actor, from_status=status if before is None else before,
            to_status=status, comment=comment, data=data or {}, **fields,
        )  # fmt: skip

    @property
    def title(self) -> str:
        """What happened, as the history shows it: the kind of the event, else the change of status."""
        if hasattr(self, "get_kind_display"):
            return str(self.get_kind_display())
        return self.transition or self._label(self.to_status)

    @property
    def transition(self) -> str:
        """«было → стало» when the status changed; empty when it stayed or the status before is not known."""
        if self.from_status == self.to_status or not (self.from_status or self._status_may_be_blank()):
            return ""
        return f"{self._label(self.from_status)} → {self._label(self.to_status)}"

    @property
    def details(self) -> list[str]:
        """Short notes after the line: the change of status, a moved date; subclasses add their own."""
        notes = [self.transition] if self.transition and hasattr(self, "get_kind_display") else []
        old, new = self.data.get("old"), self.data.get("new")
        if (old or new) and not isinstance(old, dict | list) and not isinstance(new, dict | list):
            notes.append(f"{day_text(old) or '—'} → {day_text(new) or '—'}")
        return notes

    def _label(self, status: str) -> str:
        return str(dict(self._meta.get_field("to_status").flatchoices).get(status, status))

    def _status_may_be_blank(self) -> bool:
        """A blank status is a status of its own in some tables (a document «не представлен»)."""
        return "" in dict(self._meta.get_field("to_status").flatchoices)


def day_text(value) -> str:
    """An ISO date kept in ``data`` as people read it (dd.mm.yyyy); anything else as it is."""
    if not value:
        return ""
    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)

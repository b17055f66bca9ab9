"""Writes of the control board: saved filters, reminders, and bulk actions applied item by item.

A bulk action never has rules of its own: it calls the same service as the obligation's page for each item,
each in its own transaction, and reports every refusal by item.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import ExtensionRequest, Obligation, ObligationEvent, SavedFilter
from meetings.services.obligations import (
    _locked,
    _refuse_self_control,
    extension_decide,
    obligation_event,
    obligation_set_due_date,
    report_accept,
)
from meetings.services.telling import describe
from municipalities.limits import check_date
from notifications import events

SAVED_FILTERS_PER_USER = 50
# Only the board's own filter and sort keys are kept in a saved filter; anything else in the query is dropped.
FILTER_KEYS = (
    "q",
    "meeting",
    "municipality",
    "organization",
    "status",
    "state",
    "scope",
    "due_from",
    "due_to",
    "executor",
    "sort",
)


def clean_query(query: str) -> str:
    pairs = [
        (k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k in FILTER_KEYS and v.strip()
    ]
    return urlencode(pairs)[:2000]


@transaction.atomic
def saved_filter_save(*, user, name: str, query: str) -> SavedFilter:
    """Keep the board's current filters under a name; the same name again replaces them."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Назовите фильтр, например «Просрочено по Всеволожскому району»."})
    if len(name) > 100:
        raise ValidationError({"name": f"Название фильтра — не длиннее 100 знаков (сейчас {len(name)})."})
    query = clean_query(query)
    existing = SavedFilter.objects.for_user(user).filter(name=name).first()
    if existing:
        existing.query = query
        existing.save(update_fields=["query"])
        return existing
    if SavedFilter.objects.for_user(user).count() >= SAVED_FILTERS_PER_USER:
        raise ValidationError(
            f"Сохранить можно не больше {SAVED_FILTERS_PER_USER} фильтров: удалите ненужные."
        )
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(user=user, name=name, query=query)
    except IntegrityError:  # the same name saved at the same moment in another tab
        raise ValidationError({"name": "Фильтр с таким названием у вас уже есть."}) from None


def saved_filter_delete(*, user, pk: int) -> None:
    SavedFilter.objects.for_user(user).filter(pk=pk).delete()


@transaction.atomic
def obligation_remind(*, obligation: Obligation, actor) -> Obligation:
    """The controller reminds the executor of an open obligation: a history line, and the executor (or its unit)
    is told — in the portal and by e-mail per each person's mode — once per obligation a day."""
    obligation = _locked(obligation)
    _refuse_self_control(obligation, actor, "Напоминать")
    if not obligation.user_can_control(actor):
        raise PermissionDenied("Напоминать исполнителю может только контролирующий орган.")
    if not obligation.is_open:
        raise ValidationError("Поручение не в работе: напоминать не о чем.")
    obligation_event(obligation, ObligationEvent.Kind.REMINDED, actor, obligation.status, obligation.status)
    due = f", срок — {obligation.due_date:%d.%m.%Y}" if obligation.due_date else ""
    today = timezone.localdate()
    events.tell(
        obligation.people_to_tell(), kind=events.OBLIGATION_REMINDED,
        subject=f"Напоминание: {obligation.reference}{due}",
        text=f"Контролирующий орган напоминает о поручении.\n\nИсполнитель: {obligation.unit_name}.\n\n"
        f"{describe(obligation)}",
        url=obligation.get_absolute_url(), key=f"obligation-remind-{obligation.pk}-{today:%Y%m%d}",
    )  # fmt: skip
    return obligation


def obligation_extend(*, obligation: Obligation, actor, new_date: date) -> Obligation:
    """Extend the deadline: a pending request is granted with that date, otherwise the date is set."""
    check_date(new_date, "Новый срок", "new_date")
    pending = obligation.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first()
    if pending is not None:
        extension_decide(request=pending, actor=actor, grant=True, new_date=new_date)
        return obligation
    return obligation_set_due_date(obligation=obligation, actor=actor, due_date=new_date,
                                   comment="Срок перенесён с доски контроля.")  # fmt: skip


BULK_ACTIONS = {
    "accept": "Принять отчёты",
    "extend": "Перенести срок",
    "remind": "Напомнить исполнителям",
}
BULK_LIMIT = 200


@dataclass
class BulkOutcome:
    obligation: Obligation
    done: bool
    message: str


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or "Действие недоступно."


def bulk_apply(
    *, obligations: list[Obligation], actor, action: str, new_date: date | None = None
) -> list[BulkOutcome]:
    """Apply one action to each obligation with its own service; one item's refusal never stops the others."""
    if action not in BULK_ACTIONS:
        raise ValidationError("Неизвестное действие.")
    if action == "extend":
        check_date(new_date, "Новый срок", "new_date")
        if new_date is None:
            raise ValidationError({"new_date": "Укажите новый срок."})
    outcomes = []
    for obligation in obligations:
        try:
            if action == "accept":
                result = report_accept(obligation=obligation, actor=actor)
                message = ("снято с контроля" if result.status == "accepted"
                           else f"отчёт принят, следующий срок — {result.due_date:%d.%m.%Y}")  # fmt: skip
            elif action == "extend":
                obligation_extend(obligation=obligation, actor=actor, new_date=new_date)
                message = f"срок перенесён на {new_date:%d.%m.%Y}"
            else:
                obligation_remind(obligation=obligation, actor=actor)
                message = "напоминание направлено"
            outcomes.append(BulkOutcome(obligation, True, message))
        except (ValidationError, PermissionDenied) as exc:
            outcomes.append(BulkOutcome(obligation, False, _refusal(exc)))
    return outcomes

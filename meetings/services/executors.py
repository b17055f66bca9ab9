"""People, not only units: the named executor inside the responsible unit, and the lead executor of a decision
that names several bodies for one task (its other obligations are co-executors).

The head or a colleague of the unit, or the controller, names the executor; reassigning keeps the history as
events. The controller names the lead: the lead reports, co-executors contribute by comments with files and
follow the lead's report (reported, returned, accepted together).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from meetings.models import Obligation, ObligationEvent, ObligationStatus
from meetings.services.obligations import _locked, obligation_event
from meetings.services.telling import describe, tell_event
from municipalities.limits import COMMENT, check_text
from notifications import events


@transaction.atomic
def executor_assign(*, obligation: Obligation, actor, executor, comment: str = "") -> Obligation:
    """Name the person of the unit who carries the obligation out; tell them once."""
    obligation = _locked(obligation)
    if actor.is_read_only or not (
        obligation.user_is_responsible(actor) or obligation.user_can_control(actor)
    ):
        raise PermissionDenied(
            "Назначать исполнителя может руководитель или сотрудник органа-исполнителя "
            f"({obligation.unit_name}) либо контролирующий орган."
        )
    if obligation.status == ObligationStatus.ACCEPTED:
        raise ValidationError("Поручение снято с контроля: исполнителя уже не назначают.")
    if executor is None or not executor.is_active or not obligation.user_is_responsible(executor):
        raise ValidationError(
            {
                "executor": f"Исполнителем можно назначить только сотрудника исполнителя: {obligation.unit_name}."
            }
        )
    if executor.pk == obligation.executor_id:
        raise ValidationError({"executor": f"{executor.short_name} уже исполнитель этого поручения."})
    check_text(comment, "Комментарий", COMMENT, "comment")
    before = obligation.executor
    obligation.executor = executor
    obligation.save(update_fields=["executor", "updated_at"])
    kind = ObligationEvent.Kind.EXECUTOR_CHANGED if before else ObligationEvent.Kind.EXECUTOR_ASSIGNED
    data = {"executor": executor.pk, "executor_name": executor.full_name or executor.username}
    if before:
        data |= {"previous": before.pk, "previous_name": before.full_name or before.username}
    event = obligation_event(
        obligation, kind, actor, obligation.status, obligation.status, comment.strip(), data
    )
    note = f"\n\n{actor.short_name}: {comment.strip()}" if comment.strip() else ""
    tell_event(
        obligation, event, kind=events.EXECUTOR_ASSIGNED, people=[executor],
        subject=f"Вы назначены исполнителем: {obligation.reference}",
        text=f"{actor.short_name} назначил(а) вас исполнителем поручения ({obligation.unit_name}).\n\n"
        f"{describe(obligation)}{note}",
    )  # fmt: skip
    return obligation


@transaction.atomic
def lead_set(*, obligation: Obligation, actor) -> Obligation:
    """Make this obligation the lead of its decision (ответственный исполнитель); the others become co-executors."""
    obligation = _locked(obligation)
    if actor.is_read_only or obligation.user_is_responsible(actor) or not obligation.user_can_control(actor):
        raise PermissionDenied("Назначать ответственного исполнителя может только контролирующий орган.")
    siblings = list(
        Obligation.objects.select_for_update()
        .filter(decision_id=obligation.decision_id)
        .exclude(pk=obligation.pk)
    )
    if not siblings:
        raise ValidationError(
            "У решения один исполнитель: соисполнителей нет, назначать ответственного не нужно."
        )
    if obligation.is_lead:
        raise ValidationError(f"{obligation.unit_name} уже ответственный исполнитель.")
    if obligation.status == ObligationStatus.ACCEPTED:
        raise ValidationError(
            f"Поручение {obligation.unit_name} уже снято с контроля: ответственным исполнителем может быть только "
            "тот, кто ещё исполняет решение."
        )
    if any(o.status == ObligationStatus.REPORTED for o in [obligation, *siblings]):
        raise ValidationError(
            "По решению есть отчёт на проверке: сначала примите или верните его, затем назначайте ответственного."
        )
    Obligation.objects.filter(decision_id=obligation.decision_id, is_lead=True).update(is_lead=False)
    obligation.is_lead = True
    obligation.save(update_fields=["is_lead", "updated_at"])
    obligation_event(
        obligation, ObligationEvent.Kind.LEAD_SET, actor, obligation.status, obligation.status,
        "Соисполнители: " + ", ".join(o.unit_name for o in siblings) + ".",
    )  # fmt: skip
    for other in siblings:
        obligation_event(
            other, ObligationEvent.Kind.LEAD_SET, actor, other.status, other.status,
            f"Ответственный исполнитель — {obligation.unit_name}; итоговый отчёт представляет он, "
            "соисполнитель направляет свои материалы комментарием.",
        )  # fmt: skip
    return obligation

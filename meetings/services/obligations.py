"""Writes on obligations: start, report, accept, return, extensions, due dates.

Every status change writes an ObligationEvent in the same transaction; side effects run on commit. Rows are
locked (select_for_update) where two people may act at once.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.uploads import check_upload, storage_name
from meetings import limits
from meetings.models import (
    ExtensionRequest,
    Obligation,
    ObligationEvent,
    ObligationStatus,
    Report,
    ReportFile,
)
from meetings.models.obligations import TRANSITIONS
from meetings.services.telling import capital, describe, tell_event
from municipalities.limits import COMMENT, REPORT_TEXT, check_date, check_text
from notifications import events
from notifications.notify import notify

# ---------------------------------------------------------------- obligations


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def obligation_event(
    obligation, kind, actor, from_status, to_status, comment="", data=None
) -> ObligationEvent:
    return ObligationEvent.objects.create(
        obligation=obligation, kind=kind, actor=actor, from_status=from_status, to_status=to_status,
        comment=comment, data=data or {},
    )  # fmt: skip


def _locked(obligation: Obligation) -> Obligation:
    return (
        Obligation.objects.select_for_update().select_related("decision__item__meeting").get(pk=obligation.pk)
    )


def _refuse_self_control(obligation: Obligation, actor, what: str) -> None:
    """Nobody controls their own work: whoever reports on an obligation never reviews it."""
    if obligation.user_is_responsible(actor):
        raise PermissionDenied(
            f"{what} по этому поручению вы не можете: его исполняет ваш орган ({obligation.unit_name}), а никто не "
            "контролирует собственную работу. Это делает контролирующий орган"
            + (" — комитет." if obligation.is_organizers_own else ".")
        )


def _move(obligation: Obligation, to: str, kind, actor, comment: str = "", data=None) -> ObligationEvent:
    obligation.check_transition(to)
    before = obligation.status
    obligation.status = to
    obligation.save()
    return obligation_event(obligation, kind, actor, before, to, comment, data)


def _follow_lead(lead: Obligation, to: str, kind, actor, comment: str = "", data=None, **fields) -> list:
    """Co-executors follow the lead's report: reported, returned, accepted (or moved to the next checkpoint)
    together with it. Returns (obligation, event) of each one moved."""
    if not lead.is_lead:
        return []
    moved = []
    others = (
        Obligation.objects.select_for_update(of=("self",))
        .filter(decision_id=lead.decision_id)
        .exclude(pk=lead.pk)
        .select_related("decision__item__meeting", "executor", "municipality", "school", "organization")
    )
    note = f"Вместе с ответственным исполнителем ({lead.unit_name})." + (f" {comment}" if comment else "")
    for other in others:
        if other.status == to or not TRANSITIONS.can(other.status, to):
            continue
        for name, value in fields.items():
            setattr(other, name, value)
        moved.append((other, _move(other, to, kind, actor, note, data)))
    return moved


def _refuse_co_executor(obligation: Obligation, what: str) -> None:
    if obligation.is_co_executor:
        raise ValidationError(
            f"{what}: {obligation.unit_name} — соисполнитель. Итоговый отчёт по этому решению представляет "
            f"ответственный исполнитель — {obligation.lead.unit_name}; соисполнитель направляет свои материалы "
            "комментарием с файлами, их видят ответственный исполнитель и контролирующий орган."
        )


@transaction.atomic
def obligation_start(*, obligation: Obligation, actor) -> Obligation:
    obligation = _locked(obligation)
    if not obligation.user_is_responsible(actor):
        raise PermissionDenied("Брать поручение в работу может только исполнитель.")
    _move(obligation, ObligationStatus.IN_WORK, ObligationEvent.Kind.STARTED, actor)
    return obligation


@transaction.atomic
def report_submit(
    *,
    obligation: Obligation,
    actor,
    text: str,
    files: list[UploadedFile] = (),
    via_roadmap: bool = False,
    executed_on: date | None = None,
) -> Report:
    """The responsible unit reports (text and files, and the actual execution date if not today); the
    controller then accepts or returns it."""
    obligation = _locked(obligation)
    if not obligation.user_is_responsible(actor):
        raise PermissionDenied("Отчитываться по поручению может только исполнитель.")
    _refuse_co_executor(obligation, "Отчёт не принят")
    _check_roadmap_path(obligation, via_roadmap)
    if not text.strip():
        raise ValidationError({"text": "Опишите, что сделано."})
    if executed_on and executed_on > timezone.localdate():
        raise ValidationError(
            {"executed_on": "Дата фактического исполнения не может быть позже сегодняшней."}
        )
    check_text(text, "Отчёт", REPORT_TEXT, "text")
    checked = [
        (upload, check_upload(upload)) for upload in files
    ]  # all files are checked before anything is saved
    obligation.last_reported_at = timezone.now()
    data = {"files": [c.name for _, c in checked]} | (
        {"executed_on": executed_on.isoformat()} if executed_on else {}
    )
    _move(
        obligation, ObligationStatus.REPORTED, ObligationEvent.Kind.REPORTED, actor, text.strip()[:2000], data
    )
    report = Report.objects.create(
        obligation=obligation,
        author=actor,
        text=text.strip(),
        due_date=obligation.due_date,
        executed_on=executed_on,
    )
    text = f"Отчёт на проверку: {obligation.unit_name}, {obligation.reference}"
    notify(obligation.controllers(), text, obligation.get_absolute_url())
    _follow_lead(obligation, ObligationStatus.REPORTED, ObligationEvent.Kind.REPORTED, actor)
    for upload, info in checked:
        stored = ReportFile(report=report, name=info.name, size=info.size, content_type=info.content_type,
                            sha256=info.sha256)  # fmt: skip
        stored.file.save(storage_name("reports", info.name), upload, save=False)
        stored.save()
    return report


def _check_roadmap_path(obligation: Obligation, via_roadmap: bool) -> None:
    """A municipality's or school's duty to submit a roadmap is reported and reviewed through the roadmap,
    never around it; a regional organisation among the addressees reports as usual."""
    if obligation.answers_with_roadmap and not via_roadmap:
        raise ValidationError(
            "По этому решению исполнитель представляет дорожную карту: она заполняется, представляется "
            "и рассматривается на странице дорожной карты."
        )


def _pending_report(obligation: Obligation) -> Report:
    report = obligation.reports.filter(status=Report.Status.SUBMITTED).order_by("-submitted_at").first()
    if report is None or obligation.status != ObligationStatus.REPORTED:
        raise ValidationError("Отчёт уже рассмотрен: обновите страницу.")
    return report


@transaction.atomic
def report_accept(
    *, obligation: Obligation, actor, comment: str = "", via_roadmap: bool = False
) -> Obligation:
    """Accept the pending report: the obligation is closed, or moves on to its next checkpoint."""
    obligation = _locked(obligation)
    _refuse_self_control(obligation, actor, "Принимать отчёт")
    if not obligation.user_can_control(actor):
        raise PermissionDenied("Принимать отчёты может только контролирующий орган.")
    limits.check_comment(comment)
    _refuse_co_executor(obligation, "Принять отчёт нельзя")
    _check_roadmap_path(obligation, via_roadmap)
    report = _pending_report(obligation)
    now = timezone.now()
    report.status, report.reviewed_by, report.reviewed_at, report.review_comment = (
        Report.Status.ACCEPTED, actor, now, comment)  # fmt: skip
    report.save()
    next_due = obligation.decision.next_due_date(obligation.due_date) if obligation.due_date else None
    remark = f"\n\n{actor.short_name}: {comment.strip()}" if comment.strip() else ""
    if next_due:
        data = {"checkpoint": iso_date(obligation.due_date), "next": next_due.isoformat()}
        obligation.due_date = next_due
        event = _move(
            obligation, ObligationStatus.IN_WORK, ObligationEvent.Kind.ACCEPTED, actor, comment, data
        )
        moved = _follow_lead(obligation, ObligationStatus.IN_WORK, ObligationEvent.Kind.ACCEPTED, actor, comment,
                             data, due_date=next_due)  # fmt: skip
        subject = f"Отчёт принят: {obligation.reference}; следующий срок — {next_due:%d.%m.%Y}"
    else:
        obligation.closed_at = now
        obligation.closed_late = report.submitted_late
        data = {"late": report.submitted_late}
        event = _move(
            obligation, ObligationStatus.ACCEPTED, ObligationEvent.Kind.ACCEPTED, actor, comment, data
        )
        moved = _follow_lead(obligation, ObligationStatus.ACCEPTED, ObligationEvent.Kind.ACCEPTED, actor, comment,
                             data, closed_at=now, closed_late=report.submitted_late)  # fmt: skip
        subject = f"Отчёт принят, поручение снято с контроля: {obligation.reference}"
    for who, what in [(obligation, event), *moved]:
        tell_event(who, what, kind=events.REPORT_ACCEPTED, subject=subject,
                   text=f"{subject}.\nИсполнитель: {who.unit_name}.\n\n{describe(who)}{remark}")  # fmt: skip
    return obligation


@transaction.atomic
def report_return(*, obligation: Obligation, actor, comment: str, via_roadmap: bool = False) -> Obligation:
    obligation = _locked(obligation)
    _refuse_self_control(obligation, actor, "Возвращать отчёт")
    if not obligation.user_can_control(actor):
        raise PermissionDenied("Возвращать отчёты может только контролирующий орган.")
    _check_roadmap_path(obligation, via_roadmap)
    if not comment.strip():
        raise ValidationError({"comment": "Укажите, что нужно доработать."})
    limits.check_comment(comment)
    _refuse_co_executor(obligation, "Вернуть отчёт нельзя")
    report = _pending_report(obligation)
    report.status, report.reviewed_by, report.reviewed_at, report.review_comment = (
        Report.Status.RETURNED, actor, timezone.now(), comment.strip())  # fmt: skip
    report.save()
    event = _move(
        obligation, ObligationStatus.RETURNED, ObligationEvent.Kind.RETURNED, actor, comment.strip()
    )
    moved = _follow_lead(
        obligation, ObligationStatus.RETURNED, ObligationEvent.Kind.RETURNED, actor, comment.strip()
    )
    subject = f"Отчёт возвращён на доработку: {obligation.reference}"
    for who, what in [(obligation, event), *moved]:
        tell_event(who, what, kind=events.REPORT_RETURNED, subject=f"{subject} — {comment.strip()[:150]}",
                   text=f"{subject}.\nИсполнитель: {who.unit_name}.\n\nЧто доработать ({actor.short_name}): "
                   f"{comment.strip()}\n\n{describe(who)}")  # fmt: skip
    return obligation


@transaction.atomic
def extension_request(*, obligation: Obligation, actor, proposed_date: date, reason: str) -> ExtensionRequest:
    obligation = _locked(obligation)
    if not obligation.user_is_responsible(actor):
        raise PermissionDenied("Просить о переносе срока может только исполнитель.")
    if not obligation.is_open:
        raise ValidationError("Поручение не в работе: перенос срока не нужен.")
    if not reason.strip():
        raise ValidationError({"reason": "Объясните, почему нужен перенос срока."})
    check_text(reason, "Обоснование", COMMENT, "reason")
    check_date(proposed_date, "Новый срок", "proposed_date")
    if obligation.due_date and proposed_date <= obligation.due_date:
        raise ValidationError(
            {"proposed_date": f"Новый срок должен быть позже действующего ({obligation.due_date:%d.%m.%Y})."}
        )
    if obligation.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError("Запрос на перенос срока уже на рассмотрении.")
    request = ExtensionRequest.objects.create(
        obligation=obligation, requested_by=actor, current_due_date=obligation.due_date, proposed_date=proposed_date,
        reason=reason.strip(),
    )  # fmt: skip
    obligation_event(obligation, ObligationEvent.Kind.EXTENSION_REQUESTED, actor, obligation.status, obligation.status,
           reason.strip(), {"proposed": proposed_date.isoformat()})  # fmt: skip
    notify(obligation.controllers(), f"Просьба перенести срок: {obligation.unit_name}, "
           f"{obligation.reference}, до {proposed_date:%d.%m.%Y}", obligation.get_absolute_url())  # fmt: skip
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor, grant: bool, comment: str = "", new_date: date | None = None
) -> ExtensionRequest:
    """Grant (a new due date; the old one stays in the history) or decline a pending request."""
    obligation = _locked(request.obligation)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    _refuse_self_control(obligation, actor, "Решать о переносе срока")
    if not obligation.user_can_control(actor):
        raise PermissionDenied("Решать о переносе срока может только контролирующий орган.")
    if request.status != ExtensionRequest.Status.PENDING:
        raise ValidationError("Запрос уже рассмотрен: обновите страницу.")
    if not grant and not comment.strip():
        raise ValidationError({"comment": "Укажите причину отказа."})
    limits.check_comment(comment)
    check_date(new_date, "Новый срок", "new_date")
    request.status = ExtensionRequest.Status.GRANTED if grant else ExtensionRequest.Status.DECLINED
    request.decided_by, request.decided_at, request.decision_comment = actor, timezone.now(), comment.strip()
    request.save()
    if grant:
        old = obligation.due_date
        obligation.due_date = new_date or request.proposed_date
        obligation.save(update_fields=["due_date", "updated_at"])
        event = obligation_event(obligation, ObligationEvent.Kind.EXTENSION_GRANTED, actor, obligation.status,
               obligation.status, comment.strip(), {"old": iso_date(old), "new": obligation.due_date.isoformat()})  # fmt: skip
    else:
        event = obligation_event(obligation, ObligationEvent.Kind.EXTENSION_DECLINED, actor, obligation.status,
                                 obligation.status, comment.strip())  # fmt: skip
    verdict = f"срок перенесён на {obligation.due_date:%d.%m.%Y}" if grant else "в переносе срока отказано"
    remark = f"\n\n{actor.short_name}: {comment.strip()}" if comment.strip() else ""
    tell_event(
        obligation, event, kind=events.EXTENSION_DECIDED, subject=f"{capital(obligation.reference)}: {verdict}",
        text=f"Просьба перенести срок на {request.proposed_date:%d.%m.%Y}: {verdict}.\n\n{describe(obligation)}"
        f"{remark}",
    )  # fmt: skip
    return request


@transaction.atomic
def obligation_set_due_date(
    *, obligation: Obligation, actor, due_date: date, comment: str = ""
) -> Obligation:
    """The controller sets a date where the protocol had none or it could not be read."""
    obligation = _locked(obligation)
    _refuse_self_control(obligation, actor, "Устанавливать срок")
    if not obligation.user_can_control(actor):
        raise PermissionDenied("Устанавливать срок может только контролирующий орган.")
    if not obligation.is_open:
        raise ValidationError("Поручение уже снято с контроля.")
    check_date(due_date, "Срок", "due_date")
    limits.check_comment(comment)
    old = obligation.due_date
    obligation.due_date = due_date
    if obligation.original_due_date is None:
        obligation.original_due_date = due_date
    obligation.save(update_fields=["due_date", "original_due_date", "updated_at"])
    obligation_event(obligation, ObligationEvent.Kind.DUE_DATE_SET, actor, obligation.status, obligation.status, comment,
           {"old": iso_date(old), "new": due_date.isoformat()})  # fmt: skip
    return obligation

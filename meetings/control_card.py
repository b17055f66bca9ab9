"""The control card (контрольная карточка) of one obligation as a PDF in the official layout.

Document, point, text, executor, controller, deadlines with every extension, reports and the marks of
execution, as of a date. One page or two: rendered on request, like an XLSX export, with the same
WeasyPrint setup (and URL fetcher) as the protocol documents.
"""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from meetings.documents import render_pdf, signature_name
from meetings.models import Obligation, ObligationEvent, ObligationStatus

DEADLINE_EVENTS = (ObligationEvent.Kind.EXTENSION_GRANTED, ObligationEvent.Kind.DUE_DATE_SET)
# «Протокол совещания», not «Протокол совещание»: the kind of meeting in the genitive
OF_KIND = {
    "meeting": "совещания",
    "interview": "собеседования",
    "council": "заседания координационного совета",
}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _document_name(meeting) -> str:
    number = f"№ {meeting.number}" if meeting.number else ""
    parts = ("Протокол", OF_KIND.get(meeting.kind, ""), number, f"от {meeting.date:%d.%m.%Y}")
    return " ".join(part for part in parts if part)


def card_context(obligation: Obligation, *, today: date) -> dict:
    obligation = (
        Obligation.objects.select_related(
            "decision__item__meeting__organizer_organization", "decision__item__meeting__organizer_municipality",
            "decision__controller", "municipality", "school", "organization",
        ).get(pk=obligation.pk)
    )  # fmt: skip
    decision = obligation.decision
    meeting = decision.item.meeting
    events = list(obligation.events.select_related("actor"))
    moves = [
        {"on": timezone.localdate(e.created_at), "old": _date(e.data.get("old")), "new": _date(e.data.get("new")),
         "kind": e.get_kind_display(), "by": e.actor.short_name, "comment": e.comment}
        for e in events if e.kind in DEADLINE_EVENTS and e.data.get("new")
    ]  # fmt: skip
    declined = [
        {"on": timezone.localdate(x.decided_at), "proposed": x.proposed_date, "comment": x.decision_comment}
        for x in obligation.extension_requests.filter(status="declined").order_by("requested_at")
    ]
    reports = [
        {"on": timezone.localdate(r.submitted_at), "author": r.author.short_name, "text": " ".join(r.text.split()),
         "status": r.get_status_display(), "late": r.submitted_late, "due": r.due_date,
         "reviewed_on": timezone.localdate(r.reviewed_at) if r.reviewed_at else None,
         "reviewer": r.reviewed_by.short_name if r.reviewed_by_id else "", "review": r.review_comment}
        for r in obligation.reports.select_related("author", "reviewed_by")
    ]  # fmt: skip
    if obligation.executor_id:  # the named executor, as the card names the person who answers
        executors = ", ".join(p for p in (obligation.executor.full_name, obligation.executor.position) if p)
    else:
        executors = ", ".join(u.full_name or u.username for u in obligation.responsible_users())
    if obligation.is_lead:
        executors = "; ".join(p for p in (executors, "ответственный исполнитель") if p)
    elif obligation.is_co_executor:
        executors = "; ".join(
            p for p in (executors, f"соисполнитель (ответственный — {obligation.lead.unit_name})") if p
        )
    overdue_days = (today - obligation.due_date).days if obligation.is_overdue_on(today) else 0
    return {
        "obligation": obligation,
        "decision": decision,
        "meeting": meeting,
        "organizer": meeting.organizer_name,
        "document": _document_name(meeting),
        "title": " ".join(meeting.title.split()),
        "reference": decision.reference,
        "text": [" ".join(line.split()) for line in decision.text.splitlines() if line.strip()],
        "unit": obligation.unit_name,
        "unit_full": str(obligation.unit)
        if obligation.school_id or obligation.organization_id
        else obligation.municipality.authority_name,
        "executors": executors,
        "controller": decision.controller.full_name if decision.controller_id else "",
        "controller_signature": signature_name(decision.controller.short_name)
        if decision.controller_id
        else "",
        "deadline_text": decision.deadline_text.strip(),
        "original_due": obligation.original_due_date,
        "due": obligation.due_date,
        "moves": moves,
        "declined": declined,
        "reports": reports,
        "accepted": obligation.status == ObligationStatus.ACCEPTED,
        "closed_on": timezone.localdate(obligation.closed_at) if obligation.closed_at else None,
        "closed_late": obligation.closed_late,
        "status": obligation.get_status_display(),
        "overdue_days": overdue_days,
        "today": today,
        "is_draft": False,
        "revision": 1,
    }


def render_card_html(obligation: Obligation, *, today: date | None = None) -> str:
    return render_to_string(
        "pdf/control_card.html", card_context(obligation, today=today or timezone.localdate())
    )


def render_card(obligation: Obligation, *, today: date | None = None) -> bytes:
    return render_pdf(render_card_html(obligation, today=today))


def card_filename(obligation: Obligation) -> str:
    meeting = obligation.decision.item.meeting
    number = f"-{meeting.number}" if meeting.number else ""
    point = obligation.decision.number.strip().rstrip(".")
    return f"control-card{number}-{meeting.date:%Y-%m-%d}-p{point}-{obligation.pk}.pdf"

"""Pages of the monitoring: the matrix with its XLSX, a municipality's card, submissions, reviews, links."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.service_errors import show_errors
from core.uploads import private_file_response
from core.xlsx import xlsx_response
from mechanisms import services
from mechanisms.forms import LinkForm, ReviewForm, SubmitForm
from mechanisms.matrix import build_matrix, chosen_year, years_of
from mechanisms.models import (
    Direction,
    MechanismDocument,
    MechanismEvent,
    RequiredDocument,
    monitored_municipalities,
    sees_monitoring,
)
from meetings.models import Decision


def _card_url(municipality_id: int, year: int, anchor: str = "") -> str:
    return f"{reverse('mechanisms:card', args=[municipality_id])}?year={year}{anchor}"


@login_required
@require_safe
def matrix(request):
    """Municipality × direction: how many of the required documents are accepted, for a year."""
    user = request.user
    if not sees_monitoring(user):
        raise PermissionDenied
    year = chosen_year(user, request.GET.get("year"))
    directions, rows, totals = build_matrix(user, year)
    if request.GET.get("format") == "xlsx":
        header = ["Муниципалитет", *[f"{d.number}. {d.name}" for d in directions], "Принято", "Требуется",
                  "Полнота, %", "На проверке", "Возвращено"]  # fmt: skip
        data = [
            [row.municipality.name, *[f"{c.accepted} из {c.required}" for c in row.cells], row.total.accepted,
             row.total.required, row.total.percent, row.total.submitted, row.total.returned]
            for row in rows
        ]  # fmt: skip
        return xlsx_response(f"mechanisms-{year}.xlsx", f"Механизмы {year}", header, data)
    context = {
        "year": year,
        "years": years_of(user),
        "directions": directions,
        "rows": rows,
        "totals": totals,
    }
    return render(request, "mechanisms/matrix.html", context)


@dataclass
class DocumentRow:
    required: RequiredDocument
    document: MechanismDocument | None

    @property
    def status(self) -> str:
        return self.document.status if self.document else ""

    @property
    def status_label(self) -> str:
        return self.document.get_status_display() if self.document else "не представлен"


@login_required
@require_safe
def card(request, pk: int):
    """A municipality's documents for a year, per direction: state, file or link, submission, review, history."""
    user = request.user
    municipality = get_object_or_404(monitored_municipalities(user), pk=pk)
    year = chosen_year(user, request.GET.get("year"))
    documents = {
        d.required_id: d
        for d in MechanismDocument.objects.for_user(user).filter(municipality=municipality, year=year)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("events", MechanismEvent.objects.select_related("actor")))
    }  # fmt: skip
    directions = (
        Direction.objects.for_user(user).active().filter(region=municipality.region_id)
        .prefetch_related(Prefetch("documents", RequiredDocument.objects.filter(is_active=True)))
    )  # fmt: skip
    sections = []
    for direction in directions:
        rows = [DocumentRow(r, documents.get(r.pk)) for r in direction.documents.all()]
        count = {
            status: sum(1 for r in rows if r.status == status)
            for status in ("accepted", "submitted", "returned")
        }
        sections.append({"direction": direction, "rows": rows, "required": len(rows), **count})
    context = {
        "municipality": municipality, "year": year, "years": years_of(user), "sections": sections,
        "accepted": sum(s["accepted"] for s in sections), "required": sum(s["required"] for s in sections),
        "can_submit": not user.is_read_only and user.role == "municipality" and user.municipality_id == municipality.pk,
        "can_review": user.is_committee and not user.is_read_only,
        "submit_form": SubmitForm(initial={"year": year}), "review_form": ReviewForm(),
    }  # fmt: skip
    return render(request, "mechanisms/card.html", context)


@login_required
@require_POST
def submit(request, pk: int, required_pk: int):
    if request.user.is_read_only:
        raise PermissionDenied
    municipality = get_object_or_404(monitored_municipalities(request.user), pk=pk)
    required = get_object_or_404(
        RequiredDocument.objects.filter(direction__in=Direction.objects.for_user(request.user)),
        pk=required_pk,
    )
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(
                request, f"«{required.name}»: {label} — {' '.join(errors)}" if label else errors[0]
            )
        return redirect(_card_url(municipality.pk, form.data.get("year") or "", f"#doc-{required.pk}"))
    data = form.cleaned_data
    try:
        services.document_submit(actor=request.user, municipality=municipality, required=required,
                                 year=data["year"], upload=data["file"], url=data["url"],
                                 comment=data["comment"])  # fmt: skip
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, f"Документ «{required.name}» представлен на проверку.")
    return redirect(_card_url(municipality.pk, data["year"], f"#doc-{required.pk}"))


ACTIONS = {
    "accept": (services.document_accept, "Документ «{name}» принят."),
    "return": (services.document_return, "Документ «{name}» возвращён на доработку."),
}


@login_required
@require_POST
def document_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    document = get_object_or_404(
        MechanismDocument.objects.for_user(request.user).select_related("required"), pk=pk
    )
    service, done = ACTIONS[action]
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        service(document=document, actor=request.user, comment=form.cleaned_data.get("comment", ""))
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, done.format(name=document.required.name))
    return redirect(document)


@login_required
@require_safe
def document_file(request, pk: int):
    """A municipality's file is served only to those whose scope covers it."""
    document = get_object_or_404(MechanismDocument.objects.for_user(request.user).exclude(file=""), pk=pk)
    return private_file_response(document.file, document.file_name)


@login_required
@require_POST
def decision_link(request, pk: int):
    """Tie a decision to the monitoring (or untie it): committee staff, on the decision page."""
    decision = get_object_or_404(Decision.objects.for_user(request.user), pk=pk)
    if request.user.is_read_only:
        raise PermissionDenied
    if request.POST.get("remove"):
        services.decision_link_remove(decision=decision, actor=request.user)
        messages.success(request, "Связь решения с мониторингом снята.")
        return redirect(decision)
    form = LinkForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "Укажите год мониторинга (например, 2026) и направление из списка.")
        return redirect(decision)
    try:
        services.decision_link_set(decision=decision, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, "Решение связано с мониторингом: исполнение снимается с контроля, когда "
                                  "документы муниципалитета приняты.")  # fmt: skip
    return redirect(decision)

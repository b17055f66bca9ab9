"""Protocol pages: list, detail, signing, decisions (entry and review: ``review``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.forms import formset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from core.forms import parse_id
from core.service_errors import add_form_errors, show_errors
from meetings import services
from meetings.forms import DecisionEditForm, ItemEditForm, MeetingEditForm, lines
from meetings.models import Decision, Document, Meeting, Obligation, ObligationStatus
from meetings.parties import PartyResolver
from meetings.revisions import ProtocolEdit, current_people, meeting_amend
from municipalities.models import Role
from municipalities.region_filter import region_filter


@login_required
@require_safe
def meeting_list(request):
    meetings = (
        Meeting.objects.for_user(request.user)
        .select_related("organizer_organization", "organizer_municipality")
        .annotate(
            decision_count=Count("items__decisions", filter=Q(items__decisions__tracked=True), distinct=True),
        )
    )
    kind = request.GET.get("kind")
    if kind in Meeting.Kind.values:
        meetings = meetings.filter(kind=kind)
    regions = region_filter(request)
    if regions["region"]:
        meetings = meetings.filter(Q(organizer_organization__region=regions["region"])
                                   | Q(organizer_municipality__region=regions["region"]))  # fmt: skip
    if request.user.sees_every_region:
        meetings = meetings.select_related("organizer_organization__region", "organizer_municipality__region")
    can_create = not request.user.is_read_only and (
        request.user.is_committee or request.user.role == Role.MUNICIPALITY
    )
    return render(request, "meetings/meeting_list.html", {
        "meetings": meetings, "kinds": Meeting.Kind.choices, "kind": kind, "can_create": can_create, **regions,
    })  # fmt: skip


@login_required
@require_safe
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(
        Meeting.objects.for_user(request.user).select_related(
            "organizer_organization", "organizer_municipality"
        ),
        pk=pk,
    )
    visible = Obligation.objects.for_user(request.user)
    decisions = Decision.objects.select_related("controller").prefetch_related("parties").annotate(
        obligation_total=Count("obligations", filter=Q(obligations__in=visible)),
        obligation_done=Count("obligations", filter=Q(obligations__in=visible, obligations__status=ObligationStatus.ACCEPTED)),
    )  # fmt: skip
    items = meeting.items.prefetch_related(Prefetch("decisions", queryset=decisions))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting, "items": items, "participants": meeting.participants.all(),
            "events": meeting.events.select_related("actor"), "can_manage": meeting.user_can_manage(request.user),
            "documents": meeting.documents.exclude(status="failed").order_by("kind", "-created_at"),
            "document_kinds": Document.Kind.choices,
            "sees_every_unit": meeting.user_sees_every_unit(request.user),
            "past": past_decisions(meeting) if not meeting.is_signed else 0,
        },
    )  # fmt: skip


def past_decisions(meeting: Meeting) -> int:
    """Tracked decisions with a written date already past: signing them asks what the protocol is."""
    today = timezone.localdate().isoformat()
    return sum(
        1
        for due_dates in Decision.objects.filter(item__meeting=meeting, tracked=True).values_list(
            "due_dates", flat=True
        )
        if any(d < today for d in due_dates)
    )


@login_required
@require_POST
def meeting_sign(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    control = request.POST.get("control", "")
    if control not in {"archival", "current"} and not meeting.archival and (past := past_decisions(meeting)):
        messages.error(
            request,
            f"Сроки решений уже прошли ({past}): выберите, это запись о прошлом или текущий контроль.",
        )
        return redirect(meeting)
    archival = {"archival": True, "current": False}.get(control)
    try:
        created = services.meeting_sign(meeting=meeting, actor=request.user, archival=archival)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        if archival or (archival is None and meeting.archival):
            messages.success(
                request, f"Архивный протокол подписан: поручений внесено как исполненные — {created}."
            )
        else:
            messages.success(request, f"Протокол подписан: на контроль поставлено поручений — {created}.")
    return redirect(meeting)


ItemEditFormSet = formset_factory(ItemEditForm, extra=1, can_delete=True, max_num=200)


@login_required
def meeting_edit(request, pk: int):
    """Header, participants and agenda of a saved protocol; a signed one gets a new revision with a reason."""
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    if not meeting.user_can_manage(request.user):
        raise PermissionDenied
    people = current_people(meeting)
    initial = {"chair": "; ".join(people["chair"]), "secretary": "; ".join(people["secretary"]),
               "members": "\n".join(people["members"]), "invited": "\n".join(people["invited"])}  # fmt: skip
    items = [{"number": i.number, "title": i.title, "speakers": i.speakers, "heard": i.heard, "spoke": i.spoke}
             for i in meeting.items.all()]  # fmt: skip
    form = MeetingEditForm(request.POST or None, instance=meeting, initial=initial)
    formset = ItemEditFormSet(request.POST or None, initial=items, prefix="items")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        d = form.cleaned_data
        edit = ProtocolEdit(
            header={name: d[name] for name in ("kind", "date", "number", "title", "place")},
            people={"chair": _names(d["chair"]), "secretary": _names(d["secretary"]),
                    "members": lines(d["members"]), "invited": lines(d["invited"])},
            items=[row for row in formset.cleaned_data if row and not row.get("DELETE")],
        )  # fmt: skip
        try:
            changes = meeting_amend(meeting=meeting, actor=request.user, edit=edit, comment=d["comment"])
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            if changes:
                meeting.refresh_from_db()
                messages.success(request, f"Протокол изменён: редакция {meeting.revision}.")
            else:
                messages.info(request, "Изменений нет.")
            return redirect(meeting)
    decisions: dict[int, list[Decision]] = {}
    for decision in Decision.objects.filter(item__meeting=meeting).select_related("item"):
        decisions.setdefault(decision.item.number, []).append(decision)
    rows = [(f, decisions.get(_int(f["number"].value()), [])) for f in formset]
    return render(
        request,
        "meetings/meeting_edit.html",
        {"form": form, "formset": formset, "rows": rows, "meeting": meeting},
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _names(text: str) -> list[str]:
    return [n.strip() for n in (text or "").split(";") if n.strip()]


@login_required
@require_safe
def decision_detail(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.for_user(request.user).select_related("item__meeting", "controller"), pk=pk
    )
    obligations = list(
        Obligation.objects.for_user(request.user).filter(decision=decision).with_state()
        .select_related("municipality", "school", "organization")
        .order_by("municipality__name", "school__short_name", "organization__name")
    )  # fmt: skip
    # every row is this decision's (its text and protocol are the page's header): no join to read them again
    for obligation in obligations:
        obligation.decision = decision
    return render(request, "meetings/decision_detail.html", {
        "decision": decision, "meeting": decision.item.meeting, "obligations": obligations,
        "parties": decision.parties.all(), "can_manage": decision.item.meeting.user_can_manage(request.user),
        "lead": decision.obligations.filter(is_lead=True).select_related("municipality", "school", "organization")
        .first(),
    })  # fmt: skip


@login_required
def decision_edit(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.for_user(request.user).select_related("item__meeting"), pk=pk
    )
    meeting = decision.item.meeting
    if not meeting.user_can_manage(request.user):
        raise PermissionDenied
    resolver = PartyResolver(
        municipality=meeting.organizer_municipality, organization=meeting.organizer_organization
    )
    initial = {
        "text": decision.text, "tracked": decision.tracked, "deadline_text": decision.deadline_text,
        "responsible_text": decision.responsible_text, "controller": decision.controller_id,
        "requires_roadmap": decision.requires_roadmap,
    }  # fmt: skip
    form = DecisionEditForm(request.POST or None, initial=initial, decision=decision, resolver=resolver)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decision_update(
                decision=decision, actor=request.user, text=d["text"], tracked=d["tracked"], deadline=d["deadline"],
                responsible_text=d["responsible_text"], parties=d["parties"], controller=d["controller"],
                comment=d["comment"], requires_roadmap=d["requires_roadmap"],
            )  # fmt: skip
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"Изменения сохранены: {decision.reference}.")
            return redirect(decision)
    return render(
        request, "meetings/decision_edit.html", {"form": form, "decision": decision, "meeting": meeting}
    )


@login_required
@require_POST
def meeting_attendance(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    present = {pk for value in request.POST.getlist("present") if (pk := parse_id(value))}
    changed = services.attendance_set(meeting=meeting, actor=request.user, present=present)
    messages.success(request, f"Присутствие отмечено (изменений: {changed}).")
    return redirect(meeting)

"""Protocol pages: list, entry (typed or imported, corrected on one page), signing, decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.forms import formset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from meetings import services
from meetings.forms import (
    DecisionEditForm,
    DecisionReviewForm,
    ItemForm,
    MeetingHeaderForm,
    ProtocolSourceForm,
    lines,
)
from meetings.importing import draft_from_proposal
from meetings.models import Decision, Document, Meeting, Obligation, ObligationStatus
from meetings.parties import PartyResolver
from meetings.protocol_import import ProtocolProposal, parse_protocol
from municipalities.models import Organization, Role
from portal.forms import id_param, parse_id

ItemFormSet = formset_factory(ItemForm, extra=0)
DecisionFormSet = formset_factory(DecisionReviewForm, extra=1)


def organizer_for(user) -> tuple[Organization | None, object]:
    """The body whose protocols this user keeps (see ``services.organizer_of``)."""
    return services.organizer_of(user)


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
    can_create = not request.user.is_read_only and (
        request.user.is_committee or request.user.role == Role.MUNICIPALITY
    )
    return render(request, "meetings/meeting_list.html",
                  {"meetings": meetings, "kinds": Meeting.Kind.choices, "kind": kind, "can_create": can_create})  # fmt: skip


def _initial_from_proposal(proposal: ProtocolProposal) -> tuple[dict, list[dict], list[dict]]:
    m = proposal.meeting
    header = {
        "kind": m.kind if m.kind in Meeting.Kind.values else Meeting.Kind.OTHER,
        "date": m.date, "number": m.number, "title": m.title, "place": m.place, "chair": m.chair,
        "secretary": m.secretary, "members": "\n".join(m.member_lines or m.members),
        "invited": "\n".join(m.invited_lines or m.invited),
    }  # fmt: skip
    items, decisions = [], []
    for index, item in enumerate(proposal.items, start=1):
        number = int(item.number) if str(item.number).isdigit() else index
        items.append({"number": number, "title": item.title or m.title or "Решения", "speakers": ", ".join(item.speakers),
                      "heard": item.heard, "spoke": item.spoke})  # fmt: skip
        for position, d in enumerate(item.decisions, start=1):
            decisions.append({"item_number": number, "number": d.number or str(position), "text": d.text,
                              "tracked": d.tracked, "deadline_text": d.deadline_text,
                              "responsible_text": d.responsible or d.addressed_to})  # fmt: skip
    return header, items, decisions


def _review_forms(request, *, data=None, header=None, items=None, decisions=None):
    organization, municipality = organizer_for(request.user)
    header_form = MeetingHeaderForm(data, initial=header, user=request.user, municipality=municipality)
    meeting_date = None
    if data is not None and header_form.is_valid():
        meeting_date = header_form.cleaned_data["date"]
    elif header:
        meeting_date = header.get("date")
    resolver = PartyResolver(municipality=municipality, organization=organization)
    item_formset = ItemFormSet(data, initial=items, prefix="items")
    decision_formset = DecisionFormSet(
        data,
        initial=decisions,
        prefix="decisions",
        form_kwargs={"resolver": resolver, "meeting_date": meeting_date},
    )
    return organization, municipality, header_form, item_formset, decision_formset


@login_required
def meeting_new(request):
    """Step 1: paste or upload a protocol (or start empty); step 2 is the review page."""
    organizer_for(request.user)
    if request.method == "POST":
        form = ProtocolSourceForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["text"]
            proposal = parse_protocol(text)
            header, items, decisions = _initial_from_proposal(proposal)
            header["source_text"] = text
            forms = _review_forms(request, header=header, items=items, decisions=decisions)
            _, warnings = draft_from_proposal(proposal, forms[4].form_kwargs["resolver"])
            return _render_review(request, forms, warnings=warnings)
    else:
        form = ProtocolSourceForm()
        about = _about(request)
        if about or request.GET.get("blank"):
            items, decisions = about or ([{"number": 1, "title": ""}], [])
            forms = _review_forms(request, header={}, items=items, decisions=decisions)
            return _render_review(request, forms, warnings=[])
    return render(request, "meetings/meeting_new.html", {"form": form})


def _about(request) -> tuple[list[dict], list[dict]] | None:
    """A question prepared from a flagged school or a weak municipality ("one click from the numbers")."""
    from municipalities.models import Municipality, School

    if school_id := id_param(request, "about_school", label="Школа"):
        school = get_object_or_404(School.objects.for_user(request.user), pk=school_id)
        title, unit = f"О результатах оценочных процедур {school.short_name}", school.short_name
    elif municipality_id := id_param(request, "about_municipality", label="Муниципалитет"):
        municipality = get_object_or_404(Municipality.objects.for_user(request.user), pk=municipality_id)
        title, unit = f"О результатах оценочных процедур: {municipality.name}", municipality.authority_name
    else:
        return None
    decision = {"item_number": 1, "number": "1", "tracked": True, "responsible_text": unit,
                "text": "Проанализировать результаты оценочных процедур и представить в комитет информацию о принятых мерах."}  # fmt: skip
    return [{"number": 1, "title": title}], [decision]


def _render_review(request, forms, *, warnings, errors=()):
    organization, municipality, header_form, item_formset, decision_formset = forms
    resolved = []
    for form in decision_formset:
        text = form["responsible_text"].value() or ""
        resolved.append(_resolve_preview(form.resolver, text))
    return render(
        request,
        "meetings/meeting_review.html",
        {
            "header_form": header_form, "item_formset": item_formset, "decision_formset": decision_formset,
            "decision_rows": list(zip(decision_formset.forms, resolved, strict=True)),
            "warnings": warnings, "errors": errors,
            "organizer": organization.name if organization else municipality.authority_name,
        },
    )  # fmt: skip


def _resolve_preview(resolver, text):
    return [
        (a.text, "; ".join(resolver.describe(t) for t in a.targets) or None)
        for a in resolver.responsible(text)
    ]


@login_required
@require_POST
def meeting_review(request):
    """Step 2: the corrected proposal is saved whole — or not at all, with every problem listed."""
    forms = _review_forms(request, data=request.POST)
    organization, municipality, header_form, item_formset, decision_formset = forms
    valid = header_form.is_valid() & item_formset.is_valid() & decision_formset.is_valid()
    errors = []
    if valid:
        item_numbers = {f.cleaned_data["number"] for f in item_formset if f.cleaned_data}
        for form in decision_formset:
            if form.cleaned_data and form.cleaned_data["item_number"] not in item_numbers:
                errors.append(
                    f"Решение {form.cleaned_data['number']}: нет вопроса повестки № {form.cleaned_data['item_number']}."
                )
        if not item_numbers:
            errors.append("Добавьте хотя бы один вопрос повестки.")
    if valid and not errors:
        draft = _draft_from_forms(header_form, item_formset, decision_formset)
        try:
            meeting = services.meeting_create(
                actor=request.user, draft=draft, organizer_organization=organization,
                organizer_municipality=municipality, controller=header_form.cleaned_data["controller"],
                sign=request.POST.get("action") == "sign", imported=bool(draft.source_text),
            )  # fmt: skip
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            if meeting.is_signed:
                count = Obligation.objects.filter(decision__item__meeting=meeting).count()
                messages.success(request, f"Протокол подписан: на контроль поставлено поручений — {count}.")
            else:
                messages.success(request, "Протокол сохранён как черновик.")
            return redirect(meeting)
    return _render_review(request, forms, warnings=[], errors=errors)


def _draft_from_forms(header_form, item_formset, decision_formset) -> services.MeetingDraft:
    h = header_form.cleaned_data
    items = {
        f.cleaned_data["number"]: services.ItemDraft(
            number=f.cleaned_data["number"],
            title=f.cleaned_data["title"],
            speakers=f.cleaned_data["speakers"],
            heard=f.cleaned_data["heard"],
            spoke=f.cleaned_data["spoke"],
        )
        for f in item_formset
        if f.cleaned_data
    }
    for f in decision_formset:
        d = f.cleaned_data
        if not d or not d.get("text"):
            continue
        items[d["item_number"]].decisions.append(
            services.DecisionDraft(
                number=d["number"],
                text=d["text"],
                tracked=d["tracked"],
                deadline=d["deadline"],
                responsible_text=d["responsible_text"],
                parties=d["parties"],
            )
        )
    return services.MeetingDraft(
        kind=h["kind"], date=h["date"], number=h["number"], title=h["title"], place=h["place"], chair=h["chair"],
        secretary=h["secretary"], members=lines(h["members"]), invited=lines(h["invited"]),
        items=sorted(items.values(), key=lambda i: i.number), source_text=h.get("source_text", ""),
    )  # fmt: skip


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
        },
    )  # fmt: skip


@login_required
@require_POST
def meeting_sign(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    try:
        created = services.meeting_sign(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Протокол подписан: на контроль поставлено поручений — {created}.")
    return redirect(meeting)


@login_required
@require_safe
def decision_detail(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.for_user(request.user).select_related("item__meeting", "controller"), pk=pk
    )
    obligations = (
        Obligation.objects.for_user(request.user).filter(decision=decision).with_state()
        .select_related("decision__item__meeting", "municipality", "school", "organization")
        .order_by("municipality__name", "school__short_name", "organization__name")
    )  # fmt: skip
    return render(request, "meetings/decision_detail.html", {
        "decision": decision, "meeting": decision.item.meeting, "obligations": obligations,
        "parties": decision.parties.all(), "can_manage": decision.item.meeting.user_can_manage(request.user),
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
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
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

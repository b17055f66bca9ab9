"""Entering a protocol: paste or upload it, then correct it on one page — an editor — and save or sign it.

The review page keeps the whole draft in its form: every editing action (add, delete, merge, split,
reorder, «добавить как вариант названия…») posts it back and gets it re-rendered, with the warnings
computed again from what the draft now says, so a warning stays until its cause is gone. The form carries
a one-time key: a second post of the same form returns the protocol the first one saved.
"""

import re
import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import id_param
from meetings import editing, services
from meetings.deadlines import parse_deadline
from meetings.forms import DecisionReviewForm, ItemForm, MeetingHeaderForm, ProtocolSourceForm, lines
from meetings.importing import decision_warnings, draft_from_proposal, proposal_rows
from meetings.models import Obligation
from meetings.notices import Kind
from meetings.parties import PartyResolver, context_for
from meetings.parties.aliases import alias_add, alias_choices, can_add_alias
from meetings.protocol_import import ProtocolProposal, parse_protocol

ItemFormSet = formset_factory(ItemForm, extra=0)
DecisionFormSet = formset_factory(DecisionReviewForm, extra=0)
_KEY_RE = re.compile(r"[0-9a-f]{32}")
MAX_NOTES = 50


def organizer_for(user):
    """The body whose protocols this user keeps (see ``services.organizer_of``)."""
    return services.organizer_of(user)


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
            review = _Review(request, header=header, items=items, decisions=decisions)
            _, warnings = draft_from_proposal(proposal, review.resolver)
            # warnings of the whole document are carried by the page; those of a decision are read again
            review.notes = [w for w in warnings if not getattr(w, "number", "")
                            or getattr(w, "kind", "") == Kind.DATE_IN_TEXT][:MAX_NOTES]  # fmt: skip
            return review.render()
    else:
        form = ProtocolSourceForm()
        about = _about(request)
        if about or request.GET.get("blank"):
            items, decisions = about or ([{"number": 1, "title": ""}], [])
            return _Review(request, header={}, items=items, decisions=decisions).render()
    return render(request, "meetings/meeting_new.html", {"form": form})


def _initial_from_proposal(proposal: ProtocolProposal) -> tuple[dict, list[dict], list[dict]]:
    """The review page's first rows: the parsed protocol read as the batch import reads it."""
    header, rows = proposal_rows(proposal)
    header = {**header, "members": "\n".join(header["members"]), "invited": "\n".join(header["invited"])}
    return header, [item for item, _, _ in rows], [row for _, _, decisions in rows for row, _ in decisions]


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


class _Review:
    """The review page's forms for one request: bound to the post when saving, built from rows when editing."""

    def __init__(self, request, *, data=None, header=None, items=None, decisions=None, strict=True):
        self.request = request
        self.organization, self.municipality = organizer_for(request.user)
        self.header_form = MeetingHeaderForm(
            data, initial=header, user=request.user, municipality=self.municipality
        )
        source = data if data is not None else {}
        self.meeting_date = _date(self.header_form["date"].value())
        self.context = context_for(
            kind=self.header_form["kind"].value() or "",
            members=lines(self.header_form["members"].value()),
            invited=lines(self.header_form["invited"].value()),
        )
        self.resolver = PartyResolver(municipality=self.municipality, organization=self.organization)
        formset_data = data if items is None else None
        self.item_formset = ItemFormSet(formset_data, initial=items, prefix="items")
        self.decision_formset = DecisionFormSet(
            formset_data, initial=decisions, prefix="decisions",
            form_kwargs={"resolver": self.resolver, "meeting_date": self.meeting_date, "context": self.context,
                         "strict": strict},
        )  # fmt: skip
        # a draft keeps what is there: a question still without a title, a decision not yet written
        if not strict:
            for form in self.item_formset.forms:
                form.fields["title"].required = False
            for form in self.decision_formset.forms:
                form.fields["text"].required = False
        self.notes = [n for n in source.getlist("note") if n.strip()][:MAX_NOTES] if data is not None else []
        key = source.get("submission_key", "") if data is not None else ""
        self.submission_key = key if _KEY_RE.fullmatch(key or "") else uuid.uuid4().hex
        self.errors: list[str] = []

    # --- reading the draft as it stands --------------------------------------------------------------

    def rows(self) -> list[dict]:
        """Per decision: what its responsible text resolved to, its dates, its warnings, the alias choices."""
        several = len(self.item_formset.forms) > 1
        today = timezone.localdate()
        result = []
        for index, form in enumerate(self.decision_formset.forms):
            value = {name: form[name].value() for name in editing.DECISION_FIELDS}
            tracked = bool(value["tracked"])
            number = str(value["number"] or index + 1)
            where = f"Вопрос {value['item_number']}, решение {number}" if several else f"Решение {number}"
            found = self.resolver.responsible(value["responsible_text"] or "", self.context)
            manual = _date(value["due_date"])
            warnings = decision_warnings(
                resolver=self.resolver, deadline_text=value["deadline_text"] or "",
                responsible_text=value["responsible_text"] or "", tracked=tracked, meeting_date=self.meeting_date,
                number=number, where=where, context=self.context,
            )  # fmt: skip
            if manual:  # a date set by hand answers every question about the written deadline
                warnings = [w for w in warnings if getattr(w, "kind", "") not in _DEADLINE_KINDS]
            dates, due_text = self._dates(value["deadline_text"] or "", manual)
            result.append({
                "form": form, "index": index, "last": index == len(self.decision_formset.forms) - 1, "where": where, "warnings": warnings, "due": due_text,
                "past": tracked and any(d < today for d in dates),
                "parties": [(a.text, "; ".join(self.resolver.describe(t) for t in a.targets) or None) for a in found],
                "unknown": [a.text for a in found if not a.known] if tracked else [],
            })  # fmt: skip
        return result

    def _dates(self, text: str, manual: date | None) -> tuple[list[date], str]:
        if manual:
            return [manual], f"{manual:%d.%m.%Y} (указана вручную)"
        if not text.strip():
            return [], ""
        deadline = parse_deadline(text, meeting_date=self.meeting_date)
        dates = list(deadline.due_dates)
        parts = [", ".join(f"{d:%d.%m.%Y}" for d in dates)] if dates else []
        if deadline.proposed and not dates:
            parts.append(f"{deadline.proposed:%d.%m.%Y}? — подтвердите дату")
        if deadline.after_signing is not None:
            parts.append("будет рассчитан от даты подписания")
        if deadline.standing or deadline.recurrence:
            parts.append(
                "постоянно, с периодическими отчётами"
                + (f" до {deadline.until:%d.%m.%Y}" if deadline.until else "")
            )
        if not deadline.readable:
            parts.append("не распознан")
        return dates, "; ".join(p for p in parts if p)

    def render(self):
        rows = self.rows()
        items = []
        for index, form in enumerate(self.item_formset.forms):
            number = str(form["number"].value())
            items.append({"form": form, "index": index,
                          "rows": [r for r in rows if str(r["form"]["item_number"].value()) == number]})  # fmt: skip
        numbers = {str(i["form"]["number"].value()) for i in items}
        orphans = [r for r in rows if str(r["form"]["item_number"].value()) not in numbers]
        flagged = [r for r in rows if r["warnings"]]
        past = sum(1 for r in rows if r["past"])
        return render(self.request, "meetings/meeting_review.html", {
            "header_form": self.header_form, "item_formset": self.item_formset,
            "decision_formset": self.decision_formset, "items": items, "orphans": orphans,
            "notes": self.notes, "flagged": flagged, "errors": self.errors, "past": past,
            "tracked_total": sum(1 for r in rows if r["form"]["tracked"].value()),
            "submission_key": self.submission_key, "review_url": reverse("meetings:meeting_review"),
            "alias_choices": alias_choices(self.resolver) if can_add_alias(self.request.user) else None,
            "organizer": self.organization.name if self.organization else self.municipality.authority_name,
        })  # fmt: skip


_DEADLINE_KINDS = {Kind.DATE_BEFORE_MEETING, Kind.YEAR_SLIP, Kind.NO_YEAR, Kind.RELATIVE, Kind.UNREADABLE,
                   Kind.EMPTY_DEADLINE}  # fmt: skip


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


@login_required
@require_POST
def meeting_review(request):
    """Step 2: an editing action re-renders the draft; saving keeps the whole protocol — or nothing."""
    action = request.POST.get("action", "")
    if action not in ("sign", "draft"):  # an editing action, or «Проверить снова»
        return _edit(request, action if action.startswith(("decision-", "item-", "alias:")) else "check")
    review = _Review(request, data=request.POST, strict=action == "sign")
    header_form, item_formset, decision_formset = (
        review.header_form,
        review.item_formset,
        review.decision_formset,
    )
    valid = header_form.is_valid() & item_formset.is_valid() & decision_formset.is_valid()
    errors = review.errors
    if valid:
        item_numbers = {f.cleaned_data["number"] for f in item_formset if f.cleaned_data}
        for form in decision_formset:
            if form.cleaned_data and form.cleaned_data["item_number"] not in item_numbers:
                errors.append(
                    f"Решение {form.cleaned_data['number']}: нет вопроса повестки № {form.cleaned_data['item_number']}."
                )
        if not item_numbers:
            errors.append("Добавьте хотя бы один вопрос повестки.")
        control = header_form.cleaned_data.get("control")
        if action == "sign" and not control and (past := sum(1 for r in review.rows() if r["past"])):
            errors.append(f"Сроки решений уже прошли ({past}): укажите вверху страницы, это запись о прошлом "
                          "(поручения внести как исполненные) или текущий контроль (напоминания начнутся сразу).")  # fmt: skip
    if valid and not errors:
        draft = _draft_from_forms(header_form, item_formset, decision_formset)
        try:
            meeting = services.meeting_create(
                actor=request.user, draft=draft, organizer_organization=review.organization,
                organizer_municipality=review.municipality, controller=header_form.cleaned_data["controller"],
                sign=action == "sign", imported=bool(draft.source_text), archival=control == "archival",
                submission_key=review.submission_key,
            )  # fmt: skip
        except services.AlreadySaved as exc:
            if not exc.meeting.user_can_manage(request.user):
                raise PermissionDenied from exc
            messages.info(request, "Этот протокол уже сохранён (форма была отправлена дважды): вот он.")
            return redirect(exc.meeting)
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            count = (
                Obligation.objects.filter(decision__item__meeting=meeting).count() if meeting.is_signed else 0
            )
            if meeting.is_signed and meeting.archival:
                messages.success(
                    request, f"Архивный протокол подписан: поручений внесено как исполненные — {count}."
                )
            elif meeting.is_signed:
                messages.success(request, f"Протокол подписан: на контроль поставлено поручений — {count}.")
            else:
                messages.success(request, "Протокол сохранён как черновик.")
            return redirect(meeting)
    return review.render()


def _edit(request, action: str):
    """One editing action on the draft as posted; the page comes back with the result and fresh warnings."""
    draft = editing.read_draft(request.POST)
    message, failed = "", False
    try:
        if action.startswith("alias:"):
            message = _alias(request, action, draft)
        elif action != "check":
            message = editing.apply(action, draft)
    except (editing.EditError, ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        failed = True
    review = _Review(request, data=request.POST, items=draft.items, decisions=draft.decisions)
    if message:
        (messages.error if failed else messages.info)(request, message)
    return review.render()


def _alias(request, action: str, draft: editing.Draft) -> str:
    """«Добавить как вариант названия…»: the unknown part of a decision's responsible text becomes an alias."""
    _, row, part = [*action.split(":"), "", ""][:3]
    if not (row.isdigit() and part.isdigit()) or int(row) >= len(draft.decisions):
        raise editing.EditError("Строка, к которой относится действие, уже удалена: обновите страницу.")
    review = _Review(request, data=request.POST, items=draft.items, decisions=draft.decisions)
    text = draft.decisions[int(row)]["responsible_text"]
    unknown = [a.text for a in review.resolver.responsible(text, review.context) if not a.known]
    if int(part) >= len(unknown):
        raise editing.EditError("Это название уже найдено в справочнике.")
    target = request.POST.get(f"alias_target-{row}-{part}", "")
    alias = alias_add(actor=request.user, text=unknown[int(part)], target=target, resolver=review.resolver)
    return f"«{alias.text}» добавлено как вариант названия: {alias.target}."


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

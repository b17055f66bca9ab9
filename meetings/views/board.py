"""The control board (and the inboxes): sorting, counters of what is filtered, XLSX and print, saved filters,
bulk actions with a confirmation page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import BootstrapMixin, parse_id
from core.service_errors import show_errors
from core.xlsx import xlsx_response
from meetings.board import (
    EXPORT_HEADER,
    SORTS,
    UNITS_WITH_REGION,
    export_rows,
    headers,
    mark_days_overdue,
    ordered,
)
from meetings.filters import SCOPE_UNIT, SCOPES, ObligationFilter
from meetings.forms import SANE, DateInput
from meetings.models import Obligation, SavedFilter
from meetings.services import board as board_services
from municipalities.models import Role

PRINT_LIMIT = 2000


def _board(request):
    """The user's scoped, filtered board and what the page needs around it."""
    today = timezone.localdate()
    user = request.user
    scoped = Obligation.objects.for_user(user)
    data = request.GET.copy()
    for key in ("page", "format"):
        data.pop(key, None)
    sort = data.pop("sort", [""])[-1]
    sort = sort if sort in SORTS else ""
    tabs, scope_query = [], ""
    if user.role == Role.MUNICIPALITY and not user.is_region_wide:
        # The head's inbox is in tabs, the authority's own first; each tab counts the rows it would show.
        if data.get("scope") not in dict(SCOPES):
            data["scope"] = "own"
        # every tab's count in one query: the other filters as chosen, then one count per kind of unit
        others = data.copy()
        others["scope"] = ""
        counts = ObligationFilter(others, queryset=scoped, user=user).qs.aggregate(**{
            value: Count("pk", filter=Q(**{f"{SCOPE_UNIT[value]}__isnull": False})) for value, _label in SCOPES
        })  # fmt: skip
        for value, label in SCOPES:
            tab = data.copy()
            tab["scope"] = value
            count = counts[value]
            if count or value != "organizations" or data["scope"] == value:
                tabs.append({"value": value, "label": label, "count": count, "query": tab.urlencode(),
                             "active": data["scope"] == value})  # fmt: skip
        scoped = scoped.filter(**{f"{SCOPE_UNIT[data['scope']]}__isnull": False})
        scope_query = f"scope={data['scope']}"
    board = ObligationFilter(data, queryset=scoped, user=user)
    # The counters follow every filter but the state and status they stand for themselves.
    around = data.copy()
    for key in ("state", "status"):
        around.pop(key, None)
    counted = ObligationFilter(around, queryset=scoped, user=user).qs
    return {
        "today": today, "filter": board, "sort": sort, "query": data.urlencode(), "tabs": tabs,
        "scope_query": scope_query, "counts": counted.counts(today),
        "counts_query": f"&{around.urlencode()}" if around else "",
    }  # fmt: skip


@login_required
@require_safe
def obligation_list(request):
    """The committee's control board, or a municipality's / school's / organisation's inbox: one page, one scope."""
    context = _board(request)
    today, board, sort, user = context["today"], context["filter"], context["sort"], request.user
    rows = ordered(board.qs, sort, today)
    fmt = request.GET.get("format")
    every_region = user.sees_every_region
    if fmt == "xlsx":
        header = ["Регион", *EXPORT_HEADER] if every_region else EXPORT_HEADER
        return xlsx_response(f"obligations-{today:%Y-%m-%d}.xlsx", "Поручения", header,
                             export_rows(rows, today, with_region=every_region))  # fmt: skip
    if fmt == "print":
        shown = list(rows.select_related("decision__item__meeting", "municipality", "school", "organization")
                     [:PRINT_LIMIT])  # fmt: skip
        mark_days_overdue(shown, today)
        return render(request, "meetings/obligation_print.html", {**context, "obligations": shown,
                      "total": rows.count(), "limit": PRINT_LIMIT})  # fmt: skip
    # The page is chosen over the obligations alone, then only its 50 rows are joined to their decisions,
    # meetings and units: sorting 10 000 joined rows to keep 50 was most of the board's time.
    page = Paginator(rows.values_list("pk", flat=True), 50).get_page(request.GET.get("page"))
    related = ["decision__item__meeting", "municipality", "school", "organization"]
    # one select_related with every path: an empty select_related() would drop these and join every key
    related += UNITS_WITH_REGION if every_region else []
    fetched = Obligation.objects.with_state(today).select_related(*related).in_bulk(list(page.object_list))
    page.object_list = [fetched[pk] for pk in page.object_list]
    mark_days_overdue(page.object_list, today)
    sorted_query = f"{context['query']}&sort={sort}" if sort else context["query"]
    may_act = not user.is_read_only and (user.is_region_wide or user.role == Role.MUNICIPALITY)
    return render(request, "meetings/obligation_list.html", {
        **context, "page": page, "headers": headers(sort, context["query"]), "sorted_query": sorted_query,
        "is_board": user.is_region_wide, "may_act": may_act, "bulk_actions": board_services.BULK_ACTIONS,
        "saved_filters": SavedFilter.objects.for_user(user), "save_form": SavedFilterForm(),
    })  # fmt: skip


class SavedFilterForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Название фильтра"), max_length=100)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)


def _refuse_observer(user) -> None:
    if user.is_read_only:  # before any form: the observer's write is refused, not validated
        raise PermissionDenied(
            "Наблюдатель только читает: сохранять фильтры и действовать по поручениям он не может."
        )


def _board_url(query: str = "") -> str:
    url = reverse("meetings:obligation_list")
    return f"{url}?{query}" if query else url


@login_required
@require_POST
def saved_filter_save(request):
    _refuse_observer(request.user)
    form = SavedFilterForm(request.POST)
    query = board_services.clean_query(request.POST.get("query", ""))
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, f"Фильтр не сохранён: {error}")
        return redirect(_board_url(query))
    try:
        saved = board_services.saved_filter_save(user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect(_board_url(query))
    messages.success(request, f"Фильтр «{saved.name}» сохранён.")
    return redirect(_board_url(saved.query))


@login_required
@require_POST
def saved_filter_delete(request, pk: int):
    _refuse_observer(request.user)
    board_services.saved_filter_delete(user=request.user, pk=pk)
    messages.success(request, "Фильтр удалён.")
    return redirect(_board_url(board_services.clean_query(request.POST.get("query", ""))))


class BulkForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(label=_("Действие"), choices=list(board_services.BULK_ACTIONS.items()))
    new_date = forms.DateField(label=_("Новый срок"), required=False, widget=DateInput(), validators=[SANE])

    def clean(self):
        data = super().clean()
        if data.get("action") == "extend" and not data.get("new_date") and "new_date" not in self.errors:
            self.add_error("new_date", "Укажите новый срок, на который перенести выбранные поручения.")
        return data


@login_required
@require_POST
def board_bulk(request):
    """Checked rows and one action → a page naming every item → on confirmation, each item through its service."""
    user = request.user
    _refuse_observer(user)
    back = board_services.clean_query(request.POST.get("back", ""))
    ids = [pk for pk in (parse_id(v) for v in request.POST.getlist("ids")[: board_services.BULK_LIMIT]) if pk]
    if len(request.POST.getlist("ids")) > board_services.BULK_LIMIT:
        messages.error(request, f"За один раз — не больше {board_services.BULK_LIMIT} поручений.")
        return redirect(_board_url(back))
    obligations = list(
        Obligation.objects.for_user(user).with_state(timezone.localdate())
        .select_related("decision__item__meeting", "municipality", "school", "organization")
        .filter(pk__in=ids).order_by("due_date", "pk")
    )  # fmt: skip
    if not obligations:
        messages.error(request, "Отметьте на доске поручения, к которым применить действие.")
        return redirect(_board_url(back))
    form = BulkForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return redirect(_board_url(back))
    action, new_date = form.cleaned_data["action"], form.cleaned_data["new_date"]
    context = {"obligations": obligations, "action": action, "action_label": board_services.BULK_ACTIONS[action],
               "new_date": new_date, "back": back, "board_url": _board_url(back)}  # fmt: skip
    if request.POST.get("confirm") != "1":
        return render(request, "meetings/board_bulk_confirm.html", context)
    try:
        outcomes = board_services.bulk_apply(
            obligations=obligations, actor=user, action=action, new_date=new_date
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect(_board_url(back))
    done = sum(o.done for o in outcomes)
    return render(request, "meetings/board_bulk_done.html", {**context, "outcomes": outcomes, "done": done,
                  "refused": len(outcomes) - done})  # fmt: skip

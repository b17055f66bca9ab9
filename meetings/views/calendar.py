"""The calendar of meetings: a month's list, planning a meeting with its agenda and invitations, holding it."""

import calendar as month_calendar
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import BootstrapMixin
from core.service_errors import add_form_errors, show_errors
from meetings import services
from meetings.forms import SANE, DateInput
from meetings.models import Meeting
from municipalities.models import Municipality, Organization, Role

MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь"]  # fmt: skip


def _month(value: str) -> date:
    """«2026-12» from the address; anything else (or a year outside 1990–2099) is this month."""
    try:
        year, month = (int(part) for part in value.split("-", 1))
        if 1990 <= year <= 2099 and 1 <= month <= 12:
            return date(year, month, 1)
    except (ValueError, AttributeError):
        pass
    return timezone.localdate().replace(day=1)


@login_required
@require_safe
def meeting_calendar(request):
    first = _month(request.GET.get("month", ""))
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    meetings = (
        Meeting.objects.for_user(request.user)
        .filter(date__range=(first, last))
        .select_related("organizer_organization", "organizer_municipality")
        .order_by("date", "time", "pk")
    )
    previous = (first.replace(day=1) - date.resolution).replace(day=1)
    following = last + date.resolution
    return render(request, "meetings/meeting_calendar.html", {
        "meetings": meetings, "month_name": f"{MONTHS[first.month - 1].capitalize()} {first.year}",
        "previous": f"{previous:%Y-%m}", "following": f"{following:%Y-%m}", "today": timezone.localdate(),
        "may_plan": _may_plan(request.user),
    })  # fmt: skip


def _may_plan(user) -> bool:
    return not user.is_read_only and (
        user.is_committee or (user.role == Role.MUNICIPALITY and user.municipality_id)
    )


class PlanForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Вид"), choices=Meeting.Kind.choices, initial=Meeting.Kind.MEETING)
    title = forms.CharField(label=_("Тема"), max_length=500)
    date = forms.DateField(label=_("Дата"), widget=DateInput(), validators=[SANE])
    time = forms.TimeField(label=_("Время"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Место"), max_length=300, required=False)
    agenda = forms.CharField(label=_("Повестка (по вопросу в строке)"), widget=forms.Textarea(attrs={"rows": 5}),
                             max_length=50_000)  # fmt: skip
    municipalities = forms.ModelMultipleChoiceField(label=_("Органы управления образованием"), required=False,
                                                    queryset=Municipality.objects.none())  # fmt: skip
    organizations = forms.ModelMultipleChoiceField(label=_("Организации"), required=False,
                                                   queryset=Organization.objects.none())  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.for_user(user)
        self.fields["organizations"].queryset = Organization.objects.for_user(user).exclude(
            kind=Organization.Kind.COMMITTEE
        )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_plan(request):
    user = request.user
    if not _may_plan(user):
        raise PermissionDenied(
            "Планировать совещания может сотрудник комитета или руководитель органа управления."
        )
    form = PlanForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["agenda"] = data["agenda"].splitlines()
        try:
            meeting = services.meeting_plan(actor=user, **data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "Совещание запланировано; приглашения с повесткой отправлены.")
            return redirect(meeting)
    return render(request, "meetings/meeting_plan.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def meeting_hold(request, pk: int):
    if request.user.is_read_only:
        raise PermissionDenied("Наблюдатель только читает.")
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    try:
        services.meeting_hold(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect(meeting)
    messages.success(
        request, "Совещание проведено: протокол — черновик с повесткой; дополните и подпишите его."
    )
    return redirect("meetings:meeting_edit", pk=meeting.pk)

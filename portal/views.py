import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments.summary import loop_counts
from meetings.models import Decision, Meeting, Obligation
from municipalities.auth import may_sign_in
from municipalities.models import Municipality, Organization, Role, School
from municipalities.scope import region_q
from notifications.models import Notification, Reminder
from portal.calendar import calendar_for
from portal.forms import PortalPasswordResetForm, PreferencesForm
from portal.models import PasswordResetRequest
from portal.search import SearchError, search


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker healthchecks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The first screen: what concerns this user, by role."""
    user = request.user
    schools = School.objects.for_user(user).filter(is_active=True)
    today = timezone.localdate()
    obligations = Obligation.objects.for_user(user)
    # A municipal head's own work is what the committee asked of the authority; schools' work is under "decisions".
    own = (
        obligations.filter(municipality_id=user.municipality_id)
        if user.role == Role.MUNICIPALITY
        else obligations
    )
    # Decisions whose execution this user follows: the region's for region-wide roles, a head's own meetings' for
    # a municipal head; a director or organisation staff member follows none (they only carry out their own).
    controlled = Decision.objects.for_user(user).filter(
        tracked=True, item__meeting__status=Meeting.Status.SIGNED
    )
    if user.role == Role.MUNICIPALITY and not user.is_region_wide:
        controlled = controlled.filter(item__meeting__organizer_municipality_id=user.municipality_id)
    elif not user.is_region_wide:
        controlled = controlled.none()
    context = {
        "today": today,
        "counts": own.counts(today),
        "counts_query": "&scope=own" if user.role == Role.MUNICIPALITY else "",
        "urgent": own.open()
        .with_state(today)
        .exclude(due_date__isnull=True)
        .select_related("decision__item__meeting", "municipality", "school", "organization")
        .order_by("due_date")[:10],
        # what a head's own authority reported is the committee's to review, never the head's
        "awaiting_review": obligations.filter(status="reported", decision__in=controlled)
        .exclude(municipality_id=user.municipality_id if user.role == Role.MUNICIPALITY else None)
        .select_related("decision__item__meeting", "municipality", "school", "organization")
        .order_by("last_reported_at")[:10],
        "decisions": controlled.most_behind(today, limit=8),
        "municipalities": Municipality.objects.for_user(user).with_counts(),
        "school_total": schools.count(),
        "low_result_total": schools.filter(low_results=True).count(),
        "difficult_total": schools.filter(difficult_conditions=True).count(),
    }
    if user.is_region_wide:
        template = "portal/home_region.html"
        context["loop"] = loop_counts(user)
        context["organizations"] = Organization.objects.for_user(user).exclude(
            kind=Organization.Kind.DEPARTMENT
        )
    elif user.role == Role.MUNICIPALITY:
        template = "portal/home_municipality.html"
        context["municipality"] = user.municipality
        # The same two tabs as the inbox: the authority's own obligations above, its schools' below.
        context["school_counts"] = obligations.filter(school__isnull=False).counts(today)
        context["schools"] = schools.select_related("parent")
    elif user.role == Role.SCHOOL:
        from surveys.models import SurveyResponse

        template = "portal/home_school.html"
        context["school"] = user.school
        context["surveys_todo"] = (
            SurveyResponse.objects.for_user(user)
            .filter(school_id=user.school_id)
            .exclude(status="submitted")
            .select_related("survey__questionnaire")
            .order_by("survey__due_date")
        )
    else:
        template = "portal/home_organization.html"
        context["organization"] = user.organization
    return render(request, template, context)


PROFILE_ACTIONS = {
    "calendar": "Создана новая ссылка на календарь; старая больше не работает.",
    "token_issue": "Выдан новый ключ API; прежний больше не работает.",
    "token_revoke": "Ключ API отозван: программы, которые им пользовались, больше не войдут.",
}


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    from rest_framework.authtoken.models import Token

    user = request.user
    form = PreferencesForm(request.POST or None, instance=user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in PROFILE_ACTIONS:
            if action == "calendar":
                user.calendar_token = secrets.token_urlsafe(32)
                user.save(update_fields=["calendar_token"])
            else:
                Token.objects.filter(user=user).delete()
                if action == "token_issue":
                    Token.objects.create(user=user)
            messages.success(request, PROFILE_ACTIONS[action])
            return redirect("profile")
        if form.is_valid():
            form.save()
            messages.success(request, "Настройки сохранены.")
            return redirect("profile")
    calendar_url = (
        request.build_absolute_uri(reverse("calendar", args=[user.calendar_token]))
        if user.calendar_token
        else ""
    )
    token = Token.objects.filter(user=user).first()
    return render(
        request, "portal/profile.html", {"form": form, "calendar_url": calendar_url, "token": token}
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, throttled per client address and per e-mail address like the login."""

    form_class = PortalPasswordResetForm

    def form_valid(self, form):
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(self.request)
        if not PasswordResetRequest.allow(ip_address=address, email=form.cleaned_data["email"]):
            minutes = int(settings.PASSWORD_RESET_WINDOW.total_seconds() // 60)
            return render(self.request, "registration/password_reset_throttled.html", {"minutes": minutes},
                          status=429)  # fmt: skip
        return super().form_valid(form)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret URL is the credential: calendar programs cannot sign in."""
    from municipalities.models import User

    user = get_object_or_404(User, calendar_token=token, is_active=True) if len(token) >= 32 else None
    if user is None or not may_sign_in(user):
        raise Http404
    response = HttpResponse(calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        notifications.unread().update(read_at=timezone.now())
        return redirect("notifications")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url or "notifications")


@login_required
def delivery(request: HttpRequest) -> HttpResponse:
    """The committee sees reminders that could not be delivered, and why."""
    if not request.user.is_committee:
        raise PermissionDenied
    reminders = Reminder.objects.filter(region_q(request.user, "recipient__region")).select_related(
        "recipient"
    )
    counts = dict(reminders.values_list("status").annotate(n=Count("pk")))
    failed = reminders.filter(status=Reminder.Status.FAILED)[:200]
    return render(
        request, "portal/delivery.html", {"counts": counts, "failed": failed, "statuses": Reminder.Status}
    )


@login_required
@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """One box in the header: protocols, decisions, obligations, reports, questionnaires, roadmaps, schools."""
    query = request.GET.get("q", "").strip()
    groups, error = [], ""
    if query:
        try:
            groups = search(request.user, query)
        except SearchError as exc:
            error = str(exc)
    return render(request, "portal/search.html", {
        "query": query, "groups": groups, "error": error, "total": sum(g.count for g in groups),
    }, status=400 if error else 200)  # fmt: skip

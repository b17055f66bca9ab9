from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from meetings.models import Decision, Meeting, Obligation
from meetings.views.obligations import obligation_counts
from municipalities.models import Municipality, Organization, Role, School


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker healthchecks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
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
    controlled = Decision.objects.filter(tracked=True, item__meeting__status=Meeting.Status.SIGNED)
    if not user.is_region_wide:
        controlled = controlled.filter(item__meeting__organizer_municipality_id=user.municipality_id or -1)
    context = {
        "today": today,
        "counts": obligation_counts(own, today),
        "counts_query": "&scope=own" if user.role == Role.MUNICIPALITY else "",
        "urgent": own.open()
        .with_state(today)
        .exclude(due_date__isnull=True)
        .select_related("decision__item__meeting", "municipality", "school", "organization")
        .order_by("due_date")[:10],
        "awaiting_review": obligations.filter(status="reported", decision__in=controlled)
        .select_related("decision__item__meeting", "municipality", "school", "organization")
        .order_by("last_reported_at")[:10],
        "decisions": controlled.with_progress(today)
        .filter(total__gt=F("done"))
        .select_related("item__meeting")
        .order_by("-overdue", "next_due")[:8],
        "recent_meetings": Meeting.objects.for_user(user).select_related("organizer_organization")[:5],
        "municipalities": Municipality.objects.for_user(user).with_counts(),
        "school_total": schools.count(),
        "low_result_total": schools.filter(low_results=True).count(),
        "difficult_total": schools.filter(difficult_conditions=True).count(),
    }
    if user.is_region_wide:
        template = "portal/home_region.html"
        context["organizations"] = Organization.objects.for_user(user).exclude(
            kind=Organization.Kind.DEPARTMENT
        )
    elif user.role == Role.MUNICIPALITY:
        template = "portal/home_municipality.html"
        context["municipality"] = user.municipality
        context["schools"] = schools.select_related("parent")
    elif user.role == Role.SCHOOL:
        template = "portal/home_school.html"
        context["school"] = user.school
    else:
        template = "portal/home_organization.html"
        context["organization"] = user.organization
    return render(request, template, context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/profile.html")

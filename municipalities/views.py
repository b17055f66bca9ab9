from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from core.xlsx import xlsx_response
from municipalities.filters import SchoolFilter
from municipalities.models import Municipality, Organization, School


@login_required
@require_safe
def municipality_list(request):
    municipalities = Municipality.objects.for_user(request.user).with_counts().select_related("region")
    return render(request, "municipalities/municipality_list.html", {"municipalities": municipalities})


@login_required
@require_safe
def municipality_detail(request, pk: int):
    municipality = get_object_or_404(Municipality.objects.for_user(request.user), pk=pk)
    schools = School.objects.for_user(request.user).filter(municipality=municipality).select_related("parent")
    staff = municipality.staff.filter(is_active=True, role="municipality")
    return render(
        request,
        "municipalities/municipality_detail.html",
        {
            "municipality": municipality,
            "schools": schools,
            "staff": staff,
            "aliases": municipality.aliases.all(),
        },
    )


def _filtered_schools(request) -> SchoolFilter:
    queryset = School.objects.for_user(request.user).select_related("municipality", "parent", "region")
    return SchoolFilter(request.GET, queryset=queryset, user=request.user)


@login_required
@require_safe
def school_list(request):
    school_filter = _filtered_schools(request)
    page = Paginator(school_filter.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "municipalities/school_list.html",
        {"filter": school_filter, "page": page, "query": query.urlencode()},
    )


@login_required
@require_safe
def school_export(request):
    schools = _filtered_schools(request).qs
    header = [
        "Код ОО", "Краткое название", "Полное название", "Тип", "Муниципалитет", "Населённый пункт",
        "Логин ФИС ОКО", "Низкие результаты", "Неблагоприятные условия",
    ]  # fmt: skip
    rows = (_school_export_row(school) for school in schools)
    if request.user.sees_every_region:  # the ministry's export names each school's region first
        header = ["Регион", *header]
        rows = ([school.region.name, *_school_export_row(school)] for school in schools)
    return xlsx_response("schools.xlsx", "Образовательные организации", header, rows)


def _school_export_row(s: School) -> list:
    flags = ["да" if s.low_results else "нет", "да" if s.difficult_conditions else "нет"]
    return [
        s.code,
        s.short_name,
        s.name,
        s.get_kind_display(),
        s.municipality.name,
        s.locality,
        s.monitoring_login,
        *flags,
    ]


@login_required
@require_safe
def school_detail(request, pk: int):
    school = get_object_or_404(School.objects.for_user(request.user).select_related("municipality"), pk=pk)
    return render(
        request,
        "municipalities/school_detail.html",
        {
            "school": school,
            "branches": school.branches.all(),
            "staff": school.staff.filter(is_active=True),
            "aliases": school.aliases.all(),
        },
    )


@login_required
@require_safe
def organization_list(request):
    organizations = Organization.objects.for_user(request.user).select_related("parent")
    return render(request, "municipalities/organization_list.html", {"organizations": organizations})


@login_required
@require_safe
def organization_detail(request, pk: int):
    organization = get_object_or_404(Organization.objects.for_user(request.user), pk=pk)
    return render(
        request,
        "municipalities/organization_detail.html",
        {
            "organization": organization,
            "units": organization.units.all(),
            "staff": organization.staff.filter(is_active=True),
            "aliases": organization.aliases.all(),
        },
    )

"""The directory workbook a region downloads: every sheet with its columns, filled with today's directory."""

from io import BytesIO

from openpyxl import Workbook

from core.xlsx import fill_sheet
from municipalities.models import Municipality, Organization, Region, School, User

from .columns import MUNICIPALITIES, ORGANIZATIONS, SCHOOLS, USERS, SheetSpec


def _yes(value: bool) -> str:
    return "да" if value else "нет"


def _rows(spec: SheetSpec, region: Region):
    if spec is MUNICIPALITIES:
        for m in Municipality.objects.filter(region=region).order_by("code"):
            yield [m.code, m.name, m.get_kind_display(), m.authority_name, m.authority_short_name, m.email]
    elif spec is ORGANIZATIONS:
        organizations = Organization.objects.filter(region=region).select_related("parent", "municipality")
        for o in organizations.prefetch_related("aliases").order_by("kind", "code"):
            yield [o.code, o.get_kind_display(), o.name, o.short_name, o.parent.code if o.parent else "",
                   o.municipality.code if o.municipality else "", "; ".join(a.text for a in o.aliases.all())]  # fmt: skip
    elif spec is SCHOOLS:
        schools = School.objects.filter(municipality__region=region).select_related("municipality", "parent")
        for s in schools.order_by("municipality__code", "code"):
            yield [s.municipality.code, s.code, s.name, s.short_name, s.get_kind_display(),
                   s.parent.code if s.parent else "", s.monitoring_login, s.locality, _yes(s.is_rural),
                   _yes(s.low_results), _yes(s.difficult_conditions), s.email, _yes(s.is_active)]  # fmt: skip
    else:
        users = User.objects.filter(is_demo=False, is_active=True).select_related(
            "organization", "municipality", "school__municipality"
        )
        for u in users.order_by("username"):
            unit = u.school or u.municipality or u.organization
            if unit is None or (u.school.municipality.region_id if u.school else unit.region_id) != region.pk:
                continue
            yield [u.username, u.last_name, u.first_name, u.middle_name, u.email, u.position,
                   u.get_role_display(), unit.code]  # fmt: skip


def directory_workbook(region: Region) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in (MUNICIPALITIES, ORGANIZATIONS, SCHOOLS, USERS):
        fill_sheet(workbook.create_sheet(spec.title), [c.title for c in spec.columns], _rows(spec, region))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

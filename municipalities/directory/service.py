"""Importing a region's directory: a check that names every problem, then all or nothing.

Rows are matched by code (municipalities, organisations, schools) or login (users) and updated in place;
a row that changes nothing is counted as unchanged, so re-importing the same file changes nothing. Units
that are in the database but not in the file are reported, never deleted. New users get no password: they
receive an invitation with a one-time link to set it, sent once the import is committed.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from municipalities.models import (
    Alias,
    Municipality,
    Organization,
    Region,
    Role,
    School,
    User,
    normalize_name,
)

from .columns import (
    MUNICIPALITY_KINDS,
    ORGANIZATION_KINDS,
    ROLES,
    SCHOOL_KINDS,
    normalize_header,
    read_bool,
    read_text,
)
from .reader import DirectoryFileError, Problem, Row, Sheet, read_directory

MAX_PROBLEMS = 1000


@dataclass
class DirectoryReport:
    region: str
    dry_run: bool
    rows: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)
    aliases: int = 0  # spellings of organisations added

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run

    def as_json(self) -> dict:
        return {
            "region": self.region,
            "dry_run": self.dry_run,
            "saved": self.saved,
            "rows": self.rows,
            "created": sum(self.created.values()),
            "updated": sum(self.updated.values()),
            "unchanged": sum(self.unchanged.values()),
            "by_sheet": {
                kind: {
                    "created": self.created[kind],
                    "updated": self.updated[kind],
                    "unchanged": self.unchanged[kind],
                }
                for kind in ("municipalities", "organizations", "schools", "users")
            },
            "aliases_added": self.aliases,
            "errors": [p.as_json() for p in self.errors],
            "missing": self.missing,
            "invited": self.invited,
        }


def _differs(obj, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


class _Run:
    """One pass over the sheets inside a transaction; problems are collected, never raised."""

    def __init__(self, region: Region, report: DirectoryReport):
        self.region = region
        self.report = report
        self.users_seen: list[User] = []

    # ------------------------------------------------------------------ helpers

    def problem(self, sheet: Sheet, row: Row | None, field_name: str, message: str) -> None:
        if len(self.report.errors) < MAX_PROBLEMS:
            column = sheet.column_title(field_name) if field_name else ""
            self.report.errors.append(Problem(sheet.name, row.number if row else None, column, message))

    def text(self, row: Row, name: str) -> str:
        return read_text(row.values.get(name))

    def choice(self, sheet: Sheet, row: Row, name: str, choices: dict[str, str]) -> str | None:
        raw = self.text(row, name)
        value = choices.get(normalize_header(raw))
        if value is None:
            allowed = sorted({label for label in choices if len(label) > 3 and not label.isascii()})[:12]
            self.problem(
                sheet, row, name, f"«{raw}» не распознано; допустимо, например: {', '.join(allowed)}"
            )
        return value

    def flag(self, sheet: Sheet, row: Row, name: str, values: dict) -> None:
        if name not in sheet.headers:
            return
        try:
            values[name] = read_bool(row.values.get(name))
        except ValueError as exc:
            self.problem(sheet, row, name, f"«{self.text(row, name)}»: {exc}")

    def save(self, sheet: Sheet, row: Row, model, key: dict, values: dict, *, belongs) -> object | None:
        """Create or update one unit by its key; count what happened; report validation problems."""
        obj = model.objects.filter(**key).first()
        if obj is not None and not belongs(obj):
            field_name = next(iter(key))
            self.problem(
                sheet, row, field_name, f"«{key[field_name]}» уже принадлежит другому региону ({obj})"
            )
            return None
        created = obj is None
        if created:
            obj = model(**key)
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        for name in changed:
            setattr(obj, name, values[name])
        if not created and not changed:
            self.report.unchanged[sheet.spec.kind] += 1
            return obj
        try:
            obj.full_clean(exclude=["password"] if model is User else None)
            with transaction.atomic():
                obj.save()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                target = name if name in sheet.headers else ""
                self.problem(sheet, row, target, "; ".join(messages))
            return None
        except IntegrityError as exc:
            self.problem(sheet, row, "", f"строка противоречит справочнику: {exc}".splitlines()[0])
            return None
        (self.report.created if created else self.report.updated)[sheet.spec.kind] += 1
        return obj

    def in_region(self, obj) -> bool:
        return obj.region_id == self.region.pk

    def key(self, row: Row) -> dict:
        """Codes of organisations, municipalities and schools are unique within a region: the key is both."""
        return {"region": self.region, "code": self.text(row, "code")}

    # ------------------------------------------------------------------ sheets

    def municipalities(self, sheet: Sheet) -> None:
        for row in sheet.rows:
            kind = self.choice(sheet, row, "kind", MUNICIPALITY_KINDS)
            values = {
                "name": self.text(row, "name"),
                "kind": kind or "",
                "authority_name": self.text(row, "authority_name"),
                "region": self.region,
            }
            for name in ("authority_short_name", "email"):
                if name in sheet.headers:
                    values[name] = self.text(row, name)
            if kind:
                self.save(sheet, row, Municipality, self.key(row), values, belongs=self.in_region)

    def organizations(self, sheet: Sheet) -> None:
        rows = sorted(sheet.rows, key=lambda r: bool(self.text(r, "parent_code")))
        for row in rows:
            kind = self.choice(sheet, row, "kind", ORGANIZATION_KINDS)
            values = {
                "kind": kind or "",
                "name": self.text(row, "name"),
                "short_name": self.text(row, "short_name"),
                "region": self.region,
                "parent": self.unit(sheet, row, "parent_code", Organization, region=self.region),
                "municipality": self.unit(sheet, row, "municipality_code", Municipality, region=self.region),
            }
            if not kind or values["parent"] is False or values["municipality"] is False:
                continue
            obj = self.save(sheet, row, Organization, self.key(row), values, belongs=self.in_region)
            if obj is not None and "aliases" in sheet.headers:
                self.aliases(sheet, row, obj)

    def aliases(self, sheet: Sheet, row: Row, organization: Organization) -> None:
        raw = str(row.values.get("aliases") or "")
        for text in filter(None, (part.strip() for part in raw.replace("\n", ";").split(";"))):
            existing = Alias.objects.filter(region=self.region, normalized=normalize_name(text)).first()
            if existing is None:
                Alias.objects.create(text=text, organization=organization)
                self.report.aliases += 1
            elif existing.organization_id != organization.pk:
                self.problem(sheet, row, "aliases", f"написание «{text}» уже означает «{existing.target}»")

    def schools(self, sheet: Sheet) -> None:
        rows = sorted(sheet.rows, key=lambda r: bool(self.text(r, "parent_code")))
        for row in rows:
            kind = self.choice(sheet, row, "kind", SCHOOL_KINDS)
            municipality = self.unit(sheet, row, "municipality_code", Municipality, region=self.region)
            parent = self.unit(sheet, row, "parent_code", School, municipality__region=self.region)
            values = {"kind": kind or "", "municipality": municipality, "parent": parent}
            for name in ("name", "short_name", "monitoring_login", "locality", "email"):
                if name in sheet.headers:
                    values[name] = self.text(row, name)
            for name in ("is_rural", "low_results", "difficult_conditions", "is_active"):
                self.flag(sheet, row, name, values)
            if not kind or not municipality or parent is False:
                continue
            self.save(sheet, row, School, self.key(row), values, belongs=self.in_region)

    def users(self, sheet: Sheet) -> None:
        for row in sheet.rows:
            role = self.choice(sheet, row, "role", ROLES)
            if role is None:
                continue
            values = {name: self.text(row, name) for name in ("last_name", "first_name", "email")}
            for name in ("middle_name", "position"):
                if name in sheet.headers:
                    values[name] = self.text(row, name)
            values.update(role=role, organization=None, municipality=None, school=None, region=self.region)
            if not self.user_unit(sheet, row, role, values):
                continue
            user = self.save(sheet, row, User, {"username": self.text(row, "username")}, values,
                             belongs=self.user_in_region)  # fmt: skip
            if user is not None:
                self.users_seen.append(user)

    def user_unit(self, sheet: Sheet, row: Row, role: str, values: dict) -> bool:
        """Fill the user's unit from the unit code, as the role needs it."""
        if role == Role.OBSERVER:
            return True
        model, target = {
            Role.MUNICIPALITY: (Municipality, "municipality"),
            Role.SCHOOL: (School, "school"),
        }.get(role, (Organization, "organization"))
        if not self.text(row, "unit_code"):
            self.problem(sheet, row, "unit_code", f"для роли «{Role(role).label}» укажите код подразделения")
            return False
        scope = {"municipality__region": self.region} if model is School else {"region": self.region}
        unit = self.unit(sheet, row, "unit_code", model, **scope)
        if not unit:
            return False
        values[target] = unit
        if model is School:
            values["municipality"] = unit.municipality
        return True

    def user_in_region(self, user: User) -> bool:
        return user.region_id in (None, self.region.pk)

    def unit(self, sheet: Sheet, row: Row, name: str, model, **scope):
        """The unit a code column points at: None when the cell is empty, False (and a problem) when unknown."""
        code = self.text(row, name)
        if not code:
            return None
        found = model.objects.filter(code=code, **scope).first()
        if found is None:
            what = {
                Municipality: "муниципалитет с кодом «{}» не найден",
                School: "школа с кодом «{}» не найдена",
                Organization: "организация с кодом «{}» не найдена",
            }[model]
            self.problem(sheet, row, name, what.format(code) + " в справочнике региона")
            return False
        return found

    def duplicates(self, sheet: Sheet) -> None:
        seen: dict[str, int] = {}
        for row in sheet.rows:
            key = self.text(row, sheet.spec.key)
            if key in seen:
                self.problem(sheet, row, sheet.spec.key, f"«{key}» уже встречается в строке {seen[key]}")
            seen.setdefault(key, row.number)

    def missing(self, kinds: set[str], codes: dict[str, set[str]]) -> None:
        if "municipalities" in kinds:
            for m in Municipality.objects.filter(region=self.region, is_active=True).exclude(
                code__in=codes["municipalities"]
            ):
                self.report.missing.append(f"муниципалитет {m.code} «{m.name}»")
        if "schools" in kinds:
            schools = School.objects.filter(municipality__region=self.region, is_active=True)
            for s in schools.exclude(code__in=codes["schools"]).select_related("municipality"):
                self.report.missing.append(f"школа {s.code} «{s.short_name}» ({s.municipality})")


ORDER = ("municipalities", "organizations", "schools", "users")


def may_import_directory(user) -> bool:
    """Only committee staff (never an observer) load a region's directory; commands run as the operator."""
    return user.is_authenticated and user.is_committee and not user.is_read_only


def region_of(user) -> Region | None:
    """The region whose directory a committee member keeps."""
    if user.organization_id:
        return user.organization.region
    return Region.objects.order_by("pk").first() if user.is_superuser else None


def import_directory(
    data: bytes, filename: str, region: Region, *, dry_run: bool = False, by=None
) -> DirectoryReport:
    """Check and (unless ``dry_run`` or anything is wrong) save the directory; invite the new users.

    ``by`` is the person asking (pages); the command passes None and runs as the operator.
    """
    if by is not None and (not may_import_directory(by) or region_of(by) != region):
        raise PermissionDenied("Загружать справочник региона могут только сотрудники комитета этого региона.")
    report = DirectoryReport(region=region.code, dry_run=dry_run)
    try:
        sheets, problems = read_directory(data, filename)
    except DirectoryFileError as exc:
        report.errors.append(Problem(filename, None, "", str(exc)))
        return report
    report.errors.extend(problems)
    if not sheets and not problems:
        report.errors.append(Problem(filename, None, "", "в файле нет ни одного листа справочника"))
    report.rows = sum(len(sheet.rows) for sheet in sheets)
    run = _Run(region, report)
    existing_users = set(User.objects.filter(username__in=[
        read_text(r.values.get("username")) for s in sheets if s.spec.kind == "users" for r in s.rows
    ]).values_list("username", flat=True))  # fmt: skip
    with transaction.atomic():
        for kind in ORDER:
            for sheet in (s for s in sheets if s.spec.kind == kind):
                run.duplicates(sheet)
                getattr(run, kind)(sheet)
        codes = {kind: {read_text(r.values.get("code")) for s in sheets if s.spec.kind == kind for r in s.rows}
                 for kind in ORDER}  # fmt: skip
        run.missing({s.spec.kind for s in sheets}, codes)
        new_users = [u for u in run.users_seen if u.username not in existing_users]
        report.invited = sorted(u.username for u in new_users)
        if dry_run or report.errors:
            transaction.set_rollback(True)
            return report
        for user in new_users:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        from .invitations import send_invitations

        ids = [u.pk for u in new_users]
        transaction.on_commit(lambda: send_invitations(ids))
    return report

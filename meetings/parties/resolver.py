"""Reading responsible parties as written ("руководители ОМСУ", "ГАОУ ДПО «ЛОИРО»") into units.

The region's editable aliases are tried first; then the text is read by its structure (``classes`` for
the official class wordings and their qualifiers, ``names`` for the names of bodies). Only the units of
the organiser's region are candidates. What cannot be resolved is returned as unknown, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from meetings.protocol_import.people import PERSON_RE
from meetings.protocol_import.text_split import split_responsible, top_level_split
from municipalities.models import Alias, Municipality, Organization, Region, School, normalize_name

from .classes import MUNICIPALITIES, SCHOOLS, ClassWording, is_generic, read_class
from .names import Name, read_name, same_name, same_word, signature

_ROLE_WORDS = re.compile(
    r"^(?:руководител\w*|директор\w*|начальник\w*|председател\w*|заведующ\w*|ректор\w*|специалист\w*|"
    r"сотрудник\w*|представител\w*)\s+",
    re.IGNORECASE,
)
_PARENTHESES_RE = re.compile(r"\(([^()]*)\)")
# "отдел общего образования комитета", "отдел общего образования Министерства"
_DEPARTMENT_RE = re.compile(
    r"^(?P<department>отдел\w*(?:\s+\S+){0,6}?)\s+(?:комитета|министерства|департамента|управления)$",
    re.IGNORECASE,
)
_MUNICIPAL_KIND_WORDS = frozenset(
    {"муниципальный", "район", "округ", "городской", "город", "г.", "национальный"}
)


@dataclass(frozen=True)
class PartyTarget:
    """What a responsible name means: one unit, a group of units, or one municipality's schools."""

    text: str
    organization: Organization | None = None
    municipality: Municipality | None = None
    school: School | None = None
    group: str = ""  # "municipalities" | "schools" (with ``municipality``: that municipality's schools)

    @property
    def label(self) -> str:
        if self.group == Alias.Group.SCHOOLS and self.municipality is not None:
            return f"школы: {self.municipality}"
        if self.group:
            return dict(Alias.Group.choices)[self.group]
        if self.municipality is not None:
            return self.municipality.authority_short_name or self.municipality.authority_name
        return str(self.organization or self.school)

    @property
    def key(self) -> tuple:
        return (
            getattr(self.organization, "pk", None),
            getattr(self.municipality, "pk", None),
            getattr(self.school, "pk", None),
            self.group,
        )


@dataclass(frozen=True)
class Addressee:
    """One responsible party as written and the units it was resolved to (none: unknown)."""

    text: str
    targets: tuple[PartyTarget, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.targets)


@dataclass(frozen=True)
class Context:
    """What the rest of the protocol says about its people: positions of named people, invited schools."""

    positions: Mapping[str, str] = field(default_factory=dict)  # "Фомичева О.Г." → "директор МАОУ «СОШ № 11»"
    invited: Sequence[str] = ()  # the invited list, when an interview addresses "руководители ОО"
    interview: bool = False


@dataclass(frozen=True)
class _Candidate:
    unit: object
    names: tuple[Name, ...]

    def target(self, text: str) -> PartyTarget:
        unit = self.unit
        if isinstance(unit, Organization):
            return PartyTarget(text=text, organization=unit)
        if isinstance(unit, School):
            return PartyTarget(text=text, school=unit)
        return PartyTarget(text=text, municipality=unit)


class PartyResolver:
    """Resolves many names against one snapshot of the organiser's region (a few queries, not one per name).

    ``municipality`` is the organiser when a municipality keeps the protocol, ``organization`` when a
    regional body does; the region is theirs (or ``region``; without any, the first region).
    """

    def __init__(
        self,
        *,
        municipality: Municipality | None = None,
        organization: Organization | None = None,
        region: Region | None = None,
    ):
        self.municipality = municipality
        self.organization = organization
        self.region = region or _region_of(municipality, organization)
        region_id = getattr(self.region, "pk", None)
        in_region = {"region_id": region_id} if region_id else {}
        self.organizations = list(
            Organization.objects.filter(is_active=True, **in_region).select_related("parent")
        )
        self.municipalities = list(Municipality.objects.filter(is_active=True, **in_region).order_by("code"))
        self.schools = list(School.objects.filter(is_active=True, **in_region).select_related("municipality"))
        # names are the region's own: the same spelling may mean another body in another region
        self.aliases = {
            alias.normalized: alias
            for alias in Alias.objects.filter(**in_region).select_related(
                "organization", "municipality", "school"
            )
        }
        candidates = [
            *(
                _Candidate(org, tuple(read_name(n) for n in (org.name, org.short_name) if n))
                for org in self.organizations
            ),
            *(_Candidate(s, tuple(read_name(n) for n in (s.name, s.short_name) if n)) for s in self.schools),
            *(
                _Candidate(m, tuple(read_name(n) for n in (m.authority_name, m.authority_short_name) if n))
                for m in self.municipalities
            ),
        ]
        self._by_signature: dict[str, list[_Candidate]] = {}
        for candidate in candidates:
            for key in dict.fromkeys(signature(name) for name in candidate.names):
                self._by_signature.setdefault(key, []).append(candidate)

    # --- the public reading ---------------------------------------------------------------------------

    def resolve(self, text: str) -> PartyTarget | None:
        """One responsible name as one unit or group (None when it is unknown or stands for several units)."""
        targets = self.resolve_part(text)
        return targets[0] if len(targets) == 1 else None

    def responsible(self, text: str, context: Context | None = None) -> list[Addressee]:
        """A decision's responsible text as written ("МОУО, руководители ОО, ГАУ ДПО «ТОИУУ»"), part by part."""
        return self.addressees(split_responsible(text or ""), context)

    def addressees(self, parts: Iterable[str], context: Context | None = None) -> list[Addressee]:
        """Each responsible part as written with what it stands for; a bare qualifier ("Кашинского
        городского округа" after "МОУО Лихославльского и Спировского муниципальных округов") continues
        the class of the part before it."""
        context = context or Context()
        result: list[Addressee] = []
        previous: ClassWording | None = None
        for part in parts:
            wording = read_class(_without_role(part))
            if wording is None and previous is not None and self._qualifiers(part):
                targets = self._class_targets(
                    ClassWording(kind=previous.kind, qualifiers=part), part, context
                )
            else:
                targets = self.resolve_part(part, context)
                previous = wording if wording is not None else None
            result.append(Addressee(text=part, targets=tuple(_unique(targets))))
        return result

    def resolve_part(self, text: str, context: Context | None = None) -> list[PartyTarget]:
        context = context or Context()
        text = " ".join(text.split()).strip(" ;,")
        if text.endswith(".") and not re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", text):
            text = text[:-1]
        if not text:
            return []
        if alias := self._alias(text):
            return [alias]
        inside = [match.group(1) for match in _PARENTHESES_RE.finditer(text)]
        outside = " ".join(_PARENTHESES_RE.sub(" ", text).split()).strip(" ,;")
        if listed := self._listed(inside, context):
            return listed  # "руководители ОО, показавших низкие результаты (МКОУ «…», МКОУ «…»)"
        if department := self._department(outside, inside):
            return [department]
        if PERSON_RE.fullmatch(outside):
            return self._person(outside, context)
        if (wording := read_class(_without_role(outside))) is not None:
            return self._class_targets(wording, text, context)
        return self._named(outside, text)

    def count(self, target: PartyTarget) -> int:
        """How many units a target stands for in this region."""
        if target.group == Alias.Group.MUNICIPALITIES:
            return len(self.municipalities)
        if target.group == Alias.Group.SCHOOLS:
            municipality = target.municipality or self.municipality
            return sum(
                1
                for school in self.schools
                if municipality is None or school.municipality_id == municipality.pk
            )
        return 1

    def describe(self, target: PartyTarget) -> str:
        """What a target stands for, with its count: «18 органов управления образованием», «53 школы: …»."""
        count = self.count(target)
        if target.group == Alias.Group.MUNICIPALITIES:
            return f"{count} {plural(count, 'орган', 'органа', 'органов')} управления образованием муниципалитетов"
        if target.group == Alias.Group.SCHOOLS:
            schools = f"{count} {plural(count, 'школа', 'школы', 'школ')}"
            municipality = target.municipality or self.municipality
            return f"{schools}: {municipality}" if municipality else f"{schools} региона"
        return target.label

    # --- classes --------------------------------------------------------------------------------------

    def _class_targets(self, wording: ClassWording, text: str, context: Context) -> list[PartyTarget]:
        if wording.restricted:
            return []  # "…, включенных в перечень …": a subset the text does not name
        municipalities = self._qualifiers(wording.qualifiers) if wording.qualifiers else []
        if wording.qualifiers and not municipalities and not self._only_region(wording.qualifiers):
            return []  # a qualifier that names no municipality of the region
        if wording.kind == MUNICIPALITIES:
            if municipalities:
                return [PartyTarget(text=text, municipality=m) for m in municipalities]
            return [PartyTarget(text=text, group=Alias.Group.MUNICIPALITIES)]
        if wording.kind == SCHOOLS:
            if municipalities:
                return [
                    PartyTarget(text=text, group=Alias.Group.SCHOOLS, municipality=m) for m in municipalities
                ]
            if context.interview and (invited := self._invited_schools(context)):
                return [PartyTarget(text=text, school=school) for school in invited]
            if self.municipality is not None:
                return [PartyTarget(text=text, group=Alias.Group.SCHOOLS, municipality=self.municipality)]
            return [PartyTarget(text=text, group=Alias.Group.SCHOOLS)]
        # AUTHORITY: "комитет по образованию", "отдел образования администрации … района"
        if municipalities:
            return [PartyTarget(text=text, municipality=m) for m in municipalities]
        if self.municipality is not None and not wording.qualifiers:
            return [PartyTarget(text=text, municipality=self.municipality)]  # the organiser itself
        if self._only_region(wording.qualifiers) or self.municipality is None:
            committee = self._committee()
            named = self._named(_without_role(text), text)
            return named or ([PartyTarget(text=text, organization=committee)] if committee else [])
        return [PartyTarget(text=text, municipality=self.municipality)]

    def _qualifiers(self, text: str) -> list[Municipality]:
        """Municipalities named in a qualifier: "Лихославльского и Спировского муниципальных округов"."""
        words = [w for w in re.findall(r"[А-ЯЁа-яё][а-яё-]*", text) if w[:1].isupper()]
        found: list[Municipality] = []
        for word in words:
            if self._is_region_word(word) or is_generic(word):
                continue
            matches = [
                m for m in self.municipalities if any(same_word(word, own) for own in _distinctive(m.name))
            ]
            if len(matches) != 1:
                return []
            found.append(matches[0])
        return list(dict.fromkeys(found))

    def _only_region(self, text: str) -> bool:
        words = [w for w in re.findall(r"[А-ЯЁа-яё][а-яё-]*", text or "") if w[:1].isupper()]
        return all(self._is_region_word(word) or is_generic(word) for word in words)

    def _is_region_word(self, word: str) -> bool:
        region_words = re.findall(r"[А-ЯЁа-яё-]+", self.region.name) if self.region else []
        return any(same_word(word, own) for own in region_words) or word.lower() in (
            "область",
            "края",
            "республики",
        )

    def _invited_schools(self, context: Context) -> list[School]:
        schools: list[School] = []
        for entry in context.invited:
            for target in self._named(entry, entry):
                if target.school is not None:
                    schools.append(target.school)
        return list(dict.fromkeys(schools))

    def _committee(self) -> Organization | None:
        if self.organization is not None:
            organization = self.organization
            while organization.parent_id:
                organization = organization.parent
            return organization
        return next((o for o in self.organizations if o.kind == Organization.Kind.COMMITTEE), None)

    # --- named bodies, departments, people ------------------------------------------------------------

    def _alias(self, text: str) -> PartyTarget | None:
        for key in (normalize_name(text), normalize_name(_without_role(text))):
            if alias := self.aliases.get(key):
                return PartyTarget(text=text, organization=alias.organization, municipality=alias.municipality,
                                   school=alias.school, group=alias.group)  # fmt: skip
        return None

    def _named(self, name_text: str, text: str) -> list[PartyTarget]:
        wanted = read_name(_without_role(name_text))
        if not wanted.tokens:
            return []
        found = self._by_signature.get(signature(wanted), [])
        matches = list(dict.fromkeys(c for c in found if any(same_name(wanted, name) for name in c.names)))
        if len(matches) > 1 and wanted.form:
            same_form = [c for c in matches if any(name.form == wanted.form for name in c.names)]
            matches = same_form or matches
        if len(matches) > 1 and self.municipality is not None:
            own = [c for c in matches if _municipality_of(c.unit) == self.municipality.pk]
            matches = own or matches
        return [matches[0].target(text)] if len(matches) == 1 else []

    def _department(self, outside: str, inside: list[str]) -> PartyTarget | None:
        """ "отдел общего образования комитета", "Министерство … (отдел общего образования)", "комитет (отдел …)"."""
        match = _DEPARTMENT_RE.match(outside)
        if match:
            parent, department = self._committee(), match["department"]
        else:
            department = next((text for text in inside if text.lower().startswith("отдел")), "")
            if not department:
                return None
            parent = self._committee() if read_class(outside) is not None else None
            if parent is None:
                found = self._named(outside, outside)
                parent = found[0].organization if found and found[0].organization else None
        if parent is None or self.municipality is not None:
            return None
        wanted = read_name(department)
        for unit in self.organizations:
            if unit.parent_id == parent.pk and any(
                same_name(wanted, read_name(n)) for n in (unit.name, unit.short_name)
            ):
                return PartyTarget(text=outside, organization=unit)
        return None

    def _listed(self, inside: list[str], context: Context) -> list[PartyTarget]:
        for group in inside:
            parts = top_level_split(group, ",;")
            resolved = [self._named(part, part) for part in parts]
            if len(parts) > 1 or not PERSON_RE.fullmatch(group.strip()):
                if resolved and all(len(found) == 1 for found in resolved):
                    return [found[0] for found in resolved]
        return []

    def _person(self, name: str, context: Context) -> list[PartyTarget]:
        """ "Фомичева О.Г." → her position in the protocol ("директор МАОУ «СОШ № 11»") → the school."""
        key = " ".join(name.replace(". ", ".").split())
        position = next(
            (pos for person, pos in context.positions.items() if person.replace(". ", ".") == key), ""
        )
        return self._named(position, name) if position else []


# --- helpers -----------------------------------------------------------------------------------------


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a count: 1 школа, 3 школы, 5 школ, 21 школа."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def _region_of(municipality: Municipality | None, organization: Organization | None) -> Region | None:
    if municipality is not None:
        return municipality.region
    if organization is not None:
        return organization.region
    return Region.objects.order_by("pk").first()


def _municipality_of(unit) -> int | None:
    if isinstance(unit, School):
        return unit.municipality_id
    if isinstance(unit, Organization):
        return unit.municipality_id
    return unit.pk


def _distinctive(name: str) -> list[str]:
    """The words of a municipality's name that say which one it is: "Лихославльский муниципальный округ" →
    ["Лихославльский"], "г. Череповец" → ["Череповец"], "Великий Новгород" → ["Великий", "Новгород"]."""
    return [word for word in name.split() if word.lower() not in _MUNICIPAL_KIND_WORDS and word[:1].isupper()]


def _without_role(text: str) -> str:
    return _ROLE_WORDS.sub("", " ".join(text.split()))


def _unique(targets: list[PartyTarget]) -> list[PartyTarget]:
    seen, result = set(), []
    for target in targets:
        if target.key not in seen:
            seen.add(target.key)
            result.append(target)
    return result

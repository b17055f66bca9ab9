"""Reading responsible parties as written ("руководители ОМСУ", "ГАОУ ДПО «ЛОИРО»") into units.

Resolution goes through the region's editable aliases first, then the units' own names.
What cannot be resolved is returned as unknown, never guessed.
"""

import re
from dataclasses import dataclass

from municipalities.models import Alias, Municipality, Organization, School, normalize_name

_ROLE_WORDS = re.compile(
    r"^(?:руководител[ьи]|директор(?:а|ы)?|начальник(?:и)?|председател[ьи]|заведующ(?:ий|ие)|ректор|"
    r"специалист(?:ы)?|сотрудник(?:и)?)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PartyTarget:
    """What a responsible name means: one unit, or a group of units."""

    text: str
    organization: Organization | None = None
    municipality: Municipality | None = None
    school: School | None = None
    group: str = ""

    @property
    def label(self) -> str:
        if self.group:
            return dict(Alias.Group.choices)[self.group]
        return str(self.organization or self.municipality or self.school)


def _from_alias(alias: Alias, text: str) -> PartyTarget:
    return PartyTarget(
        text=text,
        organization=alias.organization,
        municipality=alias.municipality,
        school=alias.school,
        group=alias.group,
    )


class PartyResolver:
    """Resolves many names against one snapshot of the organisation tree (a few queries, not one per name)."""

    def __init__(self, *, municipality: Municipality | None = None):
        # A municipality's own meeting addresses its own schools only.
        self.municipality = municipality
        self.aliases = {
            a.normalized: a for a in Alias.objects.select_related("organization", "municipality", "school")
        }
        schools = School.objects.filter(is_active=True).select_related("municipality")
        if municipality is not None:
            schools = schools.filter(municipality=municipality)
        self.names: dict[str, PartyTarget] = {}
        for org in Organization.objects.filter(is_active=True):
            for name in (org.name, org.short_name):
                self.names.setdefault(normalize_name(name), PartyTarget(text=name, organization=org))
        for mun in Municipality.objects.filter(is_active=True):
            for name in (mun.name, mun.authority_name, mun.authority_short_name):
                if name:
                    self.names.setdefault(normalize_name(name), PartyTarget(text=name, municipality=mun))
        for school in schools:
            for name in (school.name, school.short_name):
                self.names.setdefault(normalize_name(name), PartyTarget(text=name, school=school))

    def resolve(self, text: str) -> PartyTarget | None:
        key = normalize_name(text)
        if not key:
            return None
        for candidate in (key, normalize_name(_ROLE_WORDS.sub("", key))):
            if candidate in self.aliases:
                return _from_alias(self.aliases[candidate], text)
            if candidate in self.names:
                target = self.names[candidate]
                return PartyTarget(text=text, organization=target.organization, municipality=target.municipality,
                                   school=target.school)  # fmt: skip
        # A longer phrase that contains exactly one known name ("директор МОУ «Пашская СОШ» Иванов И.И.")
        found = {name: t for name, t in self.names.items() if len(name) >= 6 and name in key}
        found.update(
            {name: _from_alias(a, text) for name, a in self.aliases.items() if len(name) >= 6 and name in key}
        )
        if found:
            longest = max(found, key=len)
            target = found[longest]
            return PartyTarget(text=text, organization=target.organization, municipality=target.municipality,
                               school=target.school, group=target.group)  # fmt: skip
        return None

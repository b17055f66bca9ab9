"""«Добавить как вариант названия…»: an unknown addressee becomes an alias of a body the user chooses.

Only committee staff edit the region's directory of names, and only with bodies of the region the
resolver reads (the organiser's); the alias is then read first by every later resolution.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from municipalities.models import Alias

from .resolver import PartyResolver

GROUPS = {
    "group:municipalities": (
        Alias.Group.MUNICIPALITIES,
        "все органы управления образованием муниципалитетов",
    ),
    "group:schools": (Alias.Group.SCHOOLS, "все общеобразовательные организации"),
}


def can_add_alias(user) -> bool:
    return user.is_authenticated and user.is_committee and not user.is_read_only


def alias_choices(resolver: PartyResolver) -> list[tuple[str, list[tuple[str, str]]]]:
    """The bodies an unknown name may stand for, grouped for a <select>: classes, regional bodies, authorities."""
    return [
        ("Группы", [(key, label) for key, (_, label) in GROUPS.items()]),
        ("Организации региона", [(f"organization:{o.pk}", o.short_name or o.name)
                                 for o in sorted(resolver.organizations, key=lambda o: o.short_name or o.name)]),
        ("Органы управления образованием", [(f"municipality:{m.pk}", m.authority_short_name or m.authority_name or m.name)
                                           for m in resolver.municipalities]),
    ]  # fmt: skip


def alias_add(*, actor, text: str, target: str, resolver: PartyResolver) -> Alias:
    """Save ``text`` as another name of the chosen body (``target`` as offered by ``alias_choices``)."""
    if not can_add_alias(actor):
        raise PermissionDenied("Варианты названий добавляют сотрудники комитета.")
    if resolver.region is None or not actor.works_in(resolver.region.pk):
        raise PermissionDenied("Варианты названий своего региона добавляют сотрудники его комитета.")
    alias = Alias(text=" ".join((text or "").split())[:300], region=resolver.region)
    if target in GROUPS:
        alias.group = GROUPS[target][0]
    else:
        kind, _, pk = target.partition(":")
        units = {"organization": resolver.organizations, "municipality": resolver.municipalities}.get(
            kind, []
        )
        unit = next((u for u in units if str(u.pk) == pk), None)
        if unit is None:
            raise ValidationError(f"«{alias.text}»: выберите, какой орган или группу означает это название.")
        setattr(alias, kind, unit)
    try:
        alias.full_clean()
    except ValidationError as exc:
        raise ValidationError([f"«{alias.text}»: {message}" for message in exc.messages]) from exc
    alias.save()
    return alias

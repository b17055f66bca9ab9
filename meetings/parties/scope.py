"""Whom an organiser may address: the organiser's scope bounds the responsible parties of its protocols.

A regional body's protocol may address any unit of its region. A municipality's protocol addresses only
its own schools ("руководители ОО" there means them), its own education authority and — where the region
allows it — its own municipal organisations; never other municipalities, regional bodies or every
authority of the region.
"""

from __future__ import annotations

from municipalities.models import Municipality, Organization, Region, School


def scope_problem(
    target, *, text: str, organizer_municipality: Municipality | None, region: Region | None
) -> str | None:
    """Why the organiser may not address ``target`` (a ``PartyTarget`` or a ``DecisionParty``); None if it may."""
    unit = target.organization or target.municipality or target.school
    if unit is not None and region is not None and _region_id(unit) != region.pk:
        return f"«{text}» относится к другому региону: такому исполнителю протокол не может давать поручения."
    if organizer_municipality is None:
        return None
    own = organizer_municipality.pk
    allowed = _allowed_phrase(organizer_municipality)
    if target.group == "municipalities":
        return f"«{text}» — это органы управления образованием всех муниципалитетов: {allowed}."
    if target.group == "schools":
        if target.municipality is None or target.municipality.pk == own:
            return None
        return f"«{text}» — школы другого муниципалитета ({target.municipality}): {allowed}."
    if target.school is not None:
        if target.school.municipality_id == own:
            return None
        return f"«{text}» — школа другого муниципалитета: {allowed}."
    if target.municipality is not None:
        if target.municipality.pk == own:
            return None
        return f"«{text}» — орган управления образованием другого муниципалитета: {allowed}."
    organization = target.organization
    if organization.kind == Organization.Kind.MUNICIPAL and organization.municipality_id == own:
        if organizer_municipality.region.municipal_organizations_addressable:
            return None
        return (
            f"«{text}» — муниципальная организация, а поручения муниципальным организациям в протоколах "
            f"муниципалитетов в этом регионе не предусмотрены: {allowed}."
        )
    return f"«{text}» — организация вне муниципалитета-организатора: {allowed}."


def _allowed_phrase(municipality: Municipality) -> str:
    if municipality.region.municipal_organizations_addressable:
        return "протокол муниципалитета может давать поручения только своим школам и своим муниципальным организациям"
    return "протокол муниципалитета может давать поручения только своим школам"


def _region_id(unit) -> int:
    if isinstance(unit, School):
        return unit.municipality.region_id
    return unit.region_id


def scope_problems(meeting, parties: list[tuple]) -> list[str]:
    """For ``(decision, party)`` pairs of a meeting: a Russian message naming each party outside its scope."""
    problems = []
    for decision, party in parties:
        problem = scope_problem(party, text=party.text, organizer_municipality=meeting.organizer_municipality,
                                region=meeting.region)  # fmt: skip
        if problem:
            problems.append(f"Решение {decision.number}: {problem}")
    return problems

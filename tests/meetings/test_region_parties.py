"""The party resolver reads the organiser's region only: the same words name that region's own bodies."""

from meetings.parties import PartyResolver
from meetings.parties.aliases import alias_add
from municipalities.models import Alias


def test_names_resolve_within_the_organisers_region(people):
    omsk = PartyResolver(organization=people.ministry_c)
    assert omsk.resolve("ЛОИРО") is None  # region 47's institute means nothing in Omsk
    assert omsk.resolve("СОШ № 1 Всеволожск") is None
    group = omsk.resolve("руководители ОМСУ")
    assert group.group == "municipalities"
    assert omsk.resolve("Средняя школа № 1 г. Тары").school == people.school_c
    leningrad = PartyResolver(organization=people.committee_org)
    assert leningrad.resolve("ЛОИРО").organization == people.loiro
    assert leningrad.resolve("Средняя школа № 1 г. Тары") is None


def test_a_new_alias_belongs_to_the_resolvers_region_and_only_its_committee_adds_it(people):
    import pytest
    from django.core.exceptions import PermissionDenied

    omsk = PartyResolver(organization=people.ministry_c)
    alias = alias_add(actor=people.committee_c, text="Минобр", target=f"organization:{people.ministry_c.pk}",
                      resolver=omsk)  # fmt: skip
    assert alias.region == people.region_c
    with pytest.raises(PermissionDenied):
        alias_add(actor=people.committee, text="Министерство", target="group:schools", resolver=omsk)
    assert not Alias.objects.filter(text="Министерство").exists()
    # the same spelling may mean another body in another region
    leningrad = PartyResolver(organization=people.committee_org)
    assert alias_add(actor=people.committee, text="Минобр", target=f"organization:{people.committee_org.pk}",
                     resolver=leningrad).region == people.region  # fmt: skip

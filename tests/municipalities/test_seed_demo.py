"""The demo region is the Leningrad oblast of DOMAIN.md, loaded the same way every time."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from municipalities.models import Alias, Municipality, School, User

DOMAIN_MUNICIPALITIES = {
    "Бокситогорский", "Волосовский", "Волховский", "Всеволожский", "Выборгский", "Гатчинский", "Кингисеппский",
    "Киришский", "Кировский", "Лодейнопольский", "Ломоносовский", "Лужский", "Подпорожский", "Приозерский",
    "Сланцевский", "Тихвинский", "Тосненский", "Сосновоборский",
}  # fmt: skip


@pytest.fixture
def demo(db, settings):
    """An empty database with only the demo region in it."""
    settings.DEMO = True
    User.objects.all().delete()
    Alias.objects.all().delete()
    School.objects.all().delete()
    Municipality.objects.all().delete()
    call_command("seed_demo", "--without-results")


def test_it_loads_the_18_municipalities_of_leningrad_oblast(demo):
    names = set(Municipality.objects.filter(region__code="47").values_list("name", flat=True))
    assert {name.split()[0] for name in names} == DOMAIN_MUNICIPALITIES
    assert Municipality.objects.get(name__startswith="Сосновоборский").kind == "city_okrug"


def test_schools_are_scaled_by_municipality_size(demo):
    assert 250 <= School.objects.filter(region__code="47").count() <= 350
    sizes = dict(
        Municipality.objects.filter(region__code="47").annotate(n=Count("schools")).values_list("name", "n")
    )
    largest = max(sizes, key=sizes.get)
    smallest = sorted(sizes, key=sizes.get)[:2]
    assert largest.startswith("Всеволожский")
    assert {name.split()[0] for name in smallest} == {"Подпорожский", "Лодейнопольский"}
    assert School.objects.filter(kind="branch", parent__isnull=False).exists()
    assert School.objects.filter(low_results=True).count() >= 10


def test_demo_users_have_the_promised_scope(demo):
    municipality = User.objects.get(username="municipality")
    assert municipality.municipality.name == "Всеволожский муниципальный район"
    school = User.objects.get(username="school")
    assert school.school.municipality == municipality.municipality
    assert User.objects.get(username="committee").role == "committee"
    assert User.objects.get(username="observer").is_read_only
    for user in User.objects.filter(is_demo=True):
        assert user.check_password("demo")
        assert user.email
    assert User.objects.filter(role="municipality", region__code="47").count() == 18


def test_loading_twice_changes_nothing(demo):
    before = (School.objects.count(), Alias.objects.count(), User.objects.count(),
              sorted(School.objects.values_list("code", "name", "low_results")))  # fmt: skip
    call_command("seed_demo", "--without-results")
    after = (School.objects.count(), Alias.objects.count(), User.objects.count(),
             sorted(School.objects.values_list("code", "name", "low_results")))  # fmt: skip
    assert before == after


def test_class_aliases_name_every_municipality(demo):
    alias = Alias.objects.get(text="руководители ОМСУ", region__code="47")
    assert alias.group == Alias.Group.MUNICIPALITIES
    assert Alias.objects.get(text="ЛОИРО").organization.code == "loiro"


def test_the_second_region_is_omsk_with_its_own_people(demo):
    from meetings.models import Meeting, Obligation

    omsk = Municipality.objects.filter(region__code="55")
    assert omsk.count() == 4 and School.objects.filter(region__code="55").count() == 16
    committee, head, director = (
        User.objects.get(username=name) for name in ("omsk-committee", "omsk-mouo", "omsk-school")
    )
    assert {committee.region.code, head.region.code, director.region.code} == {"55"}
    assert set(School.objects.for_user(committee)) == set(School.objects.filter(region__code="55"))
    assert not Municipality.objects.for_user(User.objects.get(username="committee")).filter(region__code="55")
    federal = User.objects.get(username="federal")
    assert federal.is_read_only and federal.region is None
    assert Municipality.objects.for_user(federal).count() == 22
    interview = Meeting.objects.get(organizer_municipality=head.municipality)
    assert interview.kind == "interview" and interview.is_signed
    addressed = Obligation.objects.filter(decision__item__meeting=interview)
    assert {o.school.municipality for o in addressed} == {head.municipality}
    assert set(Meeting.objects.for_user(director)) == {interview}
    # the same spelling stands for each region's own bodies
    assert Alias.objects.filter(text="руководители ОМСУ").count() == 2


def test_it_refuses_outside_demo_mode(db, settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="только в демонстрационном режиме"):
        call_command("seed_demo")

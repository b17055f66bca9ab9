"""Invariants of the organisation tree: what the database refuses, with a Russian message."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from municipalities.models import Alias, Municipality, Role, School, User, normalize_name


def test_names_are_compared_without_case_quotes_and_yo():
    assert normalize_name("ГАОУ ДПО «ЛОИРО»") == normalize_name('гаоу  дпо "лоиро".')
    assert normalize_name("Отдел Учёта") == "отдел учета"


def test_branch_without_parent_is_refused_with_a_russian_message(people):
    school = School(
        municipality=people.mun_a, code="04999", name="Филиал", short_name="Филиал", kind="branch"
    )
    with pytest.raises(ValidationError) as exc:
        school.full_clean()
    assert "Для филиала укажите основную организацию." in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        school.save()


def test_branch_must_be_in_the_same_municipality(people):
    school = School(
        municipality=people.mun_b, code="05999", name="Филиал", short_name="Филиал", kind="branch",
        parent=people.school_a,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        school.full_clean()
    assert "в том же муниципалитете" in str(exc.value)


def test_monitoring_login_is_unique_but_may_be_empty(people):
    School.objects.create(municipality=people.mun_b, code="05002", name="a", short_name="a", kind="sosh")
    School.objects.create(municipality=people.mun_b, code="05003", name="b", short_name="b", kind="sosh")
    duplicate = School(
        municipality=people.mun_b,
        code="05004",
        name="c",
        short_name="c",
        kind="sosh",
        monitoring_login="sch4704001",
    )
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "логин ФИС ОКО уже принадлежит другой школе" in str(exc.value)


def test_alias_points_at_exactly_one_target(people):
    both = Alias(text="Странный", municipality=people.mun_a, school=people.school_a)
    with pytest.raises(ValidationError) as exc:
        both.full_clean()
    assert "ровно на одно" in str(exc.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alias(text="Пустой").save()


def test_alias_spelled_differently_is_still_a_duplicate(people):
    alias = Alias(text="«ЛОИРО»", organization=people.loiro)
    with pytest.raises(ValidationError) as exc:
        alias.full_clean()
    assert "Такое написание уже есть" in str(exc.value)


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (Role.MUNICIPALITY, "укажите муниципалитет"),
        (Role.SCHOOL, "укажите школу"),
        (Role.ORGANIZATION, "укажите организацию"),
    ],
)
def test_a_role_needs_its_unit(db, role, message):
    user = User(username=f"x-{role}", role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "обязательно" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        user.validate_constraints()
    assert message in str(exc.value)


def test_director_school_must_belong_to_the_municipality(people):
    user = User(username="mixed", role=Role.SCHOOL, school=people.school_a, municipality=people.mun_b)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "Школа не относится к этому муниципалитету" in str(exc.value)


def test_names_are_editable_and_codes_stay(people):
    municipality = Municipality.objects.get(code="04")
    municipality.name = "Всеволожский муниципальный округ"
    municipality.kind = Municipality.Kind.MUNICIPAL_OKRUG
    municipality.save()
    assert Municipality.objects.get(code="04").name == "Всеволожский муниципальный округ"


def test_protocol_style_short_name(people):
    user = User(last_name="Иванова", first_name="Анна", middle_name="Петровна")
    assert user.short_name == "Иванова А.П."
    assert user.full_name == "Иванова Анна Петровна"

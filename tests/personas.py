"""The named people every test meets, built once per test session.

Two municipalities (Всеволожский "A", Выборгский "B"), a school with a director in each, the
committee with a department, a regional organisation with its staff member, and an observer.
A second region (Омская область) with its ministry, one municipality "C", a school with a director,
its committee member and municipal head; and a federal observer who sees both regions read-only.
"""

from types import SimpleNamespace

from django.contrib.auth.hashers import make_password

from municipalities.models import Alias, Municipality, Organization, Region, Role, School, User

PASSWORD = "correct-horse-battery"


def build_personas() -> None:
    region = Region.objects.create(code="47", name="Ленинградская область")
    committee = Organization.objects.create(
        region=region,
        kind="committee",
        code="koipo",
        name="Комитет общего и профессионального образования",
        short_name="КОиПО ЛО",
    )
    department = Organization.objects.create(
        region=region,
        kind="department",
        parent=committee,
        code="koipo-general",
        name="Отдел общего образования",
        short_name="Отдел общего образования",
    )
    loiro = Organization.objects.create(
        region=region,
        kind="subordinate",
        code="loiro",
        name="Ленинградский областной институт развития образования",
        short_name="ГАОУ ДПО «ЛОИРО»",
    )
    icoko = Organization.objects.create(
        region=region,
        kind="subordinate",
        code="icoko",
        name="Информационный центр оценки качества образования",
        short_name="ГБУ ЛО «ИЦОКО»",
    )
    mun_a = Municipality.objects.create(
        region=region,
        code="04",
        name="Всеволожский муниципальный район",
        kind="district",
        authority_name="Комитет по образованию Всеволожского района",
        authority_short_name="КО Всеволожского района",
    )
    mun_b = Municipality.objects.create(
        region=region,
        code="05",
        name="Выборгский муниципальный район",
        kind="district",
        authority_name="Комитет образования Выборгского района",
        authority_short_name="КО Выборгского района",
    )
    school_a = School.objects.create(
        municipality=mun_a,
        code="04001",
        name="Средняя школа № 1 г. Всеволожска",
        short_name="СОШ № 1 Всеволожск",
        kind="sosh",
        monitoring_login="sch4704001",
        low_results=True,
    )
    School.objects.create(
        municipality=mun_a,
        code="04002",
        name="Агалатовская средняя школа",
        short_name="Агалатовская СОШ",
        kind="sosh",
        is_rural=True,
        difficult_conditions=True,
    )
    school_b = School.objects.create(
        municipality=mun_b,
        code="05001",
        name="Гимназия г. Выборга",
        short_name="Гимназия Выборга",
        kind="gymnasium",
    )
    Alias.objects.create(text="ЛОИРО", organization=loiro)
    Alias.objects.create(text="руководители ОМСУ", group=Alias.Group.MUNICIPALITIES, region=region)
    Alias.objects.create(
        text="руководители органов местного самоуправления, осуществляющих управление в сфере образования",
        group=Alias.Group.MUNICIPALITIES,
        region=region,
    )
    Alias.objects.create(text="Всеволожский район", municipality=mun_a)

    password = make_password(PASSWORD)
    people = [
        ("committee", Role.COMMITTEE, {"organization": department, "is_staff": True}),
        ("observer", Role.OBSERVER, {}),
        ("head_a", Role.MUNICIPALITY, {"municipality": mun_a}),
        ("head_b", Role.MUNICIPALITY, {"municipality": mun_b}),
        ("director_a", Role.SCHOOL, {"school": school_a, "municipality": mun_a}),
        ("director_b", Role.SCHOOL, {"school": school_b, "municipality": mun_b}),
        ("loiro_staff", Role.ORGANIZATION, {"organization": loiro}),
        ("federal", Role.FEDERAL, {}),
        *other_region(),
    ]
    for username, role, extra in people:
        if role not in (Role.FEDERAL,) and not any(
            k in extra for k in ("organization", "municipality", "school")
        ):
            extra = {**extra, "region": region}
        User.objects.create(
            username=username,
            role=role,
            password=password,
            email=f"{username}@example.ru",
            last_name=username.capitalize(),
            first_name="Тест",
            **extra,
        )
    assert icoko.pk


def other_region() -> list[tuple]:
    """Омская область: what region "47" people must never see, and the federal observer sees."""
    omsk = Region.objects.create(code="55", name="Омская область")
    ministry = Organization.objects.create(
        region=omsk, kind="committee", code="omsk-minobr", name="Министерство образования Омской области",
        short_name="Минобр Омской области",
    )  # fmt: skip
    mun_c = Municipality.objects.create(
        region=omsk, code="21", name="Тарский муниципальный район", kind="district",
        authority_name="Комитет по образованию Тарского района", authority_short_name="КО Тарского района",
    )  # fmt: skip
    school_c = School.objects.create(
        municipality=mun_c,
        code="21001",
        name="Средняя школа № 1 г. Тары",
        short_name="СОШ № 1 Тара",
        kind="sosh",
    )
    # the same spelling as region 47's alias of its own municipality: aliases are unique per region
    Alias.objects.create(text="руководители ОМСУ", group=Alias.Group.MUNICIPALITIES, region=omsk)
    return [
        ("committee_c", Role.COMMITTEE, {"organization": ministry, "is_staff": True}),
        ("head_c", Role.MUNICIPALITY, {"municipality": mun_c}),
        ("director_c", Role.SCHOOL, {"school": school_c, "municipality": mun_c}),
    ]


def load_personas() -> SimpleNamespace:
    users = {u.username: u for u in User.objects.select_related("municipality", "school", "organization")}
    return SimpleNamespace(
        **users,
        mun_a=Municipality.objects.get(code="04"),
        mun_b=Municipality.objects.get(code="05"),
        school_a=School.objects.get(code="04001"),
        school_a2=School.objects.get(code="04002"),
        school_b=School.objects.get(code="05001"),
        committee_org=Organization.objects.get(code="koipo"),
        department=Organization.objects.get(code="koipo-general"),
        loiro=Organization.objects.get(code="loiro"),
        icoko=Organization.objects.get(code="icoko"),
        region=Region.objects.get(code="47"),
        region_c=Region.objects.get(code="55"),
        mun_c=Municipality.objects.get(code="21"),
        school_c=School.objects.get(code="21001"),
        ministry_c=Organization.objects.get(code="omsk-minobr"),
        password=PASSWORD,
    )

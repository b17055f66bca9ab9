"""The second demo region: Omsk oblast, small on purpose — 4 municipalities, 16 schools, its ministry and people.

It shows that regions live side by side in one installation: the same kinds of codes, names and users,
none of them visible from the other region. Deterministic; loading twice changes nothing.
"""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from municipalities.demo import DEMO_PASSWORD, GROUP_ALIASES, _alias
from municipalities.models import Municipality, Organization, Region, Role, School, User

OMSK_CODE = "55"

ORGANIZATIONS = [
    # code, kind, parent code, name, short name, aliases
    ("minobr", "committee", None, "Министерство образования Омской области", "Минобр Омской области",
     ["Министерство", "министерство образования", "Минобразования Омской области"]),
    ("minobr-general", "department", "minobr", "Управление общего образования Министерства образования Омской "
     "области", "Управление общего образования", ["управление общего образования"]),
    ("irooo", "subordinate", None, "Бюджетное образовательное учреждение дополнительного профессионального "
     "образования Омской области «Институт развития образования Омской области»", "БОУ ДПО «ИРООО»",
     ["ИРООО", "Институт развития образования Омской области"]),
]  # fmt: skip

# code, name, kind, authority, short authority, town (genitive, after «СОШ № 1»), villages of rural schools
MUNICIPALITIES = [
    ("51", "Омский муниципальный район", "district", "Комитет по образованию Администрации Омского муниципального "
     "района", "КО Омского района", "р.п. Ростовка", ["Ачаирская", "Дружинская", "Лузинская"]),
    ("52", "Тарский муниципальный район", "district", "Комитет по образованию Администрации Тарского "
     "муниципального района", "КО Тарского района", "г. Тары", ["Екатерининская", "Орловская"]),
    ("53", "Исилькульский муниципальный район", "district", "Комитет по образованию Администрации Исилькульского "
     "муниципального района", "КО Исилькульского района", "г. Исилькуля", ["Боевая", "Медвежинская"]),
    ("54", "Называевский муниципальный район", "district", "Комитет по образованию Администрации Называевского "
     "муниципального района", "КО Называевского района", "г. Называевска", ["Кисляковская"]),
]  # fmt: skip

USERS = [
    # username, role, unit (organisation or municipality / school code), last, first, middle, position
    ("omsk-committee", Role.COMMITTEE, "minobr-general", "Белова", "Наталья", "Андреевна",
     "Начальник управления общего образования"),
    ("omsk-mouo", Role.MUNICIPALITY, "51", "Кравцов", "Игорь", "Валентинович", "Председатель комитета по образованию"),
    ("omsk-school", Role.SCHOOL, "51001", "Шестакова", "Елена", "Юрьевна", "Директор"),
]  # fmt: skip


@transaction.atomic
def load_omsk_region(*, with_users: bool = True) -> dict[str, int]:
    """Create or update the second demo region and its people, and the federal observer; returns counts."""
    region, _ = Region.objects.update_or_create(code=OMSK_CODE, defaults={"name": "Омская область"})
    organizations: dict[str, Organization] = {}
    for code, kind, parent, name, short, aliases in ORGANIZATIONS:
        organizations[code], _ = Organization.objects.update_or_create(
            region=region, code=code,
            defaults={"kind": kind, "parent": organizations.get(parent), "name": name, "short_name": short},
        )  # fmt: skip
        for text in aliases:
            _alias(text, organization=organizations[code])
    for group, texts in GROUP_ALIASES.items():
        for text in texts:
            _alias(text, group=group, region=region)
    for code, name, kind, authority, short, town, villages in MUNICIPALITIES:
        municipality, _ = Municipality.objects.update_or_create(
            region=region, code=code,
            defaults={"name": name, "kind": kind, "authority_name": authority, "authority_short_name": short,
                      "email": f"edu55-{code}@example.ru"},
        )  # fmt: skip
        for text in {name, name.replace(" муниципальный район", " район"), authority, short}:
            _alias(text, municipality=municipality)
        rows = [
            (f"МБОУ «СОШ № 1 {town}»", "sosh", town, False),
            (f"МБОУ «Гимназия {town}»", "gymnasium", town, False),
            *[(f"МБОУ «{village} СОШ»", "sosh", village.removesuffix("ая") + "ое сельское поселение", True)
              for village in villages],
        ]  # fmt: skip
        for number, (short_name, kind_, locality, rural) in enumerate(rows, start=1):
            school_code = f"{code}{number:03d}"
            full = short_name.replace("МБОУ", "Муниципальное бюджетное общеобразовательное учреждение", 1)
            School.objects.update_or_create(
                region=region, code=school_code,
                defaults={"municipality": municipality, "name": full, "short_name": short_name, "kind": kind_,
                          "monitoring_login": f"sch55{school_code}", "locality": locality, "is_rural": rural,
                          "low_results": rural and number % 2 == 1, "email": f"school55-{school_code}@example.ru"},
            )  # fmt: skip
    if with_users:
        _users(region, organizations)
    return {
        "municipalities": Municipality.objects.filter(region=region).count(),
        "schools": School.objects.filter(region=region).count(),
        "users": User.objects.filter(is_demo=True, region=region).count(),
    }


def _users(region: Region, organizations: dict[str, Organization]) -> None:
    password = make_password(DEMO_PASSWORD)
    specs = [(*spec, {"region": region}) for spec in USERS]
    specs.append(("federal", Role.FEDERAL, None, "Фёдоров", "Алексей", "Николаевич",
                  "Федеральный наблюдатель (Минпросвещения России)", {}))  # fmt: skip
    for username, role, unit, last, first, middle, position, scope in specs:
        if role == Role.MUNICIPALITY:
            scope["municipality"] = Municipality.objects.get(region=region, code=unit)
        elif role == Role.SCHOOL:
            school = School.objects.get(region=region, code=unit)
            scope.update(school=school, municipality=school.municipality)
        elif unit:
            scope["organization"] = organizations[unit]
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role, "last_name": last, "first_name": first, "middle_name": middle, "position": position,
                "email": f"{username}@demo.example.ru", "is_demo": True, "is_staff": role == Role.COMMITTEE,
                "password": password, **scope,
            },
        )  # fmt: skip
        if not created and not user.is_demo:
            raise ValueError(f"Пользователь «{username}» уже существует и не является демонстрационным.")

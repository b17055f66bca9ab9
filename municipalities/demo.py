"""The demo region: Leningrad oblast's 18 municipalities, ~330 schools, the committee and demo users.

Deterministic: the same database content on every run, and loading twice changes nothing.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from municipalities.models import Alias, Municipality, Organization, Region, Role, School, User

DEMO_PASSWORD = "demo"  # noqa: S105 - demo mode only; demo users cannot sign in outside it


@dataclass(frozen=True)
class DemoMunicipality:
    name: str  # "Всеволожский муниципальный район"
    town: str  # "г. Всеволожска" — as it follows "СОШ № 1"
    town_name: str  # "Всеволожск" — the locality itself
    villages: tuple[str, ...]  # adjectives of rural schools: "Агалатовская"
    schools: int  # scaled by the number of pupils


MUNICIPALITIES = [
    DemoMunicipality("Бокситогорский муниципальный район", "г. Бокситогорска", "Бокситогорск",
                     ("Ефимовская", "Большедворская", "Самойловская", "Климовская"), 12),
    DemoMunicipality("Волосовский муниципальный район", "г. Волосово", "Волосово",
                     ("Бегуницкая", "Калитинская", "Сабская", "Изварская", "Торосовская", "Кикеринская"), 14),
    DemoMunicipality("Волховский муниципальный район", "г. Волхова", "Волхов",
                     ("Сясьстройская", "Новоладожская", "Кисельнинская", "Пашская", "Бережковская", "Потанинская",
                      "Алексинская"), 20),
    DemoMunicipality("Всеволожский муниципальный район", "г. Всеволожска", "Всеволожск",
                     ("Агалатовская", "Бугровская", "Кузьмоловская", "Лесколовская", "Романовская", "Рахьинская",
                      "Сертоловская", "Токсовская", "Колтушская", "Дубровская", "Муринская", "Разметелевская"), 52),
    DemoMunicipality("Выборгский муниципальный район", "г. Выборга", "Выборг",
                     ("Рощинская", "Каменногорская", "Приморская", "Советская", "Первомайская", "Гончаровская",
                      "Полянская", "Селезнёвская"), 36),
    DemoMunicipality("Гатчинский муниципальный район", "г. Гатчины", "Гатчина",
                     ("Вырицкая", "Сиверская", "Коммунарская", "Таицкая", "Войсковицкая", "Пудостьская", "Веревская",
                      "Дружногорская", "Кобринская"), 36),
    DemoMunicipality("Кингисеппский муниципальный район", "г. Кингисеппа", "Кингисепп",
                     ("Ивангородская", "Усть-Лужская", "Котельская", "Опольевская", "Большелуцкая"), 14),
    DemoMunicipality("Киришский муниципальный район", "г. Кириши", "Кириши", ("Будогощская", "Пчевжинская", "Глажевская"), 10),
    DemoMunicipality("Кировский муниципальный район", "г. Кировска", "Кировск",
                     ("Шлиссельбургская", "Отрадненская", "Мгинская", "Назиевская", "Синявинская", "Павловская"), 18),
    DemoMunicipality("Лодейнопольский муниципальный район", "г. Лодейное Поле", "Лодейное Поле",
                     ("Алеховщинская", "Янегская", "Доможировская"), 6),
    DemoMunicipality("Ломоносовский муниципальный район", "г. Ломоносова", "Ломоносов",
                     ("Ропшинская", "Лопухинская", "Низинская", "Копорская", "Русско-Высоцкая", "Аннинская",
                      "Горбунковская"), 18),
    DemoMunicipality("Лужский муниципальный район", "г. Луги", "Луга",
                     ("Толмачёвская", "Оредежская", "Заклинская", "Скребловская", "Ям-Тесовская", "Мшинская"), 20),
    DemoMunicipality("Подпорожский муниципальный район", "г. Подпорожья", "Подпорожье", ("Важинская", "Никольская", "Винницкая"), 6),
    DemoMunicipality("Приозерский муниципальный район", "г. Приозерска", "Приозерск",
                     ("Сосновская", "Мельниковская", "Громовская", "Ларионовская", "Кузнечнинская"), 14),
    DemoMunicipality("Сланцевский муниципальный район", "г. Сланцы", "Сланцы", ("Выскатская", "Загрицкая", "Старопольская"), 8),
    DemoMunicipality("Сосновоборский городской округ", "г. Сосновый Бор", "Сосновый Бор", (), 10),
    DemoMunicipality("Тихвинский муниципальный район", "г. Тихвина", "Тихвин",
                     ("Шугозерская", "Пашозерская", "Горская", "Ганьковская"), 14),
    DemoMunicipality("Тосненский муниципальный район", "г. Тосно", "Тосно",
                     ("Любанская", "Никольская", "Ульяновская", "Фёдоровская", "Форносовская", "Рябовская"), 20),
]  # fmt: skip

ORGANIZATIONS = [
    # code, kind, parent code, name, short name, aliases
    ("koipo", "committee", None, "Комитет общего и профессионального образования Ленинградской области",
     "КОиПО ЛО", ["Комитет", "комитет общего и профессионального образования", "КОиПО"]),
    ("koipo-general", "department", "koipo", "Отдел общего образования комитета", "Отдел общего образования",
     ["комитет (отдел общего образования)", "отдел общего образования"]),
    ("koipo-gia", "department", "koipo", "Отдел государственной итоговой аттестации и оценки качества образования",
     "Отдел ГИА и ОКО", ["комитет (отдел ГИА)"]),
    ("koipo-prof", "department", "koipo", "Отдел профессионального образования комитета",
     "Отдел профессионального образования", ["комитет (отдел профессионального образования)"]),
    ("loiro", "subordinate", None, "Государственное автономное образовательное учреждение дополнительного "
     "профессионального образования «Ленинградский областной институт развития образования»", "ГАОУ ДПО «ЛОИРО»",
     ["ЛОИРО", "Ленинградский областной институт развития образования"]),
    ("icoko", "subordinate", None, "Государственное бюджетное учреждение Ленинградской области «Информационный "
     "центр оценки качества образования»", "ГБУ ЛО «ИЦОКО»", ["ИЦОКО", "РЦОИ", "РЦОКО"]),
    ("intellect", "subordinate", None, "Государственное бюджетное учреждение дополнительного образования «Центр "
     "выявления и поддержки одарённых детей в Ленинградской области «Интеллект»", "ГБУ ДО «Центр «Интеллект»",
     ["Центр «Интеллект»", "центр для одарённых детей"]),
    ("gpk", "college", None, "Государственное автономное профессиональное образовательное учреждение Ленинградской "
     "области «Гатчинский педагогический колледж имени К.Д. Ушинского»", "ГАПОУ ЛО «Гатчинский педколледж»",
     ["Гатчинский педагогический колледж"]),
]  # fmt: skip

GROUP_ALIASES = {
    Alias.Group.MUNICIPALITIES: [
        "руководители органов местного самоуправления, осуществляющих управление в сфере образования",
        "органы местного самоуправления, осуществляющие управление в сфере образования",
        "руководители ОМСУ", "ОМСУ", "МОУО", "руководители МОУО", "муниципальные органы управления образованием",
    ],
    Alias.Group.SCHOOLS: [
        "руководители общеобразовательных организаций", "руководители образовательных организаций",
        "руководители ОО", "общеобразовательные организации",
    ],
}  # fmt: skip


def _genitive(name: str) -> str:
    """ "Всеволожский муниципальный район" → "Всеволожского муниципального района"."""
    words = name.split()
    out = []
    for word in words:
        if word.endswith(("ий", "ый", "ой")):
            out.append(word[:-2] + "ого")
        elif word == "район":
            out.append("района")
        elif word == "округ":
            out.append("округа")
        else:
            out.append(word)
    return " ".join(out)


def _settlement(adjective: str) -> str:
    """ "Агалатовская" → "Агалатовское сельское поселение": where a rural school stands."""
    return adjective.removesuffix("ая") + "ое сельское поселение"


def _school_rows(index: int, spec: DemoMunicipality, rng: random.Random) -> list[dict]:
    """The schools of one municipality: numbered town schools, a gymnasium and lyceum, rural schools."""
    rows = []
    town_count = spec.schools - len(spec.villages) if spec.villages else spec.schools
    town_count = max(town_count, spec.schools // 2)
    rural = list(spec.villages)[: spec.schools - town_count]
    number = 0
    for n in range(town_count):
        if n == 0 and spec.schools >= 10:
            rows.append(
                {
                    "kind": "gymnasium",
                    "short": f"МОУ «Гимназия {spec.town}»",
                    "full": f"Муниципальное общеобразовательное учреждение «Гимназия {spec.town}»",
                }
            )
        elif n == 1 and spec.schools >= 14:
            rows.append(
                {
                    "kind": "lyceum",
                    "short": f"МОУ «Лицей {spec.town}»",
                    "full": f"Муниципальное общеобразовательное учреждение «Лицей {spec.town}»",
                }
            )
        elif n == 2 and spec.schools >= 30:
            rows.append(
                {
                    "kind": "evening",
                    "short": f"МОУ «Вечерняя школа {spec.town}»",
                    "full": f"Муниципальное общеобразовательное учреждение «Вечерняя (сменная) "
                    f"общеобразовательная школа {spec.town}»",
                }
            )
        else:
            number += 1
            rows.append(
                {
                    "kind": "sosh",
                    "short": f"МОУ «СОШ № {number} {spec.town}»",
                    "full": f"Муниципальное общеобразовательное учреждение «Средняя общеобразовательная "
                    f"школа № {number} {spec.town}»",
                }
            )
        rows[-1]["locality"] = f"г. {spec.town_name}"
        rows[-1]["rural"] = False
    for n, adjective in enumerate(rural):
        basic = n % 3 == 2
        kind, word = ("oosh", "основная") if basic else ("sosh", "средняя")
        abbr = "ООШ" if basic else "СОШ"
        rows.append(
            {
                "kind": kind,
                "short": f"МОУ «{adjective} {abbr}»",
                "full": f"Муниципальное общеобразовательное учреждение «{adjective} {word} "
                f"общеобразовательная школа»",
                "locality": _settlement(adjective),
                "rural": True,
            }
        )
    for row in rows:
        row["low_results"] = rng.random() < (0.16 if row["rural"] else 0.06)
        row["difficult_conditions"] = rng.random() < (0.3 if row["rural"] else 0.08)
    return rows  # fmt: skip


@transaction.atomic
def load_demo_region(*, with_users: bool = True) -> dict[str, int]:
    """Create or update the demo region; returns counts of what it holds."""
    rng = random.Random(47)  # noqa: S311 - deterministic demo data, not security
    region, _ = Region.objects.update_or_create(code="47", defaults={"name": "Ленинградская область"})
    organizations = {}
    for code, kind, parent, name, short, aliases in ORGANIZATIONS:
        organizations[code], _ = Organization.objects.update_or_create(
            region=region,
            code=code,
            defaults={"kind": kind, "parent": organizations.get(parent), "name": name,
                      "short_name": short},
        )  # fmt: skip
        for text in aliases:
            _alias(text, organization=organizations[code])
    for group, texts in GROUP_ALIASES.items():
        for text in texts:
            _alias(text, group=group, region=region)

    for index, spec in enumerate(MUNICIPALITIES, start=1):
        code = f"{index:02d}"
        adjective = spec.name.split()[0]
        kind = Municipality.Kind.CITY_OKRUG if "городской" in spec.name else Municipality.Kind.DISTRICT
        municipality, _ = Municipality.objects.update_or_create(
            region=region,
            code=code,
            defaults={
                "name": spec.name, "kind": kind,
                "authority_name": f"Комитет образования администрации {_genitive(spec.name)}",
                "authority_short_name": f"КО {_genitive(adjective)} {'ГО' if kind == 'city_okrug' else 'района'}",
                "email": f"edu{code}@example.ru",
            },
        )  # fmt: skip
        short_place = f"{adjective} {'городской округ' if kind == 'city_okrug' else 'район'}"
        for text in {spec.name, short_place, municipality.authority_name, municipality.authority_short_name}:
            _alias(text, municipality=municipality)
        main_schools = []
        for number, row in enumerate(_school_rows(index, spec, rng), start=1):
            school_code = f"{code}{number:03d}"
            school, _ = School.objects.update_or_create(
                region=region,
                code=school_code,
                defaults={
                    "municipality": municipality, "name": row["full"], "short_name": row["short"],
                    "kind": row["kind"], "monitoring_login": f"sch47{school_code}", "locality": row["locality"],
                    "is_rural": row["rural"], "low_results": row["low_results"],
                    "difficult_conditions": row["difficult_conditions"], "email": f"school{school_code}@example.ru",
                },
            )  # fmt: skip
            if row["rural"] and row["kind"] == "sosh":
                main_schools.append(school)
        if main_schools and spec.schools >= 20:
            main = main_schools[0]
            village = main.short_name.split("«")[1].split()[0].removesuffix("ская") + "ское"
            quoted = main.name.removeprefix("Муниципальное общеобразовательное учреждение ")
            School.objects.update_or_create(
                region=region,
                code=f"{code}900",
                defaults={
                    "municipality": municipality, "kind": School.Kind.BRANCH, "parent": main,
                    "name": f"Филиал муниципального общеобразовательного учреждения {quoted} в д. {village}",
                    "short_name": f"Филиал {main.short_name} в д. {village}",
                    "locality": f"д. {village}", "is_rural": True, "email": "",
                },
            )  # fmt: skip

    if with_users:
        _demo_users(region, organizations)
    return {
        "municipalities": Municipality.objects.filter(region=region).count(),
        "schools": School.objects.filter(region=region).count(),
        "organizations": Organization.objects.filter(region=region).count(),
        "users": User.objects.filter(is_demo=True, region=region).count(),
    }


def _alias(text: str, *, region: Region | None = None, **target) -> None:
    from municipalities.models import normalize_name

    region = region or next(iter(target.values())).region
    Alias.objects.get_or_create(
        region=region, normalized=normalize_name(text), defaults={"text": text, **target}
    )


DEMO_USERS = [
    # username, role, unit, last, first, middle, position
    ("committee", Role.COMMITTEE, "koipo-general", "Петрова", "Анна", "Сергеевна",
     "Начальник отдела общего образования"),
    ("observer", Role.OBSERVER, None, "Смирнов", "Олег", "Викторович", "Наблюдатель"),
    ("loiro", Role.ORGANIZATION, "loiro", "Кузнецова", "Елена", "Игоревна", "Проректор ЛОИРО"),
    ("municipality", Role.MUNICIPALITY, "04", "Иванов", "Сергей", "Петрович",
     "Председатель комитета по образованию"),
    ("school", Role.SCHOOL, "04004", "Соколова", "Марина", "Александровна", "Директор"),
]  # fmt: skip


HEAD_NAMES = [
    ("Алексеева", "Ирина", "Николаевна"),
    ("Борисов", "Андрей", "Юрьевич"),
    ("Васильева", "Ольга", "Павловна"),
    ("Григорьев", "Денис", "Олегович"),
    ("Дмитриева", "Наталья", "Викторовна"),
    ("Егоров", "Павел", "Андреевич"),
    ("Жукова", "Светлана", "Ивановна"),
    ("Захаров", "Михаил", "Сергеевич"),
    ("Ильина", "Татьяна", "Алексеевна"),
    ("Козлов", "Виктор", "Геннадьевич"),
    ("Лебедева", "Юлия", "Михайловна"),
    ("Морозов", "Роман", "Игоревич"),
    ("Николаева", "Елена", "Владимировна"),
    ("Орлов", "Константин", "Петрович"),
    ("Павлова", "Людмила", "Борисовна"),
    ("Романов", "Артём", "Дмитриевич"),
    ("Степанова", "Вера", "Анатольевна"),
]


def _demo_users(region: Region, organizations: dict[str, Organization]) -> None:
    password = make_password(DEMO_PASSWORD)
    specs = list(DEMO_USERS)
    # Every other municipality gets a head too, so a region-wide decision reaches 18 people.
    others = Municipality.objects.filter(region=region).exclude(code="04").order_by("code")
    for municipality, (last, first, middle) in zip(others, HEAD_NAMES, strict=False):
        specs.append((f"mouo-{municipality.code}", Role.MUNICIPALITY, municipality.code, last, first, middle,
                      "Руководитель органа управления образованием"))  # fmt: skip
    for username, role, unit, last, first, middle, position in specs:
        scope = {"region": region}
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
                "is_superuser": role == Role.COMMITTEE, "password": password, **scope,
            },
        )  # fmt: skip
        if not created and not user.is_demo:
            raise ValueError(f"Пользователь «{username}» уже существует и не является демонстрационным.")

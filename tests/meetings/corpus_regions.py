"""The directories of the regions the protocol corpus comes from, as a region would keep them.

Each region has its education authority (with the general-education department), its subordinate
organisations with their official and short names, its municipalities with their education authorities,
some schools and municipal organisations. There are no aliases: the resolver must cope with the many
spellings of a body by the structure of its name. A region the corpus names but this module does not
know is built from the annotation itself (``directory_from_annotation``), so a new document never breaks
the test for want of data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from municipalities.models import Municipality, Organization, Region, School


@dataclass(frozen=True)
class Mun:
    name: str
    kind: str  # Municipality.Kind value
    authority: str
    authority_short: str = ""
    schools: tuple[tuple[str, str], ...] = ()  # (short name, full name)
    organizations: tuple[tuple[str, str], ...] = ()  # municipal organisations (short, full)


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    authority: tuple[str, str]  # (official name, short name)
    organizations: tuple[tuple[str, str], ...]  # subordinate organisations (short, full)
    municipalities: tuple[Mun, ...]


@dataclass
class Directory:
    """What a test needs of a built region: the authority, its department and municipalities by name."""

    region: Region
    authority: Organization
    department: Organization
    municipalities: dict[str, Municipality] = field(default_factory=dict)


D, MO, GO = "district", "municipal_okrug", "city_okrug"


def _schools(*shorts: str, full_prefix: str = "Муниципальное общеобразовательное учреждение") -> tuple:
    return tuple((short, f"{full_prefix} {_spelled(short)}") for short in shorts)


def _spelled(short: str) -> str:
    """ "МОУ «СОШ № 3»" → "«Средняя общеобразовательная школа № 3»" (without the form), for a full name."""
    core = re.sub(r"^[А-ЯЁ]{3,5}\s+", "", short)
    return core.replace("СОШ", "Средняя общеобразовательная школа").replace(
        "ООШ", "Основная общеобразовательная школа"
    )


REGIONS: dict[str, RegionSpec] = {
    spec.name: spec
    for spec in (
        RegionSpec(
            code="c69",
            name="Тверская область",
            authority=("Министерство образования Тверской области", "Минобразования Тверской области"),
            organizations=(
                ("ГАУ ДПО «ТОИУУ»", "Государственное автономное учреждение дополнительного профессионального "
                                    "образования «Тверской областной институт усовершенствования учителей»"),
                ("ГБУ «РЦОКО»", "Государственное бюджетное учреждение «Региональный центр оценки качества "
                                "образования»"),
                ("ГКУ ТО «ЦОКО»", "Государственное казённое учреждение Тверской области «Центр оценки качества "
                                  "образования»"),
            ),
            municipalities=(
                Mun("город Тверь", GO, "Управление образования Администрации города Твери", "УО г. Твери",
                    _schools("МБОУ «СОШ № 1»", "МБОУ «Гимназия № 6»", "МБОУ «Лицей № 4»")),
                Mun("Бежецкий муниципальный округ", MO, "Отдел образования администрации Бежецкого муниципального "
                    "округа", "", _schools("МОУ «Бежецкая СОШ № 1»", "МОУ «Сукроменская СОШ»")),
                Mun("Кашинский городской округ", GO, "Управление образования администрации Кашинского городского "
                    "округа", "", _schools("МОУ «Кашинская СОШ № 3»", "МОУ «Пестриковская ООШ»")),
                Mun("Конаковский муниципальный округ", MO, "Управление образования администрации Конаковского "
                    "муниципального округа", "", _schools("МБОУ «СОШ № 1 г. Конаково»")),
                Mun("Лихославльский муниципальный округ", MO, "Отдел образования администрации Лихославльского "
                    "муниципального округа", "",
                    _schools("МОУ «Лихославльская СОШ № 1»", "МОУ «Лихославльская СОШ № 2»",
                             "МОУ «Калашниковская СОШ»", "МОУ «Микшинская ООШ»")),
                Mun("Ржевский муниципальный округ", MO, "Управление образования администрации Ржевского "
                    "муниципального округа", "", _schools("МОУ «Итомлинская СОШ»")),
                Mun("Спировский муниципальный округ", MO, "Отдел образования администрации Спировского "
                    "муниципального округа", "", _schools("МОУ «Спировская СОШ № 1»", "МОУ «Козловская СОШ»")),
                Mun("Удомельский городской округ", GO, "Управление образования администрации Удомельского "
                    "городского округа", "", _schools("МОУ «Удомельская СОШ № 4»")),
            ),
        ),
        RegionSpec(
            code="c35",
            name="Вологодская область",
            authority=("Министерство образования Вологодской области", "Минобразования Вологодской области"),
            organizations=(
                ("АОУ ВО ДПО «ВИРО»", "Автономное образовательное учреждение Вологодской области дополнительного "
                                      "профессионального образования «Вологодский институт развития образования»"),
                ("БУ ВО «ЦОКО»", "Бюджетное учреждение Вологодской области «Центр оценки качества образования»"),
            ),
            municipalities=(
                Mun("город Вологда", GO, "Управление образования Администрации города Вологды", "",
                    _schools("МОУ «СОШ № 5»", "МОУ «Гимназия № 2»")),
                Mun("г. Череповец", GO, "Управление образования мэрии города Череповца", "УО мэрии г. Череповца",
                    _schools("МАОУ «СОШ № 11»", "МАОУ «СОШ № 28»", "МАОУ «СОШ № 1»", "МАОУ «Лицей АМТЭК»",
                             full_prefix="Муниципальное автономное общеобразовательное учреждение"),
                    (("МАУ «Центр социального питания»", "Муниципальное автономное учреждение «Центр социального "
                                                         "питания»"),)),
                Mun("Вологодский муниципальный округ", MO, "Управление образования администрации Вологодского "
                    "муниципального округа", "", _schools("МБОУ ВМО «Майская СОШ»")),
                Mun("Великоустюгский муниципальный округ", MO, "Управление образования администрации "
                    "Великоустюгского муниципального округа", "", _schools("МБОУ «СОШ № 1 г. Великий Устюг»")),
                Mun("Кирилловский муниципальный район", D, "Управление образования администрации Кирилловского "
                    "муниципального района", "", _schools("МБОУ «Кирилловская СОШ»")),
                Mun("Сокольский муниципальный округ", MO, "Управление образования Сокольского муниципального "
                    "округа", "", _schools("МБОУ «СОШ № 1 г. Сокол»")),
            ),
        ),
        RegionSpec(
            code="c60",
            name="Псковская область",
            authority=("Комитет по образованию Псковской области", "Комитет по образованию ПО"),
            organizations=(
                ("ГБОУ ДПО «ПОИПКРО»", "Государственное бюджетное образовательное учреждение дополнительного "
                                       "профессионального образования «Псковский областной институт повышения "
                                       "квалификации работников образования»"),
                ("ГБУ ПО «РЦОИ»", "Государственное бюджетное учреждение Псковской области «Региональный центр "
                                  "обработки информации»"),
            ),
            municipalities=(
                Mun("город Псков", GO, "Управление образования Администрации города Пскова", "",
                    _schools("МБОУ «СОШ № 2»", "МБОУ «Псковский технический лицей»")),
                Mun("город Великие Луки", GO, "Управление образования Администрации города Великие Луки", "",
                    _schools("МБОУ «СОШ № 1»")),
                Mun("Опочецкий муниципальный округ", MO, "Управление образования Опочецкого муниципального "
                    "округа", "", _schools("МБОУ «Опочецкая СОШ»")),
                Mun("Порховский муниципальный округ", MO, "Управление образования Порховского муниципального "
                    "округа", "", _schools("МБОУ «Порховская СОШ № 1»")),
                Mun("Псковский муниципальный район", D, "Управление образования Администрации Псковского района",
                    "", _schools("МБОУ «Писковичская СОШ»", "МБОУ «Середкинская ООШ»")),
            ),
        ),
        RegionSpec(
            code="c22",
            name="Алтайский край",
            authority=("Министерство образования и науки Алтайского края", "Минобрнауки Алтайского края"),
            organizations=(
                ("КАУ ДПО «АИРО имени А.М. Топорова»", "Краевое автономное учреждение дополнительного "
                                                        "профессионального образования «Алтайский институт развития "
                                                        "образования имени Адриана Митрофановича Топорова»"),
                ("КГБУ «АКИАЦ»", "Краевое государственное бюджетное учреждение «Алтайский краевой "
                                 "информационно-аналитический центр»"),
            ),
            municipalities=(
                Mun("город Барнаул", GO, "Комитет по образованию города Барнаула", "",
                    _schools("МБОУ «СОШ № 6»", "МБОУ «Гимназия № 22»")),
                Mun("город Бийск", GO, "Управление образования Администрации города Бийска", "",
                    _schools("МБОУ «СОШ № 1»")),
                Mun("Алейский район", D, "Комитет по образованию Администрации Алейского района", "",
                    _schools("МКОУ «Алейская СОШ»")),
                Mun("Каменский район", D, "Комитет Администрации Каменского района по образованию", "",
                    _schools("МБОУ «СОШ № 3 г. Камень-на-Оби»", "МБОУ «Гимназия № 2 г. Камень-на-Оби»",
                             "МБОУ «СОШ № 5 г. Камень-на-Оби»", "МКОУ «Верх-Аллакская СОШ»", "МКОУ «Рыбинская СОШ»",
                             "МКОУ «Толстовская СОШ»", "МКОУ «Луговская СОШ»", "МКОУ «Новоярковская СОШ»"),
                    (("МКУ «ИМЦ Каменского района»", "Муниципальное казённое учреждение «Информационно-методический "
                                                     "центр Каменского района»"),)),
                Mun("Павловский район", D, "Комитет по образованию Администрации Павловского района", "",
                    _schools("МБОУ «Павловская СОШ № 1»")),
                Mun("Тальменский район", D, "Комитет по образованию Администрации Тальменского района", "",
                    _schools("МБОУ «Тальменская СОШ № 6»")),
            ),
        ),
        RegionSpec(
            code="c44",
            name="Костромская область",
            authority=("Департамент образования и науки Костромской области", "ДОиН Костромской области"),
            organizations=(
                ("ОГБОУ ДПО «КОИРО»", "Областное государственное бюджетное образовательное учреждение "
                                      "дополнительного профессионального образования «Костромской областной институт "
                                      "развития образования»"),
            ),
            municipalities=(
                Mun("город Кострома", GO, "Комитет образования, культуры, спорта и работы с молодежью Администрации "
                    "города Костромы", "", _schools("МБОУ «СОШ № 7»")),
                Mun("Парфеньевский муниципальный район", D, "Отдел образования администрации Парфеньевского "
                    "муниципального района", "",
                    _schools("МОУ СОШ с. Матвеево", "МОУ СОШ с. Вохтома", "МОУ ООШ с. Николо-Поломь",
                             "МОУ ООШ с. Потрусово", "МОУ ООШ д. Гуляево", "МОУ ООШ п. Кутузово",
                             "МОУ Парфеньевская СОШ")),
                Mun("Буйский муниципальный район", D, "Отдел образования администрации Буйского муниципального "
                    "района", "", _schools("МОУ Барановская СОШ")),
                Mun("Нерехтский муниципальный район", D, "Отдел образования администрации Нерехтского "
                    "муниципального района", "", _schools("МОУ Лавровская СОШ")),
                Mun("городской округ город Шарья", GO, "Отдел образования администрации городского округа город "
                    "Шарья", "", _schools("МБОУ СОШ № 16")),
            ),
        ),
        RegionSpec(
            code="c58",
            name="Пензенская область",
            authority=("Министерство образования Пензенской области", "Минобразования Пензенской области"),
            organizations=(
                ("ГАОУ ДПО «ИРР ПО»", "Государственное автономное образовательное учреждение дополнительного "
                                      "профессионального образования «Институт регионального развития Пензенской "
                                      "области»"),
                ("ГКУ ПО «РЦОИ»", "Государственное казённое учреждение Пензенской области «Региональный центр "
                                  "обработки информации»"),
            ),
            municipalities=(
                Mun("город Пенза", GO, "Управление образования города Пензы", "", _schools("МБОУ СОШ № 57")),
                Mun("город Кузнецк", GO, "Управление образования города Кузнецка", "", _schools("МБОУ СОШ № 2")),
                Mun("Камешкирский район", D, "Отдел образования администрации Камешкирского района", "",
                    _schools("МБОУ СОШ с. Русский Камешкир", "МОУ СОШ с. Лапшово", "МОУ СОШ с. Кевдо-Мельситово",
                             "МОУ ООШ с. Чумаево", "МОУ ООШ с. Новое Захаркино", "МОУ ООШ с. Старый Чирчим"),
                    (("МКУ «Центр методического обеспечения»", "Муниципальное казённое учреждение «Центр "
                                                               "методического обеспечения» Камешкирского района"),)),
                Mun("Бессоновский район", D, "Отдел образования администрации Бессоновского района", "",
                    _schools("МОУ СОШ с. Бессоновка")),
                Mun("Кузнецкий район", D, "Отдел образования администрации Кузнецкого района", "",
                    _schools("МОУ СОШ с. Евлашево")),
                Mun("Сердобский район", D, "Управление образования администрации Сердобского района", "",
                    _schools("МОУ СОШ № 1 г. Сердобска")),
            ),
        ),
        RegionSpec(
            code="c10",
            name="Республика Карелия",
            authority=("Министерство образования и спорта Республики Карелия", "Минобрспорт РК"),
            organizations=(
                ("ГАУ ДПО РК «КИРО»", "Государственное автономное учреждение дополнительного профессионального "
                                      "образования Республики Карелия «Карельский институт развития образования»"),
            ),
            municipalities=(
                Mun("Петрозаводский городской округ", GO, "Комитет социального развития Администрации "
                    "Петрозаводского городского округа", "", _schools("МОУ «СОШ № 3»", "МОУ «Лицей № 1»")),
                Mun("Костомукшский городской округ", GO, "Управление образования администрации Костомукшского "
                    "городского округа", "", _schools("МБОУ КГО «СОШ № 1»")),
                Mun("Кондопожский муниципальный район", D, "Управление образования администрации Кондопожского "
                    "муниципального района", "", _schools("МОУ «Кондопожская СОШ № 1»")),
                Mun("Сегежский муниципальный округ", MO, "Управление образования администрации Сегежского "
                    "муниципального округа", "", _schools("МКОУ «СОШ № 4 г. Сегежи»")),
                Mun("Пряжинский национальный муниципальный район", D, "Управление образования администрации "
                    "Пряжинского национального муниципального района", "", _schools("МОУ «Пряжинская СОШ»")),
                Mun("Сортавальский муниципальный округ", MO, "Управление образования администрации Сортавальского "
                    "муниципального округа", "", _schools("МОУ «Хелюльская СОШ»")),
            ),
        ),
        RegionSpec(
            code="c53",
            name="Новгородская область",
            authority=("Министерство образования Новгородской области", "Минобразования Новгородской области"),
            organizations=(
                ("ГОАУ ДПО «НИРО»", "Государственное областное автономное учреждение дополнительного "
                                    "профессионального образования «Новгородский институт развития образования»"),
                ("ГОБУ «ЦОКО»", "Государственное областное бюджетное учреждение «Центр оценки качества "
                                "образования»"),
            ),
            municipalities=(
                Mun("Великий Новгород", GO, "Комитет по образованию Администрации Великого Новгорода", "",
                    _schools("МАОУ «СОШ № 2»", "МАОУ «Гимназия № 2»")),
                Mun("Боровичский муниципальный район", D, "Комитет образования Администрации Боровичского "
                    "муниципального района", "", _schools("МАОУ «СОШ № 1 им. А.С. Пушкина»")),
                Mun("Валдайский муниципальный район", D, "Комитет образования Администрации Валдайского "
                    "муниципального района", "", _schools("МАОУ «СШ № 1 г. Валдай»")),
                Mun("Новгородский муниципальный район", D, "Комитет образования Администрации Новгородского "
                    "муниципального района", "", _schools("МАОУ «Борковская СОШ»")),
                Mun("Старорусский муниципальный район", D, "Комитет образования Администрации Старорусского "
                    "муниципального района", "", _schools("МАОУ «СОШ № 1 г. Старая Русса»")),
                Mun("Хвойнинский муниципальный округ", MO, "Комитет образования Администрации Хвойнинского "
                    "муниципального округа", "", _schools("МАОУ «СШ № 1 им. А.М. Денисова п. Хвойная»")),
            ),
        ),
    )
}  # fmt: skip


def build_directory(spec: RegionSpec, *, allow_municipal_organizations: bool = True) -> Directory:
    """Create one region's directory in the test database."""
    region = Region.objects.create(
        code=spec.code, name=spec.name, municipal_organizations_addressable=allow_municipal_organizations
    )
    name, short = spec.authority
    authority = Organization.objects.create(
        region=region, kind="committee", code=f"{spec.code}-auth", name=name, short_name=short
    )
    department = Organization.objects.create(
        region=region, kind="department", parent=authority, code=f"{spec.code}-general",
        name="Отдел общего образования", short_name="Отдел общего образования",
    )  # fmt: skip
    for index, (short, full) in enumerate(spec.organizations, start=1):
        Organization.objects.create(
            region=region, kind="subordinate", code=f"{spec.code}-org{index}", name=full, short_name=short
        )
    directory = Directory(region=region, authority=authority, department=department)
    for m_index, mun in enumerate(spec.municipalities, start=1):
        code = f"{spec.code}m{m_index:02d}"
        municipality = Municipality.objects.create(
            region=region, code=code, name=mun.name, kind=mun.kind, authority_name=mun.authority,
            authority_short_name=mun.authority_short,
        )  # fmt: skip
        directory.municipalities[mun.name] = municipality
        for s_index, (short, full) in enumerate(mun.schools, start=1):
            kind = "gymnasium" if "Гимназия" in short else "lyceum" if "Лицей" in short else "sosh"
            School.objects.create(
                municipality=municipality,
                code=f"{code}s{s_index:02d}",
                name=full,
                short_name=short,
                kind=kind,
            )
        for o_index, (short, full) in enumerate(mun.organizations, start=1):
            Organization.objects.create(
                region=region, kind="municipal", municipality=municipality, code=f"{code}o{o_index}",
                name=full, short_name=short,
            )  # fmt: skip
    return directory


_MUNICIPAL_LABEL = re.compile(r"^(?:schools of|municipal authority of) (?P<name>.+)$")
_FIXED_LABELS = {"every municipal authority", "every school"}


def directory_from_annotation(expected: dict, code: str) -> Directory:
    """A region the module does not know: its municipalities and named bodies as the annotation names them."""
    meeting = expected["meeting"]
    municipalities: list[str] = []
    named: list[str] = []
    for item in expected["items"]:
        for decision in item["decisions"]:
            for label in decision.get("resolved", []):
                if match := _MUNICIPAL_LABEL.match(label):
                    municipalities.append(match["name"])
                elif label not in _FIXED_LABELS:
                    named.append(label)
    if meeting.get("municipality"):
        municipalities.insert(0, meeting["municipality"])
    own = meeting.get("municipality")
    spec = RegionSpec(
        code=code,
        name=meeting["region"],
        authority=(f"Орган управления образованием: {meeting['region']}", "Орган управления образованием"),
        organizations=tuple((label, label) for label in dict.fromkeys(named) if own is None),
        municipalities=tuple(
            Mun(name, D, f"Орган управления образованием: {name}", "",
                tuple((label, label) for label in dict.fromkeys(named)) if name == own else ())
            for name in dict.fromkeys(municipalities)
        ),
    )  # fmt: skip
    return build_directory(spec)

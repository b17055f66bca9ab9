"""The sheets of a directory workbook, their columns with accepted spellings, and value readers.

Headers and sheet names are compared after ``normalize_header``: lower case, ё as е, no punctuation,
single spaces — «Код ОО», «код оо:» and «КОД  ОО» are one header.
"""

import re
from dataclasses import dataclass

from municipalities.models import Municipality, Organization, Role, School

_NON_WORD = re.compile(r"[^\w]+")


def normalize_header(text) -> str:
    text = str(text or "").lower().replace("ё", "е")
    return _NON_WORD.sub(" ", text).strip()


@dataclass(frozen=True)
class Column:
    field: str
    title: str  # as written in the template
    spellings: tuple[str, ...] = ()
    required: bool = False

    @property
    def accepted(self) -> set[str]:
        return {normalize_header(self.title), *(normalize_header(s) for s in self.spellings)}


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str  # sheet name in the template
    names: tuple[str, ...]  # sheet names that mean this kind
    columns: tuple[Column, ...]
    key: str  # the field that identifies a row (its code or login)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


MUNICIPALITIES = SheetSpec(
    kind="municipalities",
    title="Муниципалитеты",
    names=("муниципалитеты", "муниципальные образования", "мсу", "районы"),
    key="code",
    columns=(
        Column("code", "Код МСУ", ("код муниципалитета", "код мо", "код района", "код"), required=True),
        Column(
            "name", "Муниципалитет", ("название", "наименование", "муниципальное образование"), required=True
        ),
        Column("kind", "Тип", ("вид", "тип муниципального образования"), required=True),
        Column("authority_name", "Орган управления образованием", ("моуо", "омсу", "орган управления"), True),
        Column("authority_short_name", "Краткое название органа", ("сокращенное название органа",)),
        Column("email", "E-mail органа", ("e-mail", "email", "электронная почта")),
    ),
)
ORGANIZATIONS = SheetSpec(
    kind="organizations",
    title="Организации",
    names=("организации", "организации региона", "подведомственные организации"),
    key="code",
    columns=(
        Column("code", "Код", ("код организации",), required=True),
        Column("kind", "Вид", ("тип",), required=True),
        Column("name", "Полное название", ("полное наименование", "наименование", "название"), required=True),
        Column(
            "short_name", "Краткое название", ("краткое наименование", "сокращенное название"), required=True
        ),
        Column("parent_code", "Входит в (код)", ("входит в", "код комитета")),
        Column("municipality_code", "Код МСУ", ("код муниципалитета",)),
        Column("aliases", "Варианты названия", ("другие названия", "варианты написания", "синонимы")),
    ),
)
SCHOOLS = SheetSpec(
    kind="schools",
    title="Школы",
    names=("школы", "оо", "образовательные организации", "общеобразовательные организации"),
    key="code",
    columns=(
        Column("municipality_code", "Код МСУ", ("код муниципалитета", "код мо", "код района"), required=True),
        Column("code", "Код ОО", ("код школы", "код образовательной организации", "код оу"), required=True),
        Column(
            "name", "Полное название", ("полное наименование", "наименование оо", "название"), required=True
        ),
        Column("short_name", "Краткое название", ("краткое наименование",), required=True),
        Column("kind", "Тип", ("вид", "тип оо"), required=True),
        Column("parent_code", "Код основной ОО (для филиала)", ("код основной оо", "основная организация")),
        Column("monitoring_login", "Логин ФИС ОКО", ("логин фис око", "логин оо", "логин")),
        Column("locality", "Населённый пункт", ("населенный пункт", "нас пункт")),
        Column("is_rural", "Сельская", ("сельская школа",)),
        Column("low_results", "Низкие результаты", ("школа с низкими результатами", "шнор")),
        Column("difficult_conditions", "Неблагоприятные условия", ("неблагоприятные социальные условия",)),
        Column("email", "E-mail", ("email", "электронная почта")),
        Column("is_active", "Действует", ("работает",)),
    ),
)
USERS = SheetSpec(
    kind="users",
    title="Пользователи",
    names=("пользователи", "сотрудники", "люди", "учетные записи"),
    key="username",
    columns=(
        Column("username", "Логин", ("имя пользователя", "учетная запись"), required=True),
        Column("last_name", "Фамилия", (), required=True),
        Column("first_name", "Имя", (), required=True),
        Column("middle_name", "Отчество", ()),
        Column("email", "E-mail", ("email", "электронная почта"), required=True),
        Column("position", "Должность", ()),
        Column("role", "Роль", (), required=True),
        Column("unit_code", "Код подразделения", ("код организации", "код оо", "код мсу", "подразделение")),
    ),
)
SHEETS = (MUNICIPALITIES, ORGANIZATIONS, SCHOOLS, USERS)


def _choices(choices, extra: dict[str, str]) -> dict[str, str]:
    found = {normalize_header(value): value for value, _label in choices}
    found.update({normalize_header(label): value for value, label in choices})
    found.update({normalize_header(k): v for k, v in extra.items()})
    return found


MUNICIPALITY_KINDS = _choices(
    Municipality.Kind.choices,
    {
        "мр": "district",
        "район": "district",
        "мо": "municipal_okrug",
        "го": "city_okrug",
        "город": "city_okrug",
    },
)
ORGANIZATION_KINDS = _choices(
    Organization.Kind.choices,
    {
        "комитет": "committee",
        "министерство": "committee",
        "отдел": "department",
        "подведомственная": "subordinate",
        "колледж": "college",
        "спо": "college",
        "муниципальная": "municipal",
    },
)
SCHOOL_KINDS = _choices(
    School.Kind.choices,
    {"сош": "sosh", "оош": "oosh", "нош": "nosh", "цо": "center", "школа интернат": "boarding",
     "вечерняя школа": "evening", "вечерняя": "evening", "школа": "sosh"},
)  # fmt: skip
ROLES = _choices(
    Role.choices,
    {
        "комитет": "committee",
        "сотрудник": "committee",
        "моуо": "municipality",
        "руководитель моуо": "municipality",
        "муниципалитет": "municipality",
        "директор": "school",
        "школа": "school",
        "организация": "organization",
        "подведомственная организация": "organization",
    },
)
_TRUE = {"да", "1", "+", "x", "х", "истина", "true", "yes", "v"}
_FALSE = {"нет", "0", "-", "ложь", "false", "no", ""}


def read_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = normalize_header(value) or str(value or "").strip()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("ожидается «да» или «нет»")


def read_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())

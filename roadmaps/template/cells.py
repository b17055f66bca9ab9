"""The roadmap template's layout (sheets, headers, synonyms, limits), its result types and cell values."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from core.xlsx import unneutralise
from roadmaps.models import decimal_text

ITEMS_SHEET = "Мероприятия"
INDICATORS_SHEET = "Показатели"

HEADER_SCAN_ROWS = 15
MAX_TEXT_LENGTH = 2000
MAX_ITEMS = 500
MAX_INDICATORS = 200

UNREADABLE_MESSAGE = "Файл не читается как книга Excel: сохраните его в формате .xlsx и загрузите снова."

ITEM_FIELDS = ("number", "activity", "responsible", "deadline", "expected_result")
INDICATOR_FIELDS = ("number", "name", "unit", "baseline")

# Field -> header written by build_template.
ITEM_HEADERS: dict[str, str] = {
    "number": "№ п/п",
    "activity": "Мероприятие",
    "responsible": "Ответственные",
    "deadline": "Срок",
    "expected_result": "Ожидаемый результат",
}
INDICATOR_HEADERS: dict[str, str] = {
    "number": "№",
    "name": "Показатель",
    "unit": "Ед. изм.",
    "baseline": "Базовое значение",
}

# Field -> accepted header spellings (compared with header_key).
ITEM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("№", "№ п/п", "номер", "n п/п"),
    "activity": ("мероприятие", "наименование мероприятия", "содержание мероприятия", "мероприятия"),
    "responsible": (
        "ответственный",
        "ответственные",
        "ответственный исполнитель",
        "исполнитель",
        "исполнители",
    ),
    "deadline": ("срок", "сроки", "срок исполнения", "сроки исполнения", "срок реализации"),
    "expected_result": ("ожидаемый результат", "результат", "планируемый результат"),
}
INDICATOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("№",),
    "name": ("показатель", "наименование показателя", "целевой показатель"),
    "unit": ("ед. изм.", "единица измерения", "ед.изм."),
    "baseline": ("базовое значение", "исходное значение", "значение на начало"),
}
ITEM_REQUIRED = ("activity", "deadline")
INDICATOR_REQUIRED = ("name",)

ITEMS_INSTRUCTION = (
    "Заполните по одной строке на каждое мероприятие. Нумеруйте мероприятия так: 1.1, 1.2, 2.1. "
    "Срок указывайте так, как в протоколе, например «до 01.03.2027» или «ежеквартально». "
    "Строка раздела (номер вида «1.» и название только в столбце «Мероприятие») при загрузке пропускается."
)
INDICATORS_INSTRUCTION = (
    "Заполните по одной строке на каждый показатель. Значения указывайте числами, например 12,5 "
    "(знак % можно не ставить). Столбцы справа от «Базовое значение» — целевые значения по периодам: "
    "их названия можно изменить, лишние — удалить, недостающие — добавить."
)

ITEM_WIDTHS = (10, 60, 30, 22, 45)
INDICATOR_WIDTHS = (6, 60, 12, 18)
PERIOD_WIDTH = 14

TITLE_ROW = 1
INSTRUCTION_ROW = 2
HEADER_ROW = 3

SECTION_NUMBER = re.compile(r"\d+\.|[IVXLC]+\.?")
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DASHES = frozenset({"-", "–", "—", "−"})
_TRAILING_PUNCTUATION = ".:;,*"
_SPACES = ("\xa0", "\u202f", " ")


@dataclass(frozen=True)
class TemplateError:
    """One problem of an uploaded template; ``row`` is the spreadsheet row number seen in Excel."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"Лист «{self.sheet}»")
        if self.row is not None:
            parts.append(f"строка {self.row}")
        if self.column:
            parts.append(f"столбец «{self.column}»")
        if not parts:
            return self.message
        return ", ".join(parts) + ": " + self.message


@dataclass
class TemplateResult:
    """The content read from a template (valid rows only) and the errors found."""

    content: dict
    errors: list[TemplateError]


class NotANumber(ValueError):
    """A cell that should hold a number holds something else."""


# ---------------------------------------------------------------- values


def default_periods(today: date | None = None) -> list[str]:
    """Labels of the current and the next school year ("2026/2027", "2027/2028"); a year starts on 1 September."""
    today = today or date.today()
    start = today.year if today.month >= 9 else today.year - 1
    return [f"{start}/{start + 1}", f"{start + 1}/{start + 2}"]


def normalise_decimal(value: Decimal) -> str:
    """A finite Decimal as a plain string: no exponent, no trailing zeros ("12.50" -> "12.5", "1E+2" -> "100")."""
    if not value.is_finite():
        raise NotANumber
    return decimal_text(value)


def _float_text(value: float) -> str:
    """A float as the shortest decimal string that gives it back (1.1 -> "1.1", 2.0 -> "2")."""
    if value != value or value in (float("inf"), float("-inf")):
        raise NotANumber
    return normalise_decimal(Decimal(repr(value)))


def parse_number(value: object) -> str | None:
    """A cell value as a normalised decimal string, or None when empty (a lone dash counts as empty).

    Numbers written as text are accepted with a decimal comma or point, spaces and a trailing "%"
    ("12,5", " 12 ", "1 200", "10%"); anything else raises NotANumber."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber
    if isinstance(value, int):
        return normalise_decimal(Decimal(value))
    if isinstance(value, float):
        return _float_text(value)
    if not isinstance(value, str):
        raise NotANumber  # dates and times
    text = value.strip()
    if not text or text in _DASHES:
        return None
    for space in _SPACES:
        text = text.replace(space, "")
    text = text.removesuffix("%").replace(",", ".").replace("−", "-")
    if not _DECIMAL_TEXT.fullmatch(text):
        raise NotANumber
    try:
        return normalise_decimal(Decimal(text))
    except InvalidOperation:
        raise NotANumber from None


def _collapse(text: str) -> str:
    """Strip a text and replace every run of whitespace (line breaks too) with one space."""
    return " ".join(text.split())


def cell_text(value: object) -> str:
    """A cell value as text: texts stripped with whitespace collapsed; numbers without ".0";
    dates as dd.mm.yyyy, times as hh:mm; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _collapse(unneutralise(value.strip()))
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        try:
            return _float_text(value)
        except NotANumber:
            return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return _collapse(str(value))


def header_key(text: str) -> str:
    """A header for comparison: lower case, ё = е, spaces ignored, trailing punctuation dropped."""
    key = text.lower().replace("ё", "е")
    key = "".join(key.split())
    return key.rstrip(_TRAILING_PUNCTUATION)


def sheet_key(name: str) -> str:
    return _collapse(name).lower().replace("ё", "е")


def number_cell(value: str) -> int | float | str:
    """A normalised decimal string as the number to write; a value a float cannot hold exactly
    (more than 15 significant digits) stays text so that it is read back unchanged."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value  # not a normalised number: kept as the text it is
    if not number.is_finite():
        return value
    if number == number.to_integral_value() and abs(number) < 10**15:
        return int(number)
    as_float = float(number)
    if _float_text(as_float) == value:
        return as_float
    return value

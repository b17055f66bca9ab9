"""Conversion of raw cell values (str from CSV; str/float/int/bool/date from calamine) to field values."""

import re

LEADING_INT = re.compile(r"\s*(\d{1,2})(?!\d)")
LOGIN = re.compile(r"sch\d+", re.IGNORECASE)
ACADEMIC_YEAR = re.compile(r"(20\d\d)\s*[/\-–—]\s*(\d{2}|20\d\d)(?!\d)")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
SUMMARY_PREFIXES = ("итого", "всего", "вся выборка", "среднее по", "по региону", "по району")

_DASHES = frozenset({"-", "—", "–", "−"})
_FLOAT_CODE = re.compile(r"\d+\.0+")
_EXCEL_TEXT = re.compile(r'="(.*)"')
_EMBEDDED_LOGIN = re.compile(r"\(?\s*(sch\d+)\s*\)?\s*(.*)", re.IGNORECASE | re.DOTALL)
_INFINITIES = (float("inf"), float("-inf"))


class NotANumber(Exception):
    """A cell that should hold a number holds something else."""


def is_blank(values: list) -> bool:
    for v in values:
        if v is None or v == "":
            continue
        if type(v) is str and not v.strip():
            continue
        return False
    return True


def shown(value) -> str:
    """A cell value as the user would see it in a message (decimal comma)."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:g}".replace(".", ",")
    return str(value).strip()


def number(value, *, percent: bool = False) -> float | None:
    """A number from a cell; numbers stored as text ("12", "12,0", " 12 ", "1 200") are accepted.
    Empty cells and a lone dash give None; anything else that is not a number raises NotANumber."""
    if value is None or value == "":
        return None
    kind = type(value)
    if kind is float:
        if value != value or value in _INFINITIES:
            raise NotANumber
        return value
    if kind is int:
        return float(value)
    if kind is not str:
        raise NotANumber  # bool, dates, times
    s = value.strip()
    if not s or s in _DASHES:
        return None
    s = s.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if percent and s.endswith("%"):
        s = s[:-1]
    try:
        x = float(s)
    except ValueError:
        raise NotANumber from None
    if x != x or x in _INFINITIES:
        raise NotANumber
    return x


def code(value, width: int = 0) -> str:
    """A code as text. Text is kept as written (stripped; Excel's ="04001" and a pandas-style "4001.0"
    are unwrapped); a whole number loses its ".0" and is zero-padded to ``width`` (see reader docs)."""
    kind = type(value)
    if kind is str:
        s = value.strip()
        if s.startswith("="):
            m = _EXCEL_TEXT.fullmatch(s)
            s = m.group(1).strip() if m else s
        elif "." in s and _FLOAT_CODE.fullmatch(s):
            s = s.split(".", 1)[0]
        return s
    if value is None:
        return ""
    if kind is float and value.is_integer():
        s = str(int(value))
    elif kind is int:
        s = str(value)
    else:
        return shown(value)
    if width and len(s) < width and s.isdigit():
        s = s.zfill(width)
    return s


def split_login(name: str) -> tuple[str, str] | None:
    """'(sch470123) МОУ «СОШ № 1»' -> ('sch470123', 'МОУ «СОШ № 1»'), as in ФИС ОКО exports."""
    m = _EMBEDDED_LOGIN.fullmatch(name.strip())
    return (m.group(1), m.group(2).strip()) if m else None


def learn_width(values: list, digits_only: bool) -> int:
    """The one width of the text values of a column (all of them digits, if digits_only), else 0."""
    widths = set()
    for v in values:
        if type(v) is str:
            s = v.strip()
            if not s:
                continue
            if digits_only and not s.isdigit():
                return 0
            widths.add(len(s))
            if len(widths) > 1:
                return 0
    return widths.pop() if widths else 0

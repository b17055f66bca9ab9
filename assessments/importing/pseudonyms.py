"""Pseudonymous participant codes for result files that carry people's identities instead of a code.

Real exports of regional processing centres have no participant code: they carry surname, name,
patronymic, class and the identity document. The portal keeps none of these (152-ФЗ). It derives a code:
HMAC-SHA-256, keyed by a secret that lives only in the environment (``RESULTS_PSEUDONYM_KEY``), over the
normalised identity:

* the document series and number, when the row has a number ("d|<series><number>");
* otherwise surname, name and patronymic with the date of birth when given, else with the class
  ("p|<surname>|<name>|<patronymic>|b:<yyyy-mm-dd>" or "…|c:<class>").

Normalised: lower case, ё as е, no spaces (nor "№" in documents). The same person thus gets the same code
in every subject and every year (by document or date of birth); without either, within one year (the
class changes). The code is the first 128 bits of the HMAC as 32 hex digits: not reversible without the
key, and stable as long as the key is. The identity strings are built and hashed in memory only.
"""

import hashlib
import re
from datetime import date, datetime

from .values import code

CODE_LENGTH = 20  # hex digits kept (80 bits)

_SPACES = re.compile(r"\s+")  # \s covers U+00A0 and U+202F in str patterns
_DOT_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

NO_KEY = (
    "В файле нет столбца «Код участника»: код участника вычисляется из данных документа или ФИО "
    "(ключевой хеш, сами данные не сохраняются), а ключ для этого не задан. Администратору: задайте "
    "переменную окружения RESULTS_PSEUDONYM_KEY (или RESULTS_PSEUDONYM_KEY_FILE — путь к файлу с ключом), "
    "не меньше 32 случайных символов, одну на весь регион и навсегда, и перезапустите портал."
)


def _text(value, width: int = 0) -> str:
    """Lower case, ё as е, no spaces (nor «№»); a number as its code (zero-padded to ``width``)."""
    if type(value) is not str:
        if value is None:
            return ""
        value = code(value, width)
    if value.isdigit():  # the usual document series or number: nothing to normalise
        return value
    value = value.lower()
    if "ё" in value:
        value = value.replace("ё", "е")
    return "".join(value.split()).replace("№", "")


def _name(value) -> str:
    if value is None or type(value) is not str:
        return _text(value)
    return _SPACES.sub(" ", value.lower().replace("ё", "е")).strip()


def _birth(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    if m := _DOT_DATE.fullmatch(text):
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if m := _ISO_DATE.match(text):
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return text


class Pseudonymizer:
    """Codes for the rows of one header: ``code(values, class_name)`` gives the code, or None when the row
    has neither a document number nor a surname with a name."""

    def __init__(self, key: bytes, identity: dict[str, int], widths: dict[str, int] | None = None):
        self.identity = identity
        self.widths = widths or {}
        # HMAC-SHA-256 (RFC 2104) with the keyed inner and outer states computed once: a row then costs two
        # SHA-256 blocks instead of four (half the time of hmac.digest over a million rows).
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def identity_of(self, values: list, class_name: str) -> str | None:
        get = self.identity.get
        i = get("document_number")
        if i is not None and (number := _text(values[i], self.widths.get("document_number", 0))):
            j = get("document_series")
            series = _text(values[j], self.widths.get("document_series", 0)) if j is not None else ""
            return f"d|{series}{number}"
        i = get("last_name")
        if i is not None:
            parts = [_name(values[i])]
            j, k = get("first_name"), get("middle_name")
            parts.append(_name(values[j]) if j is not None else "")
            parts.append(_name(values[k]) if k is not None else "")
        elif (i := get("full_name")) is not None:
            words = _name(values[i]).split(" ")
            parts = [*words[:2], " ".join(words[2:])] if len(words) > 1 else []
        else:
            parts = []
        if len(parts) < 2 or not parts[0] or not parts[1]:
            return None
        i = get("birth_date")
        birth = _birth(values[i]) if i is not None else ""
        tail = f"b:{birth}" if birth else f"c:{_text(class_name)}"
        return "p|" + "|".join(parts) + "|" + tail

    def code(self, values: list, class_name: str) -> str | None:
        identity = self.identity_of(values, class_name)
        if identity is None:
            return None
        inner = self._inner.copy()
        inner.update(identity.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()[: CODE_LENGTH // 2].hex()

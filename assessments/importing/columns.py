"""Header recognition: canonical fields, their accepted spellings, and the search for the header row.

Headers are compared after normalisation (see ``normalize_header``) and with spaces ignored, so
"Код  ОО", "код ОО:" and "КодОО" are the same header. A header with a bracketed note
("Первичный балл (макс. 31)") is also tried without the note. Share columns of aggregated ВПР
exports ("%2", "% «2»", "Доля 2", "2" under a merged "Распределение отметок, %") are recognised by a
rule as well as by the listed spellings.
"""

import re
from dataclasses import dataclass, field

from .errors import ResultFileError

PARTICIPANTS = "participants"
SCHOOL_SHARES = "school_shares"

HEADER_SCAN_ROWS = 30

# Canonical field -> accepted spellings, already normalised (see normalize_header).
_RAW_SYNONYMS: dict[str, tuple[str, ...]] = {
    "municipality_code": (
        "код мсу",
        "мсу",
        "код муниципалитета",
        "код муниципального образования",
        "код мо",
        "код ато",
        "код района",
        "код муниципального района",
        "муниципалитет",
        "муниципальное образование",
        "муниципальный район",
        "район",
    ),
    "school_code": (
        "код оо",
        "код образовательной организации",
        "код оу",
        "код образовательного учреждения",
        "код школы",
        "код организации",
    ),
    "school_login": ("логин оо", "логин", "логин школы", "логин образовательной организации", "login"),
    "school_name": (
        "оо",
        "наименование оо",
        "название оо",
        "краткое наименование оо",
        "полное наименование оо",
        "образовательная организация",
        "наименование образовательной организации",
        "школа",
        "наименование школы",
        "организация",
        "группы участников",
    ),
    "participant_code": (
        "код участника",
        "код работы",
        "идентификатор",
        "идентификатор участника",
        "уникальный код участника",
        "код обучающегося",
        "код ученика",
        "номер работы",
        "id",
        "id участника",
    ),
    "class_name": ("класс", "класс группа", "класс литера"),
    "grade": ("параллель", "номер класса"),
    "subject": ("предмет", "учебный предмет", "название предмета", "наименование предмета"),
    "variant": ("вариант", "номер варианта", "вариант ким", "код варианта"),
    "year": ("год", "год проведения", "учебный год", "год проведения впр"),
    "short_answers": (
        "задания с кратким ответом",
        "ответы на задания с кратким ответом",
        "результаты заданий с кратким ответом",
        "краткие ответы",
        "краткий ответ",
        "задания с выбором ответа",
    ),
    "extended_answers": (
        "задания с развернутым ответом",
        "результаты заданий с развернутым ответом",
        "развернутые ответы",
        "развернутый ответ",
    ),
    "primary_score": (
        "первичный балл",
        "первичные баллы",
        "первичный",
        "сумма первичных баллов",
        "сумма баллов",
        "первичный балл за работу",
        "балл первичный",
    ),
    "test_score": (
        "балл",
        "тестовый балл",
        "итоговый балл",
        "вторичный балл",
        "балл по 100 балльной шкале",
        "балл по стобалльной шкале",
        "стобалльный балл",
    ),
    "mark": (
        "отметка",
        "оценка",
        "отметка за работу",
        "оценка за работу",
        "отметка за экзамен",
        "оценка за экзамен",
        "отметка по пятибалльной шкале",
        "оценка по пятибалльной шкале",
        "отметка по 5 балльной шкале",
        "оценка по 5 балльной шкале",
    ),
    "journal_mark": (
        "отметка за предыдущий период",
        "отметка за предыдущий учебный период",
        "отметка в журнале",
        "отметка по журналу",
        "оценка в журнале",
        "оценка по журналу",
        "годовая отметка",
        "годовая оценка",
        "отметка за четверть",
        "четвертная отметка",
    ),
    "participants": (
        "количество участников",
        "кол во участников",
        "кол во уч",
        "число участников",
        "участников",
        "участники",
        "количество обучающихся",
        "кол во обучающихся",
        "выполняли работу",
        "писали работу",
    ),
    "share_2": ("%2", "% 2", "доля 2", "% отметок 2", "доля отметок 2", "процент 2"),
    "share_3": ("%3", "% 3", "доля 3", "% отметок 3", "доля отметок 3", "процент 3"),
    "share_4": ("%4", "% 4", "доля 4", "% отметок 4", "доля отметок 4", "процент 4"),
    "share_5": ("%5", "% 5", "доля 5", "% отметок 5", "доля отметок 5", "процент 5"),
    # Personal data (152-ФЗ): recognised only to be dropped, never read.
    "last_name": ("фамилия", "фамилия участника"),
    "first_name": ("имя", "имя участника"),
    "middle_name": ("отчество", "отчество участника"),
    "full_name": ("фио", "фио участника", "фамилия имя отчество"),
    "birth_date": ("дата рождения",),
    "document_series": ("серия документа", "серия паспорта", "серия"),
    "document_number": (
        "номер документа",
        "номер паспорта",
        "документ",
        "документ удостоверяющий личность",
        "серия и номер документа",
        "серия и номер паспорта",
    ),
    "snils": ("снилс",),
}

PERSONAL_FIELDS = frozenset(
    {"last_name", "first_name", "middle_name", "full_name", "birth_date", "document_series", "document_number",
     "snils"}
)  # fmt: skip
# Personal fields from which a pseudonymous participant code can be derived when the file has none
# (see ``pseudonyms``): a document number, or a surname with a first name (or a full name).
IDENTITY_FIELDS = ("document_series", "document_number", "last_name", "first_name", "middle_name", "full_name",
                   "birth_date")  # fmt: skip

# Russian names of the fields, for messages and for a mapping UI.
FIELD_LABELS: dict[str, str] = {
    "municipality_code": "Код МСУ",
    "school_code": "Код ОО",
    "school_login": "Логин ОО",
    "school_name": "ОО",
    "participant_code": "Код участника",
    "class_name": "Класс",
    "grade": "Параллель",
    "subject": "Предмет",
    "variant": "Вариант",
    "year": "Год",
    "short_answers": "Задания с кратким ответом",
    "extended_answers": "Задания с развёрнутым ответом",
    "primary_score": "Первичный балл",
    "test_score": "Балл",
    "mark": "Отметка",
    "journal_mark": "Отметка за предыдущий период",
    "participants": "Количество участников",
    "share_2": "% «2»",
    "share_3": "% «3»",
    "share_4": "% «4»",
    "share_5": "% «5»",
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
    "full_name": "ФИО",
    "birth_date": "Дата рождения",
    "document_series": "Серия документа",
    "document_number": "Номер документа",
    "snils": "СНИЛС",
}

SCORE_FIELDS = ("primary_score", "test_score", "mark")
SHARE_FIELDS = ("share_2", "share_3", "share_4", "share_5")
SCHOOL_FIELDS = ("school_code", "school_login", "school_name")

# Fields read for each layout (others are recognised but ignored).
LAYOUT_FIELDS: dict[str, tuple[str, ...]] = {
    PARTICIPANTS: (
        "municipality_code",
        "school_code",
        "participant_code",
        "class_name",
        "grade",
        "subject",
        "variant",
        "short_answers",
        "extended_answers",
        "primary_score",
        "test_score",
        "mark",
        "journal_mark",
    ),
    SCHOOL_SHARES: (
        "municipality_code",
        *SCHOOL_FIELDS,
        "year",
        "grade",
        "class_name",
        "subject",
        "participants",
        *SHARE_FIELDS,
    ),
}

_TRANSLATE = str.maketrans(
    {
        "ё": "е",
        "\xa0": " ",
        "\u202f": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "-": " ",
        "‐": " ",
        "–": " ",
        "—": " ",
        "/": " ",
        "\\": " ",
        "_": " ",
        **dict.fromkeys("«»\"'“”„‟`.,:;!?*()[]{}|№#", ""),
    }
)
_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_MAX_HINT = re.compile(r"\b(?:макс\w*|max\w*|из)\s*(\d{1,3})\b")
_SHARE_MARKER = re.compile(r"%|\bдол[яи]\b|\bпроцент")
_COUNT_MARKER = re.compile(r"\bколич|\bкол во\b|\bчисло\b")
_DIGIT_RUN = re.compile(r"\d+")
_TASK = re.compile(r"(?:№\s*|[Зз]адание\s*(?:№\s*)?|[Зз]\s*)?\d{1,2}(?:\s*(?:\.|\()\s*\d{1,2}\s*\)?)?")


def normalize_header(text: str) -> str:
    """Lower-case, ё→е, dashes/slashes/nbsp/newlines to spaces, quotes and punctuation removed,
    whitespace collapsed: '% «2»' -> '% 2', 'Кол-во\\nучастников' -> 'кол во участников'."""
    return _SPACES.sub(" ", str(text).lower().translate(_TRANSLATE)).strip()


def header_key(text: str) -> str:
    """The comparison key of a header: normalised, spaces removed."""
    return normalize_header(text).replace(" ", "")


def _build_synonyms() -> dict[str, tuple[str, ...]]:
    return {
        name: tuple(dict.fromkeys(normalize_header(s) for s in spellings))
        for name, spellings in _RAW_SYNONYMS.items()
    }


COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = _build_synonyms()

_SYNONYM_INDEX: dict[str, str] = {}
for _field, _spellings in COLUMN_SYNONYMS.items():
    for _spelling in _spellings:
        _SYNONYM_INDEX.setdefault(_spelling.replace(" ", ""), _field)


def _share_by_rule(norm: str) -> str | None:
    """'распределение отметок в % 2' -> 'share_2'; counts ('кол-во «2»') are not shares."""
    if not _SHARE_MARKER.search(norm) or _COUNT_MARKER.search(norm):
        return None
    runs = _DIGIT_RUN.findall(norm)
    if len(runs) == 1 and runs[0] in ("2", "3", "4", "5"):
        return f"share_{runs[0]}"
    return None


def classify_header(
    text: str, mapping_keys: dict[str, str] | None = None, excluded: frozenset = frozenset()
) -> str | None:
    """The canonical field a header cell names, or None.

    ``mapping_keys`` (header key -> field) comes from a user mapping and wins; fields in ``excluded``
    (the mapped ones) are not matched by synonyms."""
    if not text:
        return None
    key = header_key(text)
    if not key:
        return None
    if mapping_keys and key in mapping_keys:
        return mapping_keys[key]
    norm = normalize_header(text)
    found = _SYNONYM_INDEX.get(key) or _share_by_rule(norm)
    if found is None and ("(" in text or "[" in text):
        bare = _BRACKETED.sub(" ", str(text))
        found = _SYNONYM_INDEX.get(header_key(bare)) or _share_by_rule(normalize_header(bare))
    if found in excluded:
        return None
    return found


def max_score_hint(header: str) -> int | None:
    """'Первичный балл (макс. 31)' -> 31."""
    m = _MAX_HINT.search(normalize_header(header))
    return int(m.group(1)) if m else None


def cell_text(value) -> str:
    """Text of a cell as shown: whole floats without '.0', strings stripped, empty -> ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class HeaderMatch:
    layout: str
    row: int  # spreadsheet row number of the (last) header row
    index: dict[str, int]  # canonical field -> column index (only fields read for the layout)
    headers: dict[str, str]  # canonical field -> header as written
    personal: list[str]  # personal-data headers as written, dropped
    # personal field -> column index: read only to derive a participant code when the file has none
    identity: dict[str, int] = field(default_factory=dict)
    # column -> header texts and their keys, to recognise a repeated header row
    header_texts: dict[int, set[str]] = field(default_factory=dict)
    header_keys: dict[int, set[str]] = field(default_factory=dict)
    first_row_index: int = 0  # position in the scanned rows of the first header row
    # per-task point columns of a participant sheet («1», «2», «4(1)», «№5», «Задание 6»): (index, header)
    tasks: list[tuple[int, str]] = field(default_factory=list)


def _forward_fill(texts: list[str]) -> list[str]:
    out, last = [], ""
    for t in texts:
        last = t or last
        out.append(last)
    return out


def _match_row(
    own: list[str], upper: list[str] | None, mapping_keys: dict[str, str], excluded: frozenset
) -> tuple[dict[str, tuple[int, str]], list[tuple[int, str, str]]]:
    """Fields found in a header row (optionally read together with the row above it).

    For each column: the upper title joined with the cell ("Задания" + "с кратким ответом"; the upper
    title is forward-filled because merged cells keep their text in the top-left cell only), then the
    cell alone, then — if the cell is empty — the cell above (a header merged vertically)."""
    found: dict[str, tuple[int, str]] = {}
    personal: list[tuple[int, str, str]] = []
    filled = _forward_fill(upper) if upper else None
    for i, text in enumerate(own):
        candidates: list[str] = []
        if text:
            if filled and i < len(filled) and filled[i]:
                candidates.append(f"{filled[i]} {text}")
            candidates.append(text)
        elif upper and i < len(upper) and upper[i]:
            candidates.append(upper[i])
        for candidate in candidates:
            name = classify_header(candidate, mapping_keys, excluded)
            if name is None:
                continue
            written = _SPACES.sub(" ", candidate).strip()
            if name in PERSONAL_FIELDS:
                personal.append((i, written, name))
            elif name not in found:
                found[name] = (i, written)
            break
    if upper:
        # Columns merged vertically whose text sits in the upper row only, beyond the lower row's width.
        for i in range(len(own), len(upper)):
            name = classify_header(upper[i], mapping_keys, excluded) if upper[i] else None
            if name in PERSONAL_FIELDS:
                personal.append((i, upper[i], name))
            elif name and name not in found:
                found[name] = (i, upper[i])
    return found, personal


def identifies(personal) -> bool:
    """Whether personal columns can stand in for a participant code: a document number, or a surname with a
    first name, or a full name."""
    p = set(personal)
    return "document_number" in p or {"last_name", "first_name"} <= p or "full_name" in p


def layout_of(fields, personal=()) -> str | None:
    f = set(fields)
    coded = "participant_code" in f or identifies(personal)
    participants = coded and "school_code" in f and bool(f & set(SCORE_FIELDS))
    shares = bool(f & set(SCHOOL_FIELDS)) and "participants" in f and set(SHARE_FIELDS) <= f
    if participants and shares:
        own_p = len(f & set(LAYOUT_FIELDS[PARTICIPANTS]) - set(LAYOUT_FIELDS[SCHOOL_SHARES]))
        own_s = len(f & set(LAYOUT_FIELDS[SCHOOL_SHARES]) - set(LAYOUT_FIELDS[PARTICIPANTS]))
        return SCHOOL_SHARES if own_s > own_p else PARTICIPANTS
    if participants:
        return PARTICIPANTS
    if shares:
        return SCHOOL_SHARES
    return None


def mapping_keys_of(mapping: dict[str, str] | None) -> dict[str, str]:
    """Header key -> field for a user mapping (canonical field -> header as written)."""
    keys: dict[str, str] = {}
    for name, header in (mapping or {}).items():
        if name not in COLUMN_SYNONYMS:
            raise ResultFileError(f"Неизвестное поле сопоставления «{name}».")
        if not str(header or "").strip():
            continue
        keys[header_key(header)] = name
    return keys


def find_header(
    rows: list[tuple[int, list[str]]], mapping: dict[str, str] | None = None
) -> HeaderMatch | None:
    """The header among the scanned rows (row number, cell texts; blank rows included), or None.

    Among the first HEADER_SCAN_ROWS non-blank rows, the first whose cells (alone or read with the row
    above) satisfy a layout wins; if the next row read together with it names more fields, the header
    spans two rows and the lower one is returned."""
    mapping_keys = mapping_keys_of(mapping)
    excluded = frozenset(mapping_keys.values())
    previous: list[str] | None = None
    non_blank = 0
    for pos, (_number, texts) in enumerate(rows):
        if not any(texts):
            previous = None
            continue
        non_blank += 1
        if non_blank > HEADER_SCAN_ROWS:
            break
        found, personal = _match_row(texts, previous, mapping_keys, excluded)
        layout = layout_of(found, _names(personal))
        if layout is None or not _mapped_all(found, personal, mapping_keys):
            previous = texts
            continue
        first = pos - 1 if previous is not None and _uses_upper(texts, previous, found) else pos
        header_pos = pos
        if pos + 1 < len(rows) and any(rows[pos + 1][1]):
            found2, personal2 = _match_row(rows[pos + 1][1], texts, mapping_keys, excluded)
            if layout_of(found2, _names(personal2)) == layout and len(found2) + len(personal2) > len(
                found
            ) + len(personal):
                found, personal, header_pos, first = found2, personal2, pos + 1, pos
        return _build_match(layout, rows, first, header_pos, found, personal)
    return None


def _names(personal) -> set[str]:
    return {name for _i, _written, name in personal}


def _mapped_all(found, personal, mapping_keys) -> bool:
    names = set(found) | {name for _i, _written, name in personal}
    return set(mapping_keys.values()) <= names


def _uses_upper(texts: list[str], upper: list[str], found: dict[str, tuple[int, str]]) -> bool:
    """Whether the header found in ``texts`` took any text from the row above it."""
    for i, written in found.values():
        own = texts[i] if i < len(texts) else ""
        if header_key(written) != header_key(own):
            return True
    return False


def _build_match(layout, scan, first, header_pos, found, personal) -> HeaderMatch:
    wanted = LAYOUT_FIELDS[layout]
    index = {name: found[name][0] for name in wanted if name in found}
    headers = {name: found[name][1] for name in wanted if name in found}
    if layout == SCHOOL_SHARES and "grade" not in index and "class_name" in index:
        # In a per-school export "Класс" is the grade (4, 5, …), not a class like "5А".
        index["grade"] = index.pop("class_name")
        headers["grade"] = headers.pop("class_name")
    header_texts: dict[int, set[str]] = {}
    header_keys: dict[int, set[str]] = {}
    for pos in range(first, header_pos + 1):
        for i, text in enumerate(scan[pos][1]):
            if text:
                header_texts.setdefault(i, set()).add(text)
                header_keys.setdefault(i, set()).add(header_key(text))
    tasks: list[tuple[int, str]] = []
    if layout == PARTICIPANTS:
        taken = set(index.values()) | {i for i, _written, _name in personal}
        tasks = [
            (i, t) for i, t in enumerate(scan[header_pos][1]) if i not in taken and t and _TASK.fullmatch(t)
        ]
        if len(tasks) < 2:
            tasks = []
    identity: dict[str, int] = {}
    if layout == PARTICIPANTS and "participant_code" not in index:
        for i, _written, name in sorted(personal):
            identity.setdefault(name, i)
    return HeaderMatch(
        layout=layout,
        identity=identity,
        tasks=tasks,
        row=scan[header_pos][0],
        index=index,
        headers=headers,
        personal=[written for _i, written, _name in sorted(personal)],
        header_texts=header_texts,
        header_keys=header_keys,
        first_row_index=first,
    )


def expected_headers_message(rows: list[tuple[int, list[str]]]) -> str:
    """Why no header was found: what is expected, and which known headers were seen."""
    seen: list[str] = []
    previous = None
    for _number, texts in rows:
        found, _personal = _match_row(texts, previous, {}, frozenset())
        if len(found) > len(seen):
            seen = [written for _i, written in sorted(found.values())]
        previous = texts
    message = (
        f"Не найдена строка заголовков в первых {HEADER_SCAN_ROWS} строках. Ожидаются столбцы: "
        "для результатов участников — «Код участника» (или «Код работы»; если его нет — «Серия документа» и "
        "«Номер документа» или «Фамилия» и «Имя»), «Код ОО» и хотя бы один из "
        "«Первичный балл», «Балл», «Отметка»; для долей отметок ВПР по школам — «Код ОО» (или «Логин ОО», "
        "«ОО»), «Количество участников», «% 2», «% 3», «% 4», «% 5»."
    )
    if seen:
        message += " Распознаны только: " + ", ".join(f"«{s}»" for s in seen) + "."
    return message

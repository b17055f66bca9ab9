"""Turning the data rows below a recognised header into records or RowErrors.

The participant path runs once per row of files of up to a million rows, so each of its columns remembers
what every distinct cell value gave (a school code, a score, a parsed answer string, or the reason it is
wrong): only the participant code is converted afresh on every row."""

from .answers import parse_extended_answers, parse_short_answers
from .columns import (
    FIELD_LABELS,
    PARTICIPANTS,
    SCHOOL_SHARES,
    SHARE_FIELDS,
    HeaderMatch,
    cell_text,
    header_key,
)
from .errors import ResultFileError
from .pseudonyms import NO_KEY, Pseudonymizer
from .records import ParticipantRow, RowError, SchoolShareRow
from .values import (
    ACADEMIC_YEAR,
    LEADING_INT,
    LOGIN,
    SUMMARY_PREFIXES,
    YEAR,
    NotANumber,
    code,
    is_blank,
    learn_width,
    number,
    shown,
    split_login,
)

SHARE_SUM_TOLERANCE = 1.5
CODE_FIELDS = ("municipality_code", "school_code", "participant_code")
# Widths of the database columns: a longer value is a row error at the check, never a failed commit.
MAX_LENGTHS = {"participant_code": 40, "class_name": 10}
NO_IDENTITY = "Не указаны ни номер документа, ни фамилия и имя участника: код участника вычислить не из чего."

MEMO_LIMIT = 100_000  # distinct values remembered per column
# ParticipantRow's fields after ``row``, in order, and their values when the column is absent
_SLOTS = ("municipality_code", "school_code", "participant_code", "class_name", "primary_score", "test_score",
          "mark", "journal_mark", "short_answers", "extended_answers", "variant", "subject", "grade")  # fmt: skip
_DEFAULTS = ["", "", "", "", None, None, None, None, (), (), "", "", None]
_SUMMARY_INITIALS = frozenset("ИиВвСсПп")


MAX_MEMO_TASK_VALUES = 1000
_NOT_DONE = frozenset({"", "x", "х", "н", "-", "—", "–"})  # not done or absent: no points


def _task_point(value) -> int | str:
    """Points of one task cell, or the message saying why they are not points."""
    if value is None or (type(value) is str and value.strip().lower() in _NOT_DONE):
        return 0
    try:
        n = _integer(value)
    except NotANumber:
        n = -1
    if n is None:
        return 0
    if not 0 <= n <= 99:
        return f"Баллы за задание «{shown(value)}»: ожидается целое число баллов или X (не выполнял)."
    return n


def _integer(value) -> int | None:
    """An integer from a cell (None if empty); NotANumber if it is not a whole number."""
    kind = type(value)
    if kind is float:
        if value.is_integer():
            return int(value)
        raise NotANumber
    if kind is int:
        return value
    if kind is str:
        s = value.strip()
        if s.isdigit() and s.isascii():
            return int(s)
    x = number(value)
    if x is None:
        return None
    if not x.is_integer():
        raise NotANumber
    return int(x)


class RowBuilder:
    """Builds the records of one located header; ``build(row, values)`` gives a record, a list of
    RowErrors, or None for a row that is not data (an aggregate row of a per-school export)."""

    def __init__(
        self, match: HeaderMatch, defaults: dict, max_score: int | None, pseudonym_key: bytes | None = None
    ):
        self.layout = match.layout
        self.index = match.index
        self.headers = match.headers
        self.header_keys = match.header_keys
        self.header_texts = match.header_texts
        self.defaults = defaults
        self.max_score = max_score
        self.width = max(self.index.values(), default=-1) + 1
        self.widths: dict[str, int] = {}
        self.embedded_logins = False
        self.build = self.participant if self.layout == PARTICIPANTS else self.school_shares
        self.converters: list | None = None  # made on the first participant row, once the widths are learnt
        self.has_grade = "grade" in self.index
        self._not_header: dict[tuple[int, str], bool] = {}
        self.tasks = match.tasks if "short_answers" not in self.index else []
        self.width = max(self.width, max((i for i, _h in self.tasks), default=-1) + 1)
        self._task_points: dict = {}
        self.identity = match.identity  # personal columns, read only to derive codes (see pseudonyms)
        self.pseudonyms: Pseudonymizer | None = None
        if self.layout == PARTICIPANTS and "participant_code" not in self.index:
            if not pseudonym_key:
                raise ResultFileError(NO_KEY)
            self.pseudonyms = Pseudonymizer(pseudonym_key, self.identity, self.widths)
            self.width = max(self.width, max(self.identity.values(), default=-1) + 1)
            names = [n for n in ("document_number", "last_name", "full_name") if n in self.identity]
            self.identity_header = FIELD_LABELS[names[0]] if names else ""

    # -- rows that are not data

    def learn(self, rows: list[tuple[int, list]]) -> None:
        """Learn code widths (and whether school names embed logins) from the look-ahead rows."""
        data = [values for _n, values in rows if not is_blank(values) and not self.is_repeated_header(values)]
        for name in (*CODE_FIELDS, "short_answers", "document_series", "document_number"):
            i = self.index.get(name, self.identity.get(name))
            if i is not None:
                column = [values[i] for values in data if i < len(values)]
                self.widths[name] = learn_width(column, digits_only=name != "short_answers")
        i = self.index.get("school_name")
        if i is not None and self.layout == SCHOOL_SHARES:
            self.embedded_logins = any(
                i < len(values) and type(values[i]) is str and split_login(values[i]) is not None
                for values in data
            )

    def skip(self, values: list) -> bool:
        """Blank rows, total rows ("Итого", "Всего", "Вся выборка" first) and repeated header rows."""
        for i, v in enumerate(values):  # noqa: B007 - i is the first filled column
            if v is None or v == "":
                continue
            if type(v) is str:
                t = v.strip()
                if not t:
                    continue
                if t[0] in _SUMMARY_INITIALS and t.lower().startswith(SUMMARY_PREFIXES):
                    return True
            else:
                t = cell_text(v)
            break
        else:
            return True
        # A data row is told from a repeated header by its first cell (remembered per distinct value).
        not_header = self._not_header.get((i, t))
        if not_header is None:
            not_header = t not in self.header_texts.get(i, ()) and (
                t.isdigit() or header_key(t) not in self.header_keys.get(i, ())
            )
            if len(self._not_header) < MEMO_LIMIT:
                self._not_header[(i, t)] = not_header
        return not not_header and self.is_repeated_header(values)

    def is_repeated_header(self, values: list) -> bool:
        texts, keys = self.header_texts, self.header_keys
        seen = False
        for i, v in enumerate(values):
            if v is None or v == "":
                continue
            t = v.strip() if type(v) is str else cell_text(v)
            if not t:
                continue
            if t not in texts.get(i, ()) and (t.isdigit() or header_key(t) not in keys.get(i, ())):
                return False
            seen = True
        return seen

    def pad(self, values: list) -> list:
        return values if len(values) >= self.width else [*values, *[""] * (self.width - len(values))]

    # -- shared helpers

    def _value(self, values: list, name: str):
        i = self.index.get(name)
        return "" if i is None else values[i]

    def _score(self, row: int, values: list, name: str, errors: list, lo: int, hi: int | None) -> int | None:
        i = self.index.get(name)
        if i is None:
            return None
        value = values[i]
        try:
            n = _integer(value)
        except NotANumber:
            label = FIELD_LABELS[name]
            errors.append(
                RowError(row, self.headers[name], f"{label} «{shown(value)}»: ожидается целое число.")
            )
            return None
        if n is None:
            return None
        if hi is not None and not lo <= n <= hi:
            errors.append(
                RowError(row, self.headers[name], f"{FIELD_LABELS[name]} {n} вне диапазона {lo}–{hi}.")
            )
            return None
        if n < lo:
            label = FIELD_LABELS[name]
            errors.append(RowError(row, self.headers[name], f"{label} {n}: ожидается число не меньше {lo}."))
            return None
        return n

    def _mark(self, row: int, values: list, name: str, errors: list) -> int | None:
        i = self.index.get(name)
        if i is None:
            return None
        value = values[i]
        try:
            n = _integer(value)
        except NotANumber:
            n = -1
        if n is None:
            return None
        if not 2 <= n <= 5:
            label = "Отметка за предыдущий период" if name == "journal_mark" else "Отметка"
            errors.append(
                RowError(row, self.headers[name], f"{label} «{shown(value)}»: ожидается 2, 3, 4 или 5.")
            )
            return None
        return n

    def _grade(self, row: int, values: list, errors: list) -> int | None:
        value = self._value(values, "grade")
        if value is None or value == "":
            return self.defaults.get("grade")
        if type(value) is str:
            m = LEADING_INT.match(value)
            n = int(m.group(1)) if m else None
        else:
            try:
                n = _integer(value)
            except NotANumber:
                n = None
        if n is None or not 1 <= n <= 11:
            message = f"Класс «{shown(value)}»: ожидается число от 1 до 11."
            errors.append(RowError(row, self.headers["grade"], message))
            return None
        return n

    def _text(self, values: list, name: str) -> str:
        value = self._value(values, name)
        return "" if value is None or value == "" else cell_text(value)

    # -- participants

    def _converters(self) -> list[tuple[str, int, dict, object]]:
        """(field, column index, memo, convert) for the participant columns present, except the participant
        code. ``convert(value)`` gives (result, error message or None); its answer depends on the cell value
        alone, so it is remembered per distinct value: a million rows hold a few hundred schools, scores
        and answer strings."""
        widths = self.widths

        def coded(name):
            width = widths.get(name, 0)
            if name == "school_code":
                return lambda v: (c, None) if (c := code(v, width)) else ("", "Код ОО не указан.")
            return lambda v: (code(v, width), None)

        def checked(method, name, *bounds):
            def convert(value):
                errors: list[RowError] = []
                result = method(0, {self.index[name]: value}, name, errors, *bounds)
                return result, errors[0].message if errors else None

            return convert

        def answers(parse, name):
            width = widths.get(name, 0)

            def convert(value):
                if value is None or value == "":
                    return (), None
                if type(value) is str:
                    text = value
                else:
                    text = code(value, width) if name == "short_answers" else shown(value)
                try:
                    return parse(text), None
                except ValueError as exc:
                    return (), str(exc)

            return convert

        def grade(value):
            errors: list[RowError] = []
            result = self._grade(0, {self.index["grade"]: value}, errors)
            return result, errors[0].message if errors else None

        def text(value):
            return ("" if value is None or value == "" else cell_text(value)), None

        available = {
            "school_code": coded("school_code"),
            "municipality_code": coded("municipality_code"),
            "class_name": text,
            "grade": grade,
            "primary_score": checked(self._score, "primary_score", 0, self.max_score),
            "test_score": checked(self._score, "test_score", 0, 100),
            "mark": checked(self._mark, "mark"),
            "journal_mark": checked(self._mark, "journal_mark"),
            "short_answers": answers(parse_short_answers, "short_answers"),
            "extended_answers": answers(parse_extended_answers, "extended_answers"),
            "variant": lambda v: (code(v), None),
            "subject": text,
        }
        return [
            (_SLOTS.index(name), name, self.index[name], {}, convert)
            for name, convert in available.items()
            if name in self.index
        ]

    def participant(self, row: int, values: list) -> ParticipantRow | list[RowError]:
        if self.converters is None:
            self.converters = self._converters()
        errors: list[RowError] | None = None
        pseudonyms = self.pseudonyms
        if pseudonyms is None:
            participant_code = code(
                values[self.index["participant_code"]], self.widths.get("participant_code", 0)
            )
            if not participant_code:
                errors = [RowError(row, self.headers["participant_code"], "Код участника не указан.")]
            elif len(participant_code) > MAX_LENGTHS["participant_code"]:
                message = f"Код участника длиннее {MAX_LENGTHS['participant_code']} знаков."
                errors = [RowError(row, self.headers["participant_code"], message)]
        got = _DEFAULTS.copy()
        for slot, name, i, memo, convert in self.converters:
            value = values[i]
            if type(value) is bool:  # True == 1 == 1.0: never looked up among numbers
                result, message = convert(value)
            else:
                hit = memo.get(value)
                if hit is None:
                    hit = convert(value)
                    if len(memo) < MEMO_LIMIT:
                        memo[value] = hit
                result, message = hit
            if message is not None:
                error = RowError(row, self.headers[name], message)
                errors = [error] if errors is None else [*errors, error]
            got[slot] = result
        if self.tasks:
            points = []
            for i, header in self.tasks:
                value = values[i]
                point = self._task_points.get(value) if type(value) is not bool else None
                if point is None:
                    point = _task_point(value)
                    if len(self._task_points) < MAX_MEMO_TASK_VALUES:
                        self._task_points[value] = point
                if type(point) is str:
                    error = RowError(row, header, point)
                    errors = [error] if errors is None else [*errors, error]
                    point = 0
                points.append(point)
            got[8] = tuple(points)
        if len(got[3]) > MAX_LENGTHS["class_name"]:
            error = RowError(row, self.headers["class_name"], f"Класс «{got[3][:20]}» длиннее 10 знаков.")
            errors = [error] if errors is None else [*errors, error]
        if pseudonyms is not None:
            # Personal cells are hashed here and nowhere else; a message never repeats them.
            participant_code = pseudonyms.code(values, got[3])
            if participant_code is None:
                error = RowError(row, self.identity_header, NO_IDENTITY)
                errors = [error] if errors is None else [*errors, error]
        if errors is not None:
            return errors
        got[2] = participant_code
        if not got[11]:
            got[11] = self.defaults.get("subject", "")
        if not self.has_grade:
            class_name = got[3]
            m = LEADING_INT.match(class_name) if class_name else None
            got[12] = int(m.group(1)) if m and 1 <= int(m.group(1)) <= 11 else self.defaults.get("grade")
        return ParticipantRow(row, *got)

    # -- school shares

    def _school(self, values: list) -> tuple[str, str, str]:
        school_code = code(self._value(values, "school_code"), self.widths.get("school_code", 0))
        login = self._text(values, "school_login")
        name = self._text(values, "school_name")
        if school_code and not login and LOGIN.fullmatch(school_code):
            school_code, login = "", school_code
        if name and not login and (split := split_login(name)):
            login, name = split
        return school_code, login, name

    def _year(self, row: int, values: list, errors: list) -> int | None:
        value = self._value(values, "year")
        if value is None or value == "":
            return self.defaults.get("year")
        n = None
        if type(value) is str:
            if m := ACADEMIC_YEAR.search(value):
                # "2023/2024", "2023-24": the spring ВПР of that school year took place in the later year.
                second = m.group(2)
                n = int(second) if len(second) == 4 else 2000 + int(second)
            elif m := YEAR.search(value):
                n = int(m.group(1))
        else:
            try:
                n = _integer(value)
            except NotANumber:
                n = None
        if n is None or not 2000 <= n <= 2100:
            errors.append(
                RowError(row, self.headers["year"], f"Год «{shown(value)}»: ожидается год, например 2024.")
            )
            return None
        return n

    def _shares(self, row: int, values: list, participants: int | None, errors: list) -> list[float] | None:
        shares: list[float] = []
        for name in SHARE_FIELDS:
            value = self._value(values, name)
            try:
                x = number(value, percent=True)
            except NotANumber:
                message = f"Доля отметки «{name[-1]}» «{shown(value)}»: ожидается число от 0 до 100."
                errors.append(RowError(row, self.headers[name], message))
                continue
            shares.append(0.0 if x is None else x)
        if len(shares) < len(SHARE_FIELDS):
            return None
        total = sum(shares)
        if total > 0 and all(0 <= s <= 1 for s in shares) and abs(total - 1) <= SHARE_SUM_TOLERANCE / 100:
            # Cells in Excel's percent format hold fractions: 0.25 is shown as 25 %.
            shares = [round(s * 100, 10) for s in shares]
            total = sum(shares)
        bad = False
        for name, s in zip(SHARE_FIELDS, shares, strict=True):
            if not 0 <= s <= 100:
                message = f"Доля отметки «{name[-1]}» {shown(float(s))} вне диапазона 0–100."
                errors.append(RowError(row, self.headers[name], message))
                bad = True
        if bad:
            return None
        if not (participants == 0 and total == 0) and abs(total - 100) > SHARE_SUM_TOLERANCE:
            total_shown = f"{total:.1f}".replace(".", ",")
            tolerance = f"{SHARE_SUM_TOLERANCE:g}".replace(".", ",")
            message = (
                f"Сумма долей отметок равна {total_shown} %: ожидается 100 % (допускается ±{tolerance} %)."
            )
            errors.append(RowError(row, "", message))
            return None
        return shares

    def school_shares(self, row: int, values: list) -> SchoolShareRow | list[RowError] | None:
        errors: list[RowError] = []
        school_code, login, name = self._school(values)
        if not (school_code or login):
            if self.embedded_logins:
                return None  # a region/municipality total row of a ФИС ОКО export
            if not name:
                column = next(
                    (
                        self.headers[n]
                        for n in ("school_code", "school_login", "school_name")
                        if n in self.headers
                    ),
                    "",
                )
                errors.append(
                    RowError(row, column, "ОО не указана: заполните код ОО, логин ОО или название ОО.")
                )
            elif "school_code" in self.index or "school_login" in self.index:
                column = self.headers.get("school_code") or self.headers["school_login"]
                errors.append(RowError(row, column, f"Для ОО «{name}» не указан код ОО (или логин ОО)."))
        municipality = code(self._value(values, "municipality_code"), self.widths.get("municipality_code", 0))
        year = self._year(row, values, errors)
        grade = self._grade(row, values, errors) if "grade" in self.index else self.defaults.get("grade")
        before = len(errors)
        participants = self._score(row, values, "participants", errors, 0, None)
        if participants is None and len(errors) == before:
            errors.append(RowError(row, self.headers["participants"], "Количество участников не указано."))
        shares = self._shares(row, values, participants, errors)
        if errors:
            return errors
        return SchoolShareRow(
            row=row,
            municipality_code=municipality,
            school_code=school_code,
            school_login=login,
            school_name=name,
            year=year,
            grade=grade,
            subject=self._text(values, "subject") or self.defaults.get("subject", ""),
            participants=participants,
            share_2=shares[0],
            share_3=shares[1],
            share_4=shares[2],
            share_5=shares[3],
        )

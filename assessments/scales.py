"""Yearly scales as region-editable data, loaded from (and exported to) one XLSX table.

One row per scale: procedure, subject, year, grade (ВПР, ОГЭ), maximum primary score, minimum scores, the
primary scores from which «3», «4», «5» are given, the task maxima and the primary → test score table of ЕГЭ.
An empty cell means «not set»: the portal then says «шкала не задана» rather than guessing. The whole file is
checked first (errors by row and column) and saved all or nothing; campaigns of a loaded scale get it and
their aggregates are recomputed.
"""

import re
from dataclasses import dataclass, field
from itertools import pairwise

from django.core.exceptions import PermissionDenied
from django.db import transaction

from assessments.importing import ResultFileError, normalize_header
from assessments.importing.columns import cell_text
from assessments.importing.sources import open_sheets
from assessments.models import AssessmentKind, Campaign, Scale, Subject
from municipalities.models import normalize_name

HEADER = ["Процедура", "Предмет", "Год", "Класс", "Максимальный первичный балл", "Минимальный балл",
          "Минимальный балл для вуза", "«3» с первичного балла", "«4» с первичного балла", "«5» с первичного балла",
          "Баллы заданий", "Тестовые баллы"]  # fmt: skip
FIELDS = ["kind", "subject", "year", "grade", "max_primary", "min_score", "min_score_university", "mark_3", "mark_4",
          "mark_5", "task_max", "test_scores"]  # fmt: skip
_SYNONYMS = {
    "kind": ("процедура", "вид", "экзамен", "оценочная процедура"),
    "subject": ("предмет",),
    "year": ("год",),
    "grade": ("класс", "параллель"),
    "max_primary": ("максимальный первичный балл", "макс первичный балл", "максимальный балл"),
    "min_score": ("минимальный балл", "мин балл", "минимальный тестовый балл"),
    "min_score_university": ("минимальный балл для вуза", "мин балл для вуза"),
    "mark_3": ("3 с первичного балла", "3 с балла", "3 от", "отметка 3 с"),
    "mark_4": ("4 с первичного балла", "4 с балла", "4 от", "отметка 4 с"),
    "mark_5": ("5 с первичного балла", "5 с балла", "5 от", "отметка 5 с"),
    "task_max": ("баллы заданий", "максимальные баллы заданий"),
    "test_scores": ("тестовые баллы", "перевод в тестовый балл", "тестовый балл по первичному"),
}
_BY_HEADER = {
    normalize_header(s).replace(" ", ""): name for name, spellings in _SYNONYMS.items() for s in spellings
}
_LIST = re.compile(r"[;,\s]+")


@dataclass
class ScalesOutcome:
    saved: int = 0
    errors: list[dict] = field(default_factory=list)


def _kind(text: str) -> str | None:
    key = normalize_header(text).replace(" ", "")
    for value, label in AssessmentKind.choices:
        if key in {value.lower(), normalize_header(str(label)).replace(" ", "")}:
            return value
    return None


def _int(text: str, lo: int, hi: int) -> int:
    if not re.fullmatch(r"\d{1,4}", text):
        raise ValueError(f"ожидается целое число от {lo} до {hi}")
    n = int(text)
    if not lo <= n <= hi:
        raise ValueError(f"ожидается целое число от {lo} до {hi}")
    return n


def _ints(text: str, hi: int) -> list[int]:
    values = [v for v in _LIST.split(text) if v]
    return [_int(v, 0, hi) for v in values]


class _Row:
    def __init__(self, number: int, cells: dict[str, str], subjects: dict[str, Subject]):
        self.number, self.cells, self.subjects = number, cells, subjects
        self.errors: list[dict] = []

    def error(self, name: str, message: str) -> None:
        self.errors.append({"row": self.number, "column": HEADER[FIELDS.index(name)], "message": message})

    def number_of(self, name: str, lo: int, hi: int, required: bool = False) -> int | None:
        text = self.cells.get(name, "")
        if not text:
            if required:
                self.error(name, "не заполнено.")
            return None
        try:
            return _int(text, lo, hi)
        except ValueError as exc:
            self.error(name, f"«{text}»: {exc}.")
            return None

    def scale(self) -> dict | None:
        cells = self.cells
        kind = _kind(cells.get("kind", ""))
        if kind is None:
            self.error("kind", f"«{cells.get('kind', '')}»: ожидается ЕГЭ, ОГЭ, ГВЭ-9, ГВЭ-11, ВПР.")
        subject = (
            self.subjects.get(normalize_name(cells.get("subject", ""))) if cells.get("subject") else None
        )
        if subject is None:
            self.error("subject", f"предмет «{cells.get('subject', '')}» не найден в справочнике.")
        values = {
            "year": self.number_of("year", 2000, 2100, required=True),
            "grade": self.number_of("grade", 1, 11),
            "max_primary": self.number_of("max_primary", 1, 999),
            "min_score": self.number_of("min_score", 0, 100),
            "min_score_university": self.number_of("min_score_university", 0, 100),
        }
        marks = {m: self.number_of(f"mark_{m}", 0, 999) for m in (3, 4, 5)}
        given = [(m, v) for m, v in marks.items() if v is not None]
        if any(a[1] >= b[1] for a, b in pairwise(given)):
            self.error("mark_4", "границы отметок должны возрастать: «3» < «4» < «5».")
        top = values["max_primary"]
        if top is not None and any(v > top for _m, v in given):
            self.error("mark_5", f"граница отметки больше максимального первичного балла {top}.")
        lists = {}
        for name, hi in (("task_max", 99), ("test_scores", 100)):
            try:
                lists[name] = _ints(cells.get(name, ""), hi)
            except ValueError as exc:
                self.error(name, f"список чисел через запятую: {exc}.")
                lists[name] = []
        if top is not None and lists["task_max"] and sum(lists["task_max"]) != top:
            self.error(
                "task_max", f"сумма баллов заданий {sum(lists['task_max'])}, а максимальный балл {top}."
            )
        scores = lists["test_scores"]
        if scores and any(a > b for a, b in pairwise(scores)):
            self.error("test_scores", "тестовые баллы не должны убывать с ростом первичного.")
        if scores and top is not None and len(scores) != top + 1:
            self.error(
                "test_scores", f"нужно {top + 1} значений (первичный балл от 0 до {top}), дано {len(scores)}."
            )
        if self.errors:
            return None
        boundaries = {str(m): v for m, v in given}
        return {"kind": kind, "subject": subject, **values, "mark_boundaries": boundaries, **lists}


def read_scales(path_or_file, filename: str) -> tuple[list[dict], list[dict]]:
    """(scales as field dicts, errors) from the first sheet with the scales header."""
    subjects = {}
    for subject in Subject.objects.all():
        for name in [subject.name, subject.code, *subject.aliases.splitlines()]:
            if name.strip():
                subjects[normalize_name(name)] = subject
    with open_sheets(path_or_file, filename) as sheets:
        for sheet in sheets:
            columns: dict[str, int] | None = None
            scales, errors, seen = [], [], {}
            for number, values in sheet.rows:
                texts = [cell_text(v) for v in values]
                if columns is None:
                    found = {
                        _BY_HEADER.get(normalize_header(t).replace(" ", "")): i
                        for i, t in enumerate(texts)
                        if t
                    }
                    found.pop(None, None)
                    if {"kind", "subject", "year"} <= set(found):
                        columns = found
                    continue
                if not any(texts):
                    continue
                cells = {name: texts[i] if i < len(texts) else "" for name, i in columns.items()}
                row = _Row(number, cells, subjects)
                scale = row.scale()
                if scale is None:
                    errors += row.errors
                    continue
                key = (scale["kind"], scale["subject"].pk, scale["year"], scale["grade"])
                if key in seen:
                    errors.append(
                        {"row": number, "column": "", "message": f"та же шкала уже в строке {seen[key]}."}
                    )
                    continue
                seen[key] = number
                scales.append(scale)
            if columns is not None:
                return scales, errors
    raise ResultFileError("Не найдена строка заголовков шкал: нужны хотя бы «Процедура», «Предмет» и «Год».")


def scales_load(*, actor, path_or_file, filename: str, dry_run: bool = False) -> ScalesOutcome:
    """Check the whole table, then save every scale (update or create) all or nothing; campaigns of these
    scales get them and their figures are recomputed."""
    from assessments.services import aggregates_refresh

    if not (actor.is_superuser or (actor.is_committee and not actor.is_read_only)):
        raise PermissionDenied("Шкалы загружают сотрудники комитета.")
    scales, errors = read_scales(path_or_file, filename)
    if errors or dry_run:
        return ScalesOutcome(saved=0, errors=errors)
    with transaction.atomic():
        for values in scales:
            key = {k: values.pop(k) for k in ("kind", "subject", "year", "grade")}
            scale, _ = Scale.objects.update_or_create(**key, defaults=values)
            for campaign in Campaign.objects.filter(**key).select_for_update():
                campaign.scale = scale
                campaign.save(update_fields=["scale"])
                aggregates_refresh(campaign)
    return ScalesOutcome(saved=len(scales))


def scale_rows(scales) -> list[list]:
    """The scales as rows of the same table (an export that loads back unchanged)."""
    return [
        [scale.get_kind_display(), scale.subject.name, scale.year, scale.grade, scale.max_primary, scale.min_score,
         scale.min_score_university, *(scale.mark_boundaries.get(str(m)) for m in (3, 4, 5)),
         ", ".join(map(str, scale.task_max)), ", ".join(map(str, scale.test_scores))]
        for scale in scales
    ]  # fmt: skip

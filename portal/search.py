"""Search across protocols, decisions, obligations, reports, questionnaires, roadmaps and schools.

PostgreSQL: full-text search with the ``russian`` configuration, each word also as a prefix, so «гимназии»
finds «Гимназия» and «гимн» finds it too. The embedded SQLite default: every word, without case for any
alphabet (``portal.sqlite``), with its Russian ending dropped. Each kind is read through its own
``for_user(user)``, so a result outside the user's scope is never found. The vectors are computed on the
fly: a region holds thousands of rows, not millions.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from meetings.models import Decision, Meeting, Obligation, Report
from municipalities.models import Role, School
from roadmaps.models import Roadmap
from surveys.models import Questionnaire, Survey

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
PER_KIND = 20
_WORD = re.compile(r"\w+", re.UNICODE)
# Endings dropped on SQLite so that a word finds its other forms (гимназии → гимназ → «Гимназия»).
_ENDINGS = sorted(
    "а я о е ё ы и у ю ь й ой ей ий ый ая яя ое ее ые ие ую юю ом ем ам ям ах ях ами ями ого его ому ему "
    "ов ев ых их ым им ыми ими ию ия ии ией иям иях".split(),
    key=len,
    reverse=True,
)


class SearchError(ValueError):
    """A query that cannot be searched, with a Russian message."""


@dataclass
class Hit:
    title: str
    subtitle: str
    url: str
    pk: int


@dataclass
class Group:
    kind: str
    label: str
    count: int
    hits: list[Hit] = field(default_factory=list)


def clean_query(text: str) -> list[str]:
    """The words of a query, or a SearchError saying what is wrong with it."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(f"Запрос слишком длинный: не больше {MAX_QUERY_LENGTH} символов.")
    words = _WORD.findall(text.replace("_", " "))
    if not words or sum(len(w) for w in words) < MIN_QUERY_LENGTH:
        raise SearchError(f"Введите слово для поиска: не меньше {MIN_QUERY_LENGTH} букв или цифр.")
    return words[:10]


def stem(word: str) -> str:
    """A crude Russian stem for SQLite: the word without its ending, never shorter than four letters."""
    lowered = word.lower()
    for ending in _ENDINGS:
        if lowered.endswith(ending) and len(lowered) - len(ending) >= 4:
            return lowered[: -len(ending)]
    return lowered


def _matching(queryset: QuerySet, fields: list[str], words: list[str]) -> QuerySet:
    """The rows of ``queryset`` where every word is found in one of ``fields``, best first."""
    if connection.vendor == "postgresql":
        query = SearchQuery(" & ".join(f"{w}:*" for w in words), config="russian", search_type="raw")
        vector = SearchVector(*fields, config="russian")
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(vector, query))
            .order_by("-search_rank", "-pk")
        )
    per_word = [reduce(or_, (Q(**{f"{f}__icontains": stem(w)}) for f in fields)) for w in words]
    return queryset.filter(reduce(and_, per_word)).order_by("-pk")


def _group(kind: str, label: str, queryset: QuerySet, fields: list[str], words, render) -> Group:
    found = _matching(queryset, fields, words)
    # Fields across a to-many relation (a questionnaire's questions) can repeat a row: ids first, then rows.
    ids = list(dict.fromkeys(found.values_list("pk", flat=True)))
    rows = queryset.model.objects.select_related(*_RELATED.get(queryset.model, [])).in_bulk(ids[:PER_KIND])
    return Group(kind, label, len(ids), [render(rows[pk]) for pk in ids[:PER_KIND] if pk in rows])


_RELATED = {
    Decision: ["item__meeting"],
    Obligation: ["decision__item__meeting", "municipality", "school", "organization"],
    Report: ["obligation__decision__item__meeting", "obligation__municipality", "obligation__school",
             "obligation__organization"],
    Survey: ["questionnaire"],
    Roadmap: ["municipality", "school"],
    School: ["municipality"],
}  # fmt: skip


def _short(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def search(user, text: str) -> list[Group]:
    """Every kind the user may see, with the number found and the first results of each."""
    words = clean_query(text)
    meetings = Meeting.objects.for_user(user)
    groups = [
        _group("meetings", "Протоколы", meetings, ["title", "number", "place", "conclusions"], words,
               lambda m: Hit(str(m), _short(m.title), m.get_absolute_url(), m.pk)),
        _group("decisions", "Решения", Decision.objects.for_user(user),
               ["text", "responsible_text"], words,
               lambda d: Hit(d.reference, _short(d.text), d.get_absolute_url(), d.pk)),
        _group("obligations", "Поручения", Obligation.objects.for_user(user),
               ["decision__text", "school__name", "municipality__authority_name", "organization__name"], words,
               lambda o: Hit(f"{o.unit_name} — {o.reference}", _short(o.decision.text), o.get_absolute_url(),
                             o.pk)),
        _group("reports", "Отчёты об исполнении", Report.objects.for_user(user), ["text"], words,
               lambda r: Hit(f"{r.obligation.unit_name} — {r.obligation.reference}",
                             f"{r.submitted_at:%d.%m.%Y}: {_short(r.text)}", r.obligation.get_absolute_url(), r.pk)),
    ]  # fmt: skip
    if user.is_region_wide or user.role == Role.MUNICIPALITY:
        groups.append(
            _group("questionnaires", "Анкеты", Questionnaire.objects.for_user(user), ["title", "questions__text"],
                   words, lambda q: Hit(q.title, "", q.get_absolute_url(), q.pk))
        )  # fmt: skip
    else:
        groups.append(
            _group("questionnaires", "Анкеты", Survey.objects.for_user(user), ["questionnaire__title"], words,
                   lambda s: Hit(s.questionnaire.title, f"срок {s.due_date:%d.%m.%Y}",
                                 s.get_absolute_url(), s.pk))
        )  # fmt: skip
    groups += [
        _group("roadmaps", "Дорожные карты", Roadmap.objects.for_user(user), ["title", "period"], words,
               lambda r: Hit(r.title, f"{r.unit_name} · {r.period} · {r.get_status_display()}",
                             r.get_absolute_url(), r.pk)),
        _group("schools", "Школы", School.objects.for_user(user), ["name", "short_name", "code", "locality"], words,
               lambda s: Hit(s.name, f"{s.municipality.name} · код {s.code}", s.get_absolute_url(), s.pk)),
    ]  # fmt: skip
    return groups

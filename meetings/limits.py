"""Bounds of a protocol as the services accept it (typed on the review page, sent by the API or imported).

Each check raises ValidationError with a Russian message naming the place; the services call them before
anything is saved, so a refused protocol leaves nothing behind."""

from django.core.exceptions import ValidationError

from meetings.deadlines import Deadline
from municipalities.limits import (
    COMMENT,
    DECISION_TEXT,
    INTEGER_MAX,
    PROTOCOL_TEXT,
    TITLE,
    date_problem,
    text_problem,
)


def deadline_problems(deadline: Deadline | None, where: str) -> list[str]:
    if deadline is None:
        return []
    dates = [*deadline.due_dates, deadline.until, deadline.proposed]
    return [p for d in dates if (p := date_problem(d, f"{where}, срок"))][:1]


def decision_problems(
    *, text: str, deadline: Deadline | None, responsible_text: str, where: str
) -> list[str]:
    found = [
        text_problem(text, f"{where}, текст", DECISION_TEXT),
        text_problem(responsible_text, f"{where}, ответственные", TITLE),
    ]
    return [p for p in found if p] + deadline_problems(deadline, where)


def check_meeting_draft(draft) -> None:
    """A whole protocol (``services.MeetingDraft``): date, texts, agenda numbers, decisions and their dates."""
    problems = [
        date_problem(draft.date, "Дата протокола"),
        text_problem(draft.source_text, "Исходный текст протокола", PROTOCOL_TEXT),
        text_problem(draft.conclusions, "Выводы", DECISION_TEXT),
    ]
    problems += [text_problem(name, "Участник", TITLE) for name in [draft.chair, draft.secretary,
                                                                      *draft.members, *draft.invited]]  # fmt: skip
    problems = [p for p in problems if p]
    for item in draft.items:
        problems += item_problems(item)
    if problems:
        raise ValidationError(problems)


def item_problems(item) -> list[str]:
    where = f"Вопрос повестки {item.number}"
    problems = []
    if not isinstance(item.number, int) or not 1 <= item.number <= INTEGER_MAX:
        problems.append(f"{where}: номер вопроса должен быть от 1 до {INTEGER_MAX}.")
    for label, value, limit in (("текст", item.title, DECISION_TEXT), ("докладчики", item.speakers, TITLE),
                                ("слушали", item.heard, DECISION_TEXT), ("выступили", item.spoke, DECISION_TEXT)):  # fmt: skip
        if problem := text_problem(value, f"{where}, {label}", limit):
            problems.append(problem)
    for d in item.decisions:
        problems += decision_problems(text=d.text, deadline=d.deadline, responsible_text=d.responsible_text,
                                      where=f"Решение {d.number}")  # fmt: skip
    return problems


def check_item(item) -> None:
    if problems := item_problems(item):
        raise ValidationError(problems)


def check_comment(comment: str | None, field: str = "comment", label: str = "Комментарий") -> None:
    if problem := text_problem(comment, label, COMMENT):
        raise ValidationError({field: problem})

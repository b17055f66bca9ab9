"""The review page as an editor: a protocol draft as posted (agenda rows, decision rows) and what the user
does to it before saving — add, delete, merge, split and reorder decisions and agenda questions.

Rows are plain dicts read from the posted form (nothing is validated here: a half-typed row is still
edited, never lost); each action returns the new rows and a short Russian message for the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DECISION_FIELDS = (
    "item_number",
    "number",
    "text",
    "tracked",
    "deadline_text",
    "due_date",
    "responsible_text",
)
ITEM_FIELDS = ("number", "title", "speakers", "heard", "spoke")
MAX_ROWS = 1000

# where a glued text splits when the user has not put a line break: "… . 2. Направить …", "…; - …"
_SPLIT_RE = re.compile(r"(?<=[.;])\s+(?=(?:\d{1,2}(?:\.\d{1,2})*[.)]\s|[-–•]\s))|(?<=[.!])\s+(?=[А-ЯЁ])")


class EditError(Exception):
    """An action that cannot be done as asked; the message says why, in Russian."""


@dataclass
class Draft:
    items: list[dict]
    decisions: list[dict]


def read_rows(data, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """A formset's rows as posted, in their order on the page."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except (TypeError, ValueError):
        total = 0
    rows = []
    for index in range(total):
        row = {name: (data.get(f"{prefix}-{index}-{name}") or "") for name in fields}
        if "tracked" in row:
            row["tracked"] = bool(row["tracked"])
        rows.append(row)
    return rows


def read_draft(data) -> Draft:
    decisions = [
        row
        for row in read_rows(data, "decisions", DECISION_FIELDS)
        if any(str(row[k]).strip() for k in ("text", "deadline_text", "responsible_text", "due_date"))
    ]
    return Draft(items=read_rows(data, "items", ITEM_FIELDS), decisions=decisions)


def apply(action: str, draft: Draft) -> str:
    """Do one editing action ("decision-merge:3") on the draft in place; returns the message for the page."""
    name, _, argument = action.partition(":")
    handler = _ACTIONS.get(name)
    if handler is None:
        raise EditError("Неизвестное действие редактора.")
    try:
        index = int(argument)
    except ValueError as exc:
        raise EditError("Неизвестное действие редактора.") from exc
    rows = draft.items if name.startswith("item-") and name != "item-split" else draft.decisions
    if not 0 <= index < len(rows):
        raise EditError("Строка, к которой относится действие, уже удалена: обновите страницу.")
    _number_items(draft)
    message = handler(draft, index)
    _number_items(draft)
    _order_decisions(draft)
    return message


# ---------------------------------------------------------------- decisions


def _new_decision(item_number, number="") -> dict:
    return {"item_number": item_number, "number": number, "text": "", "tracked": True, "deadline_text": "",
            "due_date": "", "responsible_text": ""}  # fmt: skip


def decision_add(draft: Draft, item_index: int) -> str:
    item = draft.items[item_index]
    own = [d for d in draft.decisions if str(d["item_number"]) == str(item["number"])]
    decision = _new_decision(item["number"], _next_number(own, item["number"]))
    position = draft.decisions.index(own[-1]) + 1 if own else len(draft.decisions)
    draft.decisions.insert(position, decision)
    return f"Добавлено решение {decision['number']} в вопрос {item['number']}: впишите его текст."


def decision_delete(draft: Draft, index: int) -> str:
    removed = draft.decisions.pop(index)
    return f"Решение {removed['number'] or index + 1} удалено."


def decision_up(draft: Draft, index: int) -> str:
    return _move_decision(draft, index, -1)


def decision_down(draft: Draft, index: int) -> str:
    return _move_decision(draft, index, +1)


def _move_decision(draft: Draft, index: int, step: int) -> str:
    """Within its question; at the question's edge it moves into the neighbouring question."""
    decision = draft.decisions[index]
    numbers = [str(i["number"]) for i in draft.items]
    here = str(decision["item_number"])
    neighbour = index + step
    same_item = (
        0 <= neighbour < len(draft.decisions) and str(draft.decisions[neighbour]["item_number"]) == here
    )
    if same_item:
        draft.decisions[index], draft.decisions[neighbour] = draft.decisions[neighbour], decision
        return f"Решение {decision['number']} перемещено {'выше' if step < 0 else 'ниже'}."
    position = numbers.index(here) + step if here in numbers else -1
    if not 0 <= position < len(numbers):
        raise EditError(f"Решение {decision['number']} уже {'первое' if step < 0 else 'последнее'}.")
    decision["item_number"] = draft.items[position]["number"]
    draft.decisions.pop(index)
    _place_in_item(draft, decision, at_end=step < 0)
    return f"Решение {decision['number']} перенесено в вопрос {decision['item_number']}."


def decision_merge(draft: Draft, index: int) -> str:
    """The decision and the next one become one (a point the import cut in two)."""
    if index + 1 >= len(draft.decisions):
        raise EditError("Объединять не с чем: это последнее решение.")
    first, second = draft.decisions[index], draft.decisions.pop(index + 1)
    first["text"] = "\n".join(t for t in (first["text"].strip(), second["text"].strip()) if t)
    first["deadline_text"] = _joined(first["deadline_text"], second["deadline_text"], "; ")
    first["responsible_text"] = _joined(first["responsible_text"], second["responsible_text"], ", ")
    first["due_date"] = first["due_date"] or second["due_date"]
    first["tracked"] = first["tracked"] or second["tracked"]
    return f"Решения {first['number']} и {second['number']} объединены в решение {first['number']}."


def decision_split(draft: Draft, index: int) -> str:
    """The decision's text is cut at its first line break (or where a new point or sentence begins)."""
    decision = draft.decisions[index]
    text = decision["text"].strip()
    head, tail = _cut(text)
    if not tail:
        raise EditError(f"Решение {decision['number']}: разделять нечего — поставьте перенос строки там, "
                        "где должно начаться новое решение, и нажмите «Разделить» ещё раз.")  # fmt: skip
    decision["text"] = head
    own = [d for d in draft.decisions if str(d["item_number"]) == str(decision["item_number"])]
    new = {**decision, "text": tail, "number": _next_number(own, decision["item_number"])}
    draft.decisions.insert(index + 1, new)
    return f"Решение {decision['number']} разделено на два: проверьте сроки и ответственных каждого."


def _cut(text: str) -> tuple[str, str]:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return lines[0].strip(), "\n".join(lines[1:]).strip()
    match = _SPLIT_RE.search(text)
    if match and 0 < match.start() < len(text) - 1:
        return text[: match.start()].strip(), text[match.end() :].strip()
    return text, ""


# ---------------------------------------------------------------- agenda questions


def item_add(draft: Draft, index: int) -> str:
    number = max((_int(i["number"]) for i in draft.items), default=0) + 1
    draft.items.insert(index + 1, {"number": number, "title": "", "speakers": "", "heard": "", "spoke": ""})
    return "Добавлен вопрос повестки: впишите его название."


def item_delete(draft: Draft, index: int) -> str:
    if len(draft.items) == 1:
        raise EditError("В протоколе должен остаться хотя бы один вопрос повестки.")
    removed = draft.items.pop(index)
    target = draft.items[max(index - 1, 0)]
    moved = [d for d in draft.decisions if str(d["item_number"]) == str(removed["number"])]
    for decision in moved:
        decision["item_number"] = target["number"]
    tail = f"; его решения ({len(moved)}) перенесены в вопрос «{_short(target['title'])}»" if moved else ""
    return f"Вопрос «{_short(removed['title'])}» удалён{tail}."


def item_up(draft: Draft, index: int) -> str:
    if index == 0:
        raise EditError("Этот вопрос уже первый.")
    draft.items[index - 1], draft.items[index] = draft.items[index], draft.items[index - 1]
    return f"Вопрос «{_short(draft.items[index - 1]['title'])}» перемещён выше."


def item_down(draft: Draft, index: int) -> str:
    if index + 1 >= len(draft.items):
        raise EditError("Этот вопрос уже последний.")
    draft.items[index + 1], draft.items[index] = draft.items[index], draft.items[index + 1]
    return f"Вопрос «{_short(draft.items[index + 1]['title'])}» перемещён ниже."


def item_merge(draft: Draft, index: int) -> str:
    """The question and the next one become one (a rapporteur's line the import took for a question)."""
    if index + 1 >= len(draft.items):
        raise EditError("Объединять не с чем: это последний вопрос.")
    first, second = draft.items[index], draft.items.pop(index + 1)
    first["title"] = _joined(first["title"], second["title"], " ")
    first["speakers"] = _joined(first["speakers"], second["speakers"], ", ")
    for name in ("heard", "spoke"):
        first[name] = "\n".join(t for t in (first[name].strip(), second[name].strip()) if t)
    for decision in draft.decisions:
        if str(decision["item_number"]) == str(second["number"]):
            decision["item_number"] = first["number"]
    return f"Вопросы {first['number']} и {second['number']} объединены."


def item_split(draft: Draft, index: int) -> str:
    """A new question begins at this decision: it and the following decisions of its question move there."""
    decision = draft.decisions[index]
    numbers = [str(i["number"]) for i in draft.items]
    here = str(decision["item_number"])
    if here not in numbers:
        raise EditError(f"Решение {decision['number']}: сначала укажите существующий вопрос повестки.")
    position = numbers.index(here)
    number = max(_int(n) for n in numbers) + 1
    draft.items.insert(
        position + 1, {"number": number, "title": "", "speakers": "", "heard": "", "spoke": ""}
    )
    own = [d for d in draft.decisions if str(d["item_number"]) == here]
    for moved in own[own.index(decision) :]:
        moved["item_number"] = number
    return "С этого решения начат новый вопрос повестки: впишите его название."


_ACTIONS = {
    "decision-add": decision_add,
    "decision-delete": decision_delete,
    "decision-up": decision_up,
    "decision-down": decision_down,
    "decision-merge": decision_merge,
    "decision-split": decision_split,
    "item-add": item_add,
    "item-delete": item_delete,
    "item-up": item_up,
    "item-down": item_down,
    "item-merge": item_merge,
    "item-split": item_split,
}


# ---------------------------------------------------------------- numbering


def _number_items(draft: Draft) -> None:
    """Questions are numbered 1…n in their order; their decisions follow them."""
    renumber = {}
    for position, item in enumerate(draft.items, start=1):
        renumber[str(item["number"])] = position
        item["number"] = position
    for decision in draft.decisions:
        decision["item_number"] = renumber.get(str(decision["item_number"]), decision["item_number"])


def _order_decisions(draft: Draft) -> None:
    """Decisions in the order of their questions; plain numbers (1, 2 … or 2.1, 2.2 …) renumbered."""
    order = {str(item["number"]): position for position, item in enumerate(draft.items)}
    draft.decisions.sort(key=lambda d: order.get(str(d["item_number"]), len(order)))
    groups = [[d for d in draft.decisions if str(d["item_number"]) == str(i["number"])] for i in draft.items]
    groups = [g for g in groups if g]
    plain = all(str(d["number"]).strip().rstrip(".").isdigit() for d in draft.decisions)
    if plain and len(groups) > 1:
        numbers = [[int(str(d["number"]).strip().rstrip(".")) for d in g] for g in groups]
        if all(min(numbers[k]) > max(numbers[k - 1]) for k in range(1, len(numbers))):  # one run through all
            for offset, decision in enumerate(draft.decisions, start=1):
                decision["number"] = str(offset)
            return
    for item in draft.items:
        own = [d for d in draft.decisions if str(d["item_number"]) == str(item["number"])]
        numbers = [str(d["number"]).strip().rstrip(".") for d in own]
        if all(n.isdigit() for n in numbers):
            for offset, decision in enumerate(own, start=1):
                decision["number"] = str(offset)
        elif all(re.fullmatch(r"\d+\.\d+", n) for n in numbers):
            for offset, decision in enumerate(own, start=1):
                decision["number"] = f"{item['number']}.{offset}"


def _next_number(own: list[dict], item_number) -> str:
    numbers = [str(d["number"]).strip().rstrip(".") for d in own]
    if numbers and all(re.fullmatch(r"\d+\.\d+", n) for n in numbers):
        return f"{item_number}.{len(numbers) + 1}"
    digits = [int(n) for n in numbers if n.isdigit()]
    return str(max(digits) + 1 if digits else len(numbers) + 1)


def _place_in_item(draft: Draft, decision: dict, *, at_end: bool) -> None:
    own = [i for i, d in enumerate(draft.decisions) if str(d["item_number"]) == str(decision["item_number"])]
    if not own:
        draft.decisions.append(decision)
    elif at_end:
        draft.decisions.insert(own[-1] + 1, decision)
    else:
        draft.decisions.insert(own[0], decision)


def _joined(first: str, second: str, separator: str) -> str:
    first, second = (first or "").strip(), (second or "").strip()
    if not second or second == first:
        return first
    return f"{first}{separator}{second}" if first else second


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _short(title: str) -> str:
    title = " ".join((title or "").split()) or "без названия"
    return title if len(title) <= 50 else title[:50].rsplit(" ", 1)[0] + "…"

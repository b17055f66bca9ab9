"""Differences between two versions of a roadmap's content (see roadmaps.template for its shape).

Items are matched by number, indicators by name (case-insensitive, whitespace collapsed), periods by
label. Changes come in this order: periods, then items in the order of the new content (removed ones
after, in the old order), then indicators likewise.

Targets are compared for the periods of the new content only: a removed period is reported once as
"Период … удалён", not once per indicator.
"""

from dataclasses import dataclass

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

ITEM = "item"
INDICATOR = "indicator"
PERIOD = "period"

TARGET_PREFIX = "target:"
MAX_SHOWN_LENGTH = 120

ITEM_FIELDS = ("activity", "responsible", "deadline", "expected_result")
INDICATOR_FIELDS = ("unit", "baseline")

FIELD_LABELS: dict[str, str] = {
    "activity": "мероприятие",
    "responsible": "ответственные",
    "deadline": "срок",
    "expected_result": "ожидаемый результат",
    "unit": "ед. изм.",
    "baseline": "базовое значение",
}


def shorten(text: str, limit: int = MAX_SHOWN_LENGTH) -> str:
    """The text cut to ``limit`` characters, the last of them "…", when it is longer."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def field_label(field: str) -> str:
    """The Russian name of a field: "срок", "цель на 2027/2028"."""
    if field.startswith(TARGET_PREFIX):
        return f"цель на {field.removeprefix(TARGET_PREFIX)}"
    return FIELD_LABELS.get(field, field)


def _quoted(value: str) -> str:
    return f"«{shorten(value)}»" if value else "(не указано)"


@dataclass(frozen=True)
class Change:
    """One difference: an added or removed item, indicator or period, or a changed field."""

    kind: str  # "added" | "removed" | "changed"
    section: str  # "item" | "indicator" | "period"
    key: str  # item number, indicator name or period label
    field: str  # "" for added/removed, else activity, ..., baseline or "target:<period>"
    old: str  # "" when none
    new: str

    def subject(self) -> str:
        """What changed, in Russian: "Мероприятие 1.2", "Показатель «Доля …»", "Период 2028/2029"."""
        if self.section == ITEM:
            return f"Мероприятие {shorten(self.key)}"
        if self.section == INDICATOR:
            return f"Показатель «{shorten(self.key)}»"
        return f"Период {shorten(self.key)}"

    def __str__(self) -> str:
        subject = self.subject()
        if self.kind == CHANGED:
            return f"{subject}: {field_label(self.field)} {_quoted(self.old)} → {_quoted(self.new)}"
        if self.section == ITEM:
            verb = "добавлено" if self.kind == ADDED else "удалено"
            text = self.new if self.kind == ADDED else self.old
            return f"{subject} {verb}: {_quoted(text)}"
        return f"{subject} {'добавлен' if self.kind == ADDED else 'удалён'}"


def _text(value: object) -> str:
    """A content value as a string; None is ""."""
    return "" if value is None else str(value)


def indicator_key(name: str) -> str:
    """The key indicators are matched by: lower case, whitespace collapsed."""
    return " ".join(name.split()).casefold()


def _by_key(rows: list[dict], key_of) -> dict[str, dict]:
    """Rows by their key; the first row wins if a key repeats."""
    result: dict[str, dict] = {}
    for row in rows:
        result.setdefault(key_of(row), row)
    return result


def _item_key(item: dict) -> str:
    return _text(item.get("number"))


def _indicator_key(indicator: dict) -> str:
    return indicator_key(_text(indicator.get("name")))


def _period_changes(old: list[str], new: list[str]) -> list[Change]:
    changes = [Change(ADDED, PERIOD, label, "", "", label) for label in new if label not in old]
    changes += [Change(REMOVED, PERIOD, label, "", label, "") for label in old if label not in new]
    return changes


def _field_changes(section: str, key: str, pairs: list[tuple[str, str, str]]) -> list[Change]:
    """Changes for the (field, old, new) pairs that differ."""
    return [Change(CHANGED, section, key, field, old, new) for field, old, new in pairs if old != new]


def _item_changes(old: list[dict], new: list[dict]) -> list[Change]:
    old_by_number = _by_key(old, _item_key)
    new_numbers = {_item_key(item) for item in new}
    changes: list[Change] = []
    for item in new:
        number = _item_key(item)
        before = old_by_number.get(number)
        if before is None:
            changes.append(Change(ADDED, ITEM, number, "", "", _text(item.get("activity"))))
            continue
        pairs = [(field, _text(before.get(field)), _text(item.get(field))) for field in ITEM_FIELDS]
        changes += _field_changes(ITEM, number, pairs)
    for item in old:
        number = _item_key(item)
        if number not in new_numbers:
            changes.append(Change(REMOVED, ITEM, number, "", _text(item.get("activity")), ""))
    return changes


def _indicator_pairs(before: dict, after: dict, periods: list[str]) -> list[tuple[str, str, str]]:
    """(field, old, new) for the unit, the baseline and the targets of the given periods."""
    pairs = [(field, _text(before.get(field)), _text(after.get(field))) for field in INDICATOR_FIELDS]
    old_targets = before.get("targets") or {}
    new_targets = after.get("targets") or {}
    for period in periods:
        pairs.append((TARGET_PREFIX + period, _text(old_targets.get(period)), _text(new_targets.get(period))))
    return pairs


def _indicator_changes(old: list[dict], new: list[dict], periods: list[str]) -> list[Change]:
    old_by_key = _by_key(old, _indicator_key)
    new_keys = {_indicator_key(indicator) for indicator in new}
    changes: list[Change] = []
    for indicator in new:
        name = _text(indicator.get("name"))
        before = old_by_key.get(_indicator_key(indicator))
        if before is None:
            changes.append(Change(ADDED, INDICATOR, name, "", "", name))
            continue
        changes += _field_changes(INDICATOR, name, _indicator_pairs(before, indicator, periods))
    for indicator in old:
        if _indicator_key(indicator) not in new_keys:
            name = _text(indicator.get("name"))
            changes.append(Change(REMOVED, INDICATOR, name, "", name, ""))
    return changes


def content_diff(old: dict | None, new: dict) -> list[Change]:
    """The changes from ``old`` to ``new``; with ``old=None`` everything is "added"."""
    old = old or {}
    new_periods = [_text(label) for label in new.get("periods") or []]
    old_periods = [_text(label) for label in old.get("periods") or []]
    changes = _period_changes(old_periods, new_periods)
    changes += _item_changes(list(old.get("items") or []), list(new.get("items") or []))
    changes += _indicator_changes(
        list(old.get("indicators") or []), list(new.get("indicators") or []), new_periods
    )
    return changes

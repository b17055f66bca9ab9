"""Parsing of per-task answer strings of exam-result exports.

Short answers: one character per task — "+" (1 point), "-" (0 points) or a digit (that many points),
e.g. "++-+2-1". Extended answers: points and, in brackets, the maximum per task, e.g. "2(2)1(3)0(2)".
Both raise ValueError with a Russian message naming what was found and what is expected.
"""

import re

_SHORT_POINTS = {"+": 1, "-": 0, **{str(d): d for d in range(10)}}

# One task of an extended-answer string: points (or "-" for "not done", counted as 0) and "(max)".
_EXTENDED_ITEM = re.compile(r"\s*(\d+|-)\s*\(\s*(\d+)\s*\)")


def parse_short_answers(text: str) -> tuple[int, ...]:
    """'+-+2' -> (1, 0, 1, 2); '' -> (). Surrounding whitespace is ignored, inner characters are not."""
    s = text.strip()
    if not s:
        return ()
    points = _SHORT_POINTS
    try:
        return tuple([points[ch] for ch in s])
    except KeyError:
        bad = next(ch for ch in s if ch not in points)
        shown = "пробел" if bad.isspace() else f"«{bad}»"
        raise ValueError(
            f"Краткие ответы «{s}»: недопустимый символ {shown} (ожидается +, - или цифра)."
        ) from None


def parse_extended_answers(text: str) -> tuple[tuple[int, int], ...]:
    """'2(2)1(3)0(2)' -> ((2, 2), (1, 3), (0, 2)); '' -> ().

    Spaces between tasks are allowed; "-(2)" (task not done) counts as 0 points.
    Raises ValueError when the string is malformed or points exceed the maximum."""
    s = text.strip()
    if not s:
        return ()
    items: list[tuple[int, int]] = []
    pos = 0
    for m in _EXTENDED_ITEM.finditer(s):
        if m.start() != pos:
            break
        pos = m.end()
        points = 0 if m.group(1) == "-" else int(m.group(1))
        maximum = int(m.group(2))
        if points > maximum:
            raise ValueError(
                f"Развёрнутые ответы «{s}»: в задании {len(items) + 1} балл {points} "
                f"больше максимального {maximum}."
            )
        items.append((points, maximum))
    if pos != len(s) or not items:
        rest = s[pos:].strip()
        raise ValueError(
            f"Развёрнутые ответы «{s}»: не удалось разобрать «{rest[:20]}» "
            "(ожидается запись вида 2(2)1(3)0(2) — балл и в скобках максимум за каждое задание)."
        )
    return tuple(items)

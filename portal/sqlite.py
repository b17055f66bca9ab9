"""The embedded SQLite default compares text without case for every alphabet, as PostgreSQL does.

SQLite's own LIKE folds only ASCII letters, so «гимназия» would not find «Гимназия». Django's
``contains`` / ``icontains`` / ``startswith`` … lookups compile to ``LIKE … ESCAPE '\\'`` on SQLite; replacing
the ``like`` function of each connection with a Unicode-aware one makes all of them fold Cyrillic too.
"""

import re
from functools import lru_cache


@lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    parts, literal = [], False
    for ch in pattern:
        if literal:
            parts.append(re.escape(ch))
            literal = False
        elif escape and ch == escape:
            literal = True
        elif ch == "%":
            parts.append(".*")
        elif ch == "_":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def unicode_like(pattern, value, escape=None) -> bool | None:
    """SQLite's like(pattern, value[, escape]) with Unicode case folding."""
    if pattern is None or value is None:
        return None
    return _like_regex(str(pattern).lower(), escape).fullmatch(str(value).lower()) is not None


def install_unicode_like(sender, connection, **kwargs) -> None:
    """``connection_created`` handler: only SQLite connections are changed."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, unicode_like, deterministic=True)
        connection.connection.create_function("like", 3, unicode_like, deterministic=True)

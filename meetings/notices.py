"""A warning a person must look at before a protocol goes under control, with what kind of warning it is.

A ``Notice`` is the Russian message itself (a ``str``, so it prints, joins and serialises as before) that
also says what kind of problem it is and, where it belongs to one decision, that decision's number, so
that a page can group, count or resolve warnings without reading their wording.
"""

from __future__ import annotations


class Kind:
    """The kinds of warnings the import raises (stable codes, not shown to users)."""

    DATE_BEFORE_MEETING = "date_before_meeting"
    YEAR_SLIP = "year_slip"
    NO_YEAR = "no_year"
    RELATIVE = "relative"
    UNREADABLE = "unreadable"
    EMPTY_DEADLINE = "empty_deadline"
    DATE_IN_TEXT = "date_in_text"
    NO_RESPONSIBLE = "no_responsible"
    UNKNOWN_PARTY = "unknown_party"
    OUT_OF_SCOPE = "out_of_scope"
    NO_MEETING_DATE = "no_meeting_date"
    NO_DECISIONS = "no_decisions"


class Notice(str):
    """A Russian warning message that knows its kind, its decision number and what it is about."""

    kind: str
    number: str
    subject: str

    def __new__(cls, message: str, *, kind: str, number: str = "", subject: str = "") -> Notice:
        notice = super().__new__(cls, message)
        notice.kind, notice.number, notice.subject = kind, number, subject
        return notice

    def located(self, where: str, number: str) -> Notice:
        """The same warning prefixed with where it was found: "Вопрос 2, решение 2.1: срок …"."""
        return Notice(
            f"{where}: {self[:1].lower()}{self[1:]}", kind=self.kind, number=number, subject=self.subject
        )

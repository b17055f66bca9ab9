"""Reading exam-result spreadsheets (ЕГЭ, ОГЭ, ГВЭ, ВПР) into plain Python records; no database access."""

from .answers import parse_extended_answers, parse_short_answers
from .columns import COLUMN_SYNONYMS, FIELD_LABELS, PERSONAL_FIELDS, normalize_header
from .errors import ResultFileError
from .reader import (
    ParticipantRow,
    ReadResult,
    RowError,
    SchoolShareRow,
    detect,
    header_candidates,
    open_rows,
    open_sources,
    read_file,
    read_rows,
)

__all__ = [
    "COLUMN_SYNONYMS",
    "FIELD_LABELS",
    "PERSONAL_FIELDS",
    "ParticipantRow",
    "ReadResult",
    "ResultFileError",
    "RowError",
    "SchoolShareRow",
    "detect",
    "header_candidates",
    "normalize_header",
    "open_rows",
    "open_sources",
    "parse_extended_answers",
    "parse_short_answers",
    "read_file",
    "read_rows",
]

"""The records the reader returns: plain frozen dataclasses, no Django models."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # 1-based row number as in the spreadsheet
    column: str  # header as written in the file, or "" for the whole row
    message: str


@dataclass(slots=True)  # not frozen: a frozen dataclass is built twice as slowly, a million times per file
class ParticipantRow:
    row: int
    municipality_code: str
    school_code: str
    participant_code: str
    class_name: str
    primary_score: int | None
    test_score: int | None
    mark: int | None
    journal_mark: int | None
    short_answers: tuple[int, ...]
    extended_answers: tuple[tuple[int, int], ...]
    variant: str
    subject: str
    grade: int | None


@dataclass(frozen=True, slots=True)
class SchoolShareRow:
    row: int
    municipality_code: str
    school_code: str
    school_login: str
    school_name: str
    year: int | None
    grade: int | None
    subject: str
    participants: int
    share_2: float
    share_3: float
    share_4: float
    share_5: float


@dataclass
class ReadResult:
    layout: str
    header_row: int
    columns: dict[str, str]
    dropped_personal: list[str]
    rows: list[ParticipantRow | SchoolShareRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def notices(self) -> list[str]:
        """Messages for the user that are not errors (dropped personal-data columns)."""
        if not self.dropped_personal:
            return []
        names = ", ".join(self.dropped_personal)
        return [f"Столбцы с персональными данными не загружены (152-ФЗ): {names}."]

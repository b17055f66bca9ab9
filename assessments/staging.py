"""The check of a participant result file and the staging of its rows for the commit.

The check reads every row, applies the reader's checks and the portal's own (known school, known subject,
a participant code once per campaign) and, while no error has been found, writes the valid rows to CSV
files: the commit then loads those files by COPY instead of reading the sheet again.

A big sheet is checked in shares: once its header is found, ``RESULTS_CHECK_PROCESSES`` processes are
forked and each takes a share of the rows (every n-th block of a streamed XLSX sheet, a consecutive run of
a sheet calamine parsed), with its own staged files. The outcome is the same as one process's: errors are
merged in row order, a code repeated in two shares is reported at every row after its earliest one.
Everything the shares need from the database is loaded before the fork (``Lookups``).
"""

import csv
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path

from django.conf import settings
from django.db import connection

from assessments.fields import PointsField
from assessments.importing import (
    ParticipantRow,
    ResultFileError,
    RowError,
    SchoolShareRow,
    normalize_header,
    open_sources,
)
from assessments.models import AssessmentKind, Campaign, ImportJob, Result, Scale, Subject
from assessments.partitions import ensure_year_partitions
from core.forks import in_forks
from municipalities.models import School, normalize_name

MAX_REPORTED_ERRORS = 1000
PERSONAL_NOTICE = (
    "Столбцы с персональными данными (ФИО, документ, дата рождения) не сохраняются (152-ФЗ); где нет кода "
    "участника, он вычислен по ним ключевым хешем. Исходный файл удаляется после загрузки."
)
STAGED_COLUMNS = ["school_id", "participant_code", "class_name", "primary_score", "test_score", "mark",
                  "journal_mark", "task_points"]  # fmt: skip


def error_dict(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def subject_lookup() -> dict[str, Subject]:
    """Subjects by every spelling the region allows (name, code, aliases), normalised."""
    found: dict[str, Subject] = {}
    for subject in Subject.objects.all():
        for name in [subject.name, subject.code, *subject.aliases.splitlines()]:
            if name.strip():
                found[normalize_name(name)] = subject
    return found


def campaign_grade(job: ImportJob, grade: int | None) -> int | None:
    """ВПР and regional diagnostics are held per grade; ЕГЭ, ОГЭ and ГВЭ campaigns take the job's grade."""
    return grade if job.kind in {AssessmentKind.VPR, AssessmentKind.REGIONAL} else job.grade


def campaign_key(subject_id: int, grade: int | None) -> str:
    return f"{subject_id}:{grade or ''}"


@dataclass
class Lookups:
    """What the check needs from the database, loaded once (and before any fork)."""

    job: ImportJob
    schools: dict[str, int]
    logins: dict[str, int]
    subjects: dict[str, Subject]
    default_subject: Subject | None
    scales: dict[tuple[int, int | None], Scale]

    @classmethod
    def load(cls, job: ImportJob) -> "Lookups":
        scales: dict[tuple[int, int | None], Scale] = {}
        for scale in Scale.objects.filter(kind=job.kind, year=job.year).order_by("-pk"):
            scales[(scale.subject_id, scale.grade)] = scale
        return cls(
            job=job,
            schools=dict(School.objects.filter(region_id=job.region_id).values_list("code", "pk")),
            logins=dict(
                School.objects.filter(region_id=job.region_id)
                .exclude(monitoring_login="")
                .values_list("monitoring_login", "pk")
            ),
            subjects=subject_lookup(),
            default_subject=job.subject,
            scales=scales,
        )


def pseudonym_key() -> bytes | None:
    return settings.RESULTS_PSEUDONYM_KEY.encode() if settings.RESULTS_PSEUDONYM_KEY else None


def _stem(word: str) -> str:
    """A crude Russian stem: «русскому» and «русский» share «русск», «математике» and «математика» «математи»."""
    return word[:-2] if len(word) > 5 else word[:4]


def subject_in_text(text: str, subjects: dict[str, Subject]) -> Subject | None:
    """The subject a sheet name or title row speaks of («Результаты ЕГЭ по русскому языку», «Математика
    (профильная)»): the spelling whose every word is found (by its stem) and that has the most words wins;
    None when no spelling, or two subjects equally, fit."""
    if not text:
        return None
    exact = subjects.get(normalize_name(text))
    if exact is not None:
        return exact
    words = normalize_header(text).split()
    best: tuple[int, Subject | None] = (0, None)
    tie = False
    for spelling, subject in subjects.items():
        words_of = normalize_header(spelling).split()
        if any(len(w) <= 2 for w in words_of):
            continue  # «математика П», «информатика и ИКТ»: too loose to be found inside a sentence
        stems = [_stem(w) for w in words_of]
        if not stems or not all(any(word.startswith(stem) for word in words) for stem in stems):
            continue
        if len(stems) > best[0]:
            best, tie = (len(stems), subject), False
        elif len(stems) == best[0] and subject != best[1]:
            tie = True
    return None if tie else best[1]


def validated(
    records, lookups: Lookups, seen: dict[str, dict[str, int]] | None = None, derived: bool = False
):
    """(record, school id, target, None) or (None, None, None, error) for each record of the reader, with
    the portal's own checks on top of the reader's: known school, known subject, a code once per campaign.
    The target of a row is (subject, campaign grade, campaign key). ``seen`` collects the first row of
    every participant code per campaign key; the error of a repeated code also holds it as ``"repeat"``.
    ``derived``: the codes were derived from personal data, so a message names the row, never the code."""
    job = lookups.job
    schools, logins = lookups.schools, lookups.logins
    default_name = lookups.default_subject.name if lookups.default_subject else ""
    seen = {} if seen is None else seen
    targets: dict[tuple, tuple | None] = {}  # (subject as written, grade) -> target
    for item in records:
        kind = type(item)
        if kind is RowError:
            yield None, None, None, error_dict(item.row, item.column, item.message)
            continue
        school_id = schools.get(item.school_code)
        if school_id is None and kind is SchoolShareRow:
            school_id = logins.get(item.school_login)
        if school_id is None:
            code = item.school_code or getattr(item, "school_login", "")
            yield (
                None,
                None,
                None,
                error_dict(item.row, "Код ОО", f"Код ОО «{code}» не найден в справочнике школ."),
            )
            continue
        written = (item.subject, item.grade)
        target = targets.get(written, targets)
        if target is targets:
            target = targets[written] = _target(job, lookups, item.subject or default_name, item.grade)
        if target is None:
            subject_name = item.subject or default_name
            message = (
                f"Предмет «{subject_name}» не найден в справочнике." if subject_name else "Не указан предмет."
            )
            yield None, None, None, error_dict(item.row, "Предмет", message)
            continue
        if kind is ParticipantRow:
            codes = seen.get(target[2])
            if codes is None:
                codes = seen[target[2]] = {}
            first = codes.setdefault(item.participant_code, item.row)
            if first != item.row:
                error = _repeated(item.row, item.participant_code, first, derived)
                error["repeat"] = (target[2], item.participant_code)
                yield None, None, None, error
                continue
        yield item, school_id, target, None


def _repeated(row: int, code: str, first: int, derived: bool = False) -> dict:
    if derived:
        message = f"Тот же участник (документ или ФИО) уже был в строке {first}."
        return error_dict(row, "Код участника", message)
    return error_dict(row, "Код участника", f"Код участника «{code}» уже был в строке {first}.")


def _target(job: ImportJob, lookups: Lookups, subject_name: str, grade: int | None) -> tuple | None:
    subject = lookups.subjects.get(normalize_name(subject_name)) if subject_name else lookups.default_subject
    if subject is None:
        return None
    grade = campaign_grade(job, grade or job.grade)
    return subject, grade, campaign_key(subject.pk, grade)


def _staging_path(job: ImportJob, key: str, part: int) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports" / "staged"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job.pk}-{key.replace(':', '-')}-{part}.csv"


@dataclass
class _StagedCampaign:
    """One campaign's staged rows in one share, with what its rows need."""

    path: Path
    scale: Scale | None
    rows: list = field(default_factory=list)
    marks: dict = field(default_factory=dict)  # primary score -> mark by the scale
    schools: set[int] = field(default_factory=set)


class _Stager:
    """Checked participant rows of one share, written as CSV (one file per campaign and share) once the share
    is read, in the order of their codes: PostgreSQL then adds them to the unique (campaign, code) index
    page after page instead of all over it (the COPY takes less than half the time of random order)."""

    def __init__(self, lookups: Lookups, part: int):
        self.lookups, self.part = lookups, part
        self.campaigns: dict[str, _StagedCampaign] = {}  # by campaign key
        self.points: dict[tuple, str] = {}  # answer points -> their text (they repeat a lot)

    def _campaign(self, subject: Subject, grade: int | None, key: str) -> _StagedCampaign:
        path = _staging_path(self.lookups.job, key, self.part)
        return _StagedCampaign(path, self.lookups.scales.get((subject.pk, grade)))

    def add(self, row: ParticipantRow, school_id: int, campaign: tuple) -> None:
        """Stage a checked row for its campaign (the target given by ``validated``)."""
        target = self.campaigns.get(campaign[2])
        if target is None:
            target = self.campaigns[campaign[2]] = self._campaign(*campaign)
        target.schools.add(school_id)
        mark = row.mark
        if mark is None and target.scale is not None and row.primary_score is not None:
            mark = target.marks.get(row.primary_score, 0)
            if mark == 0:
                mark = target.marks[row.primary_score] = target.scale.mark_for(row.primary_score)
        test_score = row.test_score
        if test_score is None and target.scale is not None and target.scale.test_scores:
            test_score = target.scale.test_score_for(row.primary_score)
        key = (row.short_answers, row.extended_answers)
        points = self.points.get(key)
        if points is None:
            points = self.points[key] = PointsField.text(
                [*row.short_answers, *(p for p, _ in row.extended_answers)]
            )
        target.rows.append((
            school_id, row.participant_code, row.class_name, row.primary_score, test_score, mark,
            row.journal_mark, points,
        ))  # fmt: skip

    def close(self, keep: bool) -> dict[str, dict]:
        """``{"subject_id:grade": {"files": [path], "schools": [school ids]}}`` of the kept files."""
        kept = {}
        for key, target in self.campaigns.items():
            if keep:
                target.rows.sort(key=itemgetter(1))
                with target.path.open("w", newline="", encoding="utf-8") as handle:
                    csv.writer(handle).writerows(target.rows)
                kept[key] = {"files": [str(target.path)], "schools": sorted(target.schools)}
            target.rows = []
        return kept


@dataclass
class StageOutcome:
    rows: int = 0
    valid: int = 0
    errors: list[dict] = field(default_factory=list)
    staged: dict[str, dict] = field(default_factory=dict)
    broken: bool = False  # the file itself could not be read: ``errors`` holds that one error
    seen: dict[str, dict[str, int]] = field(default_factory=dict)  # of a run: campaign key -> code -> row
    derived: bool = False  # codes derived from personal data: messages never show them
    sheet: str = ""
    notices: list[str] = field(default_factory=list)


def _stage_share(source, lookups: Lookups, part: int, parts: int, file_part: int = 0) -> StageOutcome:
    """Check (and stage) the ``part``-th of ``parts`` runs of a sheet's rows; ``file_part`` names its files."""
    derived = source.builder.pseudonyms is not None
    outcome = StageOutcome(derived=derived)
    stager = _Stager(lookups, file_part + part)
    errors = outcome.errors
    try:
        records = source.records(MAX_REPORTED_ERRORS, part=part, parts=parts)
        for item, school_id, target, error in validated(records, lookups, outcome.seen, derived):
            outcome.rows += 1
            if error is not None:
                if len(errors) < MAX_REPORTED_ERRORS:
                    errors.append(error)
            else:
                outcome.valid += 1
                if not errors and type(item) is ParticipantRow:
                    stager.add(item, school_id, target)
    except ResultFileError as exc:
        stager.close(keep=False)
        return StageOutcome(errors=[error_dict(0, "", str(exc))], broken=True)
    outcome.staged = stager.close(keep=not errors and outcome.valid > 0)
    return outcome


def _repeats_across_runs(shares: list[StageOutcome]) -> list[dict]:
    """Codes that one share of rows repeats from another: the first row of a code is the earliest over the
    shares (sheets in workbook order, then rows); an error for every share's own first row of a code that
    came earlier elsewhere, and a share's repeats of such a code name that earliest row."""
    sheets: dict[str, int] = {}
    for share in shares:
        sheets.setdefault(share.sheet, len(sheets))
    first: dict[str, dict[str, tuple[int, int]]] = {}
    for share in shares:
        sheet = sheets[share.sheet]
        for campaign, codes in share.seen.items():
            into = first.setdefault(campaign, {})
            for code, row in codes.items():
                earlier = into.get(code)
                if earlier is None or (sheet, row) < earlier:
                    into[code] = (sheet, row)
    errors: list[dict] = []
    for share in shares:
        sheet = sheets[share.sheet]
        for error in share.errors:
            key = error.get("repeat")
            if key and (earliest := first.get(key[0], {}).get(key[1])) is not None:
                error["message"] = _repeated(error["row"], key[1], earliest[1], share.derived)["message"]
        for campaign, codes in share.seen.items():
            earliest_of = first[campaign]
            for code, row in codes.items():
                earliest = earliest_of[code]
                if earliest != (sheet, row):
                    error = _repeated(row, code, earliest[1], share.derived)
                    if share.sheet:
                        error["sheet"] = share.sheet
                    errors.append(error)
    return errors


def _merged(shares: list[StageOutcome]) -> StageOutcome:
    broken = next((share for share in shares if share.broken), None)
    across = [] if broken else _repeats_across_runs(shares)
    errors = broken.errors if broken else [e for share in shares for e in share.errors] + across
    for error in errors:
        error.pop("repeat", None)
    order = {share.sheet: n for n, share in reversed(list(enumerate(shares)))}  # sheets in workbook order
    merged = StageOutcome(
        rows=sum(share.rows for share in shares),
        valid=sum(share.valid for share in shares) - len(across),
        errors=sorted(errors, key=lambda e: (order.get(e.get("sheet", ""), 0), e["row"]))[
            :MAX_REPORTED_ERRORS
        ],
        broken=broken is not None,
    )
    keep = not merged.errors and merged.valid > 0
    for share in shares:
        for key, entry in share.staged.items():
            if not keep:
                for path in entry["files"]:
                    Path(path).unlink(missing_ok=True)
                continue
            into = merged.staged.setdefault(key, {"files": [], "schools": []})
            into["files"] += entry["files"]
            into["schools"] = sorted({*into["schools"], *entry["schools"]})
    return merged


def open_upload(job: ImportJob):
    """The uploaded result file, open for reading (a context manager)."""
    job.file.open("rb")
    return job.file


def for_sheet(lookups: Lookups, source) -> tuple[Lookups, str, bool]:
    """The lookups of one sheet: its subject, found from the sheet's name or its title rows, is the default
    for rows without a «Предмет» column (else the subject chosen for the upload); a notice saying so, and
    whether that subject differs from the one chosen."""
    by_name = subject_in_text(source.sheet_name, lookups.subjects)
    subject = by_name or subject_in_text(source.title, lookups.subjects)
    if subject is None:
        return lookups, "", False
    where = "по названию листа" if by_name else "по заголовку"
    chosen = lookups.default_subject
    differs = chosen is not None and chosen != subject
    instead = f", а не выбранный «{chosen.name}»" if differs else ""
    sheet = f"Лист «{source.sheet_name}»: п" if source.sheet_name else "П"
    notice = f"{sheet}редмет «{subject.name}» ({where}{instead})."
    return replace(lookups, default_subject=subject), notice, differs


def stage(job: ImportJob) -> StageOutcome:
    """Read and check the whole file, every sheet with a header; while it has no error, stage its participant
    rows as CSV. A big sheet is checked by forked processes, one run of rows each."""
    lookups = Lookups.load(job)
    shares: list[StageOutcome] = []
    notices: list[str] = []
    personal = surprising = False
    try:
        with (
            open_upload(job) as handle,
            open_sources(
                handle, job.filename, mapping=job.mapping or None, pseudonym_key=pseudonym_key()
            ) as sources,
        ):
            layouts = set()
            for source in sources:
                layouts.add(source.match.layout)
                if len(layouts) > 1:
                    raise ResultFileError(
                        f"Лист «{source.sheet_name}»: в одной книге и результаты участников, и доли отметок по "
                        "школам. Загрузите их отдельными файлами."
                    )
                personal = personal or bool(source.match.personal)
                sheet_lookups, notice, differs = for_sheet(lookups, source)
                surprising = surprising or differs
                parts = 1
                if source.shareable and source.size >= settings.RESULTS_CHECK_SHARED_FROM_ROWS:
                    parts = max(settings.RESULTS_CHECK_PROCESSES, 1)
                offset = len(shares)
                found = in_forks(
                    lambda part, s=source, lk=sheet_lookups, n=parts, o=offset: _stage_share(
                        s, lk, part, n, o
                    ),
                    parts,
                )
                for share in found:
                    share.sheet = source.sheet_name
                    for error in share.errors:
                        error["sheet"] = source.sheet_name
                shares += found
                notices += [notice] if notice else []
                del source, found
                if shares[-1].broken:
                    break
    except ResultFileError as exc:
        _merged([*shares, StageOutcome(broken=True)])  # removes what was staged
        return StageOutcome(errors=[error_dict(0, "", str(exc))], broken=True)
    merged = _merged(shares)
    if len({share.sheet for share in shares}) <= 1:
        for error in merged.errors:
            error.pop("sheet", None)
        if not surprising:
            notices = []  # one sheet of the subject chosen: nothing to say
    merged.notices = [PERSONAL_NOTICE, *notices] if personal else notices
    return merged


def validated_rows(job: ImportJob):
    """Every row of a (small) file through ``validated``, in one process: for school-share files."""
    lookups = Lookups.load(job)
    with (
        open_upload(job) as handle,
        open_sources(handle, job.filename, mapping=job.mapping or None) as sources,
    ):
        for source in sources:
            yield from validated(source.records(), for_sheet(lookups, source)[0])


def staged_paths(job: ImportJob) -> list[Path]:
    """Every staged file a job names (whether or not it still exists)."""
    try:
        return [Path(path) for entry in (job.staged or {}).values() for path in entry["files"]]
    except (TypeError, KeyError, AttributeError):
        return []


def staged_files(job: ImportJob) -> list[Path] | None:
    """The staged files of a checked job, or None when any is gone (the sheet must then be read again)."""
    try:
        paths = [Path(path) for entry in job.staged.values() for path in entry["files"]]
    except (TypeError, KeyError, AttributeError):
        return None  # written by an older version of the portal
    return paths if paths and all(path.exists() for path in paths) else None


def lock_schools(ids: list[int]) -> int:
    """Hold the staged rows' schools (FOR KEY SHARE, as a foreign key would) until the commit ends;
    the number of them that still exist."""
    if not ids:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = School._meta.db_table  # Django has no select_for_update() for KEY SHARE
            cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE", [ids])  # noqa: S608
            return len(cursor.fetchall())
    return School.objects.filter(pk__in=ids).count()  # SQLite: the write lock covers the whole file


class _Prefixed:
    """The staged CSV with the campaign id put before every line, read in large blocks by COPY."""

    def __init__(self, handle, prefix: bytes):
        self.handle, self.prefix = handle, prefix

    def read(self, size: int = -1) -> bytes:
        lines = self.handle.readlines(size if size and size > 0 else -1)
        return b"".join(self.prefix + line for line in lines)

    def readline(self, size: int = -1) -> bytes:
        line = self.handle.readline(size)
        return self.prefix + line if line else b""


def load_staged(campaign_id: int, path: Path, progress=None, total: int = 0, done: int = 0) -> int:
    """Rows of one staged file into the results table: COPY on PostgreSQL, bulk_create elsewhere."""
    year = Campaign.objects.values_list("year", flat=True).get(pk=campaign_id)  # the partition key
    if connection.vendor == "postgresql":
        ensure_year_partitions([year])
        columns = ", ".join(["campaign_id", "year", *STAGED_COLUMNS])
        with connection.cursor() as cursor, path.open("rb") as handle:
            cursor.cursor.copy_expert(
                f"COPY {Result._meta.db_table} ({columns}) FROM STDIN "
                "WITH (FORMAT csv, FORCE_NOT_NULL (participant_code, class_name, task_points))",
                _Prefixed(handle, f"{campaign_id},{year},".encode()),
                size=1 << 20,
            )
            return cursor.cursor.rowcount
    count = 0
    batch: list[Result] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for values in csv.reader(handle):
            record = dict(zip(STAGED_COLUMNS, values, strict=True))
            batch.append(Result(
                campaign_id=campaign_id, year=year, school_id=int(record["school_id"]),
                participant_code=record["participant_code"], class_name=record["class_name"],
                primary_score=_int(record["primary_score"]), test_score=_int(record["test_score"]),
                mark=_int(record["mark"]), journal_mark=_int(record["journal_mark"]),
                task_points=PointsField.parse(record["task_points"]),
            ))  # fmt: skip
            if len(batch) == 5000:
                Result.objects.bulk_create(batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(done + count, total)
    Result.objects.bulk_create(batch)
    return count + len(batch)


def _int(text: str) -> int | None:
    return int(text) if text != "" else None

"""Writes of the assessments app: checking and importing result files, refreshing aggregates and flags.

An import is two steps. ``results_check`` reads the whole file and lists every problem by row, column and
reason, saving nothing. ``results_commit`` then replaces the campaign's rows all-or-nothing, under a lock on
the campaign row (two imports of one campaign are serialised), and refreshes its aggregates in the same
transaction. PostgreSQL gets the rows by COPY; SQLite by bulk_create.
"""

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from assessments.importing import ParticipantRow, ResultFileError, RowError, SchoolShareRow, read_rows
from assessments.models import (
    AssessmentKind,
    Campaign,
    ImportJob,
    Result,
    ResultAggregate,
    Scale,
    SchoolShare,
    Subject,
)
from municipalities.models import School, normalize_name
from portal.uploads import storage_name

MAX_REPORTED_ERRORS = 1000


@dataclass
class CheckOutcome:
    rows: int
    valid: int
    errors: list[dict]
    notices: list[str]


def subject_lookup() -> dict[str, Subject]:
    """Subjects by every spelling the region allows (name, code, aliases), normalised."""
    found: dict[str, Subject] = {}
    for subject in Subject.objects.all():
        for name in [subject.name, subject.code, *subject.aliases.splitlines()]:
            if name.strip():
                found[normalize_name(name)] = subject
    return found


def _error(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def _validated(
    job: ImportJob, path
) -> Iterator[tuple[ParticipantRow | SchoolShareRow | None, tuple | None, dict | None]]:
    """Rows of the file with the portal's own checks on top of the reader's: known school, subject, duplicates."""
    schools = dict(School.objects.values_list("code", "pk"))
    logins = dict(School.objects.exclude(monitoring_login="").values_list("monitoring_login", "pk"))
    subjects = subject_lookup()
    seen: dict[tuple, int] = {}
    by_name: dict[str, Subject | None] = {}
    for item in read_rows(path, job.filename, mapping=job.mapping or None):
        if isinstance(item, RowError):
            yield None, None, _error(item.row, item.column, item.message)
            continue
        school_id = schools.get(item.school_code) or (
            logins.get(item.school_login) if isinstance(item, SchoolShareRow) else None
        )
        if school_id is None:
            code = item.school_code or getattr(item, "school_login", "")
            yield None, None, _error(item.row, "Код ОО", f"Код ОО «{code}» не найден в справочнике школ.")
            continue
        subject_name = item.subject or (job.subject.name if job.subject else "")
        if subject_name not in by_name:
            by_name[subject_name] = (
                subjects.get(normalize_name(subject_name)) if subject_name else job.subject
            )
        subject = by_name[subject_name]
        if subject is None:
            message = (
                f"Предмет «{subject_name}» не найден в справочнике." if subject_name else "Не указан предмет."
            )
            yield None, None, _error(item.row, "Предмет", message)
            continue
        if isinstance(item, ParticipantRow):
            key = (subject.pk, item.grade or job.grade, item.participant_code)
            if key in seen:
                yield None, None, _error(item.row, "Код участника",
                                   f"Код участника «{item.participant_code}» уже был в строке {seen[key]}.")  # fmt: skip
                continue
            seen[key] = item.row
        yield item, (school_id, subject), None


def _open(job: ImportJob):
    job.file.open("rb")
    return job.file


MAPPABLE_FIELDS = ["participant_code", "school_code", "municipality_code", "class_name", "subject", "primary_score",
                   "test_score", "mark", "journal_mark", "short_answers", "extended_answers"]  # fmt: skip


def header_rows(job: ImportJob) -> list[tuple[int, list[str]]]:
    """The first rows of the file, for the person who maps unknown headers by hand."""
    from assessments.importing import header_candidates

    with _open(job) as handle:
        try:
            return header_candidates(handle, job.filename)
        except ResultFileError:
            return []


def _staging_path(job: ImportJob, key: str) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports" / "staged"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job.pk}-{key.replace(':', '-')}.csv"


class _Stager:
    """Checked participant rows written as CSV while the check runs, so the commit need not read the sheet again."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.files: dict[str, tuple] = {}
        self.scales: dict[tuple, Scale | None] = {}

    def add(self, row: ParticipantRow, school_id: int, subject: Subject) -> None:
        grade = row.grade or self.job.grade
        key = f"{subject.pk}:{grade or ''}"
        if key not in self.files:
            path = _staging_path(self.job, key)
            handle = path.open("w", newline="", encoding="utf-8")
            self.files[key] = (path, handle, csv.writer(handle))
        scale_key = (subject.pk, grade)
        if scale_key not in self.scales:
            self.scales[scale_key] = Scale.objects.filter(kind=self.job.kind, subject=subject, year=self.job.year,
                                                          grade=_campaign_grade(self.job, grade)).first()  # fmt: skip
        self.files[key][2].writerow(_staged_values(school_id, row, self.scales[scale_key]))

    def close(self, keep: bool) -> dict[str, str]:
        kept = {}
        for key, (path, handle, _writer) in self.files.items():
            handle.close()
            if keep:
                kept[key] = str(path)
            else:
                path.unlink(missing_ok=True)
        return kept


def _stage(job: ImportJob) -> tuple[int, int, list[dict], dict[str, str]]:
    """Read and check the whole file; while it has no error, stage its participant rows as CSV."""
    errors: list[dict] = []
    rows = valid = 0
    stager = _Stager(job)
    try:
        with _open(job) as handle:
            for item, meta, error in _validated(job, handle):
                rows += 1
                if error:
                    if len(errors) < MAX_REPORTED_ERRORS:
                        errors.append(error)
                else:
                    valid += 1
                    if isinstance(item, ParticipantRow) and not errors:
                        stager.add(item, meta[0], meta[1])
    except ResultFileError as exc:
        errors = [_error(0, "", str(exc))]
    return rows, valid, errors, stager.close(keep=not errors and valid > 0)


def results_check(job: ImportJob) -> CheckOutcome:
    """The dry run: every problem by row, column and reason; nothing is saved but the report."""
    notices: list[str] = []
    rows, valid, errors, job.staged = _stage(job)
    job.rows, job.errors, job.notices = rows, errors, notices
    job.status = ImportJob.Status.CHECKED if not errors and valid else ImportJob.Status.FAILED
    if not errors and not valid:
        job.errors = [_error(0, "", "В файле нет ни одной строки с результатами.")]
    job.progress = 100 if job.status == ImportJob.Status.CHECKED else 0
    job.save(update_fields=["rows", "errors", "notices", "status", "progress", "staged"])
    return CheckOutcome(rows, valid, job.errors, notices)


def job_create(
    *, actor, upload, kind: str, year: int, subject: Subject | None, grade: int | None
) -> ImportJob:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(kind=kind, year=year, subject=subject, grade=grade, filename=upload.name[:200],
                    sha256=digest.hexdigest(), created_by=actor)  # fmt: skip
    job.file.save(storage_name("imports", upload.name), File(upload), save=False)
    job.save()
    return job


def _campaign_grade(job: ImportJob, grade: int | None) -> int | None:
    return grade if job.kind in {AssessmentKind.VPR, AssessmentKind.REGIONAL} else job.grade


def _campaign(job: ImportJob, subject: Subject, grade: int | None) -> Campaign:
    grade = _campaign_grade(job, grade)
    campaign, _ = Campaign.objects.get_or_create(kind=job.kind, subject=subject, year=job.year, grade=grade)
    if campaign.scale_id is None:
        scale = Scale.objects.filter(kind=job.kind, subject=subject, year=job.year, grade=grade).first()
        if scale:
            campaign.scale = scale
            campaign.save(update_fields=["scale"])
    return campaign


def results_commit(job: ImportJob, *, progress=None) -> int:
    """Replace the rows of every campaign in the file, all or nothing; returns how many rows were imported."""
    job = ImportJob.objects.get(pk=job.pk)
    if job.status not in {ImportJob.Status.CHECKED, ImportJob.Status.IMPORTING}:
        raise ResultFileError("Сначала проверьте файл: загрузка возможна только после проверки без ошибок.")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    try:
        with transaction.atomic():
            if not (job.staged and all(Path(path).exists() for path in job.staged.values())):
                _rows, _valid, errors, job.staged = _stage(job)  # staged rows are gone: read the sheet again
                if errors:
                    raise ResultFileError(
                        f"Строка {errors[0]['row']}: {errors[0]['message']} Загрузка отменена."
                    )
            imported, campaigns = _commit_staged(job, progress) if job.staged else _commit_shares(job)
            for campaign in campaigns:
                aggregates_refresh(campaign)
            job.imported, job.status, job.finished_at, job.progress = (
                imported,
                ImportJob.Status.DONE,
                timezone.now(),
                100,
            )
            job.save(update_fields=["imported", "status", "finished_at", "progress"])
            job.campaigns.set(campaigns)
    except ResultFileError as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED,
                                                   errors=[_error(0, "", str(exc))])  # fmt: skip
        raise
    transaction.on_commit(lambda: _enqueue_flags(job.year))
    return imported


def _enqueue_flags(year: int) -> None:
    from assessments.tasks import flags_refresh_task
    from portal.queue import enqueue

    enqueue(flags_refresh_task, year)


def _commit_shares(job: ImportJob) -> tuple[int, list[Campaign]]:
    """Aggregated ВПР files: replace each campaign's school shares."""
    groups: dict[tuple, list] = {}
    with _open(job) as handle:
        for item, meta, error in _validated(job, handle):
            if error:
                raise ResultFileError(f"Строка {error['row']}: {error['message']} Загрузка отменена.")
            school_id, subject = meta
            groups.setdefault((subject.pk, item.grade or job.grade), []).append((school_id, item))
    campaigns = []
    for (subject_id, grade), rows in groups.items():
        campaign = _campaign(job, Subject.objects.get(pk=subject_id), grade)
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # one import of a campaign at a time
        SchoolShare.objects.filter(campaign=campaign).delete()
        SchoolShare.objects.bulk_create([
            SchoolShare(campaign=campaign, school_id=s, participants=r.participants, share_2=r.share_2,
                        share_3=r.share_3, share_4=r.share_4, share_5=r.share_5)
            for s, r in rows
        ])  # fmt: skip
        campaigns.append(campaign)
    return sum(len(rows) for rows in groups.values()), campaigns


STAGED_COLUMNS = ["school_id", "participant_code", "class_name", "primary_score", "test_score", "mark",
                  "journal_mark", "task_points"]  # fmt: skip


def _staged_values(school_id: int, row: ParticipantRow, scale) -> list:
    mark = row.mark if row.mark is not None else (scale.mark_for(row.primary_score) if scale else None)
    points = list(row.short_answers) + [points for points, _ in row.extended_answers]
    values = [school_id, row.participant_code, row.class_name, row.primary_score, row.test_score, mark,
              row.journal_mark, json.dumps(points)]  # fmt: skip
    return ["" if v is None else v for v in values]


def _commit_staged(job: ImportJob, progress=None) -> tuple[int, list[Campaign]]:
    """Replace each campaign's rows from the CSV written at check time (COPY straight into the table on
    PostgreSQL, inside the commit's transaction: all rows or none)."""
    campaigns, imported = [], 0
    for key, path in job.staged.items():
        subject_id, grade = key.split(":")
        campaign = _campaign(job, Subject.objects.get(pk=subject_id), int(grade) if grade else None)
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # one import of a campaign at a time
        Result.objects.filter(campaign=campaign).delete()
        imported += _load_staged(campaign, job, Path(path), progress)
        campaigns.append(campaign)
        Path(path).unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(staged={})
    return imported, campaigns


class _Prefixed:
    """The staged CSV with the campaign and job ids put before every line, read in large blocks by COPY."""

    def __init__(self, handle, prefix: bytes):
        self.handle, self.prefix = handle, prefix

    def read(self, size: int = -1) -> bytes:
        lines = self.handle.readlines(size if size and size > 0 else -1)
        return b"".join(self.prefix + line for line in lines)

    def readline(self, size: int = -1) -> bytes:
        line = self.handle.readline(size)
        return self.prefix + line if line else b""


def _load_staged(campaign: Campaign, job: ImportJob, path: Path, progress=None) -> int:
    if connection.vendor == "postgresql":
        columns = ", ".join(["campaign_id", "import_job_id", *STAGED_COLUMNS])
        with connection.cursor() as cursor, path.open("rb") as handle:
            cursor.cursor.copy_expert(
                f"COPY {Result._meta.db_table} ({columns}) FROM STDIN "
                "WITH (FORMAT csv, FORCE_NOT_NULL (participant_code, class_name))",
                _Prefixed(handle, f"{campaign.pk},{job.pk},".encode()),
                size=1 << 20,
            )
            return cursor.cursor.rowcount
    count = 0
    batch: list[Result] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for values in csv.reader(handle):
            record = dict(zip(STAGED_COLUMNS, values, strict=True))
            batch.append(Result(
                campaign=campaign, import_job_id=job.pk, school_id=int(record["school_id"]),
                participant_code=record["participant_code"], class_name=record["class_name"],
                primary_score=_int(record["primary_score"]), test_score=_int(record["test_score"]),
                mark=_int(record["mark"]), journal_mark=_int(record["journal_mark"]),
                task_points=json.loads(record["task_points"]),
            ))  # fmt: skip
            if len(batch) == 5000:
                Result.objects.bulk_create(batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(count, job.rows)
    Result.objects.bulk_create(batch)
    return count + len(batch)


def _int(text: str) -> int | None:
    return int(text) if text != "" else None


def _aggregates_from_shares(campaign: Campaign) -> int:
    """Aggregated ВПР files (shares of marks per school): mark counts rebuilt from the shares."""
    aggregates = []
    for share in SchoolShare.objects.filter(campaign=campaign).select_related("school"):
        counts = {m: round(share.participants * getattr(share, f"share_{m}") / 100) for m in (2, 3, 4, 5)}
        scored = sum(counts.values())
        aggregates.append(ResultAggregate(
            campaign=campaign, school=share.school, municipality_id=share.school.municipality_id,
            participants=share.participants, scored=scored, score_sum=sum(m * n for m, n in counts.items()),
            below_min=counts[2], **{f"mark_{m}": n for m, n in counts.items()},
        ))  # fmt: skip
    ResultAggregate.objects.bulk_create(aggregates)
    return len(aggregates)


def aggregates_refresh(campaign: Campaign) -> int:
    """Recompute the per-school figures of one campaign from its raw rows (or its school shares)."""
    ResultAggregate.objects.filter(campaign=campaign).delete()
    if (
        not Result.objects.filter(campaign=campaign).exists()
        and SchoolShare.objects.filter(campaign=campaign).exists()
    ):
        return _aggregates_from_shares(campaign)
    scale = campaign.scale
    score = "test_score" if campaign.scored else "mark"
    minimum = scale.min_score if scale and scale.min_score is not None else None
    university = scale.min_score_university if scale and scale.min_score_university is not None else None
    has = Q(**{f"{score}__isnull": False})
    figures = {
        "participants": Count("pk"),
        "scored": Count("pk", filter=has),
        "score_sum": Sum(score, filter=has),
        "band_61_80": Count("pk", filter=Q(test_score__gte=61, test_score__lte=80)),
        "band_81_100": Count("pk", filter=Q(test_score__gte=81)),
        "hundreds": Count("pk", filter=Q(test_score=100)),
        **{f"mark_{m}": Count("pk", filter=Q(mark=m)) for m in (2, 3, 4, 5)},
    }
    if campaign.scored and minimum is not None:
        figures["below_min"] = Count("pk", filter=Q(test_score__lt=minimum))
        figures["band_min_60"] = Count("pk", filter=Q(test_score__gte=minimum, test_score__lte=60))
    elif not campaign.scored:
        figures["below_min"] = Count("pk", filter=Q(mark=2))
    if university is not None:
        figures["below_university"] = Count("pk", filter=Q(test_score__lt=university))
    rows = (
        Result.objects.filter(campaign=campaign)
        .values("school_id", "school__municipality_id")
        .annotate(**figures)
        .order_by()
    )
    aggregates = [
        ResultAggregate(
            campaign=campaign,
            school_id=r.pop("school_id"),
            municipality_id=r.pop("school__municipality_id"),
            **{k: (v or 0) for k, v in r.items()},
        )
        for r in rows
    ]
    ResultAggregate.objects.bulk_create(aggregates)
    return len(aggregates)

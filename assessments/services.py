"""Writes of the assessments app: checking and importing result files, refreshing aggregates and flags.

An import is two steps. ``results_check`` reads the whole file and lists every problem by row, column and
reason, saving nothing. ``results_commit`` then replaces the campaign's rows all-or-nothing, under a lock on
the campaign row (two imports of one campaign are serialised), and refreshes its aggregates in the same
transaction. PostgreSQL gets the rows by COPY; SQLite by bulk_create.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments import loop, staging
from assessments.flagging import flags_recompute_task, flags_refresh_task
from assessments.importing import ResultFileError
from assessments.models import (
    IMPORT_TRANSITIONS,
    Campaign,
    FlagThresholds,
    ImportJob,
    ImportJobEvent,
    Result,
    ResultAggregate,
    Scale,
    SchoolFlag,
    SchoolShare,
    Subject,
)
from assessments.partitions import ensure_year_partitions
from assessments.staging import error_dict, subject_lookup
from core.queue import enqueue
from core.uploads import storage_name
from meetings import services as meetings_services
from meetings.deadlines import parse_deadline
from meetings.models import Meeting
from meetings.parties import PartyTarget
from municipalities.scope import home_region

logger = logging.getLogger(__name__)

__all__ = ["aggregates_refresh", "flag_thresholds_update", "flags_to_meeting", "import_jobs_sweep", "job_create",
           "results_check", "results_commit", "results_commit_queue", "results_remap", "results_retry",
           "subject_lookup"]  # fmt: skip


@dataclass
class CheckOutcome:
    rows: int
    valid: int
    errors: list[dict]
    notices: list[str]


MAPPABLE_FIELDS = ["participant_code", "school_code", "municipality_code", "class_name", "subject", "primary_score",
                   "test_score", "mark", "journal_mark", "short_answers", "extended_answers"]  # fmt: skip


def header_rows(job: ImportJob) -> list[tuple[int, list[str]]]:
    """The first rows of the file, for the person who maps unknown headers by hand."""
    from assessments.importing import header_candidates
    from assessments.importing.columns import PERSONAL_FIELDS, classify_header

    with staging.open_upload(job) as handle:
        try:
            rows = header_candidates(handle, job.filename)
        except ResultFileError:
            return []
    # Cells under a personal-data header (Фамилия, документ …) are never shown: only the header itself.
    personal = {
        i for _n, cells in rows for i, cell in enumerate(cells) if classify_header(cell) in PERSONAL_FIELDS
    }
    return [
        (n, [c if i not in personal or classify_header(c) in PERSONAL_FIELDS or not c else "•••"
             for i, c in enumerate(cells)])
        for n, cells in rows
    ]  # fmt: skip


def results_check(job: ImportJob) -> CheckOutcome:
    """The dry run: every problem by row, column and reason; nothing is saved but the report. Whatever goes
    wrong, the job ends checked or failed with a reason, never «checking»."""
    try:
        outcome = staging.stage(job)
    except Exception as exc:
        logger.exception("results check of import job %s failed", job.pk)
        message = CHECK_FAILED.format(reason=_reason(exc), job=job.pk)
        _commit_failed(job, message)
        return CheckOutcome(0, 0, [error_dict(0, "", message)], [])
    notices = [*outcome.notices, *_offer_notices(job, outcome.staged)]
    before = job.status
    job.staged = outcome.staged
    job.rows, job.errors, job.notices = outcome.rows, outcome.errors, notices
    job.status = ImportJob.Status.CHECKED if not outcome.errors and outcome.valid else ImportJob.Status.FAILED
    if not outcome.errors and not outcome.valid:
        job.errors = [error_dict(0, "", "В файле нет ни одной строки с результатами.")]
    job.progress = 100 if job.status == ImportJob.Status.CHECKED else 0
    job.save(update_fields=["rows", "errors", "notices", "status", "progress", "staged"])
    failed = job.status == ImportJob.Status.FAILED
    _event(job, before, job.status, f"Найдено ошибок: {len(job.errors)}." if failed else "")
    return CheckOutcome(outcome.rows, outcome.valid, job.errors, notices)


def _offer_notices(job: ImportJob, staged: dict) -> list[str]:
    """A campaign whose subject the procedure does not offer (in that grade), by «Предметы процедур»."""
    from assessments.models import ExamSubject

    offers = set(ExamSubject.objects.filter(kind=job.kind).values_list("subject_id", "grade"))
    if not offers:
        return []
    notices = []
    for key in staged:
        subject_id, grade = key.split(":")
        subject_id, grade = int(subject_id), int(grade) if grade else None
        if (subject_id, grade) not in offers and (subject_id, None) not in offers:
            subject = Subject.objects.get(pk=subject_id)
            where = f" в {grade} классе" if grade else ""
            notices.append(
                f"Предмет «{subject.name}» не значится среди предметов процедуры «{job.get_kind_display()}»{where} "
                "(справочник «Предметы процедур»): проверьте процедуру и класс."
            )
    return notices


def job_create(
    *, actor, upload, kind: str, year: int, subject: Subject | None, grade: int | None
) -> ImportJob:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(kind=kind, year=year, subject=subject, grade=grade, filename=upload.name[:200],
                    sha256=digest.hexdigest(), created_by=actor, region=home_region(actor))  # fmt: skip
    job.file.save(storage_name("imports", upload.name), File(upload), save=False)
    job.save()
    _event(job, "", job.status)
    return job


def _event(job: ImportJob, before: str, to: str, comment: str = "") -> None:
    """One line of the job's history. The person who uploaded the file is the actor: the worker that checks and
    commits it acts on their behalf (a retry or a column mapping is theirs or a colleague's on the same file)."""
    ImportJobEvent.objects.create(
        job_id=job.pk, actor_id=job.created_by_id, from_status=before, to_status=to, comment=comment[:2000]
    )


def _campaign(job: ImportJob, subject: Subject, grade: int | None) -> Campaign:
    """The campaign of the job's kind and year for this subject and (campaign) grade, made if new."""
    campaign, _ = Campaign.objects.get_or_create(
        region_id=job.region_id, kind=job.kind, subject=subject, year=job.year, grade=grade
    )
    if campaign.scale_id is None:
        scale = Scale.objects.filter(kind=job.kind, subject=subject, year=job.year, grade=grade).first()
        if scale:
            campaign.scale = scale
            campaign.save(update_fields=["scale"])
    return campaign


COMMIT_FAILED = (
    "Загрузка не удалась ({reason}); ничего не загружено, прежние результаты не изменены. Повторите проверку "
    "и загрузку; если ошибка повторится, сообщите администратору (загрузка № {job})."
)
CHECK_FAILED = (
    "Проверка не удалась ({reason}); ничего не загружено. Повторите проверку; если ошибка повторится, сообщите "
    "администратору (загрузка № {job})."
)
STALE = "загрузка прервана: обработчик остановлен"


def results_commit(job: ImportJob, *, progress=None) -> int:
    """Replace the rows of every campaign in the file, all or nothing; returns how many rows were imported.

    Whatever goes wrong, the job ends «failed» with a Russian reason (never stuck «importing») and can be
    checked and committed again. The job row stays locked while the commit runs, which is how the sweep of
    stale jobs (``import_jobs_sweep``) tells a live commit from one whose worker died."""
    claimable = IMPORT_TRANSITIONS.sources(ImportJob.Status.IMPORTING)  # checked, or claimed by a queued task
    claimed = 0
    for before in claimable:  # the checked job is claimed here (an event); a queued one is already importing
        if ImportJob.objects.filter(pk=job.pk, status=before).update(status=ImportJob.Status.IMPORTING):
            claimed = 1
            if before != ImportJob.Status.IMPORTING:
                _event(job, before, ImportJob.Status.IMPORTING)
            break
    if not claimed:
        current = ImportJob.objects.get(pk=job.pk)
        if current.status == ImportJob.Status.DONE:  # a duplicate delivery of the task: nothing to do
            return current.imported
        raise ResultFileError("Сначала проверьте файл: загрузка возможна только после проверки без ошибок.")
    try:
        # A new year's partition is made in a short transaction of its own, not held through the import's.
        ensure_year_partitions([job.year])
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if job.status == ImportJob.Status.DONE:  # another delivery committed it while this one waited
                return job.imported
            if job.status != ImportJob.Status.IMPORTING:  # swept as stale between the claim and the lock
                raise ResultFileError("Загрузка была прервана: проверьте файл заново.")
            if job.staged and staging.staged_files(job) is None:
                outcome = staging.stage(job)  # staged rows are gone: read the sheet again
                if outcome.errors:
                    first = outcome.errors[0]
                    raise ResultFileError(f"Строка {first['row']}: {first['message']} Загрузка отменена.")
                job.staged = outcome.staged
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
            _event(job, ImportJob.Status.IMPORTING, ImportJob.Status.DONE)
            job.campaigns.set(campaigns)
            if staging.PERSONAL_NOTICE in job.notices:  # the upload holds names: not kept once imported
                transaction.on_commit(lambda: job.file.delete(save=False))
    except ResultFileError as exc:
        _commit_failed(job, str(exc))
        raise
    except Exception as exc:
        # The reason is logged for the administrator (a database message may quote a code, never a name:
        # names are not in the rows); the user gets it in words.
        logger.exception("results commit of import job %s failed", job.pk)
        message = COMMIT_FAILED.format(reason=_reason(exc), job=job.pk)
        _commit_failed(job, message)
        raise ResultFileError(message) from exc
    transaction.on_commit(lambda: _enqueue_flags(job.year, job.region_id))
    return imported


def _reason(exc: Exception) -> str:
    from django.db import DatabaseError, IntegrityError, OperationalError

    if isinstance(exc, IntegrityError):
        return "строки файла нарушили ограничение базы данных"
    if isinstance(exc, OperationalError):
        return "база данных недоступна или прервала запрос"
    if isinstance(exc, DatabaseError):
        return "база данных отклонила строки файла"
    if isinstance(exc, OSError):
        return "не удалось прочитать подготовленные строки"
    return "внутренняя ошибка"


def _commit_failed(job: ImportJob, message: str) -> None:
    """The job failed: its reason, no progress; the staged rows are dropped (a retry checks the file again)."""
    for path in staging.staged_paths(job):
        path.unlink(missing_ok=True)
    failing = IMPORT_TRANSITIONS.sources(ImportJob.Status.FAILED)  # a done job stays done
    with transaction.atomic():
        before = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status__in=failing)
            .values_list("status", flat=True)
            .first()
        )
        if before is None:
            return
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            errors=[error_dict(0, "", message)],
            progress=0,
            staged={},
            finished_at=timezone.now(),
        )
        _event(job, before, ImportJob.Status.FAILED, message)


def results_retry(job: ImportJob) -> CheckOutcome:
    """A failed job checked again from its file (nothing else changes); commit it once it is clean."""
    job = ImportJob.objects.get(pk=job.pk)
    before = _recheck(
        job, "Повторить можно только проверку файла, загрузка которого не удалась (сейчас: «%(from)s»)."
    )
    job.save(update_fields=["status", "finished_at"])
    _event(job, before, job.status)
    return results_check(job)


def results_remap(job: ImportJob, mapping: dict[str, str]) -> CheckOutcome:
    """Check the file again with columns mapped by hand (the headers were not recognised)."""
    job = ImportJob.objects.get(pk=job.pk)
    before = _recheck(job, "Сопоставить столбцы можно только до загрузки файла (сейчас: «%(from)s»).")
    job.mapping = {field: header for field, header in mapping.items() if field in MAPPABLE_FIELDS and header}
    job.save(update_fields=["status", "finished_at", "mapping"])
    _event(job, before, job.status)
    return results_check(job)


def _recheck(job: ImportJob, refusal: str) -> str:
    """Move the job back to «checking» (not saved); returns its status before."""
    try:
        job.check_transition(ImportJob.Status.CHECKING, refusal)
    except ValidationError as exc:
        raise ResultFileError(exc.messages[0]) from exc
    before = job.status
    job.status, job.finished_at = ImportJob.Status.CHECKING, None
    return before


def results_commit_queue(job: ImportJob) -> bool:
    """Claim a checked job for a worker's commit (the task then claims it again as its own). False when it is
    already loading or loaded (nothing is queued twice); a job not checked clean is refused."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.IMPORTING, progress=0, claimed_at=timezone.now()
    )
    if claimed:
        _event(job, ImportJob.Status.CHECKED, ImportJob.Status.IMPORTING)
        return True
    current = ImportJob.objects.get(pk=job.pk)
    if current.status in (ImportJob.Status.IMPORTING, ImportJob.Status.DONE):
        return False
    raise ResultFileError("Сначала проверьте файл: загрузка возможна только после проверки без ошибок.")


def import_jobs_sweep(*, minutes: int | None = None) -> int:
    """Jobs left «importing» (or «checking») by a worker that died (killed, machine restarted) become failed
    with the reason, and can be retried. A job counts as stale once its commit was requested more than ``minutes``
    ago (``RESULTS_IMPORT_STALE_MINUTES``: time for a queued task to start) and no commit holds its row
    locked (PostgreSQL: a live commit is skipped however long it runs; SQLite has no row locks)."""
    from django.conf import settings

    minutes = settings.RESULTS_IMPORT_STALE_MINUTES if minutes is None else minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    swept = 0
    with transaction.atomic():
        stale = ImportJob.objects.filter(
            Q(status=ImportJob.Status.IMPORTING, claimed_at__lte=cutoff)
            | Q(status=ImportJob.Status.IMPORTING, claimed_at__isnull=True)
            | Q(
                status=ImportJob.Status.CHECKING, created_at__lte=cutoff
            )  # a check holds no lock: by age only
        )
        if connection.features.has_select_for_update_skip_locked:
            stale = stale.select_for_update(skip_locked=True)
        for job in stale:
            _commit_failed(job, COMMIT_FAILED.format(reason=STALE, job=job.pk))
            swept += 1
    return swept


def _enqueue_flags(year: int, region_id: int) -> None:
    enqueue(flags_refresh_task, year, region_id)


def _commit_shares(job: ImportJob) -> tuple[int, list[Campaign]]:
    """Aggregated ВПР files: replace each campaign's school shares."""
    groups: dict[tuple, list] = {}
    for item, school_id, target, error in staging.validated_rows(job):
        if error:
            raise ResultFileError(f"Строка {error['row']}: {error['message']} Загрузка отменена.")
        groups.setdefault((target[0].pk, target[1]), []).append((school_id, item))
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


def _commit_staged(job: ImportJob, progress=None) -> tuple[int, list[Campaign]]:
    """Replace each campaign's rows from the CSV written at check time (COPY straight into the table on
    PostgreSQL, inside the commit's transaction: all rows or none)."""
    campaigns, imported = [], 0
    for key, entry in job.staged.items():
        subject_id, grade = key.split(":")
        campaign = _campaign(job, Subject.objects.get(pk=subject_id), int(grade) if grade else None)
        Campaign.objects.select_for_update().get(pk=campaign.pk)  # one import of a campaign at a time
        if staging.lock_schools(entry["schools"]) != len(entry["schools"]):
            raise ResultFileError(
                "После проверки файла из справочника удалены школы, к которым относятся его строки: "
                "проверьте файл заново."
            )
        Result.objects.of_campaign(campaign).delete()
        for path in entry["files"]:
            imported += staging.load_staged(campaign.pk, Path(path), progress, job.rows, imported)
        campaigns.append(campaign)
    for entry in job.staged.values():
        for path in entry["files"]:
            Path(path).unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(staged={})
    return imported, campaigns


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
    """Recompute the per-school figures of one campaign from its raw rows (or its school shares), and the
    campaign's totals over them."""
    ResultAggregate.objects.filter(campaign=campaign).delete()
    if (
        not Result.objects.of_campaign(campaign).exists()
        and SchoolShare.objects.filter(campaign=campaign).exists()
    ):
        count = _aggregates_from_shares(campaign)
    else:
        count = _aggregates_from_results(campaign)
    totals = ResultAggregate.objects.filter(campaign=campaign).aggregate(
        total_participants=Coalesce(Sum("participants"), 0),
        total_scored=Coalesce(Sum("scored"), 0),
        total_score_sum=Coalesce(Sum("score_sum"), 0.0),
    )
    Campaign.objects.filter(pk=campaign.pk).update(**totals)
    for name, value in totals.items():
        setattr(campaign, name, value)
    return count


def _aggregates_from_results(campaign: Campaign) -> int:
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
        Result.objects.of_campaign(campaign)
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


# ---------------------------------------------------------------- flags: thresholds and the loop to decisions


@transaction.atomic
def flag_thresholds_update(*, actor, thresholds: FlagThresholds) -> FlagThresholds:
    """Save the region's thresholds (validated by the form) and recompute every year's flags in a worker."""
    if not actor.is_committee or actor.is_read_only:
        raise PermissionDenied("Пороги признаков меняют сотрудники комитета.")
    region = home_region(actor)
    if region is None:
        raise PermissionDenied("Пороги признаков меняют сотрудники комитета своего региона.")
    if thresholds.region_id is None:
        thresholds.region = region
    if not actor.works_in(thresholds.region_id):
        raise PermissionDenied("Пороги признаков другого региона меняет его комитет.")
    thresholds.pk = FlagThresholds.current(thresholds.region_id).pk
    thresholds.full_clean()
    try:
        thresholds.as_settings()  # the flag statistics accept them
    except ValueError as exc:
        raise ValidationError("Пороги несовместимы друг с другом: проверьте значения.") from exc
    thresholds.updated_by, thresholds.updated_at = actor, timezone.now()
    thresholds.save()
    region_id = thresholds.region_id
    years = sorted(set(Campaign.objects.filter(region_id=region_id).values_list("year", flat=True)))
    transaction.on_commit(lambda: _enqueue_flags_all(years, region_id))
    return thresholds


def _enqueue_flags_all(years: list[int], region_id: int) -> None:
    enqueue(flags_recompute_task, years, region_id)


@transaction.atomic
def flags_to_meeting(*, actor, flags: list[SchoolFlag], meeting: Meeting | None = None) -> Meeting:
    """Put flags on a meeting's agenda as one question: СЛУШАЛИ carries each flag's reasons and figures, and
    one tracked decision per flag (addressed to its school or municipal authority) keeps the link to it.
    Into an existing draft protocol, or a new draft one when ``meeting`` is None."""
    if not flags:
        raise ValidationError("Выберите хотя бы один признак.")
    scoped = SchoolFlag.objects.for_user(actor).filter(pk__in=[f.pk for f in flags])
    if scoped.count() != len({f.pk for f in flags}):
        raise PermissionDenied("Признак вне вашей области видимости.")
    organization, municipality = meetings_services.organizer_of(actor)
    flags = list(
        scoped.select_related("school", "municipality").order_by("municipality__name", "school__short_name")
    )
    if municipality is not None and any(f.municipality_id != municipality.pk for f in flags):
        raise PermissionDenied("Признак другого муниципалитета.")
    meeting_date = meeting.date if meeting else timezone.localdate()
    deadline = parse_deadline(loop.deadline_text(meeting_date), meeting_date=meeting_date)
    decisions = [
        meetings_services.DecisionDraft(
            number=str(position), text=loop.suggested_decision(flag), tracked=True, deadline=deadline,
            responsible_text=loop.responsible_text(flag), flag_id=flag.pk,
            parties=[PartyTarget(text=loop.responsible_text(flag), school=flag.school)] if flag.school_id
            else [PartyTarget(text=loop.responsible_text(flag), municipality=flag.municipality)],
        )
        for position, flag in enumerate(flags, start=1)
    ]  # fmt: skip
    item = meetings_services.ItemDraft(
        number=1, title=loop.question_title(flags), heard=loop.question_heard(flags), decisions=decisions
    )
    if meeting is not None:
        meetings_services.agenda_item_add(meeting=meeting, actor=actor, item=item, controller=actor)
        return meeting
    draft = meetings_services.MeetingDraft(
        kind="meeting", date=meeting_date, number="", title="О результатах оценочных процедур", items=[item]
    )
    return meetings_services.meeting_create(
        actor=actor, draft=draft, organizer_organization=organization, organizer_municipality=municipality,
        controller=actor,
    )  # fmt: skip

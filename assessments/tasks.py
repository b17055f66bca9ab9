"""Thin Celery tasks of the assessments app."""

from celery import shared_task

from assessments import services


@shared_task(acks_late=True)
def import_check_task(job_id: int) -> str:
    from assessments.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    services.results_check(job)
    return job.status


@shared_task(acks_late=True)
def import_commit_task(job_id: int) -> int:
    from assessments.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=min(99, int(100 * done / max(total, 1))))

    return services.results_commit(job, progress=progress)


@shared_task
def import_sweep_task() -> int:
    """Imports left «importing» by a dead worker end failed, retryable (also: ``manage.py sweep_imports``)."""
    return services.import_jobs_sweep()


@shared_task
def flags_refresh_task(year: int) -> int:
    from assessments.flagging import flags_refresh

    return flags_refresh(year)


@shared_task(acks_late=True)
def flags_recompute_task(years: list[int]) -> int:
    """After the region changed the thresholds: every year's flags, then the time it was done."""
    from django.utils import timezone

    from assessments.flagging import flags_refresh
    from assessments.models import FlagThresholds

    started = timezone.now()
    created = sum(flags_refresh(year) for year in years)
    FlagThresholds.objects.filter(pk=1).update(recomputed_at=started)
    return created

"""Thin Celery tasks of the assessments app: the result-file import jobs (the flag recomputation tasks live
beside their work in ``assessments.flagging``)."""

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

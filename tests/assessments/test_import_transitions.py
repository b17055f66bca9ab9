"""An import job moves only as its table allows: a loaded job is final — neither checked again, re-mapped, nor
marked failed — and the person who asks is told why."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.importing import ResultFileError
from assessments.models import ImportJob, Result
from tests.assessments.factories import subject
from tests.assessments.test_import import GOOD, ege_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian(db):
    return subject()


@pytest.fixture
def done(people, client, russian):
    client.force_login(people.committee)
    upload(client, ege_file(GOOD), subject_id=russian.pk)
    job = ImportJob.objects.get()
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    return job


def test_a_loaded_job_is_not_checked_again(people, client, done):
    with pytest.raises(ResultFileError, match="не удалась \\(сейчас: «загружен»\\)"):
        services.results_retry(done)
    page = client.post(reverse("assessments:import_retry", args=[done.pk]), follow=True).text
    assert "Повторить можно только проверку файла, загрузка которого не удалась (сейчас: «загружен»)." in page
    done.refresh_from_db()
    assert done.status == ImportJob.Status.DONE and Result.objects.count() == 4


def test_a_loaded_job_is_not_mapped_again(people, client, done):
    page = client.post(
        reverse("assessments:import_mapping", args=[done.pk]), {"test_score": "Балл"}, follow=True
    ).text
    assert "Сопоставить столбцы можно только до загрузки файла (сейчас: «загружен»)." in page
    done.refresh_from_db()
    assert done.status == ImportJob.Status.DONE and done.mapping == {}


def test_a_failure_never_overwrites_a_loaded_job(done):
    services._commit_failed(done, "обработчик остановлен")
    done.refresh_from_db()
    assert done.status == ImportJob.Status.DONE and done.errors == []


def test_committing_a_failed_job_is_refused_and_loads_nothing(people, client, russian):
    client.force_login(people.committee)
    upload(
        client, ege_file([*GOOD, ["04", "99999", "11", "P005", "", "", "", 20, 50]]), subject_id=russian.pk
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    with pytest.raises(ResultFileError, match="Сначала проверьте файл"):
        services.results_commit_queue(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not Result.objects.exists()

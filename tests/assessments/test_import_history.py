"""Every status change of an import job is one line of its history (from → to), shown on the job's page."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import ImportJob
from tests.assessments.factories import subject
from tests.assessments.test_import import GOOD, ege_file, upload

pytestmark = pytest.mark.django_db


def test_a_loaded_job_shows_its_history(people, client):
    russian = subject()
    client.force_login(people.committee)
    upload(client, ege_file(GOOD), subject_id=russian.pk)
    job = ImportJob.objects.get()
    client.post(reverse("assessments:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert [(e.from_status, e.to_status) for e in job.events.all()] == [
        ("", "checking"), ("checking", "checked"), ("checked", "importing"), ("importing", "done"),
    ]  # fmt: skip
    assert {e.actor for e in job.events.all()} == {people.committee}
    page = client.get(job.get_absolute_url()).text
    assert "История" in page and "проверяется → проверен" in page and "загружается → загружен" in page
    # a refused move (a loaded job is final) writes nothing
    services._commit_failed(job, "обработчик остановлен")
    assert job.events.count() == 4


def test_a_failed_check_and_its_retry_are_in_the_history(people, client):
    russian = subject()
    client.force_login(people.committee)
    upload(
        client, ege_file([*GOOD, ["04", "99999", "11", "P005", "", "", "", 20, 50]]), subject_id=russian.pk
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    client.post(reverse("assessments:import_retry", args=[job.pk]))
    assert [(e.from_status, e.to_status) for e in job.events.all()] == [
        ("", "checking"), ("checking", "failed"), ("failed", "checking"), ("checking", "failed"),
    ]  # fmt: skip
    assert job.events.all()[1].comment == "Найдено ошибок: 1."

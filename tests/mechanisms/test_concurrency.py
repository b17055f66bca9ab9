"""Two people acting at once on one municipality's documents (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from mechanisms import services
from mechanisms.models import MechanismDocument, MechanismEvent
from meetings.models import Obligation, ObligationStatus
from tests.mechanisms.factories import small_monitoring
from tests.meetings.factories import committee_meeting, decision, written

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL"
)
YEAR = timezone.localdate().year


def _people():
    from municipalities.models import User
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():  # an earlier transactional test flushed the database
        build_personas()
    return load_personas()


def _at_once(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except Exception as exc:  # the test reports whatever went wrong
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_the_last_two_documents_accepted_at_once_still_close_the_linked_obligation():
    from municipalities.models import Role, User

    people = _people()
    second = User.objects.create(username="committee-2", role=Role.COMMITTEE, organization=people.department)
    required = small_monitoring(people)
    meeting = committee_meeting(people, decision("1.1", "Обеспечить наличие документов на сайтах", f"до {written(30)}",
                                                 "руководители ОМСУ"))  # fmt: skip
    the_decision = meeting.items.get().decisions.get()
    services.decision_link_set(decision=the_decision, actor=people.committee, year=YEAR)
    documents = [
        services.document_submit(
            actor=people.head_a,
            municipality=people.mun_a,
            required=r,
            year=YEAR,
            url=f"https://edu.example.ru/{r.pk}",
        )
        for r in required
    ]
    for document in documents[:-2]:
        services.document_accept(document=document, actor=people.committee)
    outcomes = _at_once(
        lambda: services.document_accept(document=documents[-2], actor=people.committee),
        lambda: services.document_accept(document=documents[-1], actor=second),
    )
    assert outcomes == ["ok", "ok"]
    obligation = Obligation.objects.get(decision=the_decision, municipality=people.mun_a)
    assert obligation.status == ObligationStatus.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_the_same_document_submitted_twice_at_once_is_one_document_with_two_submissions():
    people = _people()
    required = small_monitoring(people)[0]

    def submit(url):
        return lambda: services.document_submit(actor=people.head_a, municipality=people.mun_a, required=required,
                                                year=YEAR, url=url)  # fmt: skip

    assert _at_once(submit("https://edu.example.ru/a"), submit("https://edu.example.ru/b")) == ["ok", "ok"]
    document = MechanismDocument.objects.get()
    assert MechanismEvent.objects.filter(document=document).count() == 2

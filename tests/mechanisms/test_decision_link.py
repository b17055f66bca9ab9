"""A decision linked to the monitoring: a municipality's obligation is taken off control («снято с контроля»)
when the committee accepts the last of its required documents."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mechanisms import services
from mechanisms.models import MonitoringLink
from meetings.models import Obligation, ObligationEvent, ObligationStatus
from tests.mechanisms.factories import small_monitoring
from tests.meetings.factories import committee_meeting, decision, written
from tests.roadmaps.factories import roadmap_meeting

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
TEXT = "Обеспечить наличие документов на официальных сайтах муниципальных органов управления образованием"


@pytest.fixture
def linked(people, client):
    required = small_monitoring(people)
    meeting = committee_meeting(people, decision("1.1", TEXT, f"до {written(30)}", "руководители ОМСУ"))
    the_decision = meeting.items.get().decisions.get()
    client.force_login(people.committee)
    page = client.post(
        reverse("mechanisms:decision_link", args=[the_decision.pk]), {"year": YEAR}, follow=True
    ).text
    assert "Решение связано с мониторингом" in page and "по всем направлениям" in page
    return required, the_decision


def _submit_all(people, required):
    return [
        services.document_submit(
            actor=people.head_a,
            municipality=people.mun_a,
            required=r,
            year=YEAR,
            url=f"https://edu.example.ru/{r.pk}",
        )
        for r in required
    ]


def test_the_obligation_closes_when_the_last_document_is_accepted(people, linked):
    required, the_decision = linked
    documents = _submit_all(people, required)
    mine = Obligation.objects.get(decision=the_decision, municipality=people.mun_a)
    theirs = Obligation.objects.get(decision=the_decision, municipality=people.mun_b)
    for document in documents[:-1]:
        services.document_accept(document=document, actor=people.committee)
    mine.refresh_from_db()
    assert mine.status == ObligationStatus.ASSIGNED
    services.document_accept(document=documents[-1], actor=people.committee)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == ObligationStatus.ACCEPTED and mine.closed_at is not None
    assert theirs.status == ObligationStatus.ASSIGNED
    kinds = [
        (e.kind, e.actor.username) for e in ObligationEvent.objects.filter(obligation=mine).order_by("pk")
    ]
    assert kinds[-2:] == [("reported", "head_a"), ("accepted", "committee")]
    report = mine.reports.get()
    assert "все требуемые документы муниципалитета приняты" in report.text and report.status == "accepted"


def test_a_link_to_one_direction_needs_only_that_directions_documents(people, client, linked):
    required, the_decision = linked
    direction = required[0].direction
    client.post(
        reverse("mechanisms:decision_link", args=[the_decision.pk]), {"year": YEAR, "direction": direction.pk}
    )
    assert MonitoringLink.objects.get(decision=the_decision).direction == direction
    documents = _submit_all(people, required[:2])
    for document in documents:
        services.document_accept(document=document, actor=people.committee)
    mine = Obligation.objects.get(decision=the_decision, municipality=people.mun_a)
    assert mine.status == ObligationStatus.ACCEPTED
    page = client.get(the_decision.get_absolute_url()).text
    assert "по направлению «Система работы со школами с низкими результатами»" in page


def test_linking_after_the_documents_were_accepted_closes_at_once(people, client):
    required = small_monitoring(people)
    for document in _submit_all(people, required):
        services.document_accept(document=document, actor=people.committee)
    meeting = committee_meeting(people, decision("1.1", TEXT, f"до {written(30)}", "руководители ОМСУ"))
    the_decision = meeting.items.get().decisions.get()
    services.decision_link_set(decision=the_decision, actor=people.committee, year=YEAR)
    statuses = dict(
        Obligation.objects.filter(decision=the_decision).values_list("municipality__code", "status")
    )
    assert statuses == {"04": ObligationStatus.ACCEPTED, "05": ObligationStatus.ASSIGNED}


def test_only_committee_staff_link_and_never_a_roadmap_decision(people, client):
    meeting = committee_meeting(people, decision("1.1", TEXT, f"до {written(30)}", "руководители ОМСУ"))
    the_decision = meeting.items.get().decisions.get()
    for actor in (people.head_a, people.observer):
        with pytest.raises(PermissionDenied):
            services.decision_link_set(decision=the_decision, actor=actor, year=YEAR)
    client.force_login(people.observer)
    assert (
        client.post(reverse("mechanisms:decision_link", args=[the_decision.pk]), {"year": YEAR}).status_code
        == 403
    )
    with pytest.raises(ValidationError, match="дорожные карты"):
        services.decision_link_set(decision=roadmap_meeting(people), actor=people.committee, year=YEAR)
    assert not MonitoringLink.objects.exists()


def test_a_draft_protocols_decision_is_linked_only_after_signing(people, client):
    meeting = committee_meeting(
        people, decision("1.1", TEXT, f"до {written(30)}", "руководители ОМСУ"), sign=False
    )
    the_decision = meeting.items.get().decisions.get()
    client.force_login(people.committee)
    page = client.post(
        reverse("mechanisms:decision_link", args=[the_decision.pk]), {"year": YEAR}, follow=True
    ).text
    assert "Протокол ещё не подписан" in page
    assert not MonitoringLink.objects.exists()


def test_the_admin_links_a_decision_through_the_same_rules(people, client):
    people.committee.is_superuser = True
    people.committee.save()
    client.force_login(people.committee)
    draft = committee_meeting(
        people, decision("1.1", TEXT, f"до {written(30)}", "руководители ОМСУ"), sign=False
    )
    signed = committee_meeting(people, decision("1.1", TEXT, f"до {written(30)}", "руководители ОМСУ"))
    refused = client.post("/admin/mechanisms/monitoringlink/add/",
                          {"decision": draft.items.get().decisions.get().pk, "year": YEAR, "direction": ""})  # fmt: skip
    assert refused.status_code == 200 and "Протокол ещё не подписан" in refused.text
    saved = client.post("/admin/mechanisms/monitoringlink/add/",
                        {"decision": signed.items.get().decisions.get().pk, "year": YEAR, "direction": ""})  # fmt: skip
    assert saved.status_code == 302
    link = MonitoringLink.objects.get()
    assert link.created_by == people.committee and link.decision.item.meeting == signed

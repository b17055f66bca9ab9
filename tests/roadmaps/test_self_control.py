"""Nobody approves their own roadmap (issue #13): whoever created or submitted it cannot take, approve or
return it — through the service, the page or the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meetings.models import Obligation, ObligationStatus
from municipalities.models import User
from roadmaps import services
from roadmaps.models import RoadmapStatus
from tests.meetings.test_addressees import decisions_list, import_protocol
from tests.roadmaps.factories import ROADMAP_DECISION
from tests.roadmaps.test_api import CONTENT

pytestmark = pytest.mark.django_db


def submitted(roadmap, actor):
    services.roadmap_update(roadmap=roadmap, actor=actor, content=CONTENT)
    services.roadmap_submit(roadmap=roadmap, actor=actor)
    roadmap.refresh_from_db()
    return roadmap


def test_a_head_with_admin_rights_cannot_approve_own_roadmap(people, client):
    User.objects.filter(pk=people.head_a.pk).update(is_superuser=True, is_staff=True)
    head = User.objects.get(pk=people.head_a.pk)
    roadmap = submitted(
        services.roadmap_create(actor=head, topic="gia", title="ГИА-2027", period="2026/2027"), head
    )
    assert not roadmap.user_is_reviewer(head)
    for service in (services.roadmap_take, services.roadmap_approve):
        with pytest.raises(PermissionDenied, match="никто не утверждает собственную работу"):
            service(roadmap=roadmap, actor=head)
    client.force_login(head)
    response = client.post(reverse("roadmaps:action", args=[roadmap.pk, "approve"]), {"comment": ""})
    assert response.status_code == 403 and "собственную работу" in response.text
    response = client.post(reverse("api:roadmap-approve", args=[roadmap.pk]), {"comment": ""},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 403 and "собственную работу" in response.json()["detail"]
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED
    services.roadmap_approve(roadmap=roadmap, actor=people.committee)
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED


def test_a_roadmap_a_head_asked_of_own_authority_is_approved_by_the_committee(people, tmp_path):
    text = decisions_list("комитет по образованию").replace(
        "Провести анализ результатов оценочных процедур.", ROADMAP_DECISION + "."
    )
    result = import_protocol(tmp_path, text, "--organizer", "04", "--user", "head_a")
    assert result["signed"] is True, result.get("errors")
    obligation = Obligation.objects.get(decision__item__meeting_id=result["meeting_id"])
    assert obligation.answers_with_roadmap
    roadmap = submitted(
        services.roadmap_for_obligation(obligation=obligation, actor=people.head_a), people.head_a
    )
    with pytest.raises(PermissionDenied, match="собственную работу"):
        services.roadmap_approve(roadmap=roadmap, actor=people.head_a)
    services.roadmap_approve(roadmap=roadmap, actor=people.committee)
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED

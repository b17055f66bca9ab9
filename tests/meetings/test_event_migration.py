"""Protocol and roadmap events written before they had from/to get them from their kind and order: nothing is
lost, and what the history does not tell stays empty."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from meetings.models import MeetingEvent
from municipalities.models import User
from roadmaps.models import RoadmapEvent
from tests.personas import build_personas, load_personas

BEFORE = [("meetings", "0016_questionnaires_to_surveys"), ("roadmaps", "0002_event_revised")]


@pytest.mark.django_db(transaction=True)
def test_old_events_get_from_and_to():
    if not User.objects.exists():  # an earlier transactional test flushed the database
        build_personas()
    people = load_personas()
    user, organization = people.committee, people.committee_org
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Meeting, OldMeetingEvent = old.get_model("meetings", "Meeting"), old.get_model("meetings", "MeetingEvent")
    signed = Meeting.objects.create(date=timezone.localdate(), title="Совещание", created_by_id=user.pk,
                                    organizer_organization_id=organization.pk, status="signed")  # fmt: skip
    draft = Meeting.objects.create(date=timezone.localdate(), title="Черновик", created_by_id=user.pk,
                                   organizer_organization_id=organization.pk)  # fmt: skip
    held = Meeting.objects.create(date=timezone.localdate(), title="Проведённое", created_by_id=user.pk,
                                  organizer_organization_id=organization.pk)  # fmt: skip
    for meeting, kinds in ((signed, ["created", "amended", "signed", "attendance"]), (draft, ["imported"])):
        for kind in kinds:
            OldMeetingEvent.objects.create(meeting_id=meeting.pk, kind=kind, actor_id=user.pk, revision=1)
    for comment in ("Совещание запланировано.", "Совещание проведено: протокол — черновик."):
        OldMeetingEvent.objects.create(meeting_id=held.pk, kind="created", actor_id=user.pk, revision=1,
                                       comment=comment)  # fmt: skip
    Roadmap, OldRoadmapEvent = old.get_model("roadmaps", "Roadmap"), old.get_model("roadmaps", "RoadmapEvent")
    roadmap = Roadmap.objects.create(municipality_id=people.mun_a.pk, title="ГИА", period="2026/2027",
                                     created_by_id=user.pk, status="draft")  # fmt: skip
    start = timezone.now() - timedelta(days=1)
    for minutes, kind in enumerate(["created", "edited", "submitted", "taken", "returned", "submitted",
                                    "approved", "progress", "revised"]):  # fmt: skip
        OldRoadmapEvent.objects.create(roadmap_id=roadmap.pk, kind=kind, actor_id=user.pk,
                                       created_at=start + timedelta(minutes=minutes))  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    meeting_steps = [(e.meeting_id, e.kind, e.from_status, e.to_status) for e in MeetingEvent.objects.all()]
    assert meeting_steps == [
        (signed.pk, "created", "", "draft"), (signed.pk, "amended", "draft", "draft"),
        (signed.pk, "signed", "draft", "signed"), (signed.pk, "attendance", "signed", "signed"),
        (draft.pk, "imported", "", "draft"),
        (held.pk, "created", "", "planned"), (held.pk, "created", "planned", "draft"),
    ]  # fmt: skip
    roadmap_steps = [
        (e.kind, e.from_status, e.to_status) for e in RoadmapEvent.objects.filter(roadmap=roadmap.pk)
    ]
    assert roadmap_steps == [
        ("created", "", "draft"), ("edited", "draft", "draft"), ("submitted", "draft", "submitted"),
        ("taken", "submitted", "under_review"), ("returned", "under_review", "returned"),
        ("submitted", "returned", "submitted"), ("approved", "submitted", "approved"),
        ("progress", "approved", "approved"), ("revised", "approved", "draft"),
    ]  # fmt: skip

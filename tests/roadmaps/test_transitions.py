"""A roadmap moves only as its table allows (draft → submitted → taken → approved or returned; approved → draft
to amend); each step leaves an event with from → to, and a refused step says where the roadmap stands."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roadmaps import services
from roadmaps.models import RoadmapStatus
from tests.roadmaps.test_api import CONTENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(people):
    roadmap = services.roadmap_create(actor=people.head_a, topic="gia", title="ГИА-2027", period="2026/2027")
    services.roadmap_update(roadmap=roadmap, actor=people.head_a, content=CONTENT)
    return roadmap


def test_every_step_leaves_from_and_to_and_the_page_shows_them(people, client, roadmap):
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    services.roadmap_take(roadmap=roadmap, actor=people.committee)
    services.roadmap_return(roadmap=roadmap, actor=people.committee, comment="Добавьте показатели.")
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    services.roadmap_approve(roadmap=roadmap, actor=people.committee)
    services.roadmap_revise(roadmap=roadmap, actor=people.head_a, reason="Новые сроки олимпиады.")
    steps = [(e.kind, e.from_status, e.to_status) for e in roadmap.events.all()]
    assert steps == [
        ("created", "", "draft"), ("edited", "draft", "draft"), ("submitted", "draft", "submitted"),
        ("taken", "submitted", "under_review"), ("returned", "under_review", "returned"),
        ("submitted", "returned", "submitted"), ("approved", "submitted", "approved"),
        ("revised", "approved", "draft"),
    ]  # fmt: skip
    client.force_login(people.head_a)
    page = client.get(roadmap.get_absolute_url()).text
    assert "на рассмотрении → возвращена на доработку" in page and "версия 2" in page


def test_approving_a_draft_is_refused_and_nothing_changes(people, client, roadmap):
    with pytest.raises(
        ValidationError, match="Дорожная карта в состоянии «черновик»: она уже рассмотрена или ещё не"
    ):
        services.roadmap_approve(roadmap=roadmap, actor=people.committee)
    client.force_login(people.committee)
    page = client.post(reverse("roadmaps:action", args=[roadmap.pk, "approve"]), {"comment": ""}, follow=True)
    assert "ещё не представлена" in page.text
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.DRAFT and not roadmap.events.filter(kind="approved").exists()


def test_taking_an_approved_roadmap_is_refused(people, roadmap):
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    services.roadmap_approve(roadmap=roadmap, actor=people.committee)
    with pytest.raises(ValidationError, match="только представленную дорожную карту; эта — «утверждена»"):
        services.roadmap_take(roadmap=roadmap, actor=people.committee)


def test_amending_a_roadmap_under_review_is_refused(people, roadmap):
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    with pytest.raises(ValidationError, match="в утверждённую дорожную карту; эта — «представлена»"):
        services.roadmap_revise(roadmap=roadmap, actor=people.head_a, reason="Новые сроки.")
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED


def test_the_api_gives_the_roadmaps_history_with_from_and_to(people, client, roadmap):
    services.roadmap_submit(roadmap=roadmap, actor=people.head_a)
    client.force_login(people.committee)
    events = client.get(reverse("api:roadmap-detail", args=[roadmap.pk])).json()["events"]
    assert [(e["title"], e["from_status"], e["to_status"], e["version"]) for e in events][-1] == (
        "представлена на рассмотрение", "draft", "submitted", 1,
    )  # fmt: skip

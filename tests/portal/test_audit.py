"""Every write people make leaves an audit entry naming them — through the pages and through the API."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from meetings.models import Obligation, Report
from roadmaps.models import Roadmap
from tests.meetings.factories import committee_meeting, decision, written
from tests.roadmaps.factories import roadmap_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def entries(model, pk, action=None):
    found = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_pk=str(pk))
    return found.filter(action=action) if action is not None else found


def test_report_and_acceptance_through_the_pages_are_audited_with_their_authors(people, client):
    committee_meeting(people, decision("1", "Представить анализ.", f"до {written(5)}", "руководители ОМСУ"))
    obligation = Obligation.objects.get(municipality=people.mun_a)
    client.force_login(people.head_a)
    client.post(reverse("meetings:obligation_action", args=[obligation.pk, "report"]),
                {"text": "Анализ проведён", "files": [SimpleUploadedFile("анализ.pdf", PDF)]})  # fmt: skip
    report = Report.objects.get()
    created = entries(Report, report.pk, LogEntry.Action.CREATE).get()
    assert created.actor == people.head_a
    client.force_login(people.committee)
    client.post(reverse("meetings:obligation_action", args=[obligation.pk, "accept"]), {"comment": ""})
    change = entries(Obligation, obligation.pk, LogEntry.Action.UPDATE).latest("timestamp")
    assert change.actor == people.committee and "accepted" in str(change.changes)


def test_api_writes_with_a_token_are_audited_under_the_token_owner(people, client):
    decision_ = roadmap_meeting(people)
    obligation = Obligation.objects.get(decision=decision_, municipality=people.mun_a)
    token = Token.objects.create(user=people.head_a)
    answer = client.post(reverse("api:roadmap-list"), {"obligation": obligation.pk}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Token {token.key}")  # fmt: skip
    assert answer.status_code == 201
    roadmap = Roadmap.objects.get()
    assert entries(Roadmap, roadmap.pk, LogEntry.Action.CREATE).get().actor == people.head_a


def test_profile_changes_are_audited_without_secrets(people, client):
    client.force_login(people.head_a)
    client.post(reverse("profile"), {"email": "head@example.ru", "email_mode": "digest"})
    change = entries(type(people.head_a), people.head_a.pk, LogEntry.Action.UPDATE).latest("timestamp")
    assert change.actor == people.head_a and "email_mode" in change.changes_dict
    assert not LogEntry.objects.filter(changes_text__icontains="pbkdf2").exists()
    assert "password" not in str(
        LogEntry.objects.filter(object_repr__icontains="head_a").values_list("changes", flat=True)
    )

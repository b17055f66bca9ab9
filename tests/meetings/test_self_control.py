"""Nobody controls their own work (issue #13): whoever reports on an obligation never accepts, returns or
extends it: the committee controls what a municipality's protocol asks of its own authority, and committee staff
never accept what their own department reported."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.authtoken.models import Token

from meetings import services
from meetings.models import Obligation, ObligationStatus
from municipalities.models import Role, User
from notifications.models import Notification
from tests.meetings.factories import committee_meeting, days, decision, written
from tests.meetings.test_addressees import decisions_list, import_protocol


def api(client, user, path, data=None):
    token = Token.objects.get_or_create(user=user)[0].key
    return client.post(path, data or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def own_obligation(people, tmp_path):
    """A head's protocol addressing the head's own authority, signed through import_protocol; reported."""
    result = import_protocol(
        tmp_path, decisions_list("комитет по образованию"), "--organizer", "04", "--user", "head_a"
    )
    assert result["signed"] is True, result.get("errors")
    obligation = Obligation.objects.get(decision__item__meeting_id=result["meeting_id"])
    assert obligation.municipality == people.mun_a and obligation.is_organizers_own
    services.report_submit(obligation=obligation, actor=people.head_a, text="Анализ проведён.")
    return obligation


def test_a_head_cannot_accept_the_report_of_own_authority_on_the_page(people, client, own_obligation):
    # the report goes for review to the committee, not back to the head who wrote it
    assert Notification.objects.filter(user=people.committee, text__startswith="Отчёт на проверку").exists()
    assert not Notification.objects.filter(user=people.head_a, text__startswith="Отчёт на проверку").exists()
    client.force_login(people.head_a)
    assert "Отчёты ждут проверки" not in client.get(reverse("home")).text
    page = client.get(own_obligation.get_absolute_url())
    assert page.status_code == 200 and 'value="accept"' not in page.text and "/accept/" not in page.text
    for action in ("accept", "return"):
        response = client.post(
            reverse("meetings:obligation_action", args=[own_obligation.pk, action]), {"comment": "Принято."}
        )
        assert response.status_code == 403
        assert "никто не контролирует собственную работу" in response.text
    own_obligation.refresh_from_db()
    assert own_obligation.status == ObligationStatus.REPORTED


def test_a_head_cannot_accept_the_report_of_own_authority_through_the_api(people, client, own_obligation):
    for action in ("accept", "return"):
        response = api(
            client, people.head_a, f"/api/v1/obligations/{own_obligation.pk}/{action}/", {"comment": "x"}
        )
        assert response.status_code == 403
        assert "никто не контролирует собственную работу" in response.json()["detail"]
    own_obligation.refresh_from_db()
    assert own_obligation.status == ObligationStatus.REPORTED
    # the committee, the level above, controls it
    response = api(
        client, people.committee, f"/api/v1/obligations/{own_obligation.pk}/accept/", {"comment": ""}
    )
    assert response.status_code == 200, response.content
    own_obligation.refresh_from_db()
    assert own_obligation.status == ObligationStatus.ACCEPTED


def test_a_head_cannot_grant_own_extension_or_set_own_due_date(people, own_obligation):
    with pytest.raises(PermissionDenied, match="собственную работу"):
        services.obligation_set_due_date(obligation=own_obligation, actor=people.head_a, due_date=days(90))
    own_obligation.refresh_from_db()
    assert own_obligation.due_date != days(90)


@pytest.fixture
def colleague(people):
    """Committee staff outside the general-education department."""
    return User.objects.create(
        username="committee_2", role=Role.COMMITTEE, email="c2@example.ru", region=people.region
    )


def test_committee_staff_cannot_accept_what_their_own_department_reported(people, colleague):
    meeting = committee_meeting(
        people,
        decision(
            "1",
            "Подготовить аналитическую справку.",
            f"до {written(20)}",
            "отдел общего образования комитета",
        ),
    )
    obligation = Obligation.objects.get(decision__item__meeting=meeting)
    assert obligation.organization == people.department
    services.report_submit(obligation=obligation, actor=people.committee, text="Справка готова.")
    # the controller wrote the report: the review goes to the colleague, not back to the author
    reviewers = Notification.objects.filter(text__startswith="Отчёт на проверку").values_list(
        "user", flat=True
    )
    assert list(reviewers) == [colleague.pk]
    for service in (services.report_accept, services.report_return):
        with pytest.raises(PermissionDenied, match="собственную работу"):
            service(obligation=obligation, actor=people.committee, comment="Принято.")
    services.report_accept(obligation=obligation, actor=colleague)  # a colleague outside the department
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED


def test_an_overdue_obligation_of_own_authority_escalates_to_the_committee(people, tmp_path):
    from django.utils import timezone

    from notifications.reminders import send_reminders

    result = import_protocol(
        tmp_path, decisions_list("комитет по образованию"), "--organizer", "04", "--user", "head_a"
    )
    obligation = Obligation.objects.get(decision__item__meeting_id=result["meeting_id"])
    Obligation.objects.filter(pk=obligation.pk).update(due_date=timezone.localdate() - timedelta(days=8))
    recipients = {p.recipient.username: p.kind for p in send_reminders(timezone.localdate())}
    assert recipients["committee"] == "escalation"
    assert (
        recipients["head_a"] != "escalation"
    )  # reminded as the one who carries it out, not as its controller


def test_a_comment_on_an_own_authority_obligation_reaches_the_committee(people, own_obligation):
    from meetings.comments import obligation_comment

    obligation_comment(
        obligation=own_obligation, actor=people.head_a, text="Уточните, пожалуйста, форму отчёта."
    )
    assert Notification.objects.filter(user=people.committee, text__startswith="Новый комментарий").exists()

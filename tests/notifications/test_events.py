"""E-mail and in-portal notice of what happened to me: each event once, on commit, by the person's e-mail mode.

Through the real local SMTP server (tests/smtp.py) and the Celery task run in-process, as the reminder tests do.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.comments import obligation_comment
from meetings.models import Obligation
from notifications.delivery import send_digest, send_reminder_email
from notifications.events import tell
from notifications.models import Notification, Reminder
from tests.meetings.factories import committee_meeting, days, decision, written

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def mail_to(smtp, username: str) -> list:
    return [m for m in smtp.inbox.messages if m["To"] == f"{username}@example.ru"]


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def signed(people, django_capture_on_commit_callbacks):
    """A protocol signed with two decisions for every municipal authority; the e-mails go out on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        meeting = committee_meeting(
            people,
            decision("1", "Представить анализ ВПР.", f"до {written(10)}", "руководители ОМСУ"),
            decision("2", "Утвердить план подготовки к ГИА.", f"до {written(20)}", "руководители ОМСУ"),
        )
    return meeting


def test_new_obligations_of_one_signing_come_to_each_head_as_one_email(people, smtp, signed):
    for head in ("head_a", "head_b"):
        [message] = mail_to(smtp, head)
        assert subject(message) == f"Новые поручения (2) по протоколу № 3 от {written(-10)}"
        body = text_of(message)
        assert "Представить анализ ВПР." in body and "Утвердить план подготовки к ГИА." in body
        assert f"П. 1 протокола № 3 от {written(-10)}, срок {written(10)}" in body  # quotable references
        assert message.get_body(("html",)) is not None
    assert (
        Notification.objects.filter(user=people.head_a, text__startswith="Новые поручения (2)").count() == 1
    )


def _report(people, obligation, text="Анализ проведён."):
    return services.report_submit(obligation=obligation, actor=people.head_a, text=text)


def test_each_event_is_emailed_once_to_the_executor_side(
    people, smtp, signed, django_capture_on_commit_callbacks
):
    first, second = Obligation.objects.filter(municipality=people.mun_a).order_by("decision__number")
    smtp.inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _report(people, first)
        services.report_return(obligation=first, actor=people.committee, comment="Добавьте данные по школам.")
    with django_capture_on_commit_callbacks(execute=True):
        _report(people, first, "Добавлены данные по школам.")
        services.report_accept(obligation=first, actor=people.committee)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.extension_request(
            obligation=second, actor=people.head_a, proposed_date=days(40), reason="Ждём данные ИЦОКО."
        )
        services.extension_decide(request=request, actor=people.committee, grant=True)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.extension_request(
            obligation=second, actor=people.head_a, proposed_date=days(60), reason="Ещё раз."
        )
        services.extension_decide(request=request, actor=people.committee, grant=False, comment="Хватит.")
    with django_capture_on_commit_callbacks(execute=True):
        obligation_comment(obligation=second, actor=people.committee, text="Как продвигается план?")
    subjects = [subject(m) for m in mail_to(smtp, "head_a")]
    assert subjects == [
        f"Отчёт возвращён на доработку: {first.reference} — Добавьте данные по школам.",
        f"Отчёт принят, поручение снято с контроля: {first.reference}",
        f"П. 2 протокола № 3 от {written(-10)}: срок перенесён на {written(40)}",
        f"П. 2 протокола № 3 от {written(-10)}: в переносе срока отказано",
        f"Новый комментарий: КО Всеволожского района, {second.reference} — Committee Т.: Как продвигается план?",
    ]
    returned = text_of(mail_to(smtp, "head_a")[0])
    assert "Что доработать (Committee Т.): Добавьте данные по школам." in returned
    assert "Хватит." in text_of(mail_to(smtp, "head_a")[3])
    assert mail_to(smtp, "head_b") == []  # the other municipality hears nothing of it
    # the executor's comment reaches the controller, once
    with django_capture_on_commit_callbacks(execute=True):
        obligation_comment(obligation=second, actor=people.head_a, text="Идёт по графику.")
    assert [subject(m).split(" — ")[-1] for m in mail_to(smtp, "committee")] == [
        "Head_a Т.: Идёт по графику."
    ]
    assert set(Reminder.objects.events().values_list("status", flat=True)) == {"sent"}


def test_digest_mode_gets_the_events_in_the_daily_digest(people, smtp, django_capture_on_commit_callbacks):
    people.head_a.email_mode = "digest"
    people.head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        committee_meeting(
            people, decision("1", "Представить анализ ВПР.", f"до {written(10)}", "руководители ОМСУ")
        )
    obligation = Obligation.objects.get(municipality=people.mun_a)
    with django_capture_on_commit_callbacks(execute=True):
        _report(people, obligation)
        services.report_accept(obligation=obligation, actor=people.committee)
    assert mail_to(smtp, "head_a") == [] and len(mail_to(smtp, "head_b")) == 1
    assert send_digest(people.head_a.pk, TODAY) == 2
    [digest] = mail_to(smtp, "head_a")
    assert subject(digest) == f"Сводка на {TODAY:%d.%m.%Y}: событий — 2"
    body = text_of(digest)
    assert "Что произошло:" in body and f"Новое поручение: {obligation.reference}" in body
    assert f"Отчёт принят, поручение снято с контроля: {obligation.reference}" in body
    assert send_digest(people.head_a.pk, TODAY) == 0  # nothing twice


def test_off_mode_gets_only_the_notice_in_the_portal(
    people, smtp, client, django_capture_on_commit_callbacks
):
    people.head_a.email_mode = "off"
    people.head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        committee_meeting(
            people, decision("1", "Представить анализ ВПР.", f"до {written(10)}", "руководители ОМСУ")
        )
    assert mail_to(smtp, "head_a") == [] and send_digest(people.head_a.pk, TODAY) == 0
    client.force_login(people.head_a)
    page = client.get(reverse("notifications")).text
    assert "Новое поручение: п. 1 протокола № 3" in page


def test_a_retried_task_or_a_repeated_tell_sends_nothing_twice(
    people, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        told = tell([people.head_a], kind="event_comment", subject="Новый комментарий: п. 1",
                    text="Текст", url="/obligations/1/", key="obligation-event-1")  # fmt: skip
    assert told == 1 and len(smtp.inbox.messages) == 1
    message = Reminder.objects.events().get()
    assert send_reminder_email.delay(message.pk).get() == "skipped"  # the task delivered again by the broker
    with django_capture_on_commit_callbacks(execute=True):
        again = tell([people.head_a], kind="event_comment", subject="Новый комментарий: п. 1",
                     text="Текст", url="/obligations/1/", key="obligation-event-1")  # fmt: skip
    assert again == 0 and len(smtp.inbox.messages) == 1
    assert Notification.objects.filter(user=people.head_a).count() == 1


def test_nothing_is_told_for_a_rolled_back_change(people, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            committee_meeting(people, decision("1", "Представить.", f"до {written(10)}", "руководители ОМСУ"))
            raise RuntimeError("the signing failed half-way")
    assert smtp.inbox.messages == [] and not Reminder.objects.exists() and not Notification.objects.exists()

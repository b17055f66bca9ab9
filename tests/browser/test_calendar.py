"""A meeting followed from plan to protocol in a real browser: planned in the calendar with an .ics invitation
to the invited authority, listed in its month, then held and continued as a draft protocol with its agenda."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from meetings.models import Meeting
from tests.browser.conftest import shot


def test_a_meeting_from_plan_to_draft_protocol(people_live, page_as, live_server):
    people = people_live
    people.head_a.email = "head-a@example.ru"
    people.head_a.save()
    when = timezone.localdate() + timedelta(days=10)
    page = page_as("committee", people.password)
    page.goto(f"{live_server.url}/meetings/calendar/")
    page.click("text=Запланировать совещание")
    page.fill("#id_title", "О подготовке к ГИА-2027")
    page.fill("#id_date", when.isoformat())
    page.fill("#id_time", "10:30")
    page.fill("#id_place", "Смольный, зал 2")
    page.fill("#id_agenda", "О ходе подготовки к ГИА\nОб итогах диагностических работ")
    page.select_option("#id_municipalities", [str(people.mun_a.pk)])
    page.click("text=Запланировать и разослать приглашения")
    page.wait_for_selector("text=Совещание запланировано; приглашения с повесткой отправлены.")
    meeting = Meeting.objects.get(title="О подготовке к ГИА-2027")
    assert meeting.status == Meeting.Status.PLANNED
    invitation = next(m for m in mail.outbox if m.to == ["head-a@example.ru"])
    assert any(name.endswith(".ics") for name, *_ in invitation.attachments)

    page.goto(f"{live_server.url}/meetings/calendar/?month={when:%Y-%m}")
    assert page.locator("text=О подготовке к ГИА-2027").count() == 1
    assert page.locator(f"text={when:%d.%m.%Y} 10:30").count() == 1
    shot(page, "calendar-month")

    page.click("text=О подготовке к ГИА-2027")
    page.click("text=Совещание проведено: начать протокол")
    page.wait_for_selector("text=Совещание проведено: протокол — черновик с повесткой")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert [item.title for item in meeting.items.order_by("number")] == [
        "О ходе подготовки к ГИА", "Об итогах диагностических работ",
    ]  # fmt: skip
    shot(page, "calendar-held-draft")

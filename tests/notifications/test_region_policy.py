"""Each region keeps its own reminder rules; the daily scan applies the obligation's region's rules and escalates
an overdue obligation of a municipality's own protocol to that region's committee only."""

from django.utils import timezone

from meetings import services
from meetings.deadlines import parse_deadline
from meetings.parties import PartyResolver, PartyTarget
from notifications.models import ReminderPolicy
from notifications.reminders import plan
from tests.meetings.factories import committee_meeting, days, decision, written

TODAY = timezone.localdate()


def _omsk_meeting(people, due_in: int):
    resolver = PartyResolver(organization=people.ministry_c)
    draft = services.MeetingDraft(
        kind="meeting", date=days(-10), number="1", title="О подготовке к ГИА", chair="Белова Н.А.",
        items=[services.ItemDraft(number=1, title="О подготовке", decisions=[services.DecisionDraft(
            number="1", text="Представить анализ ВПР.", tracked=True,
            deadline=parse_deadline(f"до {written(due_in)}", meeting_date=days(-10)),
            responsible_text="руководители ОМСУ", parties=[resolver.resolve("руководители ОМСУ")],
        )])],
    )  # fmt: skip
    return services.meeting_create(actor=people.committee_c, draft=draft, organizer_organization=people.ministry_c,
                                   controller=people.committee_c, sign=True)  # fmt: skip


def test_each_region_is_reminded_by_its_own_rules(people):
    ReminderPolicy.objects.create(region=people.region, before_days="3")
    ReminderPolicy.objects.create(region=people.region_c, before_days="5")
    committee_meeting(
        people, decision("1", "Представить анализ ВПР.", f"до {written(5)}", "руководители ОМСУ")
    )
    _omsk_meeting(people, due_in=5)
    planned = {(p.recipient.username, p.kind) for p in plan(TODAY)}
    # five days left: region 47 reminds only 3 days before, Omsk now
    assert planned == {("head_c", "before_5")}
    ReminderPolicy.objects.filter(region=people.region).update(before_days="7, 3")
    assert {(p.recipient.username, p.kind) for p in plan(TODAY)} == {
        ("head_a", "before_7"), ("head_b", "before_7"), ("head_c", "before_5")
    }  # fmt: skip


def test_a_region_without_rules_takes_the_default_ones(people):
    ReminderPolicy.objects.create(region=None, before_days="4")
    _omsk_meeting(people, due_in=4)
    assert {(p.recipient.username, p.kind) for p in plan(TODAY)} == {("head_c", "before_4")}
    assert ReminderPolicy.current(people.region_c.pk).before_list == [4]
    assert ReminderPolicy.current(people.region.pk).before_list == [4]


def test_escalation_of_an_own_obligation_stays_in_the_region(people):
    """A head's own authority's overdue obligation escalates to the committee — of its own region only."""
    draft = services.MeetingDraft(
        kind="meeting", date=days(-30), number="2", title="Совещание", chair="Кравцов И.В.",
        items=[services.ItemDraft(number=1, title="Вопрос", decisions=[services.DecisionDraft(
            number="1", text="Подготовить справку.", tracked=True,
            deadline=parse_deadline(f"до {written(-10)}", meeting_date=days(-30)),
            responsible_text="Комитет по образованию Тарского района",
            parties=[PartyTarget(text="Комитет по образованию Тарского района", municipality=people.mun_c)],
        )])],
    )  # fmt: skip
    meeting = services.meeting_create(actor=people.head_c, draft=draft, organizer_municipality=people.mun_c,
                                      controller=people.head_c, sign=True, archival=False)  # fmt: skip
    assert meeting.is_signed
    escalated = {p.recipient.username for p in plan(TODAY) if p.kind == "escalation"}
    assert escalated == {"committee_c"}

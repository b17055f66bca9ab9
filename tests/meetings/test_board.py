"""The control board: sorting, counters that follow the filters, days overdue, saved filters, XLSX and print,
bulk actions with a confirmation page applied item by item through the services."""

import html
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings import services
from meetings.models import Obligation, ObligationEvent, ObligationStatus, SavedFilter
from notifications.models import Notification
from tests.meetings.factories import committee_meeting, days, decision, written

pytestmark = pytest.mark.django_db
BOARD = reverse("meetings:obligation_list")
ROW = re.compile(r'<tr data-obligation="(\d+)"')
COUNT_LINK = re.compile(r'href="(/obligations/\?[^"]*)" data-count="(\d+)"')


@pytest.fixture
def work(people):
    committee_meeting(
        people,
        decision("1", "Представить анализ ВПР.", f"до {written(-5)}", "руководители ОМСУ"),
        decision("2", "Провести заседания ШМО.", f"до {written(20)}", "СОШ № 1 Всеволожск; Агалатовская СОШ"),
        decision("3", "Обновить план подготовки к ГИА.", f"до {written(-1)}", "Гимназия г. Выборга"),
    )
    for school in (people.school_a, people.school_a2):
        reported = Obligation.objects.get(decision__number="2", school=school)
        actor = people.director_a if school == people.school_a else None
        if actor is None:
            continue
        services.report_submit(obligation=reported, actor=actor, text="Проведены.", files=[])


def rows(page) -> list[int]:
    return [int(pk) for pk in ROW.findall(page.content.decode())]


def test_a_header_sorts_the_board_and_a_second_click_reverses_it(client_for, people, work):
    client = client_for(people.committee)
    page = client.get(BOARD).content.decode()
    assert 'data-sort="unit"' in page and 'data-sort="overdue"' in page
    by_due = rows(client.get(BOARD, {"sort": "due"}))
    dates = [Obligation.objects.get(pk=pk).due_date for pk in by_due]
    assert dates == sorted(dates)
    back = rows(client.get(BOARD, {"sort": "-due"}))
    assert [Obligation.objects.get(pk=pk).due_date for pk in back] == sorted(dates, reverse=True)
    # equal dates keep one order (by id) whichever way, so paging never repeats or skips a row
    same_day = [pk for pk in by_due if Obligation.objects.get(pk=pk).due_date == days(-5)]
    assert same_day == sorted(same_day)


def test_an_unknown_sort_key_is_ignored(client_for, people, work):
    client = client_for(people.committee)
    assert rows(client.get(BOARD, {"sort": "decision__text; drop"})) == rows(client.get(BOARD))


def test_days_overdue_are_shown_for_open_overdue_rows(client_for, people, work):
    client = client_for(people.committee)
    page = client.get(BOARD, {"sort": "-overdue"}).content.decode()
    assert 'data-days-overdue="5"' in page and 'data-days-overdue="1"' in page
    gymnasium = Obligation.objects.get(decision__number="3")
    first = rows(client.get(BOARD, {"sort": "overdue"}))
    assert first[-1] != gymnasium.pk and rows(client.get(BOARD, {"sort": "-overdue"}))[-1] != first[-1]


def test_the_counters_follow_the_filters_and_each_links_to_as_many_rows(client_for, people, work):
    client = client_for(people.committee)
    page = client.get(BOARD, {"municipality": people.mun_b.pk}).content.decode()
    links = {html.unescape(u): int(n) for u, n in COUNT_LINK.findall(page)}
    overdue = next(n for u, n in links.items() if "state=overdue" in u)
    assert overdue == 2  # Выборг's authority (analysis) and its gymnasium (plan), not Всеволожск's
    for url, shown in links.items():
        assert f"municipality={people.mun_b.pk}" in url
        assert len(rows(client.get(url))) == shown, url


def test_xlsx_and_print_hold_exactly_the_filtered_rows(client_for, people, work):
    client = client_for(people.committee)
    query = {"state": "overdue"}
    expected = Obligation.objects.overdue().count()
    book = load_workbook(BytesIO(client.get(BOARD, {**query, "format": "xlsx"}).content))
    sheet = book.active
    assert sheet.max_row - 1 == expected
    assert [c.value for c in sheet[1]][-1] == "Дней просрочки"
    printed = client.get(BOARD, {**query, "format": "print"})
    assert printed.status_code == 200 and "print.css" in printed.content.decode()
    assert len(rows(printed)) == expected


def test_a_person_saves_lists_and_deletes_own_filters(client_for, people, work):
    client = client_for(people.committee)
    response = client.post(reverse("meetings:saved_filter_save"),
                           {"name": "  Просрочено  ", "query": "state=overdue&page=3&evil=1"})  # fmt: skip
    saved = SavedFilter.objects.get(user=people.committee)
    assert saved.name == "Просрочено" and saved.query == "state=overdue"
    assert response.url.endswith("?state=overdue")
    assert 'data-saved-filter="Просрочено"' in client.get(BOARD).content.decode()
    other = client_for(people.head_a)
    assert "Просрочено" not in other.get(BOARD).content.decode()
    other.post(reverse("meetings:saved_filter_delete", args=[saved.pk]))
    assert SavedFilter.objects.filter(pk=saved.pk).exists()  # someone else's filter is not theirs to delete
    client = client_for(people.committee)
    client.post(reverse("meetings:saved_filter_delete", args=[saved.pk]))
    assert not SavedFilter.objects.exists()


def test_a_filter_without_a_name_is_refused_with_a_message(client_for, people, work):
    client = client_for(people.committee)
    page = client.post(
        reverse("meetings:saved_filter_save"), {"name": " ", "query": "state=open"}, follow=True
    )
    assert "Фильтр не сохранён" in page.content.decode() and not SavedFilter.objects.exists()


def test_the_observer_neither_saves_filters_nor_acts_in_bulk(client_for, people, work):
    client = client_for(people.observer)
    assert client.post(reverse("meetings:saved_filter_save"), {"name": "x"}).status_code == 403
    pk = Obligation.objects.first().pk
    assert client.post(reverse("meetings:board_bulk"), {"action": "remind", "ids": [pk]}).status_code == 403
    assert 'name="ids"' not in client.get(BOARD).content.decode()


def test_bulk_accept_asks_first_then_applies_each_item_and_names_each_refusal(client_for, people, work):
    client = client_for(people.committee)
    reported = Obligation.objects.get(status=ObligationStatus.REPORTED)
    not_reported = Obligation.objects.get(decision__number="3")
    data = {"action": "accept", "ids": [reported.pk, not_reported.pk], "back": "state=open"}
    confirm = client.post(reverse("meetings:board_bulk"), data).content.decode()
    assert "Принять отчёты" in confirm and "Подтвердить" in confirm
    assert reported.unit_name in confirm and not_reported.unit_name in confirm
    reported.refresh_from_db()
    assert reported.status == ObligationStatus.REPORTED  # nothing happens before the confirmation
    done = client.post(reverse("meetings:board_bulk"), {**data, "confirm": "1"}).content.decode()
    reported.refresh_from_db()
    not_reported.refresh_from_db()
    assert reported.status == ObligationStatus.ACCEPTED
    assert not_reported.status == ObligationStatus.ASSIGNED
    assert 'data-done="1" data-refused="1"' in done
    assert "Отчёт уже рассмотрен" in done  # the service's own words for the item it refused


def test_bulk_extension_moves_each_deadline_and_keeps_the_old_one_in_history(client_for, people, work):
    client = client_for(people.committee)
    overdue = list(Obligation.objects.overdue().order_by("pk"))
    new = days(30)
    client.post(reverse("meetings:board_bulk"),
                {"action": "extend", "ids": [o.pk for o in overdue], "new_date": new.isoformat(), "confirm": "1"})  # fmt: skip
    for o in overdue:
        old = o.due_date
        o.refresh_from_db()
        assert o.due_date == new
        event = o.events.get(kind=ObligationEvent.Kind.DUE_DATE_SET)
        assert event.data == {"old": old.isoformat(), "new": new.isoformat()}


def test_bulk_extension_without_a_date_changes_nothing(client_for, people, work):
    client = client_for(people.committee)
    o = Obligation.objects.overdue().first()
    before = o.due_date
    page = client.post(reverse("meetings:board_bulk"), {"action": "extend", "ids": [o.pk], "confirm": "1"},
                       follow=True).content.decode()  # fmt: skip
    o.refresh_from_db()
    assert o.due_date == before and "Укажите новый срок" in page


def test_bulk_reminder_tells_each_executor_and_writes_the_history(client_for, people, work):
    client = client_for(people.committee)
    own = Obligation.objects.get(decision__number="1", municipality=people.mun_a)
    client.post(reverse("meetings:board_bulk"), {"action": "remind", "ids": [own.pk], "confirm": "1"})
    assert own.events.filter(kind=ObligationEvent.Kind.REMINDED, actor=people.committee).exists()
    assert Notification.objects.filter(user=people.head_a, text__startswith="Напоминание").exists()


def test_bulk_actions_reach_only_obligations_in_the_users_scope(client_for, people, work):
    client = client_for(people.head_b)
    foreign = Obligation.objects.get(decision__number="1", municipality=people.mun_a)
    page = client.post(reverse("meetings:board_bulk"), {"action": "remind", "ids": [foreign.pk, "abc"],
                       "confirm": "1"}, follow=True).content.decode()  # fmt: skip
    assert "Отметьте на доске поручения" in page
    assert not foreign.events.filter(kind=ObligationEvent.Kind.REMINDED).exists()

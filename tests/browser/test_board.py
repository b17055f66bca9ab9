"""The control board in a real browser: bulk accept through its confirmation page, a saved filter, and the
board and an obligation's page at phone width (390 px) without sideways scrolling."""

from meetings import services
from meetings.models import Obligation, ObligationStatus, SavedFilter
from tests.browser.conftest import shot
from tests.meetings.factories import committee_meeting, decision, written

NO_SIDEWAYS = "document.scrollingElement.scrollWidth"


def _work(people):
    committee_meeting(
        people,
        decision("1", "Представить анализ результатов ВПР по каждой школе района с выводами и планом мер.",
                 f"до {written(-5)}", "руководители ОМСУ"),
        decision("2", "Провести заседания ШМО.", f"до {written(20)}", "СОШ № 1 Всеволожск; Агалатовская СОШ"),
    )  # fmt: skip
    for municipality in (people.mun_a, people.mun_b):
        head = people.head_a if municipality == people.mun_a else people.head_b
        own = Obligation.objects.get(decision__number="1", municipality=municipality)
        services.report_submit(obligation=own, actor=head, text="Анализ представлен.", files=[])


def test_bulk_accept_with_confirmation_and_a_saved_filter(people_live, page_as, live_server):
    people = people_live
    _work(people)
    page = page_as("committee", people.password)
    page.goto(f"{live_server.url}/obligations/?state=review")
    page.fill("#id_name", "Ждут проверки")
    page.click("text=Сохранить фильтр")
    page.wait_for_selector("text=Фильтр «Ждут проверки» сохранён.")
    assert SavedFilter.objects.get(user=people.committee).query == "state=review"
    page.goto(f"{live_server.url}/obligations/")
    page.click("[data-saved-filter='Ждут проверки']")
    page.wait_for_url("**/obligations/?state=review")
    assert page.locator("tr[data-obligation]").count() == 2
    page.check("#bulk-all")
    page.select_option("#bulk-action", "accept")
    page.click("text=Далее…")
    page.wait_for_selector(".bulk-items")
    assert page.locator(".bulk-items li").count() == 2
    assert Obligation.objects.filter(status=ObligationStatus.REPORTED).count() == 2  # asked first
    shot(page, "board-bulk-confirm")
    page.click("text=Подтвердить")
    page.wait_for_selector(".bulk-outcomes")
    shot(page, "board-bulk-done")
    assert page.locator("[data-outcome=done]").count() == 2
    assert Obligation.objects.filter(status=ObligationStatus.ACCEPTED).count() == 2


def test_the_board_and_an_obligation_fit_a_phone(people_live, page_as, live_server):
    people = people_live
    _work(people)
    page = page_as("committee", people.password)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/obligations/")
    assert page.evaluate(NO_SIDEWAYS) <= 390
    assert not page.locator("#board-filters").is_visible()  # folded behind a button
    shot(page, "board-phone")
    page.click("text=Фильтры")
    page.wait_for_selector("#id_q", state="visible")
    assert page.evaluate(NO_SIDEWAYS) <= 390
    shot(page, "board-phone-filters")
    badges_overflowing = page.evaluate(
        """() => [...document.querySelectorAll('tr[data-obligation] .badge')].filter(b => {
               const card = b.closest('tr').getBoundingClientRect(), r = b.getBoundingClientRect();
               return r.left < card.left - 1 || r.right > card.right + 1; }).length"""
    )
    assert badges_overflowing == 0
    obligation = Obligation.objects.get(decision__number="1", municipality=people.mun_a)
    page.goto(f"{live_server.url}/obligations/{obligation.pk}/")
    shot(page, "obligation-phone")
    assert page.evaluate(NO_SIDEWAYS) <= 390

"""The committee's daily tools in a real browser: search from the header, a comment on an obligation."""

from pathlib import Path

from meetings.models import Obligation, ObligationComment
from portal.models import Notification
from tests.browser.conftest import shot
from tests.meetings.factories import committee_meeting, decision, written


def test_find_a_decision_from_the_header_then_discuss_it(
    people_live, page_as, live_server, settings, tmp_path
):
    people = people_live
    settings.MEDIA_ROOT = tmp_path
    committee_meeting(
        people, decision("1", "Провести анализ результатов олимпиады в гимназиях.", f"до {written(14)}",
                         "руководители ОМСУ")
    )  # fmt: skip
    obligation = Obligation.objects.get(municipality=people.mun_a)

    head = page_as("head_a", people.password)
    head.click("text=Мои поручения")
    head.wait_for_selector("[data-scope=own][aria-current=page]")
    assert head.locator("[data-total]").get_attribute("data-total") == "1"
    shot(head, "19-head-inbox-tabs")
    head.fill("#id_header_q", "олимпиаду")  # another form of the word
    head.press("#id_header_q", "Enter")
    head.wait_for_selector("[data-kind=obligations]")
    shot(head, "20-head-search")
    assert head.locator("[data-kind=obligations] li").count() == 1  # the other municipality's is not found
    head.click(f"[data-kind=obligations] a:has-text('{obligation.reference}')")
    head.wait_for_selector("#comments")
    head.fill("#comments textarea[name=text]", "Нужна ли разбивка по школам района?")
    pdf = Path(tmp_path) / "форма.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    head.set_input_files("#comments input[type=file]", str(pdf))
    head.click("text=Отправить комментарий")
    head.wait_for_selector("text=Комментарий добавлен")
    head.locator("#comments").scroll_into_view_if_needed()
    shot(head, "21-head-commented")
    comment = ObligationComment.objects.get()
    assert comment.files.get().name == "форма.pdf"
    assert (
        Notification.objects.filter(user=people.committee, text__startswith="Новый комментарий").count() == 1
    )

    committee = page_as("committee", people.password)
    committee.click("[title=Уведомления]")
    committee.click("text=Новый комментарий")
    committee.wait_for_selector("text=Нужна ли разбивка по школам района?")
    committee.fill("#comments textarea[name=text]", "Да, по каждой школе.")
    committee.click("text=Отправить комментарий")
    committee.wait_for_selector("text=Комментарий добавлен")
    shot(committee, "22-committee-answered")
    assert list(ObligationComment.objects.values_list("text", flat=True)) == [
        "Нужна ли разбивка по школам района?",
        "Да, по каждой школе.",
    ]

"""People, not only units, in a real browser: the head names an executor, she reports, the committee accepts,
and she gets the e-mail (through the real local SMTP server)."""

from meetings.models import Obligation
from tests.browser.conftest import shot
from tests.meetings.factories import committee_meeting, decision, written
from tests.meetings.test_executors import colleague


def test_the_head_assigns_the_executor_reports_the_committee_accepts(people_live, page_as, live_server, smtp):
    people = people_live
    committee_meeting(
        people, decision("1", "Представить анализ результатов ВПР по школам района.", f"до {written(14)}",
                         "руководители ОМСУ")
    )  # fmt: skip
    obligation = Obligation.objects.get(municipality=people.mun_a)
    specialist = colleague(people)

    head = page_as("head_a", people.password)
    head.goto(f"{live_server.url}{obligation.get_absolute_url()}")
    head.select_option("#executor select[name=executor]", str(specialist.pk))
    head.fill("#executor input[name=comment]", "Ольга Петровна, подготовьте, пожалуйста.")
    head.click("#executor button[type=submit]")
    head.wait_for_selector("text=Исполнитель назначен")
    assert "Смирнова Ольга Петровна" in head.locator("[data-executor]").inner_text()
    shot(head, "30-head-assigned-executor")

    executor = page_as("specialist_a", people.password)
    executor.click("text=Мои поручения")
    executor.select_option("#id_executor", "me")
    executor.click("text=Показать")
    executor.click("text=Представить анализ результатов ВПР")
    executor.fill("form[action$='/report/'] textarea[name=text]", "Анализ проведён, справка приложена.")
    executor.click("text=Направить отчёт")
    executor.wait_for_selector("text=Отчёт направлен на проверку")
    shot(executor, "31-executor-reported")

    committee = page_as("committee", people.password)
    committee.goto(f"{live_server.url}{obligation.get_absolute_url()}")
    committee.click("button:has-text('Принять')")
    committee.wait_for_selector("text=Отчёт принят")
    shot(committee, "32-committee-accepted")

    obligation.refresh_from_db()
    assert obligation.status == "accepted" and obligation.executor == specialist
    to_executor = [" ".join(str(m["Subject"]).split()) for m in smtp.inbox.messages
                   if m["To"] == "specialist_a@example.ru"]  # fmt: skip
    assert to_executor == [
        f"Вы назначены исполнителем: {obligation.reference}",
        f"Отчёт принят, поручение снято с контроля: {obligation.reference}",
    ]

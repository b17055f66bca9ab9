"""The monitoring of municipal management mechanisms in a real browser: a head publishes a document's link, the
committee accepts it and sees the matrix. Screenshots: artifacts/browser/mech-*.png."""

from django.utils import timezone

from mechanisms import services
from mechanisms.demo import load_directions
from mechanisms.models import DocumentStatus, MechanismDocument
from tests.browser.conftest import shot


def test_a_head_publishes_a_document_and_the_committee_accepts_it_in_the_matrix(
    people_live, page_as, live_server
):
    people = people_live
    year = timezone.localdate().year
    required = load_directions(people.mun_a.region)
    for index, doc in enumerate(
        required[:20]
    ):  # Выборгский is well ahead: accepted, one on review, one returned
        document = services.document_submit(actor=people.head_b, municipality=people.mun_b, required=doc, year=year,
                                            url=f"https://vyborg.example.ru/docs/{doc.pk}")  # fmt: skip
        if index == 7:
            services.document_return(
                document=document, actor=people.committee, comment="Нет показателей на 2027 год."
            )
        elif index != 13:
            services.document_accept(document=document, actor=people.committee)

    head = page_as("head_a", people.password)
    head.click("text=Ещё")
    head.click("text=Механизмы управления")
    head.click("main >> text=Всеволожский муниципальный район")
    first = head.locator(f"#doc-{required[0].pk}")
    first.locator("summary:has-text('Представить')").click()
    first.locator("input[name=url]").fill("https://vsevolozhsk.example.ru/obrazovanie/polozhenie-osko.pdf")
    first.locator("text=Отправить на проверку").click()
    head.wait_for_selector("text=представлен на проверку")
    shot(head, "mech-03-head-card")
    document = MechanismDocument.objects.get(municipality=people.mun_a, required=required[0])
    assert document.status == DocumentStatus.SUBMITTED

    committee = page_as("committee", people.password)
    committee.goto(f"{live_server.url}/mechanisms/municipalities/{people.mun_a.pk}/?year={year}")
    committee.locator(f"#doc-{required[0].pk}").locator("button:has-text('Принять')").click()
    committee.wait_for_selector("text=принят.")
    shot(committee, "mech-02-card")
    document.refresh_from_db()
    assert document.status == DocumentStatus.ACCEPTED
    committee.click("nav[aria-label=breadcrumb] >> text=Механизмы управления")
    committee.wait_for_selector("text=Полнота по региону")
    shot(committee, "mech-01-matrix")
    row = committee.locator("tr", has_text="Всеволожский").inner_text().replace("\u2009", " ")
    assert "1 / 6" in row

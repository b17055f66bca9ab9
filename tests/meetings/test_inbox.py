"""A municipal head's inbox in two tabs, and first-screen counts that match the lists they link to."""

import html
import re

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Obligation
from tests.meetings.factories import committee_meeting, decision, written

pytestmark = pytest.mark.django_db
COUNT_LINK = re.compile(r'href="(/obligations/\?[^"]*)" data-count="(\d+)"')
TOTAL = re.compile(r'data-total="(\d+)"')


@pytest.fixture
def work(people):
    committee_meeting(
        people,
        decision("1", "Представить анализ ВПР.", f"до {written(3)}", "руководители ОМСУ"),
        decision("2", "Провести заседания ШМО.", f"до {written(20)}", "СОШ № 1 Всеволожск; Агалатовская СОШ"),
        decision("3", "Обновить план подготовки к ГИА.", f"до {written(-1)}", "СОШ № 1 Всеволожск"),
        decision("4", "Направить сведения о курсах.", "", "ЛОИРО"),
    )
    reported = Obligation.objects.get(decision__number="2", school=people.school_a)
    services.report_submit(obligation=reported, actor=people.director_a, text="Проведены.", files=[])
    own = Obligation.objects.get(municipality=people.mun_a)
    services.report_submit(obligation=own, actor=people.head_a, text="Представлен.", files=[])
    services.report_accept(obligation=own, actor=people.committee, comment="")


def rows_on(client, url: str) -> int:
    page = client.get(url).content.decode()
    return int(TOTAL.search(page).group(1))


@pytest.mark.parametrize(
    "persona", ["committee", "observer", "head_a", "head_b", "director_a", "loiro_staff"]
)
def test_every_count_on_the_home_page_equals_the_rows_of_its_list(client_for, people, work, persona):
    client = client_for(getattr(people, persona))
    links = COUNT_LINK.findall(client.get(reverse("home")).content.decode())
    assert len(links) >= 6
    for url, shown in links:
        assert rows_on(client, html.unescape(url)) == int(shown), url


def test_the_head_sees_the_authoritys_obligations_apart_from_the_schools(client_for, people, work):
    client = client_for(people.head_a)
    home = client.get(reverse("home")).content.decode()
    assert "Поручения органу управления" in home and "Поручения школам района" in home
    own, schools = ({html.unescape(u): int(n) for u, n in COUNT_LINK.findall(part)}
                    for part in home.split("Поручения школам района", 1))  # fmt: skip
    assert own["/obligations/?status=accepted&scope=own"] == 1
    assert schools["/obligations/?state=open&scope=schools"] == 3
    assert schools["/obligations/?state=overdue&scope=schools"] == 1
    assert schools["/obligations/?state=review&scope=schools"] == 1

    inbox = client.get(reverse("meetings:obligation_list")).content.decode()  # the authority's tab first
    assert 'data-total="1"' in inbox and "КО Всеволожского района" in inbox and "СОШ № 1" not in inbox
    tabs = dict(re.findall(r'data-scope="(\w+)"[^>]*>[^<]*<span class="badge[^"]*">(\d+)', inbox))
    assert tabs == {"own": "1", "schools": "3"}
    schools_tab = client.get(reverse("meetings:obligation_list"), {"scope": "schools"}).content.decode()
    assert 'data-total="3"' in schools_tab and "КО Всеволожского района" not in schools_tab
    # a filter keeps the tab, and the tabs count what the filter leaves
    overdue = client.get(reverse("meetings:obligation_list"), {"scope": "schools", "state": "overdue"})
    page = overdue.content.decode()
    assert 'data-total="1"' in page
    assert dict(re.findall(r'data-scope="(\w+)"[^>]*>[^<]*<span class="badge[^"]*">(\d+)', page)) == {
        "own": "0",
        "schools": "1",
    }

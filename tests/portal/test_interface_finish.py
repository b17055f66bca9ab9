"""Small things that tell people the portal is finished: Russian headings, one lit menu item, the right
offers for each role, filters that say «все», an honest delivery page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def lit_menu_items(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r'nav-link active"[^>]*>(.*?)</a>', html)
    ]


def test_admin_index_has_no_english_headings(admin_client):
    page = admin_client.get(reverse("admin:index")).text
    assert "Журнал аудита" in page and "Входы в портал" in page
    assert "Audit log" not in page and ">Axes<" not in page and "AXES" not in page
    assert "Логи доступа" not in page and "Журнал входов" in page


def test_results_page_lights_only_results(client_for, people):
    page = client_for(people.committee).get(reverse("assessments:home")).text
    assert lit_menu_items(page) == ["Результаты"]


def test_home_page_lights_only_home(client_for, people):
    page = client_for(people.committee).get(reverse("home")).text
    assert lit_menu_items(page) == ["Главная"]


def test_api_offered_to_staff_not_to_school_directors(client_for, people):
    api = reverse("api:docs")
    assert api in client_for(people.committee).get(reverse("home")).text
    assert api not in client_for(people.director_a).get(reverse("home")).text


def test_organisation_filter_says_all_like_the_others(client_for, people):
    page = client_for(people.committee).get(reverse("meetings:obligation_list")).text
    select = re.search(r'<select name="organization".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value=""[^>]*>все</option>', select)


def test_login_page_lists_every_demo_login(client, settings):
    settings.DEMO = True
    page = client.get(reverse("login")).text
    for login in ("committee", "municipality", "school", "observer", "loiro", "mouo-01", "mouo-18"):
        assert f"<code>{login}</code>" in page


def test_delivery_page_does_not_claim_delivery_when_nothing_was_planned(client_for, people):
    page = client_for(people.committee).get(reverse("delivery")).text
    assert "Все напоминания доставлены" not in page
    assert "Напоминаний ещё не было" in page and "send_reminders" in page


def test_the_demo_shows_the_portals_own_not_found_page(client_for, people, settings):
    settings.DEBUG, settings.DEMO = True, True  # as `make run` serves it
    page = client_for(people.committee).get("/no-such-page/")
    assert page.status_code == 404
    assert "Страница не найдена" in page.text and "Page not found" not in page.text
    missing_protocol = client_for(people.committee).get("/meetings/999999/")
    assert missing_protocol.status_code == 404 and "Страница не найдена" in missing_protocol.text

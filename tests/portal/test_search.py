"""Search from the header and through the API: word forms, any case, and only what the user may see."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Obligation
from tests.meetings.factories import committee_meeting, decision, written

pytestmark = pytest.mark.django_db


def groups_of(response) -> dict:
    return {g["kind"]: g for g in response.json()["groups"]}


def titles(response, kind: str) -> list[str]:
    return [hit["title"] for hit in groups_of(response)[kind]["results"]]


@pytest.fixture
def protocol(people):
    meeting = committee_meeting(
        people,
        decision("1", "Провести анализ результатов олимпиады в гимназиях.", f"до {written(20)}", "руководители ОМСУ"),
        decision("2", "Провести заседания ШМО по олимпиадной подготовке.", f"до {written(10)}",
                 "СОШ № 1 Всеволожск; Агалатовская СОШ"),
    )  # fmt: skip
    return meeting


def test_lowercase_finds_a_capitalised_cyrillic_name(client_for, people):
    response = client_for(people.committee).get(reverse("api:search"), {"q": "гимназия"})
    assert response.status_code == 200
    assert titles(response, "schools") == ["Гимназия г. Выборга"]


def test_another_word_form_finds_it_too(client_for, people, protocol):
    response = client_for(people.committee).get(reverse("api:search"), {"q": "гимназии"})
    assert titles(response, "schools") == ["Гимназия г. Выборга"]
    # «олимпиаду» finds «олимпиады» and «олимпиадной» in the decisions
    response = client_for(people.committee).get(reverse("api:search"), {"q": "олимпиаду"})
    assert groups_of(response)["decisions"]["count"] == 2


def test_decisions_are_named_as_people_quote_them(client_for, people, protocol):
    response = client_for(people.committee).get(reverse("api:search"), {"q": "анализ результатов"})
    when = protocol.date.strftime("%d.%m.%Y")
    assert titles(response, "decisions") == [f"п. 1 протокола № 3 от {when}"]
    assert groups_of(response)["obligations"]["count"] == 2  # one per municipal authority


def test_a_director_finds_only_own_schools_obligations(client_for, people, protocol):
    response = client_for(people.director_a).get(reverse("api:search"), {"q": "заседания ШМО"})
    found = groups_of(response)
    assert found["obligations"]["count"] == 1
    own = Obligation.objects.get(school=people.school_a)
    assert found["obligations"]["results"][0]["url"] == own.get_absolute_url()
    assert found["decisions"]["count"] == 1
    # the other municipality's schools and authorities are never found
    response = client_for(people.director_a).get(reverse("api:search"), {"q": "гимназия"})
    assert groups_of(response)["schools"]["count"] == 0
    response = client_for(people.director_b).get(reverse("api:search"), {"q": "заседания ШМО"})
    assert response.json()["total"] == 0


def test_a_municipal_head_sees_own_municipality_only(client_for, people, protocol):
    response = client_for(people.head_a).get(reverse("api:search"), {"q": "анализ результатов"})
    found = groups_of(response)
    assert found["obligations"]["count"] == 1
    assert found["obligations"]["results"][0]["title"].startswith("КО Всеволожского района")
    assert client_for(people.head_a).get(reverse("api:search"), {"q": "Выборга"}).json()["total"] == 0


def test_reports_are_searched_in_scope(client_for, people, protocol):
    own = Obligation.objects.get(school=people.school_a)
    services.report_submit(
        obligation=own, actor=people.director_a, text="Проведено три заседания ШМО.", files=[]
    )
    response = client_for(people.committee).get(reverse("api:search"), {"q": "три заседания"})
    assert groups_of(response)["reports"]["count"] == 1
    response = client_for(people.head_b).get(reverse("api:search"), {"q": "три заседания"})
    assert groups_of(response)["reports"]["count"] == 0


def test_too_short_a_query_gets_a_russian_message(client_for, people):
    response = client_for(people.committee).get(reverse("api:search"), {"q": " « "})
    assert response.status_code == 400
    assert "Введите слово для поиска" in response.json()["q"][0]
    page = client_for(people.committee).get(reverse("search"), {"q": "—"})
    assert page.status_code == 400
    assert "Введите слово для поиска" in page.content.decode()


def test_the_page_groups_results_by_kind_with_counts_and_links(client_for, people, protocol):
    page = client_for(people.committee).get(reverse("search"), {"q": "анализ"}).content.decode()
    assert 'data-kind="decisions" data-count="1"' in page
    assert protocol.items.get().decisions.get(number="1").get_absolute_url() in page
    home = client_for(people.committee).get(reverse("home")).content.decode()
    assert 'action="/search/"' in home and 'name="q"' in home


def test_the_endpoint_is_in_the_schema(client_for, people):
    schema = client_for(people.committee).get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/search/" in schema["paths"]


def test_the_school_list_filter_ignores_cyrillic_case(client_for, people):
    page = client_for(people.committee).get(reverse("municipalities:school_list"), {"q": "гимназия"})
    assert "Гимназия Выборга" in page.content.decode()


def test_the_sqlite_like_folds_every_alphabet_and_keeps_its_wildcards():
    from portal.sqlite import unicode_like

    assert unicode_like("%гимназия%", "МОУ «Гимназия № 2»")
    assert unicode_like("%ЁЛКА%", "ёлка") and not unicode_like("%елка%", "ёлка")
    assert unicode_like("шк_ла", "Школа") and not unicode_like("шк_ла", "Шкоола")
    assert unicode_like("100\\%", "100%", "\\") and not unicode_like("100\\%", "1000", "\\")
    assert unicode_like("a.b", "a.b") and not unicode_like("a.b", "axb")  # regex characters are literal
    assert unicode_like("%x%", None) is None

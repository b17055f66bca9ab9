"""What each role sees on its pages."""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Obligation
from municipalities.models import User
from tests.meetings.factories import committee_meeting, decision, written


def test_committee_home_shows_the_whole_region(client_for, people):
    response = client_for(people.committee).get(reverse("home"))
    assert response.status_code == 200
    text = response.text
    assert "Всеволожский муниципальный район" in text
    assert "Выборгский муниципальный район" in text
    assert "ГАОУ ДПО «ЛОИРО»" in text
    assert "Справочники" in text  # committee staff edit reference data in the admin


def test_committee_home_lists_decisions_behind_most_overdue_first(client_for, people):
    committee_meeting(people,
        decision("1", "Сдать отчёт о каникулах.", f"до {written(5)}", "руководители ОМСУ"),
        decision("2", "Провести педсоветы по итогам ЕГЭ.", f"до {written(-3)}", "руководители ОМСУ; ЛОИРО"),
        decision("3", "Утвердить планы.", f"до {written(-9)}", "ЛОИРО"),
    )  # fmt: skip
    Obligation.objects.filter(decision__text="Утвердить планы.").update(status="accepted")
    Obligation.objects.filter(decision__text__startswith="Провести", organization__isnull=False).update(
        status="reported"
    )
    text = client_for(people.committee).get(reverse("home")).text
    panel = text[text.index("Решения на контроле: где отстают") :]
    assert panel.index("Провести педсоветы") < panel.index("Сдать отчёт о каникулах")
    assert "Утвердить планы" not in panel  # carried out in full
    row = panel[panel.index("Провести педсоветы") : panel.index("</tr>", panel.index("Провести педсоветы"))]
    assert "0 из 3" in row and ">1<" in row and "text-danger" in row  # one on review, two overdue


def test_observer_is_told_it_is_read_only(client_for, people):
    text = client_for(people.observer).get(reverse("home")).text
    assert "изменять данные нельзя" in text
    assert "Справочники" not in text


def test_director_home_is_own_school(client_for, people):
    text = client_for(people.director_a).get(reverse("home")).text
    assert "Средняя школа № 1 г. Всеволожска" in text
    assert "Комитет по образованию Всеволожского района" in text
    assert "Агалатовская" not in text


def test_organization_staff_home_is_own_organization(client_for, people):
    text = client_for(people.loiro_staff).get(reverse("home")).text
    assert "Ленинградский областной институт развития образования" in text
    assert "Всеволожский" not in text


def test_navigation_depends_on_role(client_for, people):
    head = client_for(people.head_a).get(reverse("home")).text
    assert "Мой муниципалитет" in head and "Муниципалитеты</a>" not in head
    director = client_for(people.director_a).get(reverse("home")).text
    assert "Моя школа" in director and ">Школы<" not in director


def test_school_list_filters_by_flag_and_search(client_for, people):
    client = client_for(people.committee)
    flagged = client.get(reverse("municipalities:school_list"), {"low_results": "true"}).text
    assert "СОШ № 1 Всеволожск" in flagged and "Агалатовская СОШ" not in flagged
    found = client.get(reverse("municipalities:school_list"), {"q": "sch4704001"}).text
    assert "СОШ № 1 Всеволожск" in found and "Гимназия Выборга" not in found


def test_school_export_is_xlsx_of_the_filtered_scope(client_for, people):
    response = client_for(people.head_a).get(reverse("municipalities:school_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:2] == ("Код ОО", "Краткое название")
    assert [row[0] for row in rows[1:]] == ["04002", "04001"]


def test_exported_cells_that_look_like_formulas_are_neutralised(client_for, people):
    people.school_a.locality = '=HYPERLINK("http://evil")'
    people.school_a.save()
    response = client_for(people.head_a).get(reverse("municipalities:school_export"))
    sheet = load_workbook(BytesIO(response.content)).active
    localities = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in localities


def test_dates_are_shown_as_dd_mm_yyyy_in_moscow_time(client_for, people):
    client = client_for(people.head_a)  # signing in sets last_login; overwrite it afterwards
    User.objects.filter(pk=people.head_a.pk).update(last_login=datetime(2026, 3, 15, 22, 30, tzinfo=UTC))
    text = client.get(reverse("profile")).text
    # 22:30 UTC is 01:30 the next day in Moscow
    assert "16.03.2026 01:30" in text


def test_unknown_page_is_a_russian_404(client_for, people, settings):
    settings.DEBUG = False
    response = client_for(people.head_a).get("/nowhere/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.text


def test_healthz_answers_without_login(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize("url", ["/admin/", "/admin/municipalities/school/"])
def test_admin_is_in_russian_for_committee(client_for, people, url):
    people.committee.is_superuser = True
    people.committee.save()
    response = client_for(people.committee).get(url)
    assert response.status_code == 200
    assert "Портал контроля качества образования" in response.text


def test_admin_is_closed_to_municipal_heads(client_for, people):
    response = client_for(people.head_a).get("/admin/")
    assert response.status_code == 302

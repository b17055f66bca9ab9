"""Onboarding a region: its directory from a workbook, checked first, then all or nothing; invitations."""

import io
import json
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from municipalities.directory.service import import_directory
from municipalities.models import Alias, Municipality, Organization, Region, School, User

pytestmark = pytest.mark.django_db

MUNICIPALITIES = [
    ["Код муниципалитета", "Название", "Вид", "МОУО", "Краткое название органа", "Электронная почта"],
    ["101", "Лихославльский муниципальный округ", "муниципальный округ",
     "Отдел образования администрации Лихославльского муниципального округа", "ОО Лихославль", "oo@likh.ru"],
    ["102", "Кашинский городской округ", "ГО", "Управление образования Кашинского городского округа", "", ""],
]  # fmt: skip
ORGANIZATIONS = [
    ["Код", "Вид", "Полное наименование", "Краткое наименование", "Входит в", "Код МСУ", "Варианты написания"],
    ["tver-min", "министерство", "Министерство образования Тверской области", "Минобр ТО", "", "", ""],
    ["tver-oo", "отдел", "Отдел общего образования", "Отдел ОО", "tver-min", "", ""],
    ["toiuu", "подведомственная", "Тверской областной институт усовершенствования учителей", "ГАУ ДПО ТОИУУ",
     "", "", "ТОИУУ; ГАУ ДПО «ТОИУУ»"],
]  # fmt: skip
SCHOOLS = [
    ["Код района", "Код школы", "Наименование ОО", "Краткое наименование", "Тип", "Логин ФИС ОКО", "Населенный пункт",
     "Сельская школа", "ШНОР", "Неблагоприятные условия", "E-mail"],
    ["101", "101001", "МОУ «Лихославльская средняя общеобразовательная школа № 1»", "Лихославльская СОШ № 1", "СОШ",
     "sch690001", "г. Лихославль", "нет", "да", "нет", "sch1@likh.ru"],
    ["101", "101002", "МОУ «Калашниковская основная школа»", "Калашниковская ООШ", "ООШ", "", "п. Калашниково",
     "да", "нет", "да", ""],
    ["102", "102001", "МОУ «Кашинская гимназия»", "Кашинская гимназия", "гимназия", "sch690003", "г. Кашин",
     "нет", "нет", "нет", ""],
]  # fmt: skip
USERS = [
    ["Логин", "Фамилия", "Имя", "Отчество", "E-mail", "Должность", "Роль", "Код подразделения"],
    ["likh-head", "Смирнова", "Ольга", "Петровна", "smirnova@likh.ru", "начальник отдела", "руководитель МОУО", "101"],
    ["sch101001", "Фомичева", "Ольга", "Геннадьевна", "fomicheva@likh.ru", "директор", "директор", "101001"],
    ["tver-staff", "Петров", "Иван", "", "petrov@tver.ru", "", "комитет", "tver-oo"],
]  # fmt: skip


def workbook(**sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(["Справочник региона на 01.09.2026"])  # a title row above the header
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def full_book(**changes) -> bytes:
    sheets = {"Муниципалитеты": MUNICIPALITIES, "Организации": ORGANIZATIONS, "Школы": SCHOOLS,
              "Пользователи": USERS}  # fmt: skip
    sheets.update(changes)
    return workbook(**{k: v for k, v in sheets.items() if v is not None})


@pytest.fixture
def tver():
    return Region.objects.create(code="69", name="Тверская область")


def directory_state(region) -> dict:
    return {
        "municipalities": sorted(
            Municipality.objects.filter(region=region).values_list("code", "name", "email")
        ),
        "schools": sorted(
            School.objects.filter(municipality__region=region).values_list(
                "code", "short_name", "kind", "low_results", "is_rural", "monitoring_login"
            )
        ),
        "organizations": sorted(
            Organization.objects.filter(region=region).values_list("code", "kind", "parent__code")
        ),
        "users": sorted(
            User.objects.filter(email__contains="likh.ru").values_list("username", "role", "password")
        ),
        "aliases": sorted(Alias.objects.filter(organization__region=region).values_list("text", flat=True)),
    }


def test_a_new_region_loads_its_directory_after_a_dry_run_that_saves_nothing(tver):
    checked = import_directory(full_book(), "tver.xlsx", tver, dry_run=True)
    assert checked.ok and checked.rows == 11
    assert checked.as_json()["created"] == 11 and checked.as_json()["aliases_added"] == 2
    assert not Municipality.objects.filter(region=tver).exists() and not User.objects.filter(
        username="likh-head"
    )

    report = import_directory(full_book(), "tver.xlsx", tver)
    assert report.saved, [str(p) for p in report.errors]
    schools = {s.code: s for s in School.objects.filter(municipality__region=tver)}
    assert set(schools) == {"101001", "101002", "102001"}
    assert schools["101001"].low_results and not schools["101001"].is_rural
    assert (
        schools["101002"].kind == "oosh"
        and schools["101002"].is_rural
        and schools["101002"].difficult_conditions
    )
    assert Municipality.objects.get(code="102").kind == "city_okrug"
    assert Organization.objects.get(code="tver-oo").parent.code == "tver-min"
    assert set(Alias.objects.filter(organization__code="toiuu").values_list("text", flat=True)) == {
        "ТОИУУ", "ГАУ ДПО «ТОИУУ»"}  # fmt: skip
    head = User.objects.get(username="likh-head")
    assert head.role == "municipality" and head.municipality.code == "101" and not head.has_usable_password()
    director = User.objects.get(username="sch101001")
    assert director.school.code == "101001" and director.municipality.code == "101"


def test_reimporting_the_same_file_changes_nothing(tver):
    assert import_directory(full_book(), "tver.xlsx", tver).saved
    before = directory_state(tver)
    again = import_directory(full_book(), "tver.xlsx", tver)
    assert again.saved
    data = again.as_json()
    assert (data["created"], data["updated"], data["unchanged"]) == (0, 0, 11)
    assert directory_state(tver) == before


def test_a_changed_row_is_updated_by_its_code(tver):
    import_directory(full_book(), "tver.xlsx", tver)
    schools = [row[:] for row in SCHOOLS]
    schools[3][3] = "Гимназия г. Кашина"
    report = import_directory(full_book(Школы=schools), "tver.xlsx", tver)
    assert report.as_json()["updated"] == 1
    assert School.objects.get(code="102001").short_name == "Гимназия г. Кашина"


def test_every_problem_is_named_by_sheet_row_and_column_and_nothing_is_saved(tver):
    schools = [row[:] for row in SCHOOLS]
    schools[1][0] = "999"  # an unknown municipality
    schools[2][4] = "академия"  # an unknown type
    schools[3][7] = "может быть"  # not a yes/no
    schools.append(schools[1][:])  # the same school code twice
    schools[4][0] = "101"
    report = import_directory(full_book(Школы=schools), "tver.xlsx", tver)
    assert not report.ok
    found = {(p.sheet, p.row, p.column) for p in report.errors}
    assert ("Школы", 3, "Код района") in found
    assert ("Школы", 4, "Тип") in found
    assert ("Школы", 5, "Сельская школа") in found
    assert ("Школы", 6, "Код школы") in found
    messages = " ".join(p.message for p in report.errors)
    assert "«999»" in messages and "«академия»" in messages and "строке 3" in messages
    assert not Municipality.objects.filter(region=tver).exists()
    assert not User.objects.filter(username="likh-head").exists()
    assert not mail.outbox


def test_a_missing_required_column_names_the_sheet_and_the_column(tver):
    users = [[c for i, c in enumerate(row) if i != 6] for row in USERS]  # no «Роль»
    report = import_directory(full_book(Пользователи=users), "tver.xlsx", tver)
    assert [(p.sheet, p.column, p.message) for p in report.errors] == [
        ("Пользователи", "Роль", "нет обязательного столбца")]  # fmt: skip


def test_a_code_of_another_region_is_another_unit(tver, people):
    """Codes are unique per region: region 47's «04» stays as it is, Tver gets a municipality of its own."""
    municipalities = [row[:] for row in MUNICIPALITIES]
    municipalities.append([people.mun_a.code, "Весьегонский муниципальный округ", "муниципальный округ",
                           "Отдел образования администрации Весьегонского муниципального округа", "", ""])  # fmt: skip
    report = import_directory(full_book(Муниципалитеты=municipalities), "tver.xlsx", tver)
    assert report.saved, report.errors
    people.mun_a.refresh_from_db()
    assert people.mun_a.region.code == "47" and people.mun_a.name == "Всеволожский муниципальный район"
    assert Municipality.objects.filter(code=people.mun_a.code, region=tver).exists()


def test_schools_missing_from_the_file_are_reported_never_deleted(tver):
    import_directory(full_book(), "tver.xlsx", tver)
    schools = SCHOOLS[:3]  # Кашинская гимназия left out
    report = import_directory(full_book(Школы=schools), "tver.xlsx", tver)
    assert report.saved
    assert any("102001" in item for item in report.missing)
    assert School.objects.filter(code="102001", is_active=True).exists()


def test_new_users_are_invited_once_and_set_their_own_password(
    tver, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_directory(full_book(), "tver.xlsx", tver)
    assert report.invited == ["likh-head", "sch101001", "tver-staff"]
    assert sorted(m.to[0] for m in mail.outbox) == ["fomicheva@likh.ru", "petrov@tver.ru", "smirnova@likh.ru"]
    letter = next(m for m in mail.outbox if m.to == ["smirnova@likh.ru"])
    assert "likh-head" in letter.body and "Смирнова" not in letter.subject
    link = re.search(r"https?://\S+", letter.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "new_password1" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Тверь-2026-пароль", "new_password2": "Тверь-2026-пароль"},
    )
    assert done.status_code == 302
    signed_in = client.post(reverse("login"), {"username": "likh-head", "password": "Тверь-2026-пароль"})
    assert signed_in.status_code == 302
    client.logout()
    assert "new_password1" not in client.get("/" + path, follow=True).text  # the link works once

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        import_directory(full_book(), "tver.xlsx", tver)
    assert mail.outbox == []  # a re-import invites nobody again


def test_a_csv_sheet_in_windows_1251_with_semicolons(tver):
    import_directory(workbook(Муниципалитеты=MUNICIPALITIES), "m.xlsx", tver)
    text = "\n".join(";".join(row) for row in SCHOOLS)
    report = import_directory(text.encode("cp1251"), "Школы.csv", tver)
    assert report.saved, [str(p) for p in report.errors]
    assert School.objects.filter(municipality__region=tver).count() == 3


def test_the_template_is_filled_with_the_region_and_imports_back_unchanged(client_for, people):
    response = client_for(people.committee).get(reverse("municipalities:directory_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Муниципалитеты", "Организации", "Школы", "Пользователи"]
    codes = [row[1] for row in book["Школы"].iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["04001", "04002", "05001"]
    report = import_directory(response.content, "template.xlsx", people.committee_org.region, dry_run=True)
    data = report.as_json()
    assert report.ok, [str(p) for p in report.errors]
    assert (data["created"], data["updated"]) == (0, 0) and data["unchanged"] == data["rows"]


def test_the_command_prints_counts_and_problems_as_json(tver, tmp_path, capsys):
    path = tmp_path / "tver.xlsx"
    path.write_bytes(full_book())
    call_command("import_directory", str(path), "--region", "69", "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["rows"], data["created"], data["updated"], data["errors"]) == (11, 11, 0, [])
    assert not Municipality.objects.filter(region=tver).exists()

    bad = [row[:] for row in SCHOOLS]
    bad[1][0] = "999"
    path.write_bytes(full_book(Школы=bad))
    with pytest.raises(CommandError, match="ничего не сохранено"):
        call_command("import_directory", str(path), "--region", "69", "--json")
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert {"sheet": "Школы", "row": 3, "column": "Код района"}.items() <= errors[0].items()
    with pytest.raises(CommandError, match="Регион с кодом «00» не найден"):
        call_command("import_directory", str(path), "--region", "00")


def test_the_page_checks_then_saves_for_committee_staff_only(client_for, people):
    committee = client_for(people.committee)
    schools = [row[:] for row in SCHOOLS[:2]]
    schools[1][0] = people.mun_a.code
    schools[1][1] = "04777"
    upload = io.BytesIO(workbook(Школы=schools))
    upload.name = "новые школы.xlsx"
    checked = committee.post(reverse("municipalities:directory"), {"file": upload})
    assert "Проверка пройдена" in checked.text and not School.objects.filter(code="04777").exists()
    saved = committee.post(reverse("municipalities:directory"), {"action": "save"}, follow=True)
    assert "Справочник загружен: создано 1" in saved.text
    assert School.objects.get(code="04777").municipality == people.mun_a

    for user in (people.observer, people.head_a, people.director_a):
        client_for(user)
        assert committee.get(reverse("municipalities:directory")).status_code == 403
        assert committee.get(reverse("municipalities:directory_template")).status_code == 403
    with pytest.raises(Exception, match="сотрудники комитета"):
        import_directory(b"", "x.xlsx", people.committee_org.region, by=people.observer)

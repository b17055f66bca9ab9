"""ВсОШ results: uploaded per school × subject × stage, checked whole, summarised within scope."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import OlympiadResult
from tests.assessments.factories import subject

GOOD = (
    "Код ОО;Предмет;Этап;Участников;Победителей;Призёров\n"
    "04001;Русский язык;региональный;12;1;3\n"
    "05001;русский;Региональный этап;8;2;1\n"
)


def post(client, text: str, year="2025"):
    return client.post(reverse("assessments:olympiad"),
                       {"year": year, "file": SimpleUploadedFile("vsosh.csv", text.encode("cp1251"))}, follow=True)  # fmt: skip


def test_upload_and_scoped_summary(people, client):
    subject()
    client.force_login(people.committee)
    page = post(client, GOOD)
    assert "Загружено строк: 2." in page.text
    assert OlympiadResult.objects.count() == 2
    rows = client.get(reverse("assessments:olympiad"), {"year": 2025, "stage": "regional"}).context["rows"]
    assert [(r["school__municipality__name"], r["winners"]) for r in rows] == [
        (people.mun_b.name, 2),
        (people.mun_a.name, 1),
    ]
    client.force_login(people.head_a)
    rows = client.get(reverse("assessments:olympiad"), {"year": 2025, "stage": "regional"}).context["rows"]
    assert [(r["participants"], r["winners"], r["prize_winners"]) for r in rows] == [(12, 1, 3)]


def test_bad_rows_block_the_whole_file(people, client):
    subject()
    client.force_login(people.committee)
    page = post(client, GOOD + "04002;Русский язык;районный;5;0;0\n04002;Шахматы;школьный;3;2;2\n")
    assert "Этап «районный»" in page.text and "Предмет «Шахматы» не найден" in page.text
    assert "Ничего не загружено" in page.text
    assert not OlympiadResult.objects.exists()


def test_only_committee_uploads(people, client):
    client.force_login(people.head_a)
    assert post(client, GOOD).status_code == 403


def test_across_years_per_municipality_and_per_school_with_xlsx(people, client):
    from io import BytesIO

    from openpyxl import load_workbook

    subject()
    client.force_login(people.committee)
    post(client, GOOD, year="2025")
    post(client, "Код ОО;Предмет;Этап;Участников;Победителей;Призёров\n04001;Русский язык;региональный;15;2;4\n"
                 "04002;Русский язык;региональный;3;0;1\n", year="2026")  # fmt: skip
    page = client.get(reverse("assessments:olympiad"), {"stage": "regional"})
    assert page.context["span"] == [2025, 2026]
    history = {
        r["name"]: [c and c["winners"] + c["prize_winners"] for c in r["cells"]]
        for r in page.context["history"]
    }
    assert history == {people.mun_a.name: [4, 7], people.mun_b.name: [3, None]}
    schools = client.get(
        reverse("assessments:olympiad"), {"stage": "regional", "municipality": people.mun_a.pk}
    )
    assert [
        (r["name"], [c and c["participants"] for c in r["cells"]]) for r in schools.context["history"]
    ] == [("СОШ № 1 Всеволожск", [12, 15]), ("Агалатовская СОШ", [None, 3])]
    export = client.get(
        reverse("assessments:olympiad"),
        {"stage": "regional", "municipality": people.mun_a.pk, "format": "xlsx"},
    )
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Код", "Образовательная организация", "2025/2026: участников", "2025/2026: победителей",
                           "2025/2026: призёров")  # fmt: skip
    assert rows[1] == ("04001", "СОШ № 1 Всеволожск", 12, 1, 3, 15, 2, 4)
    client.force_login(people.head_b)  # a head sees own municipality's schools only
    own = client.get(reverse("assessments:olympiad"), {"stage": "regional"})
    assert [r["name"] for r in own.context["history"]] == ["Гимназия Выборга"]
    assert client.get(reverse("assessments:olympiad"), {"municipality": people.mun_a.pk}).status_code == 404

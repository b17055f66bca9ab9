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
    page = post(client, GOOD + "04002;Русский язык;районный;5;0;0\n04002;Физика;школьный;3;2;2\n")
    assert "Этап «районный»" in page.text and "Предмет «Физика» не найден" in page.text
    assert "Ничего не загружено" in page.text
    assert not OlympiadResult.objects.exists()


def test_only_committee_uploads(people, client):
    client.force_login(people.head_a)
    assert post(client, GOOD).status_code == 403

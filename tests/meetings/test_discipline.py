"""The execution-discipline report: done on time, done late, overdue, % on time — on the page and in XLSX."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from meetings import services
from meetings.models import Obligation, Report
from tests.meetings.factories import committee_meeting, decision, written


def test_counts_per_municipality(people, client):
    meeting = committee_meeting(
        people,
        decision("1", "Представить анализ.", f"до {written(-3)}", "руководители ОМСУ"),
        decision("2", "Утвердить план.", f"до {written(10)}", "руководители ОМСУ"),
    )
    on_time = Obligation.objects.get(decision__number="2", municipality=people.mun_a)
    services.report_submit(obligation=on_time, actor=people.head_a, text="План утверждён.")
    services.report_accept(obligation=on_time, actor=people.committee)
    late = Obligation.objects.get(decision__number="1", municipality=people.mun_a)
    services.report_submit(obligation=late, actor=people.head_a, text="Анализ представлен.")
    services.report_accept(obligation=late, actor=people.committee)
    # mun_b: decision 1 is overdue, decision 2 still open in time
    assert Report.objects.count() == 2 and meeting

    client.force_login(people.committee)
    rows = {r.name: r for r in client.get(reverse("meetings:discipline")).context["rows"]}
    a, b = rows[people.mun_a.name], rows[people.mun_b.name]
    assert (a.total, a.on_time, a.late, a.overdue, a.open) == (2, 1, 1, 0, 0)
    assert a.percent_on_time == 50.0
    assert (b.total, b.on_time, b.late, b.overdue, b.open) == (2, 0, 0, 1, 2)
    assert b.percent_on_time == 0.0

    response = client.get(reverse("meetings:discipline"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    table = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert table[people.mun_a.name] == (2, 1, 1, 0, 0, 50)
    assert table["Итого"][:4] == (4, 1, 1, 1)


def test_head_sees_only_own_municipality_in_the_report(people, client):
    committee_meeting(people, decision("1", "Представить анализ.", f"до {written(5)}", "руководители ОМСУ"))
    client.force_login(people.head_b)
    names = [r.name for r in client.get(reverse("meetings:discipline")).context["rows"]]
    assert names == [people.mun_b.name]

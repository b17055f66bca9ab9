"""Speed and memory figures, printed (not asserted): `make bench`."""

import statistics
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.figures import figure
from meetings.deadlines import parse_deadline
from meetings.models import AgendaItem, Decision, Meeting, Obligation
from meetings.protocol_import import parse_protocol
from municipalities.models import Municipality, Organization, School
from notifications.reminders import plan

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "meetings" / "samples"


def timed(fn, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def median_of(fn, runs: int = 5) -> float:
    """The median of several timed runs: one slow run on the shared machine does not move it."""
    return statistics.median(timed(fn) for _ in range(runs))


def cpu_median_of(fn, runs: int = 5) -> float:
    """The median CPU seconds of this process over several runs: what a worker spends, whatever the load."""
    spent = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        spent.append(time.process_time() - start)
    return statistics.median(spent)


def peak_of(fn) -> float:
    """Peak traced Python memory of one run, in MB (a run of its own: tracing slows Python down 2–3×)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_deadline_parser_speed():
    texts = ["до 15.03.2021", "до 1 марта 2021 года", "март–апрель 2021", "постоянно до 2025 года",
             "ежеквартально до 10 числа месяца, следующего за отчётным", "до 20.03.2021, 20.04.2021"] * 500  # fmt: skip
    seconds = timed(lambda: [parse_deadline(t) for t in texts])
    figure("deadline parser", f"{len(texts) / seconds:,.0f} deadlines/s".replace(",", " "))


def test_protocol_parse_speed():
    text = (SAMPLES / "council_protocol.txt").read_text() * 10
    tracemalloc.start()
    seconds = timed(lambda: parse_protocol(text), repeat=3)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    figure(
        "protocol parse (10× council sample, ~80 KB)", f"{seconds * 1000:.0f} ms, peak {peak / 1e6:.1f} MB"
    )


def test_addressee_resolution_on_the_demo_region(people):
    """The demo region (18 municipalities, ~330 schools): a resolver's snapshot, then 100 responsible texts."""
    from meetings.parties import PartyResolver
    from municipalities.demo import load_demo_region

    load_demo_region(with_users=False)
    texts = [
        "руководители органов местного самоуправления Ленинградской области, осуществляющих управление в сфере "
        "образования, ГАУ ДПО «Ленинградский областной институт развития образования»",
        "руководители общеобразовательных организаций Гатчинского и Лужского муниципальных районов",
        "комитет образования Бокситогорского муниципального района",
        "МОУ «СОШ № 2 г. Волхова», МОУ «Пашская СОШ»",
        "отдел общего образования комитета",
    ] * 20
    started = time.perf_counter()
    resolver = PartyResolver(organization=Organization.objects.get(code="koipo"))
    snapshot = time.perf_counter() - started
    seconds = timed(lambda: [resolver.responsible(text) for text in texts], repeat=3)
    figure(
        "addressee resolution, demo region",
        f"snapshot {snapshot * 1000:.0f} ms, 100 texts {seconds * 1000:.0f} ms",
    )


@pytest.fixture
def big_region(people):
    """10 000 obligations over 300 schools and two municipalities, most open, some overdue."""
    schools = [School(municipality=people.mun_a if n % 2 else people.mun_b, region_id=people.mun_a.region_id, code=f"9{n:04d}", name=f"Школа {n}",
                      short_name=f"Школа {n}", kind="sosh") for n in range(300)]  # fmt: skip
    School.objects.bulk_create(schools)
    today = timezone.localdate()
    meetings = [
        Meeting(kind="meeting", date=today - timedelta(days=30), title=f"Совещание {n}", status="signed",
                organizer_organization=people.committee_org, created_by=people.committee)
        for n in range(33)
    ]  # fmt: skip
    Meeting.objects.bulk_create(meetings)
    items = AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=m, number=1, title="Вопрос") for m in Meeting.objects.all()]
    )
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                item=i,
                number="1",
                text="Провести анализ результатов",
                tracked=True,
                controller=people.committee,
            )
            for i in items
        ]
    )
    school_ids = list(School.objects.values_list("pk", flat=True))
    rows = [
        Obligation(decision=d, school_id=s, due_date=today + timedelta(days=(n % 40) - 10), status="assigned")
        for n, (d, s) in enumerate((d, s) for d in decisions for s in school_ids)
    ][:10_000]
    Obligation.objects.bulk_create(rows, batch_size=2000)
    return people


def test_board_and_reminder_scan_on_10000_obligations(big_region, client):
    people = big_region
    assert Obligation.objects.count() >= 9_900
    client.force_login(people.committee)
    client.get(reverse("meetings:obligation_list"))  # warm up
    with CaptureQueriesContext(connection) as queries:
        seconds = timed(lambda: client.get(reverse("meetings:obligation_list")), repeat=5)
    figure("control board, 10 000 obligations", f"{seconds * 1000:.0f} ms/page, {len(queries) // 5} queries")
    seconds = timed(lambda: client.get(reverse("meetings:obligation_list"), {"state": "overdue"}), repeat=5)
    figure("board filtered to overdue", f"{seconds * 1000:.0f} ms/page")
    seconds = timed(lambda: client.get(reverse("meetings:discipline")), repeat=3)
    figure("discipline report", f"{seconds * 1000:.0f} ms")
    client.force_login(people.head_a)
    seconds = timed(lambda: client.get(reverse("home")), repeat=5)
    figure("municipal head home page", f"{seconds * 1000:.0f} ms")
    seconds = median_of(lambda: plan(timezone.localdate()), runs=3)
    peak = peak_of(lambda: plan(timezone.localdate()))
    figure("reminder planning over 10 000 obligations", f"{seconds:.2f} s, peak {peak:.0f} MB")
    figure("database", connection.vendor)
    assert Municipality.objects.count() == 2


def test_search_and_control_card_on_10000_obligations(big_region, client):
    """Search vectors are computed on the fly (no stored index): how long that takes at ten thousand rows."""
    from meetings.control_card import render_card

    people = big_region
    client.force_login(people.committee)
    url = reverse("search")
    client.get(url, {"q": "анализа результатов"})  # warm up
    seconds = timed(lambda: client.get(url, {"q": "анализа результатов"}), repeat=3)
    figure("search page, 10 000 obligations, committee (word forms)", f"{seconds * 1000:.0f} ms")
    client.force_login(people.head_a)
    seconds = timed(lambda: client.get(url, {"q": "Школа 12"}), repeat=3)
    figure("search page, municipal head", f"{seconds * 1000:.0f} ms")
    obligation = Obligation.objects.first()
    render_card(obligation)  # warm up fonts
    seconds = timed(lambda: render_card(obligation), repeat=3)
    figure("control card PDF", f"{seconds * 1000:.0f} ms")


def test_protocol_pdf_with_30_decisions(people):
    from meetings.documents import render_document
    from tests.meetings.factories import committee_meeting, decision, written

    decisions = [
        decision(str(n), f"Обеспечить выполнение мероприятия № {n} муниципальной программы повышения качества "
                 "образования и представить в комитет информацию о результатах.", f"до {written(n)}",
                 "руководители ОМСУ")
        for n in range(1, 31)
    ]  # fmt: skip
    meeting = committee_meeting(people, *decisions)
    cold = timed(lambda: render_document(meeting, "protocol"))  # the worker's first document: fonts, CSS
    seconds = median_of(lambda: render_document(meeting, "protocol"), runs=7)
    cpu = cpu_median_of(lambda: render_document(meeting, "protocol"), runs=7)
    peak = peak_of(lambda: render_document(meeting, "protocol"))
    figure(
        "protocol PDF, 30 decisions",
        f"{seconds * 1000:.0f} ms warm, {cpu * 1000:.0f} ms of CPU (medians of 7; the process's first "
        f"{cold * 1000:.0f} ms), peak {peak:.0f} MB",
    )


def test_reminders_per_second_to_local_smtp(people, smtp):
    from notifications.delivery import deliver
    from notifications.models import Reminder
    from tests.meetings.factories import committee_meeting, decision, written

    committee_meeting(
        people, *[decision(str(n), f"Поручение {n}", f"до {written(0)}", "ЛОИРО") for n in range(200)]
    )
    from notifications.reminders import send_reminders

    send_reminders(timezone.localdate())
    ids = list(Reminder.objects.values_list("pk", flat=True))
    seconds = timed(lambda: [deliver(pk, f"bench-{pk}") for pk in ids])
    assert len(smtp.inbox.messages) == len(ids)
    figure("reminders delivered to local SMTP", f"{len(ids) / seconds:.0f} per second (one worker process)")


def test_daily_scan_over_100000_open_obligations(people):
    from meetings.models import Obligation

    today = timezone.localdate()
    meetings = Meeting.objects.bulk_create([
        Meeting(kind="meeting", date=today - timedelta(days=30), title=f"Совещание {n}", status="signed",
                organizer_organization=people.committee_org, created_by=people.committee)
        for n in range(1000)
    ])  # fmt: skip
    items = AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=m, number=1, title="Вопрос") for m in meetings]
    )
    decisions = Decision.objects.bulk_create(
        [
            Decision(item=i, number="1", text="Провести анализ", tracked=True, controller=people.committee)
            for i in items
        ]
    )
    schools = School.objects.bulk_create([
        School(municipality=people.mun_a, region_id=people.mun_a.region_id, code=f"8{n:04d}", name=f"Школа {n}", short_name=f"Школа {n}", kind="sosh")
        for n in range(100)
    ])  # fmt: skip
    rows = (Obligation(decision=d, school=s, due_date=today + timedelta(days=(d.pk + s.pk) % 60 - 20))
            for d in decisions for s in schools)  # fmt: skip
    Obligation.objects.bulk_create(rows, batch_size=5000)
    assert Obligation.objects.count() >= 100_000
    reverse("meetings:obligation_list")  # a worker has its URL conf loaded after its first task
    with CaptureQueriesContext(connection) as queries:
        planned = len(plan(today))
    seconds = median_of(lambda: plan(today), runs=3)
    peak = peak_of(lambda: plan(today))
    figure(
        "daily reminder scan, 100 000 open obligations",
        f"{seconds:.2f} s (median of 3), {len(queries)} queries, {planned:_} reminders planned, "
        f"peak {peak:.0f} MB".replace("_", " "),
    )

"""The import of a big result sheet, printed (not asserted): `make bench`.

One sheet in the regional processing centre's layout (a merged title row, Фамилия / Имя / Отчество / Серия
и Номер документа and no participant code, so every row takes the keyed-pseudonym path; numbers as text; a
blank row inside the data), ``BENCH_IMPORT_ROWS`` rows (default 1 000 000), written by XlsxWriter in its
constant-memory mode (inline strings; a workbook saved by Excel has shared strings, which the portal's reader
takes about as fast). In the same run and the same database it is imported twice:

* through the portal (check + commit as staff run them, each in its own committed transaction);
* the naive Django way — openpyxl in read-only mode, a Result per row, ``bulk_create`` in batches of 5 000,
  the same pseudonyms, task points and per-school aggregates — into another campaign;

and the ratio of the two is printed as ``BENCH import speed-up over openpyxl + bulk_create: N.N×``.
"""

import hmac
import multiprocessing
import os
import re
import resource
import time
from pathlib import Path

from django.db import connection, transaction

from bench.figures import figure
from municipalities.models import School

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
KEY = "bench-only-pseudonym-key-0123456789abcdef"
HEADER = ["Код МСУ", "Код ОО", "Класс", "Код ППЭ", "Аудитория", "Фамилия", "Имя", "Отчество", "Серия документа",
          "Номер документа", "Задания с кратким ответом", "Задания с развёрнутым ответом", "Первичный балл", "Балл"]  # fmt: skip
SURNAMES = ["Иванов", "Смирнова", "Кузнецов", "Попова", "Васильев", "Петрова", "Соколов", "Михайлова"]
NAMES = ["Александр", "Мария", "Дмитрий", "Анна", "Иван", "Екатерина", "Максим", "Софья"]


def _rows(rows: int, schools: list[str]):
    for n in range(rows):
        if n == rows // 2:
            yield []  # a blank row inside the data, as centres' files have
        school = schools[n % len(schools)]
        yield [school[:2], school, "11А", f"{school[:2]}01", str(n % 20), SURNAMES[n % 8], NAMES[n % 7], "Иванович",
               str(4000 + n // 1_000_000), f"{n % 1_000_000:06d}", "++-+1+0+-+", "2(2)1(3)0(2)", str(20 + n % 30),
               str(24 + n % 76)]  # fmt: skip


def _centre_sheet(path: Path, rows: int, schools: list[str]) -> None:
    """Written by XlsxWriter in constant-memory mode (inline strings), row by row."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("ЕГЭ")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "Результаты ЕГЭ по русскому языку, 2026 год")
    sheet.write_row(1, 0, HEADER)
    for n, values in enumerate(_rows(rows, schools), start=2):
        if values:
            sheet.write_row(n, 0, values)
    book.close()


class _MemorySampler:
    """Peak proportional set size (PSS) of this process and its children, sampled every 0.2 s by a separate
    process (a thread would take the GIL from the import it measures): pages the forked checkers share
    with the parent (the parsed sheet) are counted once, not once per process."""

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    @classmethod
    def _sample(cls, parent: int, stop, answer) -> None:
        peak = 0
        while not stop.wait(0.2):
            children = [int(p) for p in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
            total = cls._pss_kb(parent) + sum(cls._pss_kb(pid) for pid in children if pid != os.getpid())
            peak = max(peak, total)
        answer.send(peak)

    def __enter__(self):
        context = multiprocessing.get_context("fork")
        self.stop = context.Event()
        self.answer, child_end = context.Pipe(duplex=False)
        self.process = context.Process(
            target=self._sample, args=(os.getpid(), self.stop, child_end), daemon=True
        )
        self.process.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.peak_mb = self.answer.recv() / 1024
        self.process.join()


_EXTENDED = re.compile(r"(\d+)\(\d+\)")


def _timed(fn, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def cpu_seconds() -> float:
    """CPU time of this process and its waited-for children (the forked checkers): unlike wall time, it
    hardly depends on what else the machine runs (PostgreSQL's own work is not in it)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def naive_import(path: Path, campaign, key: bytes) -> int:
    """What a Django developer writes first: openpyxl read-only, one model instance per row, bulk_create."""
    from openpyxl import load_workbook

    from assessments.models import Result
    from assessments.services import aggregates_refresh

    schools = dict(School.objects.values_list("code", "pk"))
    book = load_workbook(path, read_only=True, data_only=True)
    rows = book.active.iter_rows(values_only=True)
    column = {}
    for values in rows:
        if "Код ОО" in values:
            column = {name: i for i, name in enumerate(values)}
            break
    count = 0
    with transaction.atomic():
        Result.objects.filter(campaign=campaign).delete()
        batch = []
        for values in rows:
            if not values or all(v is None for v in values):
                continue
            document = f"d|{values[column['Серия документа']]}{values[column['Номер документа']]}".lower()
            short = values[column["Задания с кратким ответом"]] or ""
            extended = values[column["Задания с развёрнутым ответом"]] or ""
            batch.append(Result(
                campaign=campaign, school_id=schools[values[column["Код ОО"]]],
                participant_code=hmac.digest(key, document.encode(), "sha256")[:10].hex(),
                class_name=values[column["Класс"]], primary_score=int(values[column["Первичный балл"]]),
                test_score=int(values[column["Балл"]]),
                task_points=[1 if c == "+" else 0 if c == "-" else int(c) for c in short]
                + [int(p) for p in _EXTENDED.findall(extended)],
            ))  # fmt: skip
            if len(batch) == 5000:
                Result.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        Result.objects.bulk_create(batch)
        count += len(batch)
        aggregates_refresh(campaign)
    book.close()
    return count


def test_import_of_a_centre_sheet_against_openpyxl_and_bulk_create(
    people, transactional_db, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments import services
    from assessments.models import Campaign, Result, Subject

    settings.RESULTS_PSEUDONYM_KEY = KEY
    russian = Subject.objects.get(code="russian")
    schools = [f"7{n:04d}" for n in range(300)]
    School.objects.bulk_create([School(municipality=people.mun_a, region_id=people.mun_a.region_id, code=code, name=code, short_name=code, kind="sosh")
                                for code in schools])  # fmt: skip
    path = tmp_path / "ege-centre.xlsx"
    maker = multiprocessing.get_context("fork").Process(target=_centre_sheet, args=(path, ROWS, schools))
    maker.start()  # written by another process, so that its memory is not counted as the import's
    maker.join()
    load = os.getloadavg()[0]
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = services.job_create(
        actor=people.committee, upload=upload, kind="EGE", year=2026, subject=None, grade=None
    )
    with _MemorySampler() as memory:
        cpu = cpu_seconds()
        started = time.perf_counter()
        outcome = services.results_check(job)
        checked = time.perf_counter()
        services.results_commit(job)
        done = time.perf_counter()
        portal_cpu = cpu_seconds() - cpu
    assert not outcome.errors, outcome.errors[:3]
    assert Result.objects.count() == ROWS
    portal = done - started
    rows = f"{ROWS:,}".replace(",", " ")
    figure(f"import of {rows} ЕГЭ rows in the centre's layout (pseudonymised), portal ({connection.vendor})",
           f"check {checked - started:.1f} s + commit {done - checked:.1f} s = {portal:.1f} s, peak memory "
           f"{memory.peak_mb:.0f} MB (PSS of the importing process and its forked checkers), "
           f"CPU {portal_cpu:.1f} s")  # fmt: skip
    from assessments.flagging import flags_refresh

    flags = _timed(lambda: flags_refresh(2026))
    figure(f"of the commit: the year's flags recomputed over {rows} rows (run again alone)", f"{flags:.1f} s")
    from django.test import Client

    browser = Client()
    browser.force_login(people.committee)
    imported = Campaign.objects.get(kind="EGE", year=2026)
    browser.get(imported.get_absolute_url())
    page = _timed(lambda: browser.get(imported.get_absolute_url()), repeat=5)
    drill = _timed(
        lambda: browser.get(imported.get_absolute_url(), {"municipality": people.mun_a.pk}), repeat=5
    )
    figure(
        f"results pages over {rows} rows",
        f"region {page * 1000:.0f} ms, municipality drill-down {drill * 1000:.0f} ms",
    )
    campaign, _ = Campaign.objects.get_or_create(
        region=people.region, kind="EGE", subject=russian, year=2025, grade=None
    )
    with _MemorySampler() as memory:
        cpu = cpu_seconds()
        started = time.perf_counter()
        assert naive_import(path, campaign, KEY.encode()) == ROWS
        naive = time.perf_counter() - started
        naive_cpu = cpu_seconds() - cpu
    portal_codes = set(
        Result.objects.filter(campaign__year=2026).values_list("participant_code", flat=True)[:1000]
    )
    assert portal_codes <= set(
        Result.objects.filter(campaign=campaign).values_list("participant_code", flat=True)
    )
    figure(f"the same {rows} rows, openpyxl read-only + bulk_create ({connection.vendor})",
           f"{naive:.1f} s, peak memory {memory.peak_mb:.0f} MB, CPU {naive_cpu:.1f} s")  # fmt: skip
    figure("load average of the machine when the run started", f"{load:.1f} (2 cores)")
    figure("import speed-up over openpyxl + bulk_create", f"{naive / portal:.1f}×")

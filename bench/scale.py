"""`make bench-scale`: the size of the country (issue #19). Figures printed, never asserted.

Builds once, in a database of its own (``SCALE_DATABASE_URL``, default ``bench_scale`` on the local server),
85 regions' directories (27 municipalities × 17 schools each: ~39 000 schools) and ``BENCH_SCALE_ROWS``
(20 000 000) results in 18 campaigns of three years, generated straight in SQL (``INSERT … SELECT
generate_series``, not through the importer), with their aggregates computed by the portal's own
``aggregates_refresh``. Then prints:

* the results pages — region, municipality, school, federal observer — p50/p95 over a few hundred requests
  (Django's test client in this process, production settings, no network);
* one more 1 000 000-row import (check + commit, the portal's own services) into the full table, against the
  same import into an empty table (a second database, ``SCALE_EMPTY_DATABASE_URL``, directory only);
* the flags recomputation for one region: ``flags_refresh(region_id=…)`` on the full database once flags take a
  region (#18); until then one region's share of the rows alone in the empty-table database, and all regions at
  once on the full one (stopped after ``BENCH_SCALE_FLAGS_TIMEOUT`` seconds);
* the size of the database and of the results table.

``python bench/scale.py`` runs it all; ``BENCH_SCALE_ROWS=1000000`` for a quick run (the results are rebuilt
when the count changes). Each step runs in a subprocess with its own ``DATABASE_URL``.
"""

import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
FULL_URL = os.environ.get("SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_scale")
EMPTY_URL = os.environ.get("SCALE_EMPTY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_scale_empty")
ROWS = int(os.environ.get("BENCH_SCALE_ROWS", "20000000"))
IMPORT_ROWS = int(os.environ.get("BENCH_SCALE_IMPORT_ROWS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_SCALE_REQUESTS", "100"))  # per page class
FLAGS_TIMEOUT = int(os.environ.get("BENCH_SCALE_FLAGS_TIMEOUT", "600"))  # seconds, then the run is stopped
REGIONS, MUNICIPALITIES, SCHOOLS = 85, 27, 17  # per country, per region, per municipality
YEARS = (2024, 2025, 2026)
IMPORT_YEAR = YEARS[-1]  # the extra import: ЕГЭ chemistry of the latest year, into its full partition
# kind, subject code, grade, scale
CAMPAIGNS = [
    ("EGE", "russian", None, {"min_score": 24, "min_score_university": 36}),
    ("EGE", "math_profile", None, {"min_score": 27}),
    ("OGE", "russian", 9, {"max_primary": 33, "mark_boundaries": {"3": 15, "4": 23, "5": 29}}),
    ("OGE", "math", 9, {"max_primary": 31, "mark_boundaries": {"3": 8, "4": 15, "5": 22}}),
    ("VPR", "russian", 5, {"max_primary": 10, "mark_boundaries": {"3": 4, "4": 6, "5": 8}, "task_max": [1] * 10}),
    ("VPR", "math", 5, {"max_primary": 10, "mark_boundaries": {"3": 4, "4": 6, "5": 8}, "task_max": [1] * 10}),
]  # fmt: skip


def env_for(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",  # no broker: nothing queued; the flags are timed on their own below
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                             dbname="postgres")  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def step(url: str, name: str, timeout: int | None = None) -> dict | None:
    """Run one step in a subprocess on the database at ``url``; its BENCH lines pass through, its figures
    come back as the JSON on its last line (None when it was stopped after ``timeout`` seconds)."""
    env = env_for(url)
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)  # noqa: S603
    last = "{}"
    with subprocess.Popen([sys.executable, __file__, name], cwd=ROOT, env=env, stdout=subprocess.PIPE,  # noqa: S603
                          text=True) as child:  # fmt: skip
        timer = threading.Timer(timeout, child.kill) if timeout else None
        if timer:
            timer.start()
        for line in child.stdout:
            if line.startswith("{"):
                last = line
            else:
                print(line, end="", flush=True)
        child.wait()
        if timer:
            timer.cancel()
    if timeout and child.returncode == -signal.SIGKILL:
        return None
    if child.returncode:
        raise SystemExit(f"step {name} failed ({child.returncode})")
    return json.loads(last)


def main() -> None:
    started = time.perf_counter()
    for url in (FULL_URL, EMPTY_URL):
        ensure_database(url)
    print(f"BENCH scale: {REGIONS} regions, {num(ROWS)} results (BENCH_SCALE_ROWS)", flush=True)
    step(FULL_URL, "build")
    empty = step(EMPTY_URL, "import-empty")
    os.environ["SCALE_EMPTY_IMPORT"] = json.dumps(empty)
    step(FULL_URL, "measure")
    if not per_region_flags():
        step(EMPTY_URL, "flags-one-region", timeout=FLAGS_TIMEOUT)
    if step(FULL_URL, "flags", timeout=FLAGS_TIMEOUT) is None:
        print(
            f"BENCH flags recomputation: not finished in {FLAGS_TIMEOUT} s, stopped (BENCH_SCALE_FLAGS_TIMEOUT)"
        )
    print(f"BENCH scale run took {time.perf_counter() - started:.0f} s", flush=True)


def per_region_flags() -> bool:
    """Whether ``flags_refresh`` takes a region (#18), read from its source without setting Django up."""
    return "region_id" in (ROOT / "assessments" / "flagging.py").read_text()


# ---------------------------------------------------------------- inside a step (Django set up)


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    from django.conf import settings

    django.setup()
    # Pages render without a collected manifest (as in the tests); the static files are not what is timed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}


def num(n: int) -> str:
    """20 000 000: thousands apart by spaces, as the README writes them."""
    return f"{n:,}".replace(",", " ")


def figure(name: str, value: str) -> None:
    print(f"BENCH {name}: {value}", flush=True)


def has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def build_directory() -> None:
    """85 regions: a committee, 27 municipalities with their authorities, 17 schools in each; the bench users."""
    from municipalities.models import Municipality, Region, Role, School, User

    if Region.objects.count() >= REGIONS:
        return
    started = time.perf_counter()
    regions = Region.objects.bulk_create(
        [Region(code=f"{r:02d}", name=f"Регион {r:02d}") for r in range(1, REGIONS + 1)]
    )
    municipalities = Municipality.objects.bulk_create([
        Municipality(region=region, code=f"{region.code}{m:03d}", name=f"Район {region.code}-{m:02d}",
                     kind=Municipality.Kind.DISTRICT, authority_name=f"Управление образования {region.code}-{m:02d}")
        for region in regions for m in range(1, MUNICIPALITIES + 1)
    ])  # fmt: skip
    kinds = ["sosh"] * 6 + ["gymnasium", "lyceum", "oosh", "sosh"]
    School.objects.bulk_create(
        [
            School(municipality=mun, code=f"{mun.code}{s:03d}", name=f"Школа № {s} ({mun.name})",
                   short_name=f"СОШ № {s} {mun.code}", kind=kinds[s % len(kinds)],
                   **({"region_id": mun.region_id} if has_field(School, "region") else {}))
            for mun in municipalities for s in range(1, SCHOOLS + 1)
        ],
        batch_size=5000,
    )  # fmt: skip
    first = regions[0]
    region_of = {"region": first} if has_field(User, "region") else {}
    mun = Municipality.objects.filter(region=first).order_by("code").first()
    school = School.objects.filter(municipality=mun).order_by("code").first()
    User.objects.create(username="scale-committee", role=Role.COMMITTEE, **region_of)
    User.objects.create(username="scale-head", role=Role.MUNICIPALITY, municipality=mun, **region_of)
    User.objects.create(
        username="scale-director", role=Role.SCHOOL, school=school, municipality=mun, **region_of
    )
    User.objects.create(username="scale-super", role=Role.COMMITTEE, is_superuser=True, is_staff=True)
    # TODO(#18): a «федеральный наблюдатель» (Role.FEDERAL, branch `regions`) for the all-regions view.
    figure(
        "directory built", f"{num(School.objects.count())} schools in {time.perf_counter() - started:.0f} s"
    )


def _scale(kind: str, code: str, year: int, grade, values: dict):
    from assessments.models import Scale, Subject

    scale, _ = Scale.objects.get_or_create(
        kind=kind, subject=Subject.objects.get(code=code), year=year, grade=grade, defaults=values
    )
    return scale


def campaigns_to_fill() -> list:
    """The 18 campaigns (per region too, where campaigns belong to a region)."""
    from assessments.models import Campaign, Subject
    from municipalities.models import Region

    per_region = has_field(Campaign, "region")
    regions = list(Region.objects.order_by("code")) if per_region else [None]
    found = []
    for year in YEARS:
        for kind, code, grade, values in CAMPAIGNS:
            scale = _scale(kind, code, year, grade, values)
            for region in regions:
                where = {"region": region} if per_region else {}
                campaign, _ = Campaign.objects.get_or_create(
                    kind=kind, subject=Subject.objects.get(code=code), year=year, grade=grade, **where,
                    defaults={"scale": scale},
                )  # fmt: skip
                found.append(campaign)
    return found


# Rows: the school by the row number, scores from a hash of it, a school-level shift so that schools differ.
ROW_SQL = """
INSERT INTO assessments_result (campaign_id, year, school_id, participant_code, class_name, primary_score,
                                test_score, mark, journal_mark, task_points)
SELECT %(campaign)s, %(year)s, s.ids[1 + g %% s.n], %(prefix)s || g, %(class)s, {primary}, {test}, {mark},
       {journal}, {points}
FROM (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n FROM municipalities_school {schools}) s,
     generate_series(%(start)s, %(stop)s - 1) g,
     LATERAL (SELECT hashint4(g + %(seed)s) & 2147483647 AS h, (g %% s.n) %% 17 AS q) x
"""
EGE_SCORE = "least(100, 22 + x.h %% 60 + x.q)"
BITS = " + ".join(f"((x.h >> {k}) & 1)" for k in range(10))
POINTS = "concat_ws(',', " + ", ".join(f"(x.h >> {k}) & 1" for k in range(10)) + ")"


def _marks(primary: str, boundaries: dict) -> str:
    return (f"CASE WHEN {primary} >= {boundaries['5']} THEN 5 WHEN {primary} >= {boundaries['4']} THEN 4 "
            f"WHEN {primary} >= {boundaries['3']} THEN 3 ELSE 2 END")  # fmt: skip


def _row_sql(kind: str, values: dict, per_region: bool) -> str:
    schools = (
        "WHERE municipality_id IN (SELECT id FROM municipalities_municipality WHERE region_id = %(region)s)"
        if per_region
        else ""
    )
    if kind == "EGE":
        parts = {
            "primary": f"{EGE_SCORE} / 2",
            "test": EGE_SCORE,
            "mark": "NULL",
            "journal": "NULL",
            "points": "''",
        }
    elif kind == "OGE":
        primary = f"least({values['max_primary']}, x.h %% 25 + x.q / 2)"
        parts = {"primary": primary, "test": "NULL", "mark": _marks(primary, values["mark_boundaries"]),
                 "journal": "NULL", "points": "''"}  # fmt: skip
    else:
        mark = _marks(f"({BITS})", values["mark_boundaries"])
        parts = {"primary": f"({BITS})", "test": "NULL", "mark": mark,
                 "journal": f"greatest(2, least(5, {mark} + (x.h >> 12) %% 3 - 1))", "points": POINTS}  # fmt: skip
    return ROW_SQL.format(schools=schools, **parts)


def build_results() -> None:
    """``ROWS`` results in SQL, then each campaign's aggregates by the portal's ``aggregates_refresh``."""
    from django.db import connection

    from assessments.models import Campaign, Result, ResultAggregate
    from assessments.partitions import ensure_year_partitions
    from assessments.services import aggregates_refresh

    if Result.objects.filter(year__in=YEARS).count() == ROWS:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE assessments_result, assessments_resultaggregate")
    ensure_year_partitions(YEARS)
    campaigns = campaigns_to_fill()
    per_region = has_field(Campaign, "region")
    each, extra = divmod(ROWS, len(campaigns))
    values = {(kind, code): v for kind, code, _, v in CAMPAIGNS}
    for n, campaign in enumerate(campaigns):
        rows = each + (1 if n < extra else 0)
        sql = _row_sql(campaign.kind, values[(campaign.kind, campaign.subject.code)], per_region)
        with connection.cursor() as cursor:
            cursor.execute(sql, {
                "campaign": campaign.pk, "year": campaign.year, "prefix": f"S{campaign.pk}-", "start": 0,
                "stop": rows, "seed": campaign.pk * 7919, "class": "9" if campaign.grade == 9 else "11",
                "region": getattr(campaign, "region_id", None),
            })  # fmt: skip
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_result")
    for campaign in campaigns:
        aggregates_refresh(campaign)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_resultaggregate")
    figure(
        "results generated (INSERT … SELECT generate_series)",
        f"{num(ROWS)} rows in {generated:.0f} s, aggregates of {len(campaigns)} campaigns "
        f"({num(ResultAggregate.objects.count())} rows) in {time.perf_counter() - started - generated:.0f} s",
    )


def run_build() -> dict:
    build_directory()
    build_results()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {}


# ---------------------------------------------------------------- measures


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return (
        f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({len(ordered)} requests)"
    )


def time_pages(label: str, user, urls: list[str]) -> None:
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    for url in urls[:3]:  # warm: templates, the connection
        browser.get(url)
    samples = []
    for n in range(REQUESTS):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        response = browser.get(url)
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
    figure(f"{label}", percentiles(samples))


def measure_pages() -> None:
    import random

    from django.urls import reverse

    from assessments.models import Campaign, ResultAggregate
    from municipalities.models import Municipality, School, User

    committee = User.objects.get(username="scale-committee")
    head = User.objects.get(username="scale-head")
    superuser = User.objects.get(username="scale-super")
    rng = random.Random(19)  # noqa: S311 - a sample of pages
    mine = list(Campaign.objects.for_user(committee).order_by("pk").values_list("pk", flat=True))
    everyone = list(Campaign.objects.for_user(superuser).order_by("pk").values_list("pk", flat=True))
    municipalities = list(
        Municipality.objects.for_user(committee).filter(region__code="01").values_list("pk", flat=True)
    )
    schools = list(
        School.objects.for_user(committee).filter(municipality=head.municipality).values_list("pk", flat=True)
    )
    campaign_url = lambda pk: reverse("assessments:campaign", args=[pk])  # noqa: E731
    per_school = ResultAggregate.objects.filter(school_id=schools[0]).count()
    figure("results pages", f"{len(everyone)} campaigns, {num(ResultAggregate.objects.count())} aggregate rows, "
           f"{per_school} campaigns per school")  # fmt: skip
    time_pages("results page, region (committee)", committee, [campaign_url(pk) for pk in mine])
    time_pages(
        "results page, municipality drill-down (committee)",
        committee,
        [
            f"{campaign_url(rng.choice(mine))}?municipality={rng.choice(municipalities)}"
            for _ in range(REQUESTS)
        ],
    )
    time_pages("results page, municipality (its head)", head, [campaign_url(pk) for pk in mine])
    time_pages(
        "results page, school (committee)",
        committee,
        [reverse("assessments:school", args=[rng.choice(schools)]) for _ in range(REQUESTS)],
    )
    # TODO(#18): the federal observer (Role.FEDERAL, branch `regions`); until then a superuser sees every region.
    time_pages("results page, all regions (superuser, as the federal observer)", superuser,
               [campaign_url(pk) for pk in everyone])  # fmt: skip
    time_pages("results home (superuser)", superuser, [reverse("assessments:home")])


def write_import_file(path: Path, year: int) -> None:
    """An ЕГЭ chemistry sheet (CSV, as the centres send it) over every school of the first region."""
    from municipalities.models import School

    schools = list(
        School.objects.filter(municipality__region__code="01")
        .order_by("code")
        .values_list("code", "municipality__code")
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Код МСУ", "Код ОО", "Класс", "Код участника", "Задания с кратким ответом", "Первичный балл",
                         "Балл"])  # fmt: skip
        for n in range(IMPORT_ROWS):
            school, municipality = schools[n % len(schools)]
            writer.writerow(
                [municipality, school, "11", f"I{year}{n:08d}", "++-+1+0+-+", 20 + n % 30, 24 + n % 76]
            )


def timed_import() -> dict:
    """One IMPORT_ROWS-row ЕГЭ import through the portal's services (check, then commit), then removed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from assessments import services
    from assessments.models import Campaign, ImportJob, Result, Subject
    from assessments.partitions import partition_name
    from municipalities.models import User

    before = Result.objects.count()

    services._enqueue_flags = lambda year: None  # flags are timed on their own
    actor = User.objects.get(username="scale-committee")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ege-chemistry.csv"
        write_import_file(path, IMPORT_YEAR)
        upload = SimpleUploadedFile(path.name, path.read_bytes())
    chemistry = Subject.objects.get(code="chemistry")
    job = services.job_create(
        actor=actor, upload=upload, kind="EGE", year=IMPORT_YEAR, subject=chemistry, grade=None
    )
    started = time.perf_counter()
    outcome = services.results_check(job)
    checked = time.perf_counter()
    if outcome.errors:
        raise SystemExit(f"import check failed: {outcome.errors[:3]}")
    services.results_commit(ImportJob.objects.get(pk=job.pk))
    done = time.perf_counter()
    campaigns = list(Campaign.objects.filter(kind="EGE", subject=chemistry, year=IMPORT_YEAR))
    imported = Result.objects.filter(campaign__in=campaigns, year=IMPORT_YEAR).count()
    figures = {"check": checked - started, "commit": done - checked, "rows": imported, "table": before}
    with connection.cursor() as cursor:  # back as it was: the rows, the campaign and the job gone
        cursor.execute(
            "DELETE FROM assessments_result WHERE year = %s AND campaign_id = ANY(%s)",
            [IMPORT_YEAR, [c.pk for c in campaigns]],
        )
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).delete()
        Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).delete()
        cursor.execute(f"VACUUM ANALYZE {partition_name(IMPORT_YEAR)}")
    return figures


def run_import_empty() -> dict:
    build_directory()
    from assessments.models import Result

    if Result.objects.exists():
        raise SystemExit("the empty-table database holds results")
    figures = timed_import()
    return figures


def describe_import(f: dict) -> str:
    return (f"{num(f['rows'])} rows into a table of {num(f['table'])}: check {f['check']:.1f} s + commit "
            f"{f['commit']:.1f} s = {f['check'] + f['commit']:.1f} s")  # fmt: skip


def run_measure() -> dict:
    from django.db import connection

    measure_pages()
    empty = json.loads(os.environ.get("SCALE_EMPTY_IMPORT", "{}"))
    full = timed_import()
    if empty:
        figure("import, empty table", describe_import(empty))
    figure("import, full table", describe_import(full))
    if empty:
        figure("import on the full table against the empty one (target ≤ 1.5×)",
               f"commit {full['commit'] / empty['commit']:.2f}×, check + commit "
               f"{(full['check'] + full['commit']) / (empty['check'] + empty['commit']):.2f}×")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits "
            "WHERE inhparent = 'assessments_result'::regclass"
        )
        results = int(cursor.fetchone()[0])
    figure(
        "database size",
        f"{database / 1e9:.2f} GB, of which results (all partitions, indexes) {results / 1e9:.2f} GB",
    )
    return {}


def measure_flags() -> dict:
    import inspect

    from assessments.flagging import flags_refresh
    from municipalities.models import Region

    region = Region.objects.order_by("code").first()
    per_region = "region_id" in inspect.signature(flags_refresh).parameters
    started = time.perf_counter()
    created = flags_refresh(YEARS[-1], region_id=region.pk) if per_region else flags_refresh(YEARS[-1])
    where = f"region {region.code}" if per_region else "all regions (no per-region flags on this branch)"
    figure(
        f"flags recomputation {YEARS[-1]}, {where}", f"{time.perf_counter() - started:.1f} s, {created} flags"
    )
    return {}


def run_flags_one_region() -> dict:
    """Where flags have no region parameter (before #18): one region's share of the rows (``ROWS`` / 85, region
    01's schools) in the empty-table database, its flags timed, then everything removed again."""
    from django.db import connection

    from assessments.flagging import flags_refresh
    from assessments.models import Campaign, Result, SchoolFlag
    from assessments.services import aggregates_refresh
    from municipalities.models import Region

    build_directory()
    if Result.objects.exists():
        raise SystemExit("the empty-table database holds results")
    region = Region.objects.get(code="01")
    campaigns = campaigns_to_fill()
    values = {(kind, code): v for kind, code, _, v in CAMPAIGNS}
    rows = ROWS // REGIONS // len(campaigns)
    from assessments.partitions import ensure_year_partitions

    ensure_year_partitions(YEARS)
    for campaign in campaigns:
        with connection.cursor() as cursor:
            cursor.execute(_row_sql(campaign.kind, values[(campaign.kind, campaign.subject.code)], True), {
                "campaign": campaign.pk, "year": campaign.year, "prefix": f"S{campaign.pk}-", "start": 0,
                "stop": rows, "seed": campaign.pk * 7919, "class": "11", "region": region.pk,
            })  # fmt: skip
        aggregates_refresh(campaign)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_result")
    try:
        started = time.perf_counter()
        created = flags_refresh(YEARS[-1])
        figure(
            f"flags recomputation {YEARS[-1]}, one region ({num(rows * len(campaigns))} results of its "
            f"{num(region.municipality_set.count() * SCHOOLS)} schools, alone in a database)",
            f"{time.perf_counter() - started:.1f} s, {created} flags",
        )
    finally:
        SchoolFlag.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE assessments_result, assessments_resultaggregate")
        Campaign.objects.all().delete()
    return {}


STEPS = {
    "flags-one-region": run_flags_one_region,
    "build": run_build,
    "import-empty": run_import_empty,
    "measure": run_measure,
    "flags": measure_flags,
}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        setup()
        print(json.dumps(STEPS[sys.argv[1]]()))
    else:
        main()

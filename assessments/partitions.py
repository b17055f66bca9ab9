"""The results table partitioned by year (PostgreSQL declarative partitioning, issue #19).

A country holds tens of millions of participant results; each year's rows live in a partition of their own
(``assessments_result_y2026``), rows of a year without one in ``assessments_result_default``. Every reader
filters by campaign, and ``Result.objects.of_campaign`` adds the campaign's year, so a query reads one
partition. The partition of a new year is made by the first write of that year (the import, the demo data),
moving any rows the default partition already holds for it; the import makes it before its own transaction,
so the locks of the DDL are not held while a million rows load. SQLite (the embedded mode) keeps a plain table.
"""

from django.db import connection

TABLE = "assessments_result"
DEFAULT_PARTITION = f"{TABLE}_default"


def partition_name(year: int) -> str:
    return f"{TABLE}_y{int(year)}"


def is_partitioned(using=None) -> bool:
    conn = using or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [TABLE])
        return cursor.fetchone() is not None


def ensure_year_partitions(years, using=None) -> list[str]:
    """Make the partition of each year that has none yet; the names of those made.

    Rows of such a year already in the default partition are moved into the new partition first (a
    partition cannot be attached while the default one holds rows of its year). Two writers of a new year
    at once are serialised by an advisory lock held to the end of the transaction."""
    conn = using or connection
    if conn.vendor != "postgresql":
        return []
    made = []
    with conn.cursor() as cursor:
        for year in sorted({int(y) for y in years}):
            name = partition_name(year)
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                continue
            if not is_partitioned(conn):
                return made
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                continue
            # The name and the year are integers formatted here, never user text.
            cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            cursor.execute(
                f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE year = %s RETURNING *) "  # noqa: S608
                f"INSERT INTO {name} SELECT * FROM moved",
                [year],
            )
            cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES IN ({year})")
            made.append(name)
    return made

"""At the size of the country (#19): results partitioned by year (PostgreSQL), each year's rows in its own
partition; campaign totals kept with the aggregates, so the list of campaigns sums nothing."""

import json
import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from assessments.models import Campaign, Result, ResultAggregate
from assessments.partitions import DEFAULT_PARTITION, is_partitioned, partition_name
from tests.assessments.factories import ege, subject
from tests.assessments.test_import import GOOD, ege_file

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL's")


def rows_by_partition() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text, count(*) FROM assessments_result GROUP BY 1")
        return dict(cursor.fetchall())


def import_ege(year: int, content: bytes) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(content)
        handle.flush()
        out = StringIO()
        call_command("import_results", handle.name, "--kind", "EGE", "--year", str(year), "--subject", "русский",
                     "--json", stdout=out)  # fmt: skip
        return json.loads(out.getvalue())


@postgresql_only
def test_the_results_table_is_partitioned_by_year(db):
    assert is_partitioned()


@postgresql_only
def test_an_import_of_a_new_year_lands_in_that_years_partition(people, client):
    subject("russian", "Русский язык", "русский")
    import_ege(2031, ege_file(GOOD))
    import_ege(2032, ege_file(GOOD[:2]))
    assert rows_by_partition() == {partition_name(2031): 4, partition_name(2032): 2}
    campaign = Campaign.objects.get(year=2031)
    assert set(Result.objects.filter(campaign=campaign).values_list("year", flat=True)) == {2031}
    # the page reads the aggregates as before
    assert ResultAggregate.objects.get(campaign=campaign, school=people.school_a).score_sum == 90
    client.force_login(people.committee)
    page = client.get(reverse("assessments:campaign", args=[campaign.pk]))
    assert page.status_code == 200 and "ЕГЭ-2031" in page.text


@postgresql_only
def test_a_reimport_replaces_only_its_campaigns_rows(people):
    subject("russian", "Русский язык", "русский")
    import_ege(2031, ege_file(GOOD))
    import_ege(2032, ege_file(GOOD))
    import_ege(2031, ege_file(GOOD[:1]))
    assert rows_by_partition() == {partition_name(2031): 1, partition_name(2032): 4}


@postgresql_only
def test_rows_of_a_year_waiting_in_the_default_partition_move_to_its_new_partition(people):
    campaign = ege(2040, {people.school_a: [70]})
    with connection.cursor() as cursor:  # a row written past the portal, before the year had its partition
        cursor.execute(f"ALTER TABLE assessments_result DETACH PARTITION {partition_name(2040)}")
        cursor.execute(f"DROP TABLE {partition_name(2040)}")
        cursor.execute(
            "INSERT INTO assessments_result (campaign_id, school_id, participant_code, class_name, task_points, "
            "year) VALUES (%s, %s, 'early', '', '', 2040)",
            [campaign.pk, people.school_b.pk],
        )
    assert rows_by_partition() == {DEFAULT_PARTITION: 1}
    Result.objects.create(campaign=campaign, school=people.school_a, participant_code="late", test_score=80)
    assert rows_by_partition() == {partition_name(2040): 2}
    assert set(Result.objects.of_campaign(campaign).values_list("participant_code", flat=True)) == {
        "early",
        "late",
    }


def test_campaign_totals_follow_each_import_and_the_list_shows_them(people, client):
    subject("russian", "Русский язык", "русский")
    import_ege(2031, ege_file(GOOD))
    campaign = Campaign.objects.get(year=2031)
    scores = [int(row[8]) for row in GOOD]
    assert (campaign.total_participants, campaign.total_scored) == (4, 4)
    assert campaign.mean == round(sum(scores) / 4, 2)
    client.force_login(people.director_b)  # any signed-in person sees the list
    assert 'Русский язык <span class="text-muted">(4)</span>' in client.get(reverse("assessments:home")).text
    import_ege(2031, ege_file(GOOD[:1]))
    campaign.refresh_from_db()
    assert (campaign.total_participants, campaign.mean) == (1, float(scores[0]))
    assert 'Русский язык <span class="text-muted">(1)</span>' in client.get(reverse("assessments:home")).text


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_row_and_moves_it_into_its_years_partition():
    from django.db.migrations.executor import MigrationExecutor

    from municipalities.models import User
    from tests.personas import build_personas, load_personas

    if not User.objects.exists():  # an earlier transactional test flushed the database
        build_personas()
    people = load_personas()

    before = [("assessments", "0007_exam_subjects")]
    executor = MigrationExecutor(connection)
    leaf = (
        executor.loader.graph.leaf_nodes()
    )  # later migrations too (campaigns' regions, #18): the models read them
    executor.migrate(before)
    try:
        with connection.cursor() as cursor:  # rows as the plain table held them, one of a campaign gone since
            for year in (2024, 2025):
                cursor.execute(
                    "INSERT INTO assessments_campaign (kind, subject_id, year, grade) "
                    "SELECT 'EGE', id, %s, NULL FROM assessments_subject WHERE code = 'russian' RETURNING id",
                    [year],
                )
                campaign = cursor.fetchone()[0]
                cursor.execute(
                    "INSERT INTO assessments_result (campaign_id, school_id, participant_code, class_name, "
                    "test_score, task_points) VALUES (%s, %s, 'a', '11', 70, '1,0'), (%s, %s, 'b', '11', 40, '')",
                    [campaign, people.school_a.pk, campaign, people.school_b.pk],
                )
            cursor.execute(
                "INSERT INTO assessments_result (campaign_id, school_id, participant_code, class_name, "
                "task_points) VALUES (999999, %s, 'orphan', '', '')",
                [people.school_a.pk],
            )
            cursor.execute(
                "SELECT id, participant_code, test_score, task_points FROM assessments_result ORDER BY id"
            )
            rows = cursor.fetchall()
        executor = MigrationExecutor(connection)
        executor.migrate(leaf)
    finally:
        MigrationExecutor(connection).migrate(leaf)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, participant_code, test_score, task_points FROM assessments_result ORDER BY id"
        )
        assert cursor.fetchall() == rows
    assert is_partitioned()
    assert rows_by_partition() == {partition_name(2024): 2, partition_name(2025): 2, DEFAULT_PARTITION: 1}
    campaign = Campaign.objects.get(year=2025)
    added = Result.objects.create(campaign=campaign, school=people.school_a, participant_code="c")
    assert added.pk > rows[-1][0] and added.year == 2025  # the identity goes on after the copied ids

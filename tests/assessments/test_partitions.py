"""Results partitioned by year (PostgreSQL): each year's rows in its own partition, the pages unchanged."""

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

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL's")


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


def test_the_results_table_is_partitioned_by_year(db):
    assert is_partitioned()


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


def test_a_reimport_replaces_only_its_campaigns_rows(people):
    subject("russian", "Русский язык", "русский")
    import_ege(2031, ege_file(GOOD))
    import_ege(2032, ege_file(GOOD))
    import_ege(2031, ege_file(GOOD[:1]))
    assert rows_by_partition() == {partition_name(2031): 1, partition_name(2032): 4}


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
    assert set(Result.objects.of_campaign(campaign).values_list("participant_code", flat=True)) == {"early", "late"}

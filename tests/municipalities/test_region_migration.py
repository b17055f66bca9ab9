"""A database from before regions were everywhere: every row joins the region it belongs to when migrated."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("municipalities", "0003_municipal_organizations"),
    ("assessments", "0009_campaign_totals"),
    ("notifications", "0003_reminder_due_kind_index"),
]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_join_their_region():
    call_command("flush", interactive=False, verbosity=0)  # the previous schema knows one region only
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    model = {name: old.get_model(app, name) for app, name in [
        ("municipalities", "Region"), ("municipalities", "Organization"), ("municipalities", "Municipality"),
        ("municipalities", "School"), ("municipalities", "Alias"), ("municipalities", "User"),
        ("assessments", "Subject"), ("assessments", "Campaign"), ("assessments", "ResultAggregate"),
        ("assessments", "ImportJob"), ("assessments", "FlagThresholds"), ("notifications", "ReminderPolicy"),
    ]}  # fmt: skip
    region = model["Region"].objects.create(code="47", name="Ленинградская область")
    committee = model["Organization"].objects.create(region=region, kind="committee", code="koipo",
                                                     name="Комитет", short_name="КОиПО")  # fmt: skip
    municipality = model["Municipality"].objects.create(region=region, code="04", name="Всеволожский район",
                                                        kind="district", authority_name="КО")  # fmt: skip
    school = model["School"].objects.create(municipality=municipality, code="04001", name="СОШ № 1",
                                            short_name="СОШ № 1", kind="sosh")  # fmt: skip
    model["Alias"].objects.create(text="Всеволожский", normalized="всеволожский", municipality=municipality)
    model["Alias"].objects.create(
        text="руководители ОМСУ", normalized="руководители омсу", group="municipalities"
    )
    staff = model["User"].objects.create(username="staff", role="committee", organization=committee)
    observer = model["User"].objects.create(username="observer", role="observer")
    head = model["User"].objects.create(username="head", role="municipality", municipality=municipality)
    root = model["User"].objects.create(username="root", role="committee", is_superuser=True)
    subject = model["Subject"].objects.create(code="russian", name="Русский язык")
    with_results = model["Campaign"].objects.create(kind="EGE", subject=subject, year=2025)
    model["ResultAggregate"].objects.create(campaign=with_results, school=school, municipality=municipality)
    empty = model["Campaign"].objects.create(kind="OGE", subject=subject, year=2025, grade=9)
    job = model["ImportJob"].objects.create(kind="EGE", year=2025, filename="x.xlsx", sha256="0" * 64,
                                            created_by=head)  # fmt: skip
    root_job = model["ImportJob"].objects.create(kind="EGE", year=2025, filename="y.xlsx", sha256="0" * 64,
                                                 created_by=root)  # fmt: skip
    model["FlagThresholds"].objects.create(pk=1, gia_min_share=25)
    model["ReminderPolicy"].objects.create(before_days="5, 1")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from assessments.models import Campaign, FlagThresholds, ImportJob
    from municipalities.models import Alias, School, User
    from notifications.models import ReminderPolicy

    assert School.objects.get(pk=school.pk).region_id == region.pk
    assert set(Alias.objects.values_list("region_id", flat=True)) == {region.pk}
    users = {u.username: u.region_id for u in User.objects.all()}
    assert users == {"staff": region.pk, "observer": region.pk, "head": region.pk, "root": None}
    assert {c.pk: c.region_id for c in Campaign.objects.all()} == {
        with_results.pk: region.pk,
        empty.pk: region.pk,
    }
    assert {j.pk: j.region_id for j in ImportJob.objects.all()} == {job.pk: region.pk, root_job.pk: region.pk}
    assert FlagThresholds.objects.get().region_id == region.pk
    assert FlagThresholds.current(region.pk).gia_min_share == 25
    assert ReminderPolicy.objects.get().region_id == region.pk
    assert ReminderPolicy.current(region.pk).before_list == [5, 1]
    assert staff.pk and observer.pk


@pytest.mark.django_db(transaction=True)
def test_without_a_region_nothing_is_created():
    call_command("flush", interactive=False, verbosity=0)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("assessments", "FlagThresholds").objects.create(pk=1)
    old.get_model("municipalities", "User").objects.create(
        username="root", role="committee", is_superuser=True
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from assessments.models import FlagThresholds
    from municipalities.models import Region, User

    assert not Region.objects.exists() and not FlagThresholds.objects.exists()
    assert User.objects.get().region_id is None

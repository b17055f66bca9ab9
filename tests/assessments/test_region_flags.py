"""Results, flags and their thresholds belong to a region: schools are compared with their own region's schools,
by their own region's thresholds; an import resolves school codes in the importer's region."""

import json

from django.urls import reverse

from assessments.flagging import flags_refresh
from assessments.models import Campaign, FlagThresholds, SchoolFlag
from municipalities.models import School
from tests.assessments.factories import ege

FAILING = [10, 15, 20, 22, 23, *range(40, 55)]  # 5 of 20 below 24: 25 %


def test_each_region_is_flagged_by_its_own_thresholds(people):
    ege(2025, {people.school_a: FAILING, people.school_b: list(range(70, 90))})
    omsk_school = School.objects.create(municipality=people.mun_c, code="21002", name="Школа", short_name="Школа",
                                        kind="sosh")  # fmt: skip
    ege(2025, {people.school_c: FAILING, omsk_school: list(range(70, 90))})
    assert Campaign.objects.filter(year=2025).count() == 2  # one per region
    FlagThresholds.objects.update_or_create(region=people.region_c, defaults={"gia_min_share": 30})
    flags_refresh(2025)
    risky = set(
        SchoolFlag.objects.filter(kind="gia_risk", year=2025, school__isnull=False).values_list(
            "school__code", flat=True
        )
    )
    assert risky == {"04001"}  # 25 % fires at region 47's 10 %, not at Omsk's 30 %
    FlagThresholds.objects.filter(region=people.region_c).update(gia_min_share=20)
    flags_refresh(2025, region_id=people.region_c.pk)
    risky = set(
        SchoolFlag.objects.filter(kind="gia_risk", year=2025, school__isnull=False).values_list(
            "school__code", flat=True
        )
    )
    assert risky == {"04001", "21001"}  # region 47's flag kept while only Omsk was recomputed


def test_thresholds_page_edits_the_own_region(people, client, django_capture_on_commit_callbacks):
    client.force_login(people.committee_c)
    data = {"min_participants": 12, "gia_min_failed": 3, "gia_min_share": 15, "low_decile": 10,
            "low_years_needed": 2, "journal_mean_diff": 0.5, "bunching_share": 25, "fdr_q": 0.1}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("assessments:flag_thresholds"), data).status_code == 302
    assert FlagThresholds.current(people.region_c.pk).min_participants == 12
    assert FlagThresholds.current(people.region.pk).min_participants == 10


def test_campaign_pages_of_another_region_answer_404(people, client):
    ege(2025, {people.school_c: [50, 60]})
    omsk = Campaign.objects.get(region=people.region_c)
    client.force_login(people.committee)
    assert client.get(omsk.get_absolute_url()).status_code == 404
    assert omsk.pk not in [c["id"] for c in client.get(reverse("api:campaign-list")).json()["results"]]
    client.force_login(people.committee_c)
    assert client.get(omsk.get_absolute_url()).status_code == 200


def test_the_federal_observer_sees_each_regions_campaigns_by_name(people, client):
    ege(2025, {people.school_c: [50, 60]})
    ege(2025, {people.school_a: [50, 60]})
    client.force_login(people.federal)
    home = client.get(reverse("assessments:home")).text
    assert "Омская область · ЕГЭ" in home and "Ленинградская область · ЕГЭ" in home
    omsk = Campaign.objects.get(region=people.region_c)
    assert "Омская область" in client.get(omsk.get_absolute_url()).text


def test_an_import_finds_school_codes_in_the_importers_region_only(people, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import ImportJob, Result
    from tests.assessments.factories import subject
    from tests.assessments.test_import import ege_file

    russian = subject()
    rows = [["21", "21001", "11", "P1", "Иванов", "Иван", "", 30, 70]]  # a school of Omsk oblast
    client.force_login(people.committee)
    client.post(reverse("assessments:import_new"), {"kind": "EGE", "year": 2026, "subject": russian.pk, "grade": "",
                                                     "file": SimpleUploadedFile("ege.xlsx", ege_file(rows))})  # fmt: skip
    job = ImportJob.objects.get()
    assert (
        job.region == people.region and job.errors and "21001" in json.dumps(job.errors, ensure_ascii=False)
    )
    client.force_login(people.committee_c)
    client.post(reverse("assessments:import_new"), {"kind": "EGE", "year": 2026, "subject": russian.pk, "grade": "",
                                                     "file": SimpleUploadedFile("ege.xlsx", ege_file(rows))})  # fmt: skip
    omsk_job = ImportJob.objects.get(region=people.region_c)
    assert omsk_job.errors == [] and omsk_job.status == "checked"
    client.post(reverse("assessments:import_commit", args=[omsk_job.pk]))
    assert Result.objects.get().campaign.region == people.region_c
    client.force_login(people.committee)
    assert client.get(omsk_job.get_absolute_url()).status_code == 404

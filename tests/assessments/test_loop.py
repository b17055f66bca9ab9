"""From a flag to a decision and back: the question carries the flag's figures, the decision keeps the link,
next year's results say whether the indicator improved; everything within the user's scope."""

import pytest
from django.urls import reverse

from assessments.flagging import flags_refresh
from assessments.loop import suggested_decision
from assessments.models import FlagThresholds, SchoolFlag
from meetings import services as meetings_services
from meetings.models import Decision, Meeting, Obligation
from tests.assessments.factories import ege

FAILING_2025 = [10, 15, 20, 22, 23, *range(40, 55)]  # 5 of 20 below 24
FAILING_2026 = [20, *range(40, 59)]  # 1 of 20


def _year(people, year: int, failing: list[int]) -> None:
    """ЕГЭ Russian of one year: СОШ № 1 with the given scores, the two other schools passing."""
    ege(
        year,
        {
            people.school_a: failing,
            people.school_b: list(range(70, 90)),
            people.school_a2: list(range(50, 70)),
        },
    )
    flags_refresh(year)


def _region_2025(people):
    _year(people, 2025, FAILING_2025)
    return SchoolFlag.objects.get(kind="gia_risk", school=people.school_a, year=2025)


def _to_meeting(client, flags, meeting="new"):
    return client.post(
        reverse("assessments:flags_to_meeting"), {"flag": [f.pk for f in flags], "meeting": meeting}
    )


def test_a_flag_becomes_a_question_in_a_new_draft_and_the_signed_decision_keeps_the_link(people, client):
    flag = _region_2025(people)
    assert flag.reasons[0]["text"].startswith(
        "5 из 20 участников (25 %) ниже минимума по русскому языку (24)"
    )
    client.force_login(people.committee)
    response = _to_meeting(client, [flag])
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert meeting.status == Meeting.Status.DRAFT and meeting.organizer_organization == people.committee_org
    item = meeting.items.get()
    assert "СОШ № 1 Всеволожск (Всеволожский" in item.heard
    assert "5 из 20 участников (25 %) ниже минимума по русскому языку (24)" in item.heard
    decision = item.decisions.get()
    assert decision.flag == flag and decision.tracked and decision.controller == people.committee
    assert "группы риска по русскому языку" in decision.text and "низких результатов" not in decision.text
    assert [p.school for p in decision.parties.all()] == [people.school_a]

    Meeting.objects.filter(pk=meeting.pk).update(number="7")
    meetings_services.meeting_sign(meeting=meeting, actor=people.committee)
    decision.refresh_from_db()
    assert decision.flag_id == flag.pk
    assert Obligation.objects.get(decision=decision).school == people.school_a
    page = client.get(reverse("assessments:flag", args=[flag.pk]))
    assert f"на контроле: п. {decision.number} протокола № 7 от {meeting.date:%d.%m.%Y}" in page.text
    assert "назначено" in page.text


def test_several_flags_go_into_an_existing_draft_as_one_question(people, client):
    flag = _region_2025(people)
    other = SchoolFlag.objects.create(
        kind="low_results", school=people.school_a2, municipality=people.mun_a, year=2025,
        reasons=[{"code": "bottom_decile", "text": "2025: 3-е место снизу из 30."}],
    )  # fmt: skip
    draft = meetings_services.meeting_create(
        actor=people.committee,
        draft=meetings_services.MeetingDraft(kind="meeting", date=flag.computed_at.date(), number="", title="Итоги",
                                             items=[meetings_services.ItemDraft(number=1, title="Разное")]),
        organizer_organization=people.committee_org,
    )  # fmt: skip
    client.force_login(people.committee)
    response = _to_meeting(client, [flag, other], meeting=draft.pk)
    assert response.status_code == 302
    assert Meeting.objects.count() == 1
    item = draft.items.get(number=2)
    assert "2025: 3-е место снизу из 30." in item.heard and "(25 %)" in item.heard
    decisions = {d.flag_id: d for d in item.decisions.all()}
    assert set(decisions) == {flag.pk, other.pk}
    assert "причины низких результатов" in decisions[other.pk].text
    assert "причины низких результатов" not in decisions[flag.pk].text
    assert draft.events.filter(kind="amended").exists()


def test_nothing_ticked_says_so_and_returns_only_within_the_site(people, client):
    client.force_login(people.committee)
    url = reverse("assessments:flags_to_meeting")
    response = client.post(url, {"meeting": "new", "back": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[0][0] == reverse("assessments:flags")
    assert "Отметьте признаки, которые нужно вынести на совещание." in response.text
    back = reverse("assessments:flags") + "?kind=gia_risk"
    assert client.post(url, {"meeting": "new", "back": back}).url == back


def test_a_signed_protocol_takes_no_new_question(people, client):
    flag = _region_2025(people)
    client.force_login(people.committee)
    _to_meeting(client, [flag])
    meeting = Meeting.objects.get()
    meetings_services.meeting_sign(meeting=meeting, actor=people.committee)
    response = _to_meeting(client, [flag], meeting=meeting.pk)
    assert response.status_code == 302 and meeting.items.count() == 1  # not offered: it is no draft


def test_flags_and_the_loop_stay_within_scope(people, client):
    flag = _region_2025(people)
    client.force_login(people.head_b)
    assert client.get(reverse("assessments:flag", args=[flag.pk])).status_code == 404
    assert _to_meeting(client, [flag]).status_code == 404
    assert client.get(reverse("api:flag-detail", args=[flag.pk])).status_code == 404
    assert Decision.objects.count() == 0
    client.force_login(people.director_a)
    assert client.get(reverse("assessments:flag", args=[flag.pk])).status_code == 200
    assert _to_meeting(client, [flag]).status_code == 403
    client.force_login(people.observer)
    assert _to_meeting(client, [flag]).status_code == 403
    assert client.get(reverse("assessments:flag_thresholds")).status_code == 403
    client.force_login(people.head_a)  # a municipal head takes own school's flag to own meeting
    assert _to_meeting(client, [flag]).status_code == 302
    assert Meeting.objects.get().organizer_municipality == people.mun_a


def test_next_year_shows_on_the_flag_whether_the_indicator_improved(people, client):
    flag = _region_2025(people)
    client.force_login(people.committee)
    _to_meeting(client, [flag])
    meetings_services.meeting_sign(meeting=Meeting.objects.get(), actor=people.committee)
    _year(people, 2026, FAILING_2026)
    flag.refresh_from_db()
    assert flag.followup["improved"] is True and flag.followup["year"] == 2026
    assert flag.followup["text"] == (
        "2026: ниже минимума 1 из 20 (5 %) по тем же предметам; в 2025 — 5 из 20 (25 %)."
    )
    page = client.get(reverse("assessments:flag", args=[flag.pk]))
    assert "Показатель улучшился" in page.text
    home = client.get(reverse("home"))
    assert home.context["loop"]["improved"] == 1 and home.context["loop"]["controlled"] == 1
    listed = client.get(reverse("assessments:flags"), {"state": "improved"})
    shown = listed.context["page"].object_list
    assert flag.pk in [f.pk for f in shown] and all(f.followup["improved"] for f in shown)
    municipal = next(
        f for f in shown if f.school_id is None
    )  # Всеволожский's weakest subject, measured again
    assert municipal.followup["text"].startswith("2026: ниже минимума 1 из 40 (2,5 %)")


def test_a_recomputation_keeps_the_flag_that_a_decision_answers(people, client):
    flag = _region_2025(people)
    client.force_login(people.committee)
    _to_meeting(client, [flag])
    flags_refresh(2025)
    assert SchoolFlag.objects.get(kind="gia_risk", school=people.school_a, year=2025).pk == flag.pk
    FlagThresholds.objects.update_or_create(region=people.region, defaults={"gia_min_share": 30})
    flags_refresh(2025)  # 25 % no longer fires, but a decision was made on it
    flag.refresh_from_db()
    assert flag.active is False and Decision.objects.get().flag_id == flag.pk


def test_thresholds_page_saves_and_recomputes(people, client, django_capture_on_commit_callbacks):
    _region_2025(people)
    client.force_login(people.committee)
    assert client.get(reverse("assessments:flag_thresholds")).status_code == 200
    data = {"min_participants": 10, "gia_min_failed": 3, "gia_min_share": 30, "low_decile": 10,
            "low_years_needed": 2, "journal_mean_diff": 0.5, "bunching_share": 25, "fdr_q": 0.1}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:flag_thresholds"), data)
    assert response.status_code == 302
    assert not SchoolFlag.objects.filter(kind="gia_risk", school=people.school_a).exists()
    thresholds = FlagThresholds.current(people.region.pk)
    assert thresholds.gia_min_share == 30 and thresholds.updated_by == people.committee
    assert thresholds.recomputed_at is not None and not thresholds.recomputing
    bad = client.post(
        reverse("assessments:flag_thresholds"), {**data, "min_participants": 1, "low_decile": 150}
    )
    assert bad.status_code == 200
    assert "Убедитесь, что это значение больше либо равно 2." in bad.text
    assert FlagThresholds.current(people.region.pk).min_participants == 10


def test_api_lists_flags_with_filters_decisions_and_effect_and_takes_them_to_a_meeting(people, client):
    flag = _region_2025(people)
    client.force_login(people.committee)
    url = reverse("api:flag-list")
    created = client.post(url + "to-meeting/", {"flags": [flag.pk]}, content_type="application/json")
    assert created.status_code == 201
    decision = Decision.objects.get(pk=created.json()["decisions"][0])
    assert decision.flag_id == flag.pk and created.json()["meeting"] == decision.item.meeting_id
    rows = client.get(url, {"kind": "gia_risk", "year": 2025, "municipality": people.mun_a.pk}).json()[
        "results"
    ]
    own = next(r for r in rows if r["id"] == flag.pk)
    assert own["procedure"] == "EGE" and own["decisions"][0]["id"] == decision.pk
    assert own["decisions"][0]["label"].startswith("вопрос в проекте протокола от ")
    assert client.get(url, {"kind": "low_results"}).json()["results"] == []
    assert client.get(reverse("api:decision-list"), {"flag": flag.pk}).json()["results"][0]["flag"] == flag.pk
    client.force_login(people.head_b)
    assert client.get(url, {"year": 2025}).json()["results"] == []
    refused = client.post(url + "to-meeting/", {"flags": [flag.pk]}, content_type="application/json")
    assert refused.status_code == 404
    client.force_login(people.head_a)  # sees the flag, not the committee's draft
    assert client.get(reverse("api:flag-detail", args=[flag.pk])).json()["decisions"] == []
    bad = client.post(
        url + "to-meeting/", {"flags": [flag.pk], "meeting": 999999}, content_type="application/json"
    )
    assert bad.status_code == 400 and "черновика" in bad.text


@pytest.mark.parametrize(
    ("kind", "reasons", "expected", "never"),
    [
        (
            "vpr_objectivity",
            [{"code": "high_unconfirmed", "value": 2.5}],
            "объективность",
            "низких результатов",
        ),
        ("vpr_objectivity", [{"code": "cohort_fall", "value": 0.2}], "расхождение", "низких результатов"),
        (
            "gia_risk",
            [{"code": "below_minimum", "subject": "math_profile"}],
            "группы риска",
            "низких результатов",
        ),
        ("low_results", [{"code": "bottom_decile"}], "причины низких результатов", "объективност"),
    ],
)
def test_the_suggested_decision_follows_the_kind_and_direction_of_the_flag(
    people, kind, reasons, expected, never
):
    flag = SchoolFlag(kind=kind, school=people.school_b, municipality=people.mun_b, subject="математика", grade=5,
                      year=2025, reasons=reasons)  # fmt: skip
    text = suggested_decision(flag)
    assert expected in text and never not in text


def test_the_best_school_is_never_offered_to_analyse_low_results(people, client):
    _region_2025(people)
    client.force_login(people.committee)
    review = client.get(reverse("meetings:meeting_new"), {"about_school": people.school_b.pk})
    assert review.status_code == 200 and "низких результатов" not in review.text


def test_flags_page_filters_sorts_pages_and_exports(people, client):
    from io import BytesIO

    from openpyxl import load_workbook

    SchoolFlag.objects.bulk_create(
        SchoolFlag(kind="vpr_objectivity", procedure="VPR", school=people.school_b, municipality=people.mun_b,
                   subject="математика", grade=grade, year=1980 + grade, score=grade / 100,
                   reasons=[{"code": "boundary_bunching", "text": f"=Признак {grade}"}])
        for grade in range(1, 36)
    )  # fmt: skip
    _region_2025(people)
    client.force_login(people.committee)
    url = reverse("assessments:flags")
    first = client.get(url, {"procedure": "VPR", "sort": "score"})
    assert first.context["page"].paginator.count == 35 and len(first.context["page"].object_list) == 30
    assert [f.grade for f in first.context["page"].object_list][:3] == [35, 34, 33]
    second = client.get(url, {"procedure": "VPR", "sort": "score", "page": 2})
    assert [f.grade for f in second.context["page"].object_list] == [5, 4, 3, 2, 1]
    assert "стр. 2 из 2" in second.text
    weakest = SchoolFlag.objects.get(
        kind="gia_risk", municipality=people.mun_a, school=None
    )  # a subject flag
    gia = client.get(url, {"kind": "gia_risk", "municipality": people.mun_a.pk, "subject": weakest.subject})
    assert [f.pk for f in gia.context["page"].object_list] == [weakest.pk]
    assert client.get(url, {"year": "двадцать"}).context["page"].paginator.count == 0
    export = client.get(url, {"kind": "vpr_objectivity", "format": "xlsx"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Признак", "Процедура", "Муниципалитет", "Школа") and len(rows) == 36
    assert rows[1][9].startswith("'=Признак")  # a formula-like reason is neutralised
    client.force_login(people.head_a)
    assert client.get(url, {"procedure": "VPR"}).context["page"].paginator.count == 0


def test_page_filters_keep_their_scoped_choices_after_the_api_schema_was_built(people, client):
    _region_2025(people)
    weakest = SchoolFlag.objects.get(kind="gia_risk", municipality=people.mun_a, school=None)
    client.force_login(people.committee)
    assert client.get("/api/v1/schema/").status_code == 200  # builds the filters' form fields once, unscoped
    page = client.get(
        reverse("assessments:flags"), {"municipality": people.mun_a.pk, "subject": weakest.subject}
    )
    assert weakest.pk in [f.pk for f in page.context["page"].object_list]
    api = client.get(reverse("api:flag-list"), {"municipality": people.mun_a.pk, "subject": weakest.subject})
    assert weakest.pk in [f["id"] for f in api.json()["results"]]

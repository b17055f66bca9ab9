"""Quality flags: helpers, low results, ГИА risk groups and the ВПР objectivity markers.

Synthetic regions are generated with fixed seeds; anomalies are planted on purpose and the tests check that
the planted schools get exactly the expected markers (with the numbers in the reason text) while ordinary
schools mostly stay unflagged.
"""

import inspect
import math
import random
from statistics import fmean, stdev

import pytest

from assessments.analytics import (
    DEFAULT_SETTINGS,
    DISCLAIMER,
    Flag,
    FlagSettings,
    GiaScore,
    ParticipantMarks,
    SchoolMeta,
    SchoolYearIndicator,
    TaskResult,
    benjamini_hochberg,
    bh_adjust,
    flags,
    gia_risk,
    low_results,
    quantile,
    shrink,
    spearman,
    stats,
    vpr_objectivity,
)
from assessments.analytics.stats import average_ranks, binomial_sf, one_sample_t_test, student_t_sf


def _all_text(found: list[Flag]) -> str:
    return "\n".join([f.summary for f in found] + [r.text for f in found for r in f.reasons])


def _by_school(found: list[Flag]) -> dict[str, Flag]:
    return {f.school: f for f in found}


# ------------------------------------------------------------------------------------------------ helpers


def test_benjamini_hochberg_textbook_example():
    # Benjamini & Hochberg (1995), section 4: 15 p-values, q = 0.05 -> the four smallest are discoveries
    # (Bonferroni would keep only three).
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719]
    p += [0.6528, 0.7590, 1.0000]
    assert benjamini_hochberg(p, 0.05) == [True] * 4 + [False] * 11
    assert sum(pv <= 0.05 / 15 for pv in p) == 3
    shuffled = [p[i] for i in (14, 3, 0, 9, 2, 1)]
    assert benjamini_hochberg(shuffled, 0.05) == [False, True, True, False, True, True]
    adjusted = bh_adjust(p)
    assert adjusted[:5] == pytest.approx([0.0015, 0.0030, 0.0095, 0.035625, 0.0603])
    assert adjusted[-1] == 1.0
    assert [a <= 0.05 for a in adjusted] == benjamini_hochberg(p, 0.05)
    assert benjamini_hochberg([], 0.1) == []
    with pytest.raises(ValueError):
        benjamini_hochberg([0.5, 1.2], 0.1)


def test_spearman_with_ties_uses_average_ranks():
    assert average_ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]
    assert average_ranks([5, 5, 5]) == [2.0, 2.0, 2.0]
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(3 / math.sqrt(10))  # 0.9487
    assert spearman([1, 2, 3, 4], [10, 20, 30, 1000]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(spearman([1, 1, 1], [1, 2, 3]))
    with pytest.raises(ValueError):
        spearman([1, 2], [1])


def test_shrink_pulls_small_schools_towards_the_mean():
    assert shrink(4.0, 20, 3.0, 20) == pytest.approx(3.5)  # n == k keeps half the deviation
    assert shrink(4.0, 60, 3.0, 20) == pytest.approx(3.75)
    assert shrink(4.0, 0, 3.0, 20) == 3.0
    assert shrink(4.0, 7, 3.0, 0) == 4.0
    assert shrink(2.0, 180, 3.0, 20) == pytest.approx(2.1)


def test_distribution_tails_and_quantile():
    assert 2 * student_t_sf(2.2281389, 10) == pytest.approx(0.05, abs=1e-6)  # t(0.975, 10)
    assert 2 * student_t_sf(1.959964, 1e7) == pytest.approx(0.05, abs=1e-5)
    exact = sum(math.comb(20, i) * 0.1**i * 0.9 ** (20 - i) for i in range(8, 21))
    assert binomial_sf(8, 20, 0.1) == pytest.approx(exact, rel=1e-9)  # 0.000416
    assert binomial_sf(0, 5, 0.3) == 1.0 and binomial_sf(6, 5, 0.3) == 0.0 and binomial_sf(1, 5, 0.0) == 0.0
    t, p = one_sample_t_test([1, 2, 3, 4, 5, 6], 2)
    assert t == pytest.approx(1.963961, abs=1e-6) and p == pytest.approx(0.10675, abs=1e-5)
    assert quantile([1, 2, 3, 4], 0.975) == pytest.approx(3.925)
    assert quantile(list(range(101)), 0.975) == pytest.approx(97.5)


def test_settings_are_validated():
    assert FlagSettings().min_participants == 10
    with pytest.raises(ValueError):
        FlagSettings(fdr_q=0)
    with pytest.raises(ValueError):
        FlagSettings(low_decile=1.5)


def test_no_verdict_wording_in_the_module():
    from assessments.analytics.flags import common, gia, low, vpr

    for module in (flags, common, gia, low, vpr, stats):
        assert "фальсификац" not in inspect.getsource(module).lower()
    assert "требуют внимания" in DISCLAIMER


# ------------------------------------------------------------------------------------------- low results

YEARS = (2022, 2023, 2024)
SPECS = (("VPR", "math", 5), ("VPR", "russian", 5), ("OGE", "math", None), ("OGE", "russian", None))
SPECS += (("EGE", "russian", None),)


def _indicator_mean(kind: str, latent: float) -> float:
    return 65 + 9 * latent if kind == "EGE" else 3.6 + 0.35 * latent


def _low_region(seed: int = 20240601):
    rng = random.Random(seed)  # noqa: S311 - deterministic synthetic data
    latent_of = {f"ORD{i:03d}": rng.gauss(0, 1) for i in range(200)}
    rows = []
    planted = {
        "LOW_A": ({2022: -5.0, 2023: 0.0, 2024: -5.0}, 60),  # bottom decile in 2 of 3 years
        "LOW_B": ({2022: 0.0, 2023: -5.0, 2024: 0.0}, 60),  # bottom decile in 1 of 3 years
        "TINY": ({2022: -8.0, 2023: -8.0, 2024: -8.0}, 7),  # extreme but only 7 participants
    }
    for school, latent in latent_of.items():
        size = rng.randint(20, 120)
        for year in YEARS:
            for kind, subject, grade in SPECS:
                value = _indicator_mean(kind, latent + rng.gauss(0, 0.5))
                rows.append(SchoolYearIndicator(school, year, kind, subject, grade, size, value))
    for school, (latent_by_year, size) in planted.items():
        for year in YEARS:
            for kind, subject, grade in SPECS:
                value = _indicator_mean(kind, latent_by_year[year] + rng.gauss(0, 0.1))
                rows.append(SchoolYearIndicator(school, year, kind, subject, grade, size, value))
    return rows, latent_of


def _expected_composite(rows, school: str, year: int, k: float = 20.0) -> float:
    """Independent re-computation of the documented composite for one school-year."""
    per_kind: dict[str, list[float]] = {}
    for kind, subject, grade in SPECS:
        cell = [r for r in rows if (r.year, r.kind, r.subject, r.grade) == (year, kind, subject, grade)]
        cell = [r for r in cell if r.participants >= 10]
        centre, spread = fmean(r.mean for r in cell), stdev(r.mean for r in cell)
        own = next(r for r in cell if r.school == school)
        per_kind.setdefault(kind, []).append(
            (own.mean - centre) / spread * own.participants / (own.participants + k)
        )
    return fmean(fmean(zs) for zs in per_kind.values())


def test_low_results_flags_two_of_three_years_but_not_one():
    rows, latent_of = _low_region()
    found = _by_school(low_results(rows, years=YEARS))

    low_a = found["LOW_A"]
    assert low_a.kind == "low_results" and low_a.year == 2024
    assert [r.code for r in low_a.reasons] == ["bottom_decile", "bottom_decile"]
    # 200 ordinary schools + LOW_A + LOW_B are ranked; TINY (7 participants) is not.
    assert low_a.reasons[0].text.startswith(
        "2022: 1-е место снизу из 202 (нижние 10 %), сводный показатель −"
    )
    assert low_a.reasons[1].text.startswith("2024: 1-е место снизу из 202 (нижние 10 %)")
    expected_2022 = _expected_composite(rows, "LOW_A", 2022)
    assert low_a.reasons[0].value == pytest.approx(expected_2022)
    assert f"сводный показатель −{abs(expected_2022):.2f}".replace(".", ",") in low_a.reasons[0].text
    assert (
        "ВПР −" in low_a.reasons[0].text
        and "ОГЭ −" in low_a.reasons[0].text
        and "ЕГЭ −" in low_a.reasons[0].text
    )
    assert low_a.score == pytest.approx(fmean(r.value for r in low_a.reasons))
    # the bottom decile of 202 schools is 20 schools: the threshold is the 20th composite from the bottom
    assert low_a.reasons[0].threshold > low_a.reasons[0].value

    assert "LOW_B" not in found
    assert "TINY" not in found
    assert "LOW_B" in _by_school(low_results(rows, years=YEARS, settings=FlagSettings(low_years_needed=1)))

    # Ordinary schools that get flagged are the genuinely weak ones: all in the bottom quarter of the
    # latent quality the data were generated from.
    ordinary = [school for school in found if school.startswith("ORD")]
    assert 5 <= len(ordinary) <= 25
    cutoff = sorted(latent_of.values())[len(latent_of) // 4]
    assert all(latent_of[school] < cutoff for school in ordinary)
    assert "фальсификац" not in _all_text(list(found.values())).lower()


def test_low_results_small_school_and_missing_years():
    rows = [SchoolYearIndicator(f"S{i}", 2024, "VPR", "math", 5, 30, 3.0 + 0.1 * i) for i in range(20)]
    rows.append(SchoolYearIndicator("TINY", 2024, "VPR", "math", 5, 7, 2.0))
    found = low_results(rows, years=[2024], settings=FlagSettings(low_years_needed=1))
    assert [f.school for f in found] == ["S0", "S1"]  # 10 % of 20 ranked schools, TINY not ranked
    assert found[0].reasons[0].text.startswith("2024: 1-е место снизу из 20 (нижние 10 %)")
    assert found[1].reasons[0].text.startswith("2024: 2-е место снизу из 20")
    assert low_results(rows, years=[2024]) == []  # one year can never give 2 of them
    # two rows of 7 participants of the same indicator are pooled into 14 and ranked
    rows += [SchoolYearIndicator("SPLIT", 2024, "VPR", "math", 5, 7, 1.5)] * 2
    found = low_results(rows, years=[2024], settings=FlagSettings(low_years_needed=1))
    assert [f.school for f in found] == ["S0", "SPLIT"]


# ---------------------------------------------------------------------------------------------- ГИА risk


def _gia(school, municipality, subject, scores, year=2024):
    return [GiaScore(school, year, subject, score, municipality) for score in scores]


def _gia_region():
    rows = []
    rows += _gia("N1", "Северный", "russian", [20, 22, 23, *range(40, 62)])  # 3 of 25 below 24
    rows += _gia("N1", "Северный", "math", list(range(40, 60)))  # 0 of 20
    rows += _gia("N2", "Северный", "russian", list(range(30, 60)))  # 0 of 30
    rows += _gia("N2", "Северный", "math", [10, 15, 20, 26, *range(30, 56)])  # 4 of 30 below 27
    rows += _gia("N_SMALL", "Северный", "russian", [5, 10, 15, 18, 20, 40, 50])  # 5 of 7: too few to judge
    rows += _gia("S1", "Южный", "russian", [10, 12, *range(30, 68)])  # 2 of 40
    rows += _gia("S1", "Южный", "math", [10, 12, *range(30, 68)])  # 2 of 40
    rows += _gia("S1", "Южный", "physics", [1, 2, 3, 4, 5])  # 5 participants in the municipality
    rows += _gia("S1", "Южный", "english", [0] * 12)  # no minimum given: not judged
    rows += _gia("S2", "Южный", "russian", [0] * 30, year=2023)  # another year: ignored
    return rows


ANY_FAILURE = FlagSettings(gia_min_failed=1, gia_min_share=0)  # the reasons' wording, on every failing school


def test_gia_risk_school_reasons_and_municipal_subjects():
    found = gia_risk(
        _gia_region(), year=2024, minimums={"russian": 24, "math": 27, "physics": 36}, settings=ANY_FAILURE
    )
    schools = {f.school: f for f in found if f.school}
    assert sorted(schools) == ["N1", "N2", "S1"]

    # region: russian 10 of 102 below the minimum (9,8 %), math 6 of 90 (6,7 %)
    n1 = schools["N1"]
    assert n1.kind == "gia_risk" and n1.municipality == "Северный" and n1.year == 2024
    assert [r.text for r in n1.reasons] == [
        "3 из 25 участников (12 %) ниже минимума по русскому языку (24); по региону — 9,8 %."
    ]
    assert n1.reasons[0].value == 3 and n1.score == pytest.approx(3 / 25)
    assert schools["N2"].reasons[0].text == (
        "4 из 30 участников (13,3 %) ниже минимума по математике (27); по региону — 6,7 %."
    )
    assert [r.text.split(";")[0] for r in schools["S1"].reasons] == [
        "2 из 40 участников (5 %) ниже минимума по математике (27)",
        "2 из 40 участников (5 %) ниже минимума по русскому языку (24)",
    ]
    assert schools["S1"].score == pytest.approx(4 / 80)

    municipal = [(f.municipality, f.subject, f.score) for f in found if not f.school]
    # Северный: russian 8 of 62 (N_SMALL counts in the municipality) beats math 4 of 50; Южный: a tie.
    assert municipal == [("Северный", "russian", 8 / 62), ("Южный", "math", 0.05), ("Южный", "russian", 0.05)]
    north = next(f for f in found if f.municipality == "Северный" and not f.school)
    assert north.reasons[0].text == (
        "Наибольшая в муниципалитете доля участников ниже минимума — по русскому языку (24): "
        "8 из 62 (12,9 %); по региону — 9,8 %."
    )
    assert all("требует внимания" in f.summary for f in found)


def test_gia_risk_thresholds_are_settings():
    rows = _gia_region()
    found = gia_risk(
        rows, year=2024, minimums={"russian": 24, "math": 27}, settings=FlagSettings(gia_min_failed=3)
    )
    assert sorted(f.school for f in found if f.school) == ["N1", "N2"]
    found = gia_risk(
        rows, year=2024, minimums={"russian": 24}, settings=FlagSettings(min_participants=5, gia_min_share=0)
    )
    assert "N_SMALL" in {f.school for f in found}
    assert gia_risk(rows, year=2020, minimums={"russian": 24}) == []
    rows = _gia("R21", "Северный", "russian", [23, *range(30, 50)])
    assert (
        gia_risk(rows, year=2024, minimums={"russian": 24}, settings=ANY_FAILURE)[0]
        .reasons[0]
        .text.startswith("1 из 21 участника (4,8 %) ниже минимума по русскому языку (24)")
    )


def test_gia_risk_needs_enough_evidence_by_default():
    # one failing pupil of 11 says nothing about a school; neither do 2 of 40 (5 %)
    rows = _gia("R11", "Северный", "russian", [23, *range(30, 40)])
    assert [f for f in gia_risk(rows, year=2024, minimums={"russian": 24}) if f.school] == []
    found = gia_risk(_gia_region(), year=2024, minimums={"russian": 24, "math": 27})
    assert sorted(f.school for f in found if f.school) == ["N1", "N2"]  # 3 of 25 (12 %), 4 of 30 (13,3 %)
    # both rules hold together: 3 failing of 40 is enough pupils but only 7,5 %
    rows = _gia("R40", "Северный", "russian", [1, 2, 3, *range(30, 67)])
    assert [f for f in gia_risk(rows, year=2024, minimums={"russian": 24}) if f.school] == []
    rows = _gia("R40", "Северный", "russian", [1, 2, 3, 4, *range(30, 66)])
    assert [f.school for f in gia_risk(rows, year=2024, minimums={"russian": 24}) if f.school] == ["R40"]


# ----------------------------------------------------------------------- ВПР objectivity: exact markers


def _works(school, diffs=(), marks=None, scores=None, n=None):
    """Works of one school; ``diffs`` are ВПР mark − journal mark (ВПР mark 4)."""
    if diffs:
        return [ParticipantMarks(school, 4, 4 - d) for d in diffs]
    if scores is not None:
        return [ParticipantMarks(school, 3, None, score) for score in scores]
    return [ParticipantMarks(school, mark) for mark in (marks or [3] * n)]


def test_marker_1_journal_disagreement_exact():
    works = []
    for i in range(11):
        works += _works(f"ORD{i}", diffs=[-1] * 4 + [0] * 14 + [1] * 2)  # mean −0,1; 10 % higher
    works += _works("INFL", diffs=[0] * 8 + [1] * 12)  # mean +0,6; 60 % higher
    works += _works("TINY", diffs=[1] * 7)  # all higher, but 7 works
    found = vpr_objectivity(works, [], {}, [], {}, subject="math", grade=5, year=2024, boundary_score=10)

    assert [f.school for f in found] == ["INFL"]
    flag = found[0]
    assert (flag.kind, flag.subject, flag.grade, flag.year) == ("vpr_objectivity", "math", 5, 2024)
    assert flag.codes == ("journal_diff", "journal_higher") and flag.markers == (1,)
    # regional references leave INFL out: 220 works of ORD schools (+7 of TINY): mean Δ and share higher
    region_mean = (11 * -2 + 7) / 227
    _t, p = one_sample_t_test([0] * 8 + [1] * 12, region_mean)
    assert flag.reasons[0].text == (
        "Отметки за ВПР в среднем выше журнальных на 0,60 балла (порог 0,50; по региону −0,07): "
        "ниже журнальной — 0 %, совпадает — 40 %, выше — 60 % работ (работ с журнальной отметкой: 20); "
        "q < 0,001."
    )
    assert flag.reasons[0].value == pytest.approx(0.6) and flag.reasons[0].threshold == 0.5
    assert flag.reasons[0].q_value == pytest.approx(min(1.0, p * 12))  # family: 12 eligible schools
    assert flag.reasons[1].text == (
        "Доля работ, где отметка за ВПР выше журнальной, — 60 % (12 из 20) при 12,8 % по региону: "
        "больше на 47,2 п. п. (порог 20 п. п.); q < 0,001."
    )
    assert flag.reasons[1].q_value == pytest.approx(binomial_sf(12, 20, 29 / 227) * 12)
    assert flag.score == min(r.q_value for r in flag.reasons)
    assert "требует внимания" in flag.summary and "не являются выводом" in flag.summary

    stricter = FlagSettings(journal_mean_diff=0.7, journal_higher_excess=0.5)
    assert vpr_objectivity(works, [], {}, [], {}, subject="math", grade=5, year=2024, boundary_score=10,
                           settings=stricter) == []  # fmt: skip


def _marker_2_region():
    works = []
    for i in range(40):
        works += _works(f"ORD{i}", marks=[3] * (10 - i % 4) + [4] * (10 + i % 4))  # means 3,50–3,65
    high = [5] * 36 + [4] * 24  # mean 4,60 on 60 works
    works += _works("HIGH", marks=high) + _works("GYM", marks=high)
    meta = {f"ORD{i}": SchoolMeta("school", "Северный") for i in range(40)}
    meta |= {"HIGH": SchoolMeta("school", "Южный"), "GYM": SchoolMeta("gymnasium", "Южный")}
    standing = {f"ORD{i}": 0.0 for i in range(40)} | {"HIGH": -0.3, "GYM": -0.3}
    return works, meta, standing


def test_marker_2_high_vpr_not_confirmed_by_exams_but_gymnasium_exempt():
    works, meta, standing = _marker_2_region()
    found = vpr_objectivity(
        works, [], meta, [], standing, subject="math", grade=5, year=2024, boundary_score=10
    )
    assert [f.school for f in found] == ["HIGH"]
    flag = found[0]
    assert flag.codes == ("high_unconfirmed",) and flag.municipality == "Южный"

    school_means = [fmean([3] * (10 - i % 4) + [4] * (10 + i % 4)) for i in range(40)] + [4.6, 4.6]
    centre, spread = fmean(school_means), stdev(school_means)
    z = (4.6 - centre) * 60 / 80 / spread
    assert flag.reasons[0].value == pytest.approx(z)
    assert round(z, 1) == 3.2 and round(centre, 2) == 3.62
    assert flag.reasons[0].text == (
        "Средний балл ВПР 4,60 — выше среднего по школам региона (3,62) на 3,2 σ (с поправкой на число "
        "участников, n = 60; порог 2,0 σ), а результаты ОГЭ/ЕГЭ школы ниже среднего по региону (−0,30 σ); "
        "q < 0,001."
    )

    # exams that confirm the high result (standing >= exam_confirm_z) remove the marker
    assert vpr_objectivity(works, [], meta, [], standing | {"HIGH": 0.4}, subject="math", grade=5, year=2024,
                           boundary_score=10) == []  # fmt: skip
    stricter = FlagSettings(exam_confirm_z=0.5)
    found = vpr_objectivity(works, [], meta, [], standing | {"HIGH": 0.2}, subject="math", grade=5, year=2024,
                            boundary_score=10, settings=stricter)  # fmt: skip
    assert "не высокие (+0,20 σ при пороге подтверждения +0,50 σ)" in found[0].reasons[0].text
    # shrinkage: the same 4,60 on 12 works is shrunk below the threshold
    small = [w for w in works if w.school != "HIGH"] + _works("HIGH", marks=[5] * 7 + [4] * 5)
    assert vpr_objectivity(small, [], meta, [], standing, subject="math", grade=5, year=2024,
                           boundary_score=10) == []  # fmt: skip


def test_marker_3_difficulty_inversion_exact():
    region_counts = [18, 16, 14, 12, 10, 8, 6, 4]  # of 20 works: tasks from easiest to hardest
    works, tasks = [], []
    for i in range(20):
        works += _works(f"ORD{i}", n=20)
        tasks += [TaskResult(f"ORD{i}", t + 1, c, 1, 20) for t, c in enumerate(region_counts)]
    works += _works("INV", n=20)
    tasks += [TaskResult("INV", t + 1, 10, 1, 20) for t in range(8)]  # 50 % on every task
    found = vpr_objectivity(works, tasks, {}, [], {}, subject="math", grade=5, year=2024, boundary_score=10)

    assert [f.school for f in found] == ["INV"]
    reason = found[0].reasons[0]
    assert reason.code == "difficulty_inversion" and reason.value == pytest.approx(1.0)
    assert reason.text == (
        "Лёгкие задания (№ 1, 2; по региону выполнено 85 %) школа выполнила хуже региона на 35 п. п., "
        "а трудные (№ 7, 8; по региону 25 %) — лучше на 25 п. п.; ранговая корреляция превышения над регионом "
        "с трудностью задания ρ = 1,00 (порог 0,50); q < 0,001."
    )
    # the same flat profile on too few tasks is not assessed
    few = [t for t in tasks if t.task <= 5]
    assert (
        vpr_objectivity(works, few, {}, [], {}, subject="math", grade=5, year=2024, boundary_score=10) == []
    )


def _marker_4_region():
    ordinary = [10, 10] + [5, 6, 7, 8, 9] * 2 + [11, 12, 13, 14, 15] + [16, 17, 18]  # 2 of 20 at the boundary
    works = []
    for i in range(19):
        works += _works(f"ORD{i}", scores=ordinary)
    works += _works("BUNCH", scores=[10] * 8 + ordinary[2:14])  # 8 of 20
    works += _works("SMALL", scores=[10] * 3 + [12] * 7)  # 3 of 10: above the floors, not significant
    works += _works("TINY", scores=[10] * 7)
    return works


def test_marker_4_bunching_at_the_boundary_exact():
    works = _marker_4_region()
    found = vpr_objectivity(works, [], {}, [], {}, subject="math", grade=5, year=2024, boundary_score=10)
    assert [f.school for f in found] == ["BUNCH"]
    reason = found[0].reasons[0]
    # region without BUNCH: 38 + 3 + 7 = 48 of 397 works at 10 points
    region_share = 48 / 397
    q = binomial_sf(8, 20, region_share) * 21  # 21 schools with >= 10 works, BUNCH has the smallest p
    assert reason.q_value == pytest.approx(q) and round(q, 3) == 0.031
    assert reason.text == (
        "Ровно на минимальном первичном балле для отметки «3» (10) — 8 из 20 участников (40 %) при 12,1 % "
        "по региону: в 3,3 раза чаще (пороги: 25 % и в 2,0 раза); q = 0,031."
    )
    assert (reason.value, reason.threshold) == (0.4, 0.25)
    # SMALL: 30 % >= 25 % and >= 2 × regional, but P(X >= 3 | 10, 12 %) is about 0.1 -> not a discovery
    assert binomial_sf(3, 10, 46 / 407) > 0.05
    assert vpr_objectivity(works, [], {}, [], {}, subject="math", grade=5, year=2024, boundary_score=10,
                           settings=FlagSettings(bunching_share=0.45)) == []  # fmt: skip


def test_marker_5_year_over_year_jump_exact():
    history, works = [], []
    for i in range(49):
        for year in (2022, 2023):
            history.append(SchoolYearIndicator(f"ORD{i}", year, "VPR", "math", 4, 40, 3.5))
        works += _works(f"ORD{i}", marks=[3] * 20 + [4] * 20)
    for year in (2022, 2023):
        history.append(SchoolYearIndicator("JUMP", year, "VPR", "math", 4, 40, 3.4))
    history.append(SchoolYearIndicator("JUMP", 2024, "VPR", "math", 4, 40, 2.0))  # replaced by the works
    history.append(SchoolYearIndicator("JUMP", 2023, "OGE", "math", None, 40, 2.0))  # other kind: ignored
    works += _works("JUMP", marks=[5] * 16 + [4] * 24)  # 4,40
    found = vpr_objectivity(works, [], {}, history, {}, subject="math", grade=4, year=2024, boundary_score=10)

    assert [f.school for f in found] == ["JUMP"]
    flag = found[0]
    assert flag.codes == ("year_jump",) and flag.markers == (5,) and flag.score is None
    # regional means 3,498 -> 3,518; deviations shrunk by 40 / 60
    jump = (4.4 - 3.518) * 40 / 60 - (3.4 - 3.498) * 40 / 60
    assert flag.reasons[0].value == pytest.approx(jump) and round(jump, 2) == 0.65
    assert flag.reasons[0].text == (
        "Средний балл ВПР вырос с 3,40 (2023) до 4,40 (2024); с учётом изменения по региону (3,50 → 3,52) и "
        "числа участников прирост +0,65 балла — выше 97,5-го процентиля приростов по региону (0,00)."
    )
    # fewer than 40 reference jumps (1 / (1 − 0.975)): no percentile, no marker
    only = [h for h in history if h.school in {f"ORD{i}" for i in range(10)} | {"JUMP"}]
    some = [w for w in works if w.school in {f"ORD{i}" for i in range(10)} | {"JUMP"}]
    assert (
        vpr_objectivity(some, [], {}, only, {}, subject="math", grade=4, year=2024, boundary_score=10) == []
    )


def test_marker_5_cohort_fall_from_grade_4_to_grade_5_exact():
    history, works = [], []
    for i in range(49):
        works += _works(f"ORD{i}", marks=[3] * 20 + [4] * 20)  # grade 4 in 2024: 3,50
        history.append(SchoolYearIndicator(f"ORD{i}", 2025, "VPR", "math", 5, 40, 3.3))
    works += _works("COHORT", marks=[5] * 16 + [4] * 24)  # 4,40
    history.append(SchoolYearIndicator("COHORT", 2025, "VPR", "math", 5, 40, 3.0))
    found = vpr_objectivity(works, [], {}, history, {}, subject="math", grade=4, year=2024, boundary_score=10)

    assert [f.school for f in found] == ["COHORT"]
    reason = found[0].reasons[0]
    now = (4.4 - 3.518) * 40 / 60 / 3.518
    later = (3.0 - 3.294) * 40 / 60 / 3.294
    assert reason.value == pytest.approx(now - later) and round(now - later, 3) == 0.227
    assert reason.text == (
        "Тот же поток: в 4 классе (2024) средний балл ВПР 4,40 при 3,52 по региону (выше регионального на "
        "16,7 %), в 5 классе (2025) — 3,00 при 3,29 (ниже регионального на 6 %); положение относительно региона "
        "снизилось на 22,7 п. п. (порог 15 п. п.; с поправкой на число участников)."
    )
    assert vpr_objectivity(works, [], {}, history, {}, subject="math", grade=4, year=2024, boundary_score=10,
                           settings=FlagSettings(cohort_fall=0.25)) == []  # fmt: skip


# ------------------------------------------------------------------ ВПР objectivity: a synthetic region

TASK_DIFFICULTY = (-2.2, -1.8, -1.4, -1.0, -0.6, -0.2, 0.2, 0.6, 1.0, 1.4, 1.8, 2.2)
TASK_MAX = (1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 2, 2)  # 17 primary points
CUTS = (6, 11, 15)  # minimum primary score for "3", "4", "5"
BOUNDARY = CUTS[0]
YEAR = 2024


def _mark(score: int) -> int:
    return 2 + sum(score >= cut for cut in CUTS)


def _journal(rng: random.Random, mark: int, inflated: bool) -> int:
    if inflated:  # the ВПР mark is a mark above the journal in most works
        step = -1 if rng.random() < 0.75 else 0
    else:  # usual picture: ВПР lower than the journal in ~30 % of works, higher in ~10 %
        step = rng.choices((1, 0, -1), weights=(0.3, 0.6, 0.1))[0]
    return min(5, max(2, mark + step))


class _Region:
    """~200 ordinary schools plus planted anomalies, one ВПР (math, grade 4, 2024).

    Pupils follow a Rasch-like model: ability ~ N(0.6 + school effect, 1), success on a task with
    probability logistic(ability − difficulty). Every year (the three previous years of grade 4, the assessed
    year and grade 5 the year after) is simulated the same way, with a school effect drifting by N(0, 0.1)
    from year to year, so year-over-year changes of ordinary schools are pure noise.
    """

    PLANTED = {
        # code: (school effect, works, exam standing, kind)
        "J_INFL": (0.0, 40, 0.0, "school"),  # marker 1
        "HIGH_NC": (1.8, 80, -0.4, "school"),  # marker 2
        "GYM": (1.8, 80, -0.4, "gymnasium"),  # same numbers as HIGH_NC, but a gymnasium
        "INVERT": (0.0, 45, 0.0, "school"),  # marker 3
        "BUNCH": (-0.3, 50, 0.0, "school"),  # marker 4
        "JUMP": (0.8, 60, 1.5, "school"),  # marker 5: year-over-year jump
        "COHORT": (1.2, 60, 1.5, "school"),  # marker 5: cohort fall grade 4 -> grade 5
        "TINY": (3.0, 7, -2.0, "school"),  # everything extreme, 7 works
    }

    def __init__(self, seed: int = 4_2024):
        rng = random.Random(seed)  # noqa: S311 - deterministic synthetic data
        self.works: list[ParticipantMarks] = []
        self.tasks: list[TaskResult] = []
        self.history: list[SchoolYearIndicator] = []
        self.meta: dict[str, SchoolMeta] = {}
        self.standing: dict[str, float] = {}
        plan = {f"ORD{i:03d}": (rng.gauss(0, 0.45), rng.randint(15, 80), None, "school") for i in range(200)}
        plan |= self.PLANTED
        for school, (effect, n, standing, kind) in plan.items():
            self.meta[school] = SchoolMeta(kind, f"М{sum(map(ord, school)) % 5}")
            self.standing[school] = standing if standing is not None else 1.6 * effect + rng.gauss(0, 0.6)
            for year in (YEAR - 3, YEAR - 2, YEAR - 1):
                earlier = effect - 1.0 if school in {"JUMP", "TINY"} else effect
                self._history(rng, school, year, 4, n, earlier)
            later = effect - 0.3 - (2.0 if school in {"COHORT", "TINY"} else 0.0)
            self._history(rng, school, YEAR + 1, 5, n, later)
            self._simulate(rng, school, effect + rng.gauss(0, 0.1), n)

    @staticmethod
    def _points(rng, ability: float, invert: bool = False) -> list[int]:
        points = []
        for b, top in zip(TASK_DIFFICULTY, TASK_MAX, strict=True):
            b_eff = -0.3 * b if invert else b  # inverted profile: easy tasks hard, hard tasks easy
            p = 1 / (1 + math.exp(-(ability - b_eff)))
            points.append(sum(rng.random() < p for _ in range(top)))
        return points

    def _history(self, rng, school, year, grade, n, effect):
        drifted, invert = effect + rng.gauss(0, 0.1), school == "INVERT"
        mean = fmean(_mark(sum(self._points(rng, rng.gauss(0.6 + drifted, 1.0), invert))) for _ in range(n))
        self.history.append(SchoolYearIndicator(school, year, "VPR", "math", grade, n, mean))

    def _simulate(self, rng, school, effect, n) -> None:
        for _ in range(n):
            points = self._points(rng, rng.gauss(0.6 + effect, 1.0), invert=school == "INVERT")
            score = sum(points)
            if school in {"BUNCH", "TINY"} and rng.random() < 0.45:
                score = BOUNDARY
            mark = _mark(score)
            journal = _journal(rng, mark, inflated=school in {"J_INFL", "TINY"})
            self.works.append(ParticipantMarks(school, mark, journal, score))
            self.tasks += [
                TaskResult(school, t + 1, pts, top)
                for t, (pts, top) in enumerate(zip(points, TASK_MAX, strict=True))
            ]

    def run(self, settings: FlagSettings = DEFAULT_SETTINGS) -> list[Flag]:
        return vpr_objectivity(
            self.works,
            self.tasks,
            self.meta,
            self.history,
            self.standing,
            subject="math",
            grade=4,
            year=YEAR,
            boundary_score=BOUNDARY,
            settings=settings,
        )


@pytest.fixture(scope="module")
def region() -> _Region:
    return _Region()


@pytest.fixture(scope="module")
def region_flags(region) -> dict[str, Flag]:
    return _by_school(region.run())


def test_region_planted_schools_get_exactly_their_markers(region_flags):
    expected = {"J_INFL": (1,), "HIGH_NC": (2,), "INVERT": (3,), "BUNCH": (4,), "JUMP": (5,), "COHORT": (5,)}
    assert {school: region_flags[school].markers for school in expected} == expected
    assert "journal_higher" in region_flags["J_INFL"].codes
    assert region_flags["JUMP"].codes == ("year_jump",)
    assert region_flags["COHORT"].codes == ("cohort_fall",)
    assert "GYM" not in region_flags or 2 not in region_flags["GYM"].markers
    assert "TINY" not in region_flags


def test_region_reasons_carry_the_numbers(region, region_flags):
    def works_of(school):
        return [w for w in region.works if w.school == school]

    j_infl = works_of("J_INFL")
    higher = sum(w.mark > w.journal_mark for w in j_infl)
    others = [w for w in region.works if w.school != "J_INFL"]
    region_share = sum(w.mark > w.journal_mark for w in others) / len(others)
    reason = next(r for r in region_flags["J_INFL"].reasons if r.code == "journal_higher")
    share_text = f"{round(100 * higher / len(j_infl), 1):g}".replace(".", ",")
    assert f"— {share_text} % ({higher} из {len(j_infl)}) при " in reason.text
    assert reason.value == pytest.approx(higher / len(j_infl) - region_share)
    assert reason.value >= 0.20 and reason.q_value <= 0.10

    bunch = works_of("BUNCH")
    at = sum(w.primary_score == BOUNDARY for w in bunch)
    reason = region_flags["BUNCH"].reasons[0]
    assert f"(6) — {at} из {len(bunch)} участников" in reason.text
    assert reason.value == pytest.approx(at / len(bunch)) and reason.value >= 0.25

    reason = region_flags["HIGH_NC"].reasons[0]
    assert reason.text.startswith(
        f"Средний балл ВПР {fmean(w.mark for w in works_of('HIGH_NC')):.2f}".replace(".", ",")
    )
    assert "ниже среднего по региону (−0,40 σ)" in reason.text and reason.value > 2.0

    reason = region_flags["INVERT"].reasons[0]
    assert reason.text.startswith("Лёгкие задания (№ 1, 2, 3, 4; по региону выполнено ")
    assert "а трудные (№ 9, 10, 11, 12; " in reason.text and reason.value >= 0.5

    reason = region_flags["JUMP"].reasons[0]
    assert "выше 97,5-го процентиля приростов по региону" in reason.text and reason.value > reason.threshold
    reason = region_flags["COHORT"].reasons[0]
    assert "в 4 классе (2024)" in reason.text and "в 5 классе (2025)" in reason.text and reason.value >= 0.15

    text = _all_text(list(region_flags.values()))
    assert "фальсификац" not in text.lower()
    assert all("требует внимания" in f.summary for f in region_flags.values())


def test_region_ordinary_schools_are_rarely_flagged(region_flags):
    ordinary = [f for school, f in region_flags.items() if school.startswith("ORD")]
    tested = [f for f in ordinary if set(f.markers) & {1, 2, 3, 4}]
    jumps = [f for f in ordinary if "year_jump" in f.codes]
    # Markers 1–4 are Benjamini–Hochberg controlled at q = 0.10 on top of effect-size floors: with ~200
    # null schools per family we allow at most 3 ordinary schools in total.
    assert len(tested) <= 3
    # The year-jump rule flags, by construction, the schools above the regional 97.5th percentile of
    # jumps (pooled over the year pairs): about Binomial(200, 0.025), i.e. 5 ± 2.2; allow up to 10.
    assert len(jumps) <= 10
    # The cohort rule needs a 15 п. п. relative fall; the noise of a shrunk standing is ~3–4 п. п.
    assert not [f for f in ordinary if "cohort_fall" in f.codes]
    assert len(ordinary) <= 13


def test_region_gymnasium_is_exempt_only_from_marker_2(region):
    found = _by_school(region.run(FlagSettings(selective_kinds=frozenset())))
    assert 2 in found["GYM"].markers and 2 in found["HIGH_NC"].markers


def test_gia_risk_of_grouped_scores_is_that_of_the_participants():
    # the database hands over one row per school and score with the number of participants who had it
    rows = _gia_region()
    grouped: dict[tuple, int] = {}
    for row in rows:
        key = (row.school, row.year, row.subject, row.score, row.municipality)
        grouped[key] = grouped.get(key, 0) + 1
    weighted = [GiaScore(*key, participants=n) for key, n in grouped.items()]
    minimums = {"russian": 24, "math": 27, "physics": 36}
    assert len(weighted) < len(rows)
    assert gia_risk(weighted, year=2024, minimums=minimums, settings=ANY_FAILURE) == gia_risk(
        rows, year=2024, minimums=minimums, settings=ANY_FAILURE
    )

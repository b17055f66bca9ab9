"""Three years of plausible ЕГЭ, ОГЭ and ВПР results for the demo region, with a few planted anomalies.

Deterministic (seeded); participant codes are anonymous, as in real exports.
"""

import random
from datetime import date

from django.db import transaction

from assessments.models import AssessmentKind, Campaign, OlympiadResult, Result, Scale, Subject
from assessments.services import aggregates_refresh
from municipalities.models import Region, School

SUBJECTS = [
    ("russian", "Русский язык", "русский\nрусский язык (база)", True),
    ("math_profile", "Математика (профильная)", "математика профильная\nматематика П", True),
    ("math", "Математика", "математика", True),
    ("social_studies", "Обществознание", "обществознание", False),
    ("physics", "Физика", "физика", False),
    ("informatics", "Информатика", "информатика и ИКТ\nинформатика", False),
]  # fmt: skip
# ЕГЭ minimum test scores (DOMAIN.md, 2026; kept the same for the demo years)
EGE_MINIMUMS = {"russian": (24, 36), "math_profile": (27, None), "social_studies": (42, None)}
OGE_MATH = {"3": 8, "4": 15, "5": 22}
OGE_RUSSIAN = {"3": 15, "4": 23, "5": 29}
VPR_MATH5 = {"3": 5, "4": 10, "5": 14}
VPR_RUSSIAN5 = {"3": 18, "4": 29, "5": 38}
VPR_MATH5_TASKS = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4]  # sums to the maximum primary score, 20
VPR_MATH5_EASE = [0.92, 0.88, 0.84, 0.8, 0.7, 0.64, 0.55, 0.45, 0.35, 0.25]


def _subjects() -> dict[str, Subject]:
    found = {}
    for code, name, aliases, mandatory in SUBJECTS:
        found[code], _ = Subject.objects.update_or_create(code=code, defaults={"name": name, "aliases": aliases,
                                                                              "mandatory": mandatory})  # fmt: skip
    return found


def _scale(kind, subject, year, grade=None, **fields) -> Scale:
    scale, _ = Scale.objects.update_or_create(
        kind=kind, subject=subject, year=year, grade=grade, defaults=fields
    )
    return scale


def _campaign(region, kind, subject, year, grade, scale) -> Campaign:
    campaign, _ = Campaign.objects.update_or_create(
        region=region,
        kind=kind,
        subject=subject,
        year=year,
        grade=grade,
        defaults={"scale": scale, "held_on": date(year, 5, 20)},
    )
    return campaign


def _task_points(rng: random.Random, tasks: list[int], quality: float, inverted: bool) -> list[int]:
    """Points per task; an "inverted" school does easy tasks worse than the region and hard ones better."""
    points = []
    for ease, top in zip(VPR_MATH5_EASE, tasks, strict=False):
        shift = (-0.35 if ease > 0.6 else 0.35) if inverted else 0.1 * quality
        chance = min(0.98, max(0.02, ease + shift))
        points.append(sum(rng.random() < chance for _ in range(top)))
    return points


def _mark(primary: int, boundaries: dict) -> int:
    mark = 2
    for value, threshold in sorted((int(k), v) for k, v in boundaries.items()):
        if primary >= threshold:
            mark = value
    return mark


@transaction.atomic
def load_demo_results(years: tuple[int, ...] = (2024, 2025, 2026)) -> int:
    """Every region's results; returns the number of result rows; does nothing if results already exist."""
    if Result.objects.exists():
        return 0
    return sum(_region_results(region, years) for region in Region.objects.order_by("pk"))


def _region_results(region: Region, years: tuple[int, ...]) -> int:
    rng = random.Random(2026 if region.code == "47" else f"2026-{region.code}")  # noqa: S311 - demo data
    subjects = _subjects()
    schools = list(
        School.objects.filter(region=region, is_active=True).exclude(kind="branch").order_by("code")
    )
    if not schools:
        return 0
    quality = {s.pk: rng.gauss(-0.8 if s.low_results else 0.0, 0.6) + (0.6 if s.kind in {"gymnasium", "lyceum"} else 0)
               for s in schools}  # fmt: skip
    inflated = {s.pk for s in schools[7::53]}  # planted: ВПР marks above the journal, bunching at "3"
    inverted = {
        s.pk for s in schools[11::67]
    }  # planted: easy ВПР tasks worse than the region, hard ones better
    rows: list[Result] = []
    campaigns: list[Campaign] = []
    for year in years:
        drift = (year - years[0]) * 0.05
        for code in ("russian", "math_profile", "social_studies"):
            low, university = EGE_MINIMUMS[code]
            scale = _scale(
                AssessmentKind.EGE, subjects[code], year, None, min_score=low, min_score_university=university
            )
            campaign = _campaign(region, AssessmentKind.EGE, subjects[code], year, None, scale)
            campaigns.append(campaign)
            base = {"russian": 68, "math_profile": 55, "social_studies": 57}[code]
            for school in schools:
                if school.kind not in {"sosh", "gymnasium", "lyceum", "center"}:
                    continue
                n = rng.randint(4, 22) if code == "russian" else rng.randint(2, 12)
                for k in range(n):
                    score = round(rng.gauss(base + 9 * (quality[school.pk] + drift), 14))
                    rows.append(Result(campaign=campaign, school=school, participant_code=f"E{year}{code[:2]}{school.code}{k:03d}",
                                       test_score=max(0, min(100, score))))  # fmt: skip
        for code, boundaries, max_primary in (("russian", OGE_RUSSIAN, 33), ("math", OGE_MATH, 31)):
            scale = _scale(
                AssessmentKind.OGE,
                subjects[code],
                year,
                9,
                max_primary=max_primary,
                mark_boundaries=boundaries,
            )
            campaign = _campaign(region, AssessmentKind.OGE, subjects[code], year, 9, scale)
            campaigns.append(campaign)
            for school in schools:
                if school.kind == "nosh":
                    continue
                for k in range(rng.randint(8, 40)):
                    primary = max(
                        0,
                        min(
                            max_primary, round(rng.gauss(max_primary * (0.55 + 0.12 * quality[school.pk]), 5))
                        ),
                    )
                    rows.append(Result(campaign=campaign, school=school, participant_code=f"O{year}{code[:2]}{school.code}{k:03d}",
                                       primary_score=primary, mark=_mark(primary, boundaries)))  # fmt: skip
        for code, boundaries, max_primary in (("russian", VPR_RUSSIAN5, 45), ("math", VPR_MATH5, 20)):
            tasks = VPR_MATH5_TASKS if code == "math" else []
            scale = _scale(AssessmentKind.VPR, subjects[code], year, 5, max_primary=max_primary,
                           mark_boundaries=boundaries, task_max=tasks)  # fmt: skip
            campaign = _campaign(region, AssessmentKind.VPR, subjects[code], year, 5, scale)
            campaigns.append(campaign)
            for school in schools:
                for k in range(rng.randint(10, 45)):
                    share = 0.55 + 0.12 * quality[school.pk]
                    primary = max(
                        0, min(max_primary, round(rng.gauss(max_primary * share, max_primary * 0.15)))
                    )
                    points = _task_points(
                        rng, tasks, quality[school.pk], school.pk in inverted and year == years[-1]
                    )
                    if points:
                        primary = sum(points)
                    mark = _mark(primary, boundaries)
                    journal = max(2, min(5, mark + rng.choice((-1, 0, 0, 0, 1))))
                    if school.pk in inflated and year == years[-1]:
                        if rng.random() < 0.35:
                            primary = int(boundaries["3"])
                        mark = min(5, _mark(primary, boundaries) + (1 if rng.random() < 0.6 else 0))
                        journal = max(2, mark - 1)
                    rows.append(Result(campaign=campaign, school=school, participant_code=f"V{year}{code[:2]}{school.code}{k:03d}",
                                       primary_score=primary, mark=mark, journal_mark=journal, task_points=points))  # fmt: skip
    Result.objects.bulk_create(rows, batch_size=5000)
    for campaign in campaigns:
        aggregates_refresh(campaign)
    olympiad = []
    for year in years[:-1]:
        for stage, chance in (("municipal", 0.9), ("regional", 0.35)):
            for school in schools:
                for code in ("russian", "math", "physics", "informatics"):
                    if rng.random() > chance:
                        continue
                    participants = rng.randint(1, 12 if stage == "municipal" else 4)
                    winners = sum(
                        rng.random() < 0.08 + 0.05 * quality[school.pk] for _ in range(participants)
                    )
                    prize = min(participants - winners, sum(rng.random() < 0.2 for _ in range(participants)))
                    olympiad.append(OlympiadResult(year=year, stage=stage, subject=subjects[code], school=school,
                                                   participants=participants, winners=winners, prize_winners=prize))  # fmt: skip
    OlympiadResult.objects.bulk_create(olympiad)
    return len(rows)

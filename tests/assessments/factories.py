"""Small result sets built directly, for analytics and scope tests."""

from assessments.models import AssessmentKind, Campaign, Result, Scale, Subject
from assessments.services import aggregates_refresh


def subject(code="russian", name="Русский язык", aliases="русский"):
    found, _ = Subject.objects.get_or_create(
        code=code, defaults={"name": name, "aliases": aliases, "mandatory": True}
    )
    return found


def ege(year: int, scores_by_school: dict, *, code="russian", name="Русский язык", minimum=24, university=36):
    subj = subject(code, name)
    scale, _ = Scale.objects.get_or_create(kind=AssessmentKind.EGE, subject=subj, year=year, grade=None,
                                           defaults={"min_score": minimum, "min_score_university": university})  # fmt: skip
    region_id = next(iter(scores_by_school)).region_id
    campaign, _ = Campaign.objects.get_or_create(region_id=region_id, kind=AssessmentKind.EGE, subject=subj, year=year,
                                                 grade=None, defaults={"scale": scale})  # fmt: skip
    rows = [
        Result(
            campaign=campaign, school=school, participant_code=f"{school.code}-{year}-{n}", test_score=score
        )
        for school, scores in scores_by_school.items()
        for n, score in enumerate(scores)
    ]
    Result.objects.bulk_create(rows)
    aggregates_refresh(campaign)
    return campaign

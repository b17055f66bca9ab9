"""School-year indicators read from the stored aggregates: the input of every flag statistic and follow-up."""

from assessments.analytics import flags as stats
from assessments.models import AssessmentKind, ResultAggregate


def indicators(years, region_id: int) -> list[stats.SchoolYearIndicator]:
    """Per school, year, procedure and subject of one region: participants and mean."""
    rows = ResultAggregate.objects.filter(
        campaign__region_id=region_id, campaign__year__in=years, scored__gt=0
    ).values_list(
        "school__code", "campaign__year", "campaign__kind", "campaign__subject__code", "campaign__grade", "scored",
        "score_sum",
    )  # fmt: skip
    kinds = {AssessmentKind.VPR: "VPR", AssessmentKind.OGE: "OGE", AssessmentKind.EGE: "EGE"}
    return [
        stats.SchoolYearIndicator(
            school=code,
            year=year,
            kind=kinds[kind],
            subject=subject,
            grade=grade,
            participants=scored,
            mean=total / scored,
        )
        for code, year, kind, subject, grade, scored, total in rows
        if kind in kinds
    ]

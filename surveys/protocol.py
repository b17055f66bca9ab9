"""The interview section of a meeting's protocol PDF: the questionnaires sent before the interview and a
summary of the submitted answers. Registered with ``meetings.documents`` when the app is ready."""

from django.template.loader import render_to_string

from surveys.models import SurveyResponse
from surveys.services import survey_summary


def interview_section(meeting) -> list[str]:
    """One fragment per questionnaire sent for this meeting (none: nothing is added)."""
    fragments = []
    for survey in meeting.surveys.select_related("questionnaire"):
        responses = list(SurveyResponse.objects.filter(survey=survey, status=SurveyResponse.Status.SUBMITTED)
                         .select_related("school").prefetch_related("answers__question"))  # fmt: skip
        context = {"survey": survey, "submitted": len(responses), "total": survey.responses.count(),
                   "summary": survey_summary(survey, responses)}  # fmt: skip
        fragments.append(render_to_string("surveys/pdf_interview.html", {"s": context}))
    return fragments

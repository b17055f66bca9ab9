"""Questionnaires (interview questions), their sending to schools and the schools' answers."""

from surveys.models.questionnaires import (
    Answer,
    Question,
    Questionnaire,
    Survey,
    SurveyResponse,
    SurveyResponseEvent,
)

__all__ = ["Answer", "Question", "Questionnaire", "Survey", "SurveyResponse", "SurveyResponseEvent"]

"""The audit trail: every create, change and delete of what people write, with who did it (django-auditlog).

Domain histories (obligation, meeting and roadmap events) say what happened in the workflow; this log
records every write to the registered models, in the admin under «Журнал аудита». Bulk data that only
imports and recomputations produce — result rows, aggregates, flags, reminders, notifications — is not
registered: it is rebuilt, never typed, and its import job is the record of who brought it.
"""

from auditlog.registry import auditlog
from django.apps import apps

AUDITED = {
    "municipalities": ["Region", "Organization", "Municipality", "School", "Alias", "User"],
    "meetings": ["Meeting", "Participant", "AgendaItem", "Decision", "DecisionParty", "Obligation", "Report",
                 "ReportFile", "ObligationComment", "ObligationCommentFile", "ExtensionRequest", "Document"],
    "surveys": ["Questionnaire", "Question", "Survey", "SurveyResponse", "Answer"],
    "assessments": ["Subject", "Scale", "Campaign", "ImportJob"],
    "roadmaps": ["Roadmap", "RoadmapVersion", "RoadmapFile", "RoadmapProgress"],
    "mechanisms": ["Direction", "RequiredDocument", "MechanismDocument", "MonitoringLink"],
    "notifications": ["ReminderPolicy"],
}  # fmt: skip
NEVER_LOGGED = {"User": ["password", "last_login", "calendar_token"]}


def register_models() -> None:
    for app_label, names in AUDITED.items():
        for name in names:
            model = apps.get_model(app_label, name)
            if not auditlog.contains(model):
                auditlog.register(model, exclude_fields=NEVER_LOGGED.get(name, []))

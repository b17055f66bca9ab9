from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Questionnaires: written as a list of questions, sent to schools, answered by directors.

    A survey may belong to an interview (``Survey.meeting``); the interview section of that meeting's protocol
    is added through ``meetings.documents.register_protocol_section``, so meetings imports nothing from here.
    """

    name = "surveys"
    verbose_name = "Анкеты"

    def ready(self) -> None:
        from meetings.documents import register_protocol_section
        from surveys.protocol import interview_section

        register_protocol_section(interview_section)

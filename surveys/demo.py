"""Demo questionnaire of the Всеволожский district, sent to its schools and partly answered."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from municipalities.models import Municipality, School, User
from surveys import sending, services
from surveys.models import Question, Questionnaire, SurveyResponse

DEMO_QUESTIONS = """# Подготовка к ГИА
1. Размещён ли план подготовки к ГИА на сайте ОО?
2. Какая работа проводится со слабоуспевающими обучающимися?
3. Сколько учителей математики прошли курсы повышения квалификации в этом году? [число]
4. Когда проведено последнее пробное тестирование по математике? [дата]
5. Кто отвечает за подготовку к ГИА? [один: директор; заместитель директора; руководитель МО]
6. Какие формы работы используются? [несколько: консультации; тренинги; индивидуальные планы; наставничество]
# Объективность оценивания
7. Приглашаются ли независимые наблюдатели на ВПР?
8. Проводится ли перепроверка работ ВПР?
9. Какие меры приняты по итогам анализа ВПР прошлого года?"""


@transaction.atomic
def load_demo_surveys() -> int:
    """A Всеволожский questionnaire sent to five schools, two of them answered; nothing if one exists."""
    if Questionnaire.objects.exists():
        return 0
    today = timezone.localdate()
    head = User.objects.get(username="municipality")
    municipality = Municipality.objects.get(code="04")
    questionnaire = services.questionnaire_create(actor=head, title="Вопросы для собеседования с руководителями ОО "
                                                  "по итогам ВПР и подготовке к ГИА", text=DEMO_QUESTIONS)  # fmt: skip
    schools = list(School.objects.filter(municipality=municipality, kind="sosh").order_by("code")[:5])
    survey = sending.survey_send(actor=head, questionnaire=questionnaire, schools=schools,
                                  due_date=today + timedelta(days=7))  # fmt: skip
    answers = {"yes_no": True, "text": "Индивидуальные планы, консультации по субботам.", "number": 3,
               "date": (today - timedelta(days=20)).isoformat(), "single": "заместитель директора",
               "multiple": ["консультации", "индивидуальные планы"]}  # fmt: skip
    for response in SurveyResponse.objects.filter(survey=survey).order_by("school__code")[1:3]:
        for question in Question.objects.filter(questionnaire=questionnaire):
            response.answers.create(question=question, value=answers[question.kind])
        response.status = SurveyResponse.Status.SUBMITTED
        response.submitted_at = timezone.now()
        response.save()
    return 1

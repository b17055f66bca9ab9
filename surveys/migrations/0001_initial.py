import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("questionnaire", "question", "survey", "surveyresponse", "answer")


def contenttypes_follow(apps, schema_editor):
    """The content types (and with them permissions, audit entries and reminders) of the moved models follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="surveys", model=model).exists():
            ContentType.objects.filter(app_label="meetings", model=model).update(app_label="surveys")


def contenttypes_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="surveys", model__in=MODELS).update(app_label="meetings")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0015_planned_meetings"),
        ("municipalities", "0002_user_calendar_token_user_email_mode"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Questionnaire, Question, Survey, SurveyResponse and Answer moved here from meetings: the tables keep their
    # names and rows, only Django's state changes (meetings.0013 drops them from meetings' state).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Questionnaire",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=300, verbose_name="название")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "copied_from",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="surveys.questionnaire",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "owner_municipality",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="municipalities.municipality",
                            ),
                        ),
                        (
                            "owner_organization",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="municipalities.organization",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_questionnaire",
                        "verbose_name": "анкета",
                        "verbose_name_plural": "анкеты",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Question",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("section", models.CharField(blank=True, max_length=300, verbose_name="раздел")),
                        ("order", models.PositiveIntegerField(verbose_name="№")),
                        ("text", models.TextField(verbose_name="вопрос")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("yes_no", "да/нет"),
                                    ("text", "текст"),
                                    ("number", "число"),
                                    ("date", "дата"),
                                    ("single", "один вариант"),
                                    ("multiple", "несколько вариантов"),
                                    ("file", "файл"),
                                ],
                                default="text",
                                max_length=10,
                                verbose_name="тип",
                            ),
                        ),
                        ("choices", models.JSONField(blank=True, default=list, verbose_name="варианты")),
                        ("required", models.BooleanField(default=True, verbose_name="обязательный")),
                        (
                            "questionnaire",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="surveys.questionnaire",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_question",
                        "verbose_name": "вопрос",
                        "verbose_name_plural": "вопросы",
                        "ordering": ["order"],
                    },
                ),
                migrations.CreateModel(
                    name="Survey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("due_date", models.DateField(verbose_name="ответить до")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="отправлена")),
                        (
                            "form_key",
                            models.UUIDField(
                                blank=True,
                                editable=False,
                                help_text="Одноразовый ключ страницы отправки: повторная отправка той же формы не создаёт вторую рассылку.",
                                null=True,
                                unique=True,
                                verbose_name="ключ формы отправки",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="surveys",
                                to="meetings.meeting",
                            ),
                        ),
                        (
                            "questionnaire",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="surveys",
                                to="surveys.questionnaire",
                            ),
                        ),
                        (
                            "sender_municipality",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="municipalities.municipality",
                            ),
                        ),
                        (
                            "sender_organization",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="municipalities.organization",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_survey",
                        "verbose_name": "рассылка анкеты",
                        "verbose_name_plural": "рассылки анкет",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveyResponse",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "не заполнена"),
                                    ("draft", "черновик"),
                                    ("submitted", "отправлена"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="статус",
                            ),
                        ),
                        ("reopened", models.BooleanField(default=False, verbose_name="открыта повторно")),
                        (
                            "submitted_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="отправлена"),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="survey_responses",
                                to="municipalities.school",
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "survey",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="responses",
                                to="surveys.survey",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_surveyresponse",
                        "verbose_name": "ответ школы",
                        "verbose_name_plural": "ответы школ",
                        "ordering": ["school__municipality__name", "school__short_name"],
                    },
                ),
                migrations.CreateModel(
                    name="Answer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("value", models.JSONField(blank=True, null=True, verbose_name="ответ")),
                        (
                            "file",
                            models.FileField(
                                blank=True, max_length=200, upload_to="answers/", verbose_name="файл"
                            ),
                        ),
                        ("file_name", models.CharField(blank=True, max_length=200)),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="surveys.question",
                            ),
                        ),
                        (
                            "response",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answers",
                                to="surveys.surveyresponse",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_answer",
                        "verbose_name": "ответ на вопрос",
                        "verbose_name_plural": "ответы на вопросы",
                    },
                ),
                migrations.AddConstraint(
                    model_name="question",
                    constraint=models.UniqueConstraint(
                        fields=("questionnaire", "order"), name="question_order_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="surveyresponse",
                    constraint=models.UniqueConstraint(
                        fields=("survey", "school"), name="survey_response_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="answer",
                    constraint=models.UniqueConstraint(fields=("response", "question"), name="answer_once"),
                ),
            ],
            database_operations=[migrations.RunPython(contenttypes_follow, contenttypes_return)],
        ),
    ]

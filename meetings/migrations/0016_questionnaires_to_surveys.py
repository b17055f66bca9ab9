from django.db import migrations


class Migration(migrations.Migration):
    """Questionnaire, Question, Survey, SurveyResponse and Answer now belong to the surveys app (same tables)."""

    dependencies = [
        ("meetings", "0015_planned_meetings"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Answer"),
                migrations.DeleteModel(name="SurveyResponse"),
                migrations.DeleteModel(name="Survey"),
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="Questionnaire"),
            ],
            database_operations=[],
        ),
    ]

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def contenttypes_follow(apps, schema_editor):
    """The content types (and with them permissions and audit entries) of the moved models follow them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("reminderpolicy", "reminder", "notification"):
        if not ContentType.objects.filter(app_label="notifications", model=model).exists():
            ContentType.objects.filter(app_label="portal", model=model).update(app_label="notifications")


def contenttypes_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifications").update(app_label="portal")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Reminder, ReminderPolicy and Notification moved here from portal: the tables keep their names and rows,
    # only Django's state changes (portal.0002 drops them from portal's state).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderPolicy",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "before_days",
                            models.CharField(
                                default="7, 3, 1, 0",
                                help_text="0 — в день срока.",
                                max_length=60,
                                verbose_name="за сколько дней до срока",
                            ),
                        ),
                        (
                            "overdue_every_days",
                            models.PositiveSmallIntegerField(
                                default=3, verbose_name="после срока — каждые N дней"
                            ),
                        ),
                        (
                            "escalate_after_days",
                            models.PositiveSmallIntegerField(
                                default=7, verbose_name="эскалация после N дней просрочки"
                            ),
                        ),
                        (
                            "escalate_to_controller",
                            models.BooleanField(default=True, verbose_name="сообщать контролёру"),
                        ),
                        (
                            "escalate_to_superior",
                            models.BooleanField(default=True, verbose_name="сообщать вышестоящему органу"),
                        ),
                    ],
                    options={
                        "db_table": "portal_reminderpolicy",
                        "verbose_name": "правила напоминаний",
                        "verbose_name_plural": "правила напоминаний",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("overdue_every_days__gte", 1)),
                                name="reminder_policy_overdue_every_positive",
                                violation_error_message="Повтор после срока — не реже одного раза в день.",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("text", models.CharField(max_length=500, verbose_name="текст")),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="когда")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="прочитано")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portal_notification",
                        "verbose_name": "уведомление",
                        "verbose_name_plural": "уведомления",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["user", "read_at"], name="notification_user_unread")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("due_date", models.DateField(verbose_name="срок")),
                        ("kind", models.CharField(max_length=20, verbose_name="вид")),
                        ("digest", models.BooleanField(default=False, verbose_name="в ежедневной сводке")),
                        ("subject", models.CharField(max_length=300, verbose_name="тема")),
                        ("body", models.TextField(verbose_name="текст")),
                        ("url", models.CharField(max_length=300)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "ждёт отправки"),
                                    ("sending", "отправляется"),
                                    ("sent", "отправлено"),
                                    ("failed", "не доставлено"),
                                    ("skipped", "только в портале"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="статус",
                            ),
                        ),
                        ("claimed_by", models.CharField(blank=True, max_length=64)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="отправлено")),
                        ("last_error", models.TextField(blank=True, verbose_name="ошибка")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="создано")),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="кому",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portal_reminder",
                        "verbose_name": "напоминание",
                        "verbose_name_plural": "напоминания",
                        "ordering": ["-created_at"],
                        "indexes": [models.Index(fields=["status", "digest"], name="reminder_status_digest")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("content_type", "object_id", "due_date", "kind", "recipient"),
                                name="reminder_once",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[migrations.RunPython(contenttypes_follow, contenttypes_return)],
        ),
    ]

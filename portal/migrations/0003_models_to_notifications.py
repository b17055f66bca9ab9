from django.db import migrations


class Migration(migrations.Migration):
    """Reminder, ReminderPolicy and Notification now belong to the notifications app (same tables)."""

    dependencies = [
        ("portal", "0002_password_reset_request"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Reminder"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="ReminderPolicy"),
            ],
            database_operations=[],
        ),
    ]

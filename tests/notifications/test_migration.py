"""Reminders, their policy and notifications moved from portal to notifications: a database migrated from
before the move keeps every row, and the content types (permissions, audit entries) follow the models."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from municipalities.models import User
from notifications.models import Notification, Reminder, ReminderPolicy

BEFORE = [("portal", "0001_initial"), ("notifications", None)]


@pytest.mark.django_db(transaction=True)
def test_moving_the_models_keeps_every_row():
    user = User.objects.create_user(username="head", email="head@example.ru", password="x", role="federal")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state([("portal", "0001_initial")]).apps
    old.get_model("portal", "ReminderPolicy").objects.create(before_days="5, 1", overdue_every_days=2)
    old.get_model("portal", "Notification").objects.create(user_id=user.pk, text="Срок через 5 дней")
    user_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="municipalities", model="user"
    )
    old.get_model("portal", "Reminder").objects.create(
        content_type_id=user_type.pk, object_id=user.pk, due_date=timezone.localdate(), kind="before_5",
        recipient_id=user.pk, subject="Напоминание о сроке", body="Текст", url="/obligations/",
    )  # fmt: skip
    assert ContentType.objects.filter(app_label="portal", model="reminder").exists()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert ReminderPolicy.objects.get().before_list == [5, 1]
    assert Notification.objects.get().user == user
    reminder = Reminder.objects.get()
    assert (reminder.subject, reminder.recipient, reminder.target) == ("Напоминание о сроке", user, user)
    assert ContentType.objects.get_for_model(Reminder).app_label == "notifications"
    assert not ContentType.objects.filter(app_label="portal", model__in=["reminder", "notification"]).exists()

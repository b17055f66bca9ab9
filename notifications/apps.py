from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Reminders about deadlines (policy, plan, delivery by e-mail) and in-portal notifications.

    Apps plug in their reminder sources (``REMINDER_SOURCES``) and re-queue work of their own
    (``REQUEUE_SOURCES``); this app imports none of them.
    """

    name = "notifications"
    verbose_name = "Уведомления и напоминания"

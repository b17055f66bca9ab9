from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.delivery import send_digest


class Command(BaseCommand):
    help = "Отправляет ежедневные сводки напоминаний тем, кто выбрал «одним письмом в день»."

    def handle(self, *args, **options):
        today = timezone.localdate()
        users = get_user_model().objects.filter(reminder__digest=True, reminder__status="pending").distinct()
        sent = sum(1 for user in users if send_digest(user.pk, today))
        self.stdout.write(f"Отправлено сводок: {sent}.")

from django.core.management.base import BaseCommand

from notifications.reminders import requeue_stale


class Command(BaseCommand):
    help = "Повторно ставит в очередь напоминания, чья отправка потерялась (сбой брокера или воркера)."

    def handle(self, *args, **options):
        self.stdout.write(f"Поставлено в очередь повторно: {requeue_stale()}.")

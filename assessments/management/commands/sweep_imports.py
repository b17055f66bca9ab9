from django.core.management.base import BaseCommand

from assessments import services


class Command(BaseCommand):
    help = "Загрузки результатов, оставшиеся «загружается» после остановки обработчика, — в «не загружен»."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes", type=int, help="Сколько минут ждать начала загрузки (по умолчанию 30)."
        )

    def handle(self, minutes=None, **options):
        swept = services.import_jobs_sweep(minutes=minutes)
        self.stdout.write(f"Прерванных загрузок: {swept}.")

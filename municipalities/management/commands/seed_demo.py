from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from municipalities.demo import DEMO_PASSWORD, load_demo_region


class Command(BaseCommand):
    help = "Загружает демонстрационный регион (Ленинградская область) и демо-пользователей."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Ничего не делать, если муниципалитеты уже есть."
        )

    def handle(self, *args, if_empty: bool = False, **options):
        from municipalities.models import Municipality

        if not settings.DEMO:
            raise CommandError(
                "Демо-данные загружаются только в демонстрационном режиме: задайте PORTAL_DEMO=1."
            )
        if if_empty and Municipality.objects.exists():
            self.stdout.write("База данных не пуста: демо-регион не загружается.")
            return
        try:
            counts = load_demo_region()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-регион загружен: муниципалитетов {counts['municipalities']}, школ {counts['schools']}, "
                f"организаций {counts['organizations']}, демо-пользователей {counts['users']}."
            )
        )
        from meetings.demo import load_demo_meetings

        meetings = load_demo_meetings()
        if meetings:
            self.stdout.write(f"Демо-протоколы: {meetings}, их решения поставлены на контроль.")
        self.stdout.write(
            f"Входы (пароль «{DEMO_PASSWORD}»): committee, municipality, school, observer, loiro."
        )

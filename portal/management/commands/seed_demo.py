from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from municipalities.demo import DEMO_PASSWORD, load_demo_region


class Command(BaseCommand):
    help = "Загружает демонстрационные регионы (Ленинградская и Омская области) и демо-пользователей."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Ничего не делать, если муниципалитеты уже есть."
        )
        parser.add_argument("--without-results", action="store_true", help="Без результатов ЕГЭ, ОГЭ и ВПР.")

    def handle(self, *args, if_empty: bool = False, without_results: bool = False, **options):
        from municipalities.models import Municipality

        if not settings.DEMO:
            raise CommandError(
                "Демо-данные загружаются только в демонстрационном режиме: задайте PORTAL_DEMO=1."
            )
        if if_empty and Municipality.objects.exists():
            self.stdout.write("База данных не пуста: демо-регион не загружается.")
            return
        from municipalities.demo_omsk import load_omsk_region

        try:
            counts = load_demo_region()
            omsk = load_omsk_region()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-регион загружен: муниципалитетов {counts['municipalities']}, школ {counts['schools']}, "
                f"организаций {counts['organizations']}, демо-пользователей {counts['users']}."
            )
        )
        self.stdout.write(
            f"Второй демо-регион (Омская область): муниципалитетов {omsk['municipalities']}, школ {omsk['schools']}, "
            f"демо-пользователей {omsk['users']}."
        )
        from meetings.demo import load_demo_meetings, load_demo_omsk_meetings

        meetings = load_demo_meetings()
        if meetings:
            self.stdout.write(f"Демо-протоколы: {meetings}, их решения поставлены на контроль.")
        if load_demo_omsk_meetings():
            self.stdout.write("Омская область: протокол собеседования комитета Омского района со школами.")
        from surveys.demo import load_demo_surveys

        if load_demo_surveys():
            self.stdout.write("Демо-анкета: отправлена пяти школам Всеволожского района, две ответили.")
        from roadmaps.demo import load_demo_roadmaps

        roadmaps = load_demo_roadmaps()
        if roadmaps:
            self.stdout.write(
                f"Демо-дорожные карты: {roadmaps} (утверждённые, на рассмотрении, возвращённые)."
            )
        from mechanisms.demo import load_demo_mechanisms

        if load_demo_mechanisms():
            self.stdout.write(
                "Демо-мониторинг механизмов управления: 7 направлений × 6 документов, часть принята."
            )
        if not without_results:
            from assessments.demo import load_demo_results
            from assessments.flagging import flags_refresh

            rows = load_demo_results()
            if rows:
                flags = sum(flags_refresh(year) for year in (2025, 2026))
                self.stdout.write(
                    f"Демо-результаты ЕГЭ, ОГЭ и ВПР за 2024–2026 годы: {rows} строк, признаков: {flags}."
                )
        self.stdout.write(
            f"Входы (пароль «{DEMO_PASSWORD}»): committee, municipality, school, observer, loiro; Омская область: "
            "omsk-committee, omsk-mouo, omsk-school; federal — федеральный наблюдатель (оба региона)."
        )

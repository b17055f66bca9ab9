from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.importing import ResultFileError
from assessments.scales import scales_load
from municipalities.models import Role, User


class Command(BaseCommand):
    help = "Загружает шкалы (минимальные баллы, границы отметок, перевод баллов) из XLSX: всё или ничего."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Только проверить.")
        parser.add_argument("--user", help="От чьего имени (по умолчанию — сотрудник комитета).")

    def handle(self, path, dry_run=False, user=None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Файл не найден: {path}")
        actor = User.objects.filter(username=user).first() if user else (
            User.objects.filter(role=Role.COMMITTEE, is_active=True).order_by("-is_superuser", "pk").first()
        )  # fmt: skip
        if actor is None:
            raise CommandError("Не найден пользователь: укажите --user.")
        try:
            outcome = scales_load(actor=actor, path_or_file=file, filename=file.name, dry_run=dry_run)
        except ResultFileError as exc:
            raise CommandError(str(exc)) from exc
        for error in outcome.errors:
            where = f"строка {error['row']}" + (f", «{error['column']}»" if error["column"] else "")
            self.stdout.write(self.style.WARNING(f"  {where}: {error['message']}"))
        if outcome.errors:
            raise CommandError("Ничего не загружено: исправьте ошибки в таблице шкал.")
        self.stdout.write(f"Загружено шкал: {outcome.saved}." if not dry_run else "Ошибок нет.")

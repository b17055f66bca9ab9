"""python manage.py import_directory PATH --region CODE [--dry-run] [--json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipalities.directory.service import import_directory
from municipalities.models import Region


class Command(BaseCommand):
    help = "Загрузить справочник региона (муниципалитеты, организации, школы, пользователи) из XLSX/CSV."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--region", required=True, help="код региона")
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не сохранять")
        parser.add_argument("--json", action="store_true", dest="as_json", help="отчёт в JSON")

    def handle(self, path, region, dry_run, as_json: bool, **options):
        region_obj = Region.objects.filter(code=region).first()
        if region_obj is None:
            known = ", ".join(Region.objects.values_list("code", flat=True)) or "нет ни одного"
            raise CommandError(f"Регион с кодом «{region}» не найден (есть: {known}).")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Файл «{path}» не найден.")
        report = import_directory(file.read_bytes(), file.name, region_obj, dry_run=dry_run)
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            data = report.as_json()
            self.stdout.write(
                f"Строк: {data['rows']}; создано: {data['created']}, изменено: {data['updated']}, "
                f"без изменений: {data['unchanged']}."
            )
            for problem in report.errors:
                self.stdout.write(f"Ошибка: {problem}")
            for item in report.missing:
                self.stdout.write(f"Нет в файле (оставлено как есть): {item}")
            if report.saved:
                self.stdout.write(f"Сохранено. Приглашения: {len(report.invited)}.")
            elif report.ok:
                self.stdout.write("Проверка пройдена, ничего не сохранено (--dry-run).")
        if not report.ok:
            raise CommandError("Справочник не загружен: исправьте ошибки, ничего не сохранено.")

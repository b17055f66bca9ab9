import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.importing import ResultFileError
from assessments.models import AssessmentKind, Subject
from assessments.services import subject_lookup
from municipalities.models import Region, Role, User, normalize_name


class Command(BaseCommand):
    help = "Проверяет и загружает файл результатов (XLSX/CSV): всё или ничего."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kind", required=True, help="EGE, OGE, GVE9, GVE11 или VPR")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--subject", help="Предмет, если в файле нет столбца «Предмет».")
        parser.add_argument("--grade", type=int)
        parser.add_argument("--dry-run", action="store_true", help="Только проверить, ничего не загружать.")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--user", help="От чьего имени загрузка (по умолчанию — сотрудник комитета).")
        parser.add_argument("--region", help="Код региона, в котором искать коды школ (по умолчанию — регион "
                                             "пользователя или первый).")  # fmt: skip

    def handle(
        self,
        path,
        kind,
        year,
        subject=None,
        grade=None,
        dry_run=False,
        json=False,
        user=None,
        region=None,
        **options,
    ):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Файл не найден: {path}")
        if kind not in AssessmentKind.values:
            raise CommandError(f"--kind {kind}: ожидается одно из {', '.join(AssessmentKind.values)}.")
        subject_obj = None
        if subject:
            subject_obj = subject_lookup().get(normalize_name(subject))
            if subject_obj is None:
                names = ", ".join(Subject.objects.values_list("name", flat=True)[:20])
                raise CommandError(f"Предмет «{subject}» не найден. Известные: {names}.")
        staff = User.objects.filter(role=Role.COMMITTEE, is_active=True)
        if region:
            if not Region.objects.filter(code=region).exists():
                raise CommandError(f"--region {region}: такого региона нет.")
            staff = staff.filter(region__code=region)
        actor = User.objects.filter(username=user).first() if user else (
            staff.order_by("-is_superuser", "region", "pk").first()
        )  # fmt: skip
        if actor is None:
            raise CommandError("Не найден пользователь для загрузки: укажите --user.")
        upload = SimpleUploadedFile(file.name, file.read_bytes())
        job = services.job_create(
            actor=actor, upload=upload, kind=kind, year=year, subject=subject_obj, grade=grade
        )
        outcome = services.results_check(job)
        imported = 0
        if not dry_run and not outcome.errors:
            try:
                imported = services.results_commit(job)
            except ResultFileError as exc:
                raise CommandError(str(exc)) from exc
        result = {"rows": outcome.rows, "imported": imported, "errors": outcome.errors, "job_id": job.pk}
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.stdout.write(f"Строк: {outcome.rows}, загружено: {imported}, ошибок: {len(outcome.errors)}.")
            for error in outcome.errors[:50]:
                where = f"строка {error['row']}" + (f", «{error['column']}»" if error["column"] else "")
                self.stdout.write(self.style.WARNING(f"  {where}: {error['message']}"))
        if outcome.errors:
            raise CommandError("Ничего не загружено: исправьте ошибки в файле.")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

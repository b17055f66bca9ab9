import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.reminders import requeue_stale, send_reminders


class Command(BaseCommand):
    help = (
        "Создаёт напоминания о сроках на сегодня (или на --date) и отправляет их; то же делает Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Работать так, как будто сегодня эта дата (ГГГГ-ММ-ДД).")
        parser.add_argument("--dry-run", action="store_true", help="Только показать, что было бы отправлено.")
        parser.add_argument("--json", action="store_true", help="Вывести список JSON.")

    def handle(self, *args, date=None, dry_run=False, json=False, **options):
        try:
            today = _parse_date(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date {date}: ожидается дата в виде ГГГГ-ММ-ДД.") from exc
        planned = send_reminders(today, dry_run=dry_run)
        if not dry_run:
            requeue_stale()
        if json:
            self.stdout.write(_dumps([p.as_json() for p in planned]))
            return
        verb = "Было бы отправлено" if dry_run else "Создано"
        self.stdout.write(f"{verb} напоминаний на {today:%d.%m.%Y}: {len(planned)}.")
        for p in planned:
            self.stdout.write(
                f"  {p.candidate.due_date:%d.%m.%Y} {p.kind:<12} {p.recipient.email}  {p.candidate.unit_name}"
            )


def _parse_date(text: str) -> date:
    return date.fromisoformat(text)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

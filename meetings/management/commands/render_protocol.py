import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings import documents
from meetings.models import Document, Meeting


class Command(BaseCommand):
    help = "Формирует PDF протокола, выписки решений или справки об исполнении и сохраняет его в файл."

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", help="Номер (id) совещания в портале.")
        parser.add_argument("--output", "-o", required=True, help="Куда сохранить PDF.")
        parser.add_argument(
            "--kind",
            default="protocol",
            help="Документ: protocol — протокол (по умолчанию), decisions — решения, status — справка.",
        )

    def handle(self, meeting_id, output, kind="protocol", **options):
        if kind not in documents.KINDS:
            raise CommandError(f"Неизвестный вид документа «{kind}»: возможны {', '.join(documents.KINDS)}.")
        meeting = Meeting.objects.filter(pk=meeting_id).first() if str(meeting_id).isdigit() else None
        if meeting is None:
            raise CommandError(f"Совещание с id={meeting_id} не найдено.")
        path = Path(output).expanduser()
        self._check_writable(path)
        document = documents.layout(documents.render_html(meeting, kind))
        try:
            path.write_bytes(document.write_pdf())
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл {path}: {exc.strerror or exc}.") from exc
        label = Document.Kind(kind).label
        pages = len(document.pages)
        self.stdout.write(
            self.style.SUCCESS(f"PDF сформирован ({label}, {meeting}): {path}, страниц: {pages}.")
        )

    @staticmethod
    def _check_writable(path: Path) -> None:
        """Fail before the (slow) rendering when the file cannot be written."""
        if path.is_dir():
            raise CommandError(f"Не удалось записать файл {path}: это каталог.")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise CommandError(f"Не удалось записать файл {path}: каталог {parent} не существует.")
        if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise CommandError(f"Не удалось записать файл {path}: нет прав на запись.")

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings import services
from meetings.importing import draft_from_proposal
from meetings.models import Obligation
from meetings.parties import PartyResolver
from meetings.protocol_import import ProtocolFileError, extract_text, parse_protocol
from municipalities.models import Municipality, Organization, Role, User


class Command(BaseCommand):
    help = "Импортирует протокол (.docx или .txt): разбирает, сохраняет подписанным и ставит решения на контроль."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Только разобрать, ничего не сохранять.")
        parser.add_argument("--json", action="store_true", help="Вывести результат одним объектом JSON.")
        parser.add_argument("--organizer", help="Код организатора: организации региона или муниципалитета.")
        parser.add_argument(
            "--draft", action="store_true", help="Сохранить черновиком, не ставя на контроль."
        )
        parser.add_argument(
            "--user",
            help="Имя пользователя, от которого ведётся протокол (по умолчанию — сотрудник комитета).",
        )

    def handle(self, path, dry_run=False, json=False, organizer=None, draft=False, user=None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Файл не найден: {path}")
        try:
            text = extract_text(file.read_bytes(), file.name)
            proposal = parse_protocol(text)
        except ProtocolFileError as exc:
            raise CommandError(str(exc)) from exc
        organization, municipality = self._organizer(organizer)
        meeting_draft, warnings = draft_from_proposal(proposal, PartyResolver(municipality=municipality))
        meeting_draft.source_text = text
        result = proposal.to_json()
        result["warnings"] = warnings
        if not dry_run:
            actor = self._actor(user, municipality)
            try:
                meeting = services.meeting_create(
                    actor=actor, draft=meeting_draft, organizer_organization=organization,
                    organizer_municipality=municipality, controller=actor, sign=not draft, imported=True,
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                if json:
                    result["errors"] = messages
                    self.stdout.write(_dumps(result))
                raise CommandError("Протокол не сохранён: " + "; ".join(messages)) from exc
            result["meeting_id"] = meeting.pk
            result["obligations"] = Obligation.objects.filter(decision__item__meeting=meeting).count()
        if json:
            self.stdout.write(_dumps(result))
            return
        m = result["meeting"]
        self.stdout.write(f"{m['title']} от {m['date']} № {m['number'] or '—'}: вопросов {len(result['items'])}, "
                          f"решений {sum(len(i['decisions']) for i in result['items'])}.")  # fmt: skip
        for warning in warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
        if "meeting_id" in result:
            self.stdout.write(self.style.SUCCESS(
                f"Сохранено: meeting_id={result['meeting_id']}, поручений на контроле: {result['obligations']}."))  # fmt: skip

    def _organizer(self, code):
        if not code:
            committee = Organization.objects.filter(kind=Organization.Kind.COMMITTEE).order_by("pk").first()
            if committee is None:
                raise CommandError("В справочнике нет комитета: укажите --organizer.")
            return committee, None
        organization = Organization.objects.filter(code=code).first()
        if organization:
            return organization, None
        municipality = Municipality.objects.filter(code=code).first()
        if municipality:
            return None, municipality
        raise CommandError(f"Организатор с кодом «{code}» не найден.")

    def _actor(self, username, municipality):
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"Пользователь «{username}» не найден.")
            return actor
        people = User.objects.filter(is_active=True)
        if municipality:
            actor = people.filter(role=Role.MUNICIPALITY, municipality=municipality).first()
        else:
            actor = people.filter(role=Role.COMMITTEE).order_by("-is_superuser", "pk").first()
        if actor is None:
            raise CommandError("Не найден пользователь-организатор: укажите --user.")
        return actor


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)

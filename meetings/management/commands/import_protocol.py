import json
from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from meetings import services
from meetings.importing import draft_from_proposal
from meetings.models import Obligation
from meetings.parties import PartyResolver
from meetings.protocol_import import ProtocolFileError, extract_text, parse_protocol
from municipalities.models import Municipality, Organization, Region, Role, User


class Command(BaseCommand):
    help = (
        "Импортирует протокол (.docx или .txt): разбирает, сохраняет подписанным и ставит решения на контроль; "
        "протокол, который нельзя подписать (нет или не найдены ответственные, исполнитель вне полномочий "
        "организатора), сохраняется черновиком с указанием причин."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Только разобрать, ничего не сохранять.")
        parser.add_argument("--json", action="store_true", help="Вывести результат одним объектом JSON.")
        parser.add_argument("--organizer", help="Код организатора: организации региона или муниципалитета.")
        parser.add_argument("--region", help="Код региона организатора (нужен, если регионов несколько).")
        parser.add_argument(
            "--draft", action="store_true", help="Сохранить черновиком, не ставя на контроль."
        )
        parser.add_argument(
            "--archival", action="store_true",
            help="Запись о прошлом: поручения вносятся как исполненные, без напоминаний, эскалаций и просрочек.",
        )  # fmt: skip
        parser.add_argument(
            "--user",
            help="Имя пользователя, от которого ведётся протокол (по умолчанию — сотрудник комитета).",
        )

    def handle(self, path, dry_run=False, json=False, organizer=None, draft=False, user=None, archival=False, region=None,
               **options):  # fmt: skip
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Файл не найден: {path}")
        try:
            text = extract_text(file.read_bytes(), file.name)
            proposal = parse_protocol(text)
        except ProtocolFileError as exc:
            raise CommandError(str(exc)) from exc
        organization, municipality = self._organizer(organizer, self._region(region))
        resolver = PartyResolver(municipality=municipality, organization=organization)
        meeting_draft, warnings = draft_from_proposal(proposal, resolver)
        meeting_draft.source_text = text
        result = proposal.to_json()
        result["warnings"] = warnings
        _add_addressees(result, meeting_draft, resolver)
        result["archival"] = archival
        result["past_deadlines"] = past = _past_deadlines(meeting_draft)
        if past and not archival:
            warnings.append(f"Сроки решений уже прошли ({past}): протокол ставится на текущий контроль (напоминания "
                            "начнутся сразу); если это запись о прошлом, импортируйте его с --archival.")  # fmt: skip
        if not dry_run:
            actor = self._actor(user, municipality)
            meeting, errors = self._save(
                actor, meeting_draft, organization, municipality, sign=not draft, archival=archival
            )
            result["meeting_id"], result["signed"] = meeting.pk, meeting.is_signed
            result["obligations"] = Obligation.objects.filter(decision__item__meeting=meeting).count()
            if errors:
                result["errors"] = errors
        if json:
            self.stdout.write(_dumps(result))
            return
        m = result["meeting"]
        self.stdout.write(f"{m['title']} от {m['date']} № {m['number'] or '—'}: вопросов {len(result['items'])}, "
                          f"решений {sum(len(i['decisions']) for i in result['items'])}.")  # fmt: skip
        for warning in warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
        for error in result.get("errors", []):
            self.stdout.write(self.style.ERROR(f"  × {error}"))
        if "meeting_id" in result and result["signed"] and archival:
            self.stdout.write(self.style.SUCCESS(
                f"Сохранено: meeting_id={result['meeting_id']}, архивный протокол — поручений внесено как исполненные: "
                f"{result['obligations']}."))  # fmt: skip
        elif "meeting_id" in result and result["signed"]:
            self.stdout.write(self.style.SUCCESS(
                f"Сохранено: meeting_id={result['meeting_id']}, поручений на контроле: {result['obligations']}."))  # fmt: skip
        elif "meeting_id" in result:
            self.stdout.write(self.style.WARNING(
                f"Сохранено черновиком: meeting_id={result['meeting_id']}"
                + (" — исправьте отмеченное на странице протокола и подпишите его." if result.get("errors") else ".")
            ))  # fmt: skip

    def _save(self, actor, meeting_draft, organization, municipality, *, sign: bool, archival: bool = False):
        """Sign when it can; a protocol that cannot be signed yet is kept as a draft, with the reasons."""
        create = partial(services.meeting_create, actor=actor, draft=meeting_draft, organizer_organization=organization,
                         organizer_municipality=municipality, controller=actor, imported=True,
                         archival=archival, unknown_ok=True)  # fmt: skip
        try:
            if sign:
                try:
                    with transaction.atomic():
                        return create(sign=True), []
                except ValidationError as exc:
                    return create(sign=False), exc.messages
            return create(sign=False), []
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("Протокол не сохранён: " + "; ".join(messages)) from exc

    def _region(self, code):
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise CommandError(f"Регион с кодом «{code}» не найден.")
            return region
        return None

    def _organizer(self, code, region):
        in_region = {"region": region} if region else {}
        if not code:
            committee = (
                Organization.objects.filter(kind=Organization.Kind.COMMITTEE, **in_region)
                .order_by("pk")
                .first()
            )
            if committee is None:
                raise CommandError("В справочнике нет комитета: укажите --organizer.")
            return committee, None
        for model in (Organization, Municipality):
            if model.objects.filter(code=code, **in_region).values("region").distinct().count() > 1:
                raise CommandError(f"Код «{code}» есть в нескольких регионах: укажите --region КОД.")
        organization = Organization.objects.filter(code=code, **in_region).first()
        if organization:
            return organization, None
        municipality = Municipality.objects.filter(code=code, **in_region).first()
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


def _add_addressees(result: dict, meeting_draft, resolver: PartyResolver) -> None:
    """Next to each decision's ``responsible`` as written: what it resolved to, with counts."""
    for item, item_draft in zip(result["items"], meeting_draft.items, strict=True):
        for decision, decision_draft in zip(item["decisions"], item_draft.decisions, strict=True):
            decision["addressees"] = [
                {
                    "text": addressee.text,
                    "resolved": [
                        {"kind": target.group or _unit_kind(target), "name": resolver.describe(target),
                         "count": resolver.count(target)}
                        for target in addressee.targets
                    ],
                }
                for addressee in decision_draft.addressees
            ]  # fmt: skip


def _past_deadlines(meeting_draft) -> int:
    """How many tracked decisions have a written date already past today."""
    today = timezone.localdate()
    return sum(
        1
        for item in meeting_draft.items
        for d in item.decisions
        if d.tracked and any(due < today for due in d.deadline.due_dates)
    )


def _unit_kind(target) -> str:
    if target.school is not None:
        return "school"
    return "municipality" if target.municipality is not None else "organization"


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)

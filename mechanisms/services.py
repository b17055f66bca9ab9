"""Writes of the monitoring: a municipality submits a document, the committee accepts or returns it.

Every change writes a MechanismEvent in the same transaction. When a municipality's required documents
are all accepted for a year, the obligations of that municipality on the decisions linked to the
monitoring are reported and accepted («снято с контроля») through ``meetings.services``, as roadmaps
drive theirs.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from core.uploads import check_upload, storage_name
from mechanisms.models import (
    MAX_YEAR,
    MIN_YEAR,
    Direction,
    DocumentStatus,
    MechanismDocument,
    MechanismEvent,
    MonitoringLink,
    RequiredDocument,
    required_documents,
)
from meetings import services as meeting_services
from meetings.models import Decision, Obligation, ObligationStatus
from municipalities.models import Municipality, Role, User
from notifications.notify import notify

_URL = URLValidator(schemes=["http", "https"])


def _event(document: MechanismDocument, actor, before: str, comment: str = "") -> None:
    MechanismEvent.record(document, actor, before=before, comment=comment)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": f"Год {year}: укажите год мониторинга от {MIN_YEAR} до {MAX_YEAR}."})


def _clean_url(url: str, where: str) -> str:
    url = url.strip()
    try:
        _URL(url)
    except ValidationError:
        raise ValidationError(
            {"url": f"{where}: ссылка «{url[:200]}» не является адресом сайта. Укажите полный адрес, "
                    "начинающийся с http:// или https://, например https://edu.example.ru/docs/polozhenie.pdf."}
        ) from None  # fmt: skip
    return url


def _where(required: RequiredDocument) -> str:
    return f"«{required.name}» (направление «{required.direction.name}»)"


@transaction.atomic
def document_submit(
    *, actor, municipality: Municipality, required: RequiredDocument, year: int,
    upload: UploadedFile | None = None, url: str = "", comment: str = "",
) -> MechanismDocument:  # fmt: skip
    """The municipality's own head attaches a document (a file or the address where it is published)."""
    if actor.is_read_only or actor.role != Role.MUNICIPALITY or actor.municipality_id != municipality.pk:
        raise PermissionDenied(
            "Представлять документы может только руководитель органа управления образованием этого муниципалитета."
        )
    _check_year(year)
    _lock_municipality(municipality.pk)
    required = RequiredDocument.objects.select_related("direction").get(pk=required.pk)
    where = _where(required)
    if required.direction.region_id != municipality.region_id:
        raise ValidationError(f"Документ {where} требуется в другом регионе.")
    if not (required.is_active and required.direction.is_active):
        raise ValidationError(f"Документ {where} больше не требуется.")
    url = (url or "").strip()
    if bool(upload) == bool(url):
        raise ValidationError(
            f"{where}: приложите файл или укажите ссылку на опубликованный документ — одно из двух."
        )
    if url:
        url = _clean_url(url, where)
        info = None
    else:
        try:
            info = check_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"file": [f"{where}. {m}" for m in exc.messages]}) from None
    document = (
        MechanismDocument.objects.select_for_update()
        .filter(required=required, municipality=municipality, year=year)
        .first()
    )
    before = document.status if document else DocumentStatus.MISSING
    if document is None:
        document = MechanismDocument(required=required, municipality=municipality, year=year)
    else:
        document.check_transition(DocumentStatus.SUBMITTED)
    document.status = DocumentStatus.SUBMITTED
    document.submitted_by, document.submitted_at = actor, timezone.now()
    document.reviewed_by, document.reviewed_at, document.review_comment = None, None, ""
    document.url = url
    document.file, document.file_name, document.file_size, document.content_type, document.sha256 = (
        "", "", None, "", "")  # fmt: skip
    if info:
        document.file_name, document.file_size, document.content_type, document.sha256 = (
            info.name, info.size, info.content_type, info.sha256)  # fmt: skip
        document.file.save(storage_name("mechanisms", info.name), upload, save=False)
    document.save()
    what = f"ссылка {url}" if url else f"файл «{info.name}»"
    _event(document, actor, before, "; ".join(p for p in (what, comment.strip()[:2000]) if p))
    return document


def _lock_municipality(pk: int) -> None:
    """One municipality's submissions and reviews run one at a time: no duplicate first submission, and of two
    documents accepted at once the later sees the earlier, so a linked obligation is not left open."""
    list(Municipality.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _locked(document: MechanismDocument) -> MechanismDocument:
    _lock_municipality(document.municipality_id)  # always before the document: one lock order, no deadlock
    return (
        MechanismDocument.objects.select_for_update(of=("self",))
        .select_related("required__direction", "municipality")
        .get(pk=document.pk)
    )


def _require_reviewer(document: MechanismDocument, actor, what: str) -> None:
    """Committee staff review; never observers, and never the one who submitted the document."""
    if actor.is_read_only or not actor.is_committee or not actor.works_in(document.municipality.region_id):
        raise PermissionDenied(f"{what} может только сотрудник комитета.")
    if document.submitted_by_id == actor.pk:
        raise PermissionDenied(f"{what}, представленный вами же, нельзя.")


def _review(document: MechanismDocument, actor, status: str, comment: str) -> None:
    """The committee's mark on a document (accepted or returned), with its event."""
    document.check_transition(status)
    before = document.status
    document.status = status
    document.reviewed_by, document.reviewed_at, document.review_comment = (
        actor,
        timezone.now(),
        comment.strip(),
    )
    document.save()
    _event(document, actor, before, comment.strip())


@transaction.atomic
def document_accept(*, document: MechanismDocument, actor, comment: str = "") -> MechanismDocument:
    document = _locked(document)
    _require_reviewer(document, actor, "Принимать документ")
    _review(document, actor, DocumentStatus.ACCEPTED, comment)
    close_linked_obligations(municipality=document.municipality, year=document.year, actor=actor)
    return document


@transaction.atomic
def document_return(*, document: MechanismDocument, actor, comment: str) -> MechanismDocument:
    document = _locked(document)
    _require_reviewer(document, actor, "Возвращать документ")
    if not comment.strip():
        raise ValidationError({"comment": f"{_where(document.required)}: напишите, что нужно исправить."})
    _review(document, actor, DocumentStatus.RETURNED, comment)
    heads = User.objects.filter(
        is_active=True, role=Role.MUNICIPALITY, municipality_id=document.municipality_id
    )
    notify(list(heads), f"Документ мониторинга возвращён: {document.required.name} — {comment.strip()[:200]}",
           document.get_absolute_url())  # fmt: skip
    return document


# ---------------------------------------------------------------- decisions linked to the monitoring


def is_complete(*, municipality: Municipality, year: int, direction: Direction | None = None) -> bool:
    """Every document required of the municipality (for the direction, or all directions) is accepted."""
    required = required_documents([municipality.region_id])
    if direction is not None:
        required = required.filter(direction=direction)
    total = required.count()
    accepted = MechanismDocument.objects.filter(
        municipality=municipality, year=year, status=DocumentStatus.ACCEPTED, required__in=required
    ).count()
    return total > 0 and accepted == total


def _reporter(obligation: Obligation, municipality: Municipality, year: int) -> User | None:
    """Who reports on the municipality's behalf: the head who submitted its latest document, else any head."""
    latest = (
        MechanismDocument.objects.filter(municipality=municipality, year=year)
        .select_related("submitted_by").order_by("-submitted_at").first()
    )  # fmt: skip
    if latest and obligation.user_is_responsible(latest.submitted_by):
        return latest.submitted_by
    return next((u for u in obligation.responsible_users() if obligation.user_is_responsible(u)), None)


def _close(link: MonitoringLink, municipality: Municipality, actor) -> int:
    obligations = Obligation.objects.filter(
        decision=link.decision, municipality=municipality,
        status__in=[ObligationStatus.ASSIGNED, ObligationStatus.IN_WORK, ObligationStatus.RETURNED,
                    ObligationStatus.REPORTED],
    ).select_related("decision__item__meeting", "municipality")  # fmt: skip
    scope = f"направление «{link.direction.name}»" if link.direction_id else "все направления"
    closed = 0
    for obligation in obligations:
        if obligation.answers_with_roadmap:
            continue
        if obligation.status != ObligationStatus.REPORTED:
            reporter = _reporter(obligation, municipality, link.year)
            if reporter is None:
                continue
            meeting_services.report_submit(
                obligation=obligation, actor=reporter,
                text=f"Мониторинг механизмов управления за {link.year} год ({scope}): все требуемые документы "
                     "муниципалитета приняты комитетом.",
            )  # fmt: skip
        if obligation.user_can_control(actor):
            meeting_services.report_accept(
                obligation=obligation, actor=actor,
                comment=f"Документы мониторинга механизмов управления за {link.year} год приняты ({scope}).",
            )  # fmt: skip
            closed += 1
    return closed


def close_linked_obligations(*, municipality: Municipality, year: int, actor) -> int:
    """After an acceptance: close the municipality's obligations on every linked decision it now satisfies."""
    links = MonitoringLink.objects.filter(year=year, decision__tracked=True).select_related(
        "direction", "decision"
    )
    closed = 0
    for link in links:
        if is_complete(municipality=municipality, year=year, direction=link.direction):
            closed += _close(link, municipality, actor)
    return closed


@transaction.atomic
def decision_link_set(
    *, decision: Decision, actor, year: int, direction: Direction | None = None
) -> MonitoringLink:
    """Tie a decision to the monitoring; municipalities already complete have their obligations closed now."""
    decision = Decision.objects.select_related("item__meeting").get(pk=decision.pk)
    if not (actor.is_committee and decision.item.meeting.user_can_manage(actor)):
        raise PermissionDenied(
            "Связывать решение с мониторингом может только сотрудник комитета, ведущий протокол."
        )
    _check_year(year)
    if decision.requires_roadmap:
        raise ValidationError(
            "По этому решению представляются дорожные карты: с мониторингом его связать нельзя."
        )
    if not decision.tracked:
        raise ValidationError("Решение не на контроле: снимать с контроля по мониторингу нечего.")
    if decision.item.meeting.status != "signed":
        raise ValidationError("Протокол ещё не подписан: свяжите решение с мониторингом после подписания.")
    if direction is not None and not Direction.objects.filter(pk=direction.pk, is_active=True).exists():
        raise ValidationError({"direction": "Это направление больше не действует."})
    link, _ = MonitoringLink.objects.update_or_create(
        decision=decision, defaults={"year": year, "direction": direction, "created_by": actor}
    )
    municipalities = Municipality.objects.filter(
        pk__in=Obligation.objects.filter(decision=decision, municipality__isnull=False).values("municipality")
    )
    for municipality in municipalities:
        if is_complete(municipality=municipality, year=year, direction=direction):
            _close(link, municipality, actor)
    return link


@transaction.atomic
def decision_link_remove(*, decision: Decision, actor) -> None:
    decision = Decision.objects.select_related("item__meeting").get(pk=decision.pk)
    if not (actor.is_committee and decision.item.meeting.user_can_manage(actor)):
        raise PermissionDenied(
            "Связывать решение с мониторингом может только сотрудник комитета, ведущий протокол."
        )
    MonitoringLink.objects.filter(decision=decision).delete()

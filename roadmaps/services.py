"""Writes of roadmaps: drafts, content, files, the review workflow and progress reports.

Every change writes a RoadmapEvent in the same transaction. A roadmap answering a decision drives
that decision's obligation: submitting reports it, approving accepts it, returning returns it — so
the control board, the discipline report and the reminders see roadmaps like any other duty.
"""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.uploads import check_upload, storage_name
from meetings import services as meeting_services
from meetings.models import Obligation, ObligationStatus
from municipalities.limits import COMMENT, check_text
from municipalities.models import Role, User
from notifications.notify import notify
from roadmaps.analytics import bound_actuals
from roadmaps.models import (
    EDITABLE_STATUSES,
    ItemStatus,
    Roadmap,
    RoadmapEvent,
    RoadmapFile,
    RoadmapProgress,
    RoadmapStatus,
    RoadmapVersion,
    Topic,
    decimal_text,
)
from roadmaps.template.read import read_template

_TOPIC_WORDS = (
    (Topic.OBJECTIVITY, re.compile(r"объективн", re.IGNORECASE)),
    (Topic.OLYMPIAD, re.compile(r"олимпиад", re.IGNORECASE)),
    (Topic.LOW_RESULTS, re.compile(r"низки\w* (?:образовательн\w* )?результат|ШНОР", re.IGNORECASE)),
    (Topic.GIA, re.compile(r"\bГИА\b|\bЕГЭ\b|\bОГЭ\b|итогов\w* аттестац", re.IGNORECASE)),
)


def topic_of(text: str) -> str:
    for topic, pattern in _TOPIC_WORDS:
        if pattern.search(text or ""):
            return topic
    return Topic.OTHER


def school_year_of(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{start + 1} учебный год"


def _event(
    roadmap: Roadmap,
    kind: str,
    actor,
    comment: str = "",
    version: int | None = None,
    *,
    before: str | None = None,
) -> None:
    """The history line of a change just made: ``before`` is the status before it (None: the status stayed)."""
    RoadmapEvent.record(roadmap, actor, before=before, kind=kind, comment=comment, version=version)


def _locked(roadmap: Roadmap) -> Roadmap:
    return (
        Roadmap.objects.select_for_update(of=("self",))
        .select_related("obligation__decision")
        .get(pk=roadmap.pk)
    )


def _require_author(roadmap: Roadmap, actor, what: str) -> None:
    if not roadmap.user_is_author(actor):
        raise PermissionDenied(f"{what} может только {_author_label(roadmap)}.")


def _author_label(roadmap: Roadmap) -> str:
    return "орган управления образованием муниципалитета" if roadmap.municipality_id else "руководитель школы"


def _require_editable(roadmap: Roadmap) -> None:
    if roadmap.status not in EDITABLE_STATUSES:
        raise ValidationError(
            f"Дорожная карта в состоянии «{roadmap.get_status_display()}»: изменять её сейчас нельзя."
        )


def reviewers_of(roadmap: Roadmap) -> list[User]:
    if roadmap.obligation_id and (controllers := roadmap.obligation.controllers()):
        return controllers
    people = User.objects.filter(is_active=True)
    if roadmap.school_id:
        return list(people.filter(role=Role.MUNICIPALITY, municipality_id=roadmap.school.municipality_id))
    return list(people.filter(role=Role.COMMITTEE, region_id=roadmap.municipality.region_id))


def authors_of(roadmap: Roadmap) -> list[User]:
    people = User.objects.filter(is_active=True)
    if roadmap.municipality_id:
        return list(people.filter(role=Role.MUNICIPALITY, municipality_id=roadmap.municipality_id))
    return list(people.filter(role=Role.SCHOOL, school_id=roadmap.school_id))


# ---------------------------------------------------------------- drafts and content


@transaction.atomic
def roadmap_for_obligation(*, obligation: Obligation, actor) -> Roadmap:
    """The roadmap answering a roadmap obligation; the first visit of its author starts a draft."""
    obligation = Obligation.objects.select_for_update().select_related("decision").get(pk=obligation.pk)
    if not obligation.user_is_responsible(actor):
        raise PermissionDenied("Начать дорожную карту может только исполнитель поручения.")
    existing = Roadmap.objects.filter(obligation=obligation).first()
    if existing:
        return existing
    if not obligation.answers_with_roadmap:
        raise ValidationError("По этому поручению дорожная карта не представляется.")
    decision = obligation.decision
    roadmap = Roadmap.objects.create(
        municipality=obligation.municipality, school=obligation.school, obligation=obligation,
        topic=topic_of(decision.text), title=decision.text[:500],
        period=school_year_of(obligation.due_date or timezone.localdate()), created_by=actor,
    )  # fmt: skip
    _event(roadmap, RoadmapEvent.Kind.CREATED, actor, f"По {decision.reference}", before="")
    return roadmap


@transaction.atomic
def roadmap_create(*, actor, topic: str, title: str, period: str) -> Roadmap:
    """A roadmap on the unit's own initiative (not asked by a decision)."""
    if actor.is_read_only or actor.role not in (Role.MUNICIPALITY, Role.SCHOOL):
        raise PermissionDenied("Дорожные карты составляют органы управления образованием и школы.")
    unit = (
        {"municipality": actor.municipality} if actor.role == Role.MUNICIPALITY else {"school": actor.school}
    )
    roadmap = Roadmap(topic=topic, title=title.strip(), period=period.strip(), created_by=actor, **unit)
    roadmap.full_clean()
    roadmap.save()
    _event(roadmap, RoadmapEvent.Kind.CREATED, actor, before="")
    return roadmap


@transaction.atomic
def roadmap_update(
    *, roadmap: Roadmap, actor, content: dict, title: str | None = None, topic: str | None = None,
    period: str | None = None, comment: str = "",
) -> Roadmap:  # fmt: skip
    check_text(comment, "Комментарий", COMMENT, "comment")
    roadmap = _locked(roadmap)
    _require_author(roadmap, actor, "Изменять дорожную карту")
    _require_editable(roadmap)
    for name, value in (("title", title), ("topic", topic), ("period", period)):
        if value is not None:
            setattr(roadmap, name, value.strip())
    roadmap.content = content
    roadmap.full_clean()
    roadmap.save()
    _event(roadmap, RoadmapEvent.Kind.EDITED, actor, comment)
    return roadmap


@transaction.atomic
def roadmap_import(*, roadmap: Roadmap, actor, upload: UploadedFile) -> Roadmap:
    """Replace the content from a filled XLSX template; any error refuses the whole file."""
    roadmap = _locked(roadmap)
    _require_author(roadmap, actor, "Загружать шаблон")
    _require_editable(roadmap)
    info = check_upload(upload, kinds=frozenset({"xlsx"}))
    result = read_template(upload.read(), info.name)
    if result.errors:
        raise ValidationError([f"«{info.name}». {error}" for error in result.errors])
    if not result.content["items"]:
        raise ValidationError(f"«{info.name}»: в шаблоне нет ни одного мероприятия.")
    sources = {i["name"]: i["source"] for i in roadmap.indicators if i.get("source")}
    for indicator in result.content[
        "indicators"
    ]:  # the template has no column for it: a binding stays by name
        if indicator["name"] in sources:
            indicator["source"] = sources[indicator["name"]]
    roadmap.content = result.content
    roadmap.save()
    counts = f"мероприятий: {len(result.content['items'])}, показателей: {len(result.content['indicators'])}"
    _event(roadmap, RoadmapEvent.Kind.EDITED, actor, f"Загружен шаблон «{info.name}» ({counts})")
    return roadmap


@transaction.atomic
def files_attach(*, roadmap: Roadmap, actor, uploads: list[UploadedFile]) -> list[RoadmapFile]:
    roadmap = _locked(roadmap)
    _require_author(roadmap, actor, "Прикладывать документы")
    _require_editable(roadmap)
    checked = [(upload, check_upload(upload, kinds=frozenset({"pdf", "docx", "xlsx"}))) for upload in uploads]
    stored = []
    for upload, info in checked:
        item = RoadmapFile(roadmap=roadmap, name=info.name, size=info.size, content_type=info.content_type,
                           sha256=info.sha256, uploaded_by=actor)  # fmt: skip
        item.file.save(storage_name("roadmaps", info.name), upload, save=False)
        item.save()
        stored.append(item)
        _event(roadmap, RoadmapEvent.Kind.UPLOADED, actor, info.name)
    return stored


@transaction.atomic
def file_remove(*, item: RoadmapFile, actor) -> None:
    roadmap = _locked(item.roadmap)
    _require_author(roadmap, actor, "Удалять документы")
    _require_editable(roadmap)
    if item.version_id:
        raise ValidationError("Документ представленной версии удалить нельзя.")
    item.file.delete(save=False)
    item.delete()


# ---------------------------------------------------------------- workflow


@transaction.atomic
def roadmap_submit(*, roadmap: Roadmap, actor) -> RoadmapVersion:
    """Freeze the content as a new version and send it for review."""
    roadmap = _locked(roadmap)
    _require_author(roadmap, actor, "Представлять дорожную карту")
    _require_editable(roadmap)
    problems = []
    if not roadmap.items:
        problems.append("Добавьте мероприятия: на странице или загрузив заполненный шаблон.")
    if roadmap.indicators and not roadmap.periods:
        problems.append("Укажите периоды отчётности для целевых показателей.")
    if problems:
        raise ValidationError(problems)
    roadmap.check_transition(RoadmapStatus.SUBMITTED)
    number = roadmap.versions.count() + 1
    version = RoadmapVersion.objects.create(roadmap=roadmap, number=number, content=roadmap.content,
                                            submitted_by=actor)  # fmt: skip
    roadmap.files.filter(version__isnull=True).update(version=version)
    before, roadmap.status = roadmap.status, RoadmapStatus.SUBMITTED
    roadmap.submitted_at = version.submitted_at
    roadmap.save()
    _event(roadmap, RoadmapEvent.Kind.SUBMITTED, actor, version=number, before=before)
    if _drives_obligation(roadmap):
        meeting_services.report_submit(
            obligation=roadmap.obligation, actor=actor, via_roadmap=True,
            text=f"Дорожная карта «{roadmap.title[:200]}» представлена на утверждение (версия {number}).",
        )  # fmt: skip
    else:
        notify(reviewers_of(roadmap), f"Дорожная карта на утверждение: {roadmap.unit_name} — {roadmap.title[:150]}",
               roadmap.get_absolute_url())  # fmt: skip
    return version


def _drives_obligation(roadmap: Roadmap) -> bool:
    """The first approval closes the obligation; later amendments of an approved roadmap leave it closed."""
    return roadmap.obligation_id is not None and roadmap.obligation.status != ObligationStatus.ACCEPTED


@transaction.atomic
def roadmap_revise(*, roadmap: Roadmap, actor, reason: str) -> Roadmap:
    """Start amending an approved roadmap («внесение изменений»): it becomes a draft until the amended
    version is approved; the approved versions and the progress reported stay."""
    check_text(reason, "Основание изменений", COMMENT, "comment")
    roadmap = _locked(roadmap)
    _require_author(roadmap, actor, "Вносить изменения в дорожную карту")
    roadmap.check_transition(
        RoadmapStatus.DRAFT, "Изменения вносятся в утверждённую дорожную карту; эта — «%(from)s»."
    )
    if not reason.strip():
        raise ValidationError({"comment": "Укажите основание изменений."})
    before, roadmap.status = roadmap.status, RoadmapStatus.DRAFT
    roadmap.save()
    _event(roadmap, RoadmapEvent.Kind.REVISED, actor, reason.strip(), before=before)
    return roadmap


def _pending_version(roadmap: Roadmap, to: str) -> RoadmapVersion:
    roadmap.check_transition(
        to,
        "Дорожная карта в состоянии «%(from)s»: она уже рассмотрена или ещё не представлена. Обновите страницу.",
    )
    return roadmap.versions.order_by("-number").first()


def _require_reviewer(roadmap: Roadmap, actor, what: str) -> None:
    submitters = set(roadmap.versions.values_list("submitted_by_id", flat=True))
    if roadmap.user_is_author(actor) or actor.pk == roadmap.created_by_id or actor.pk in submitters:
        raise PermissionDenied(
            f"{what} не может тот, кто её составлял или представлял: никто не утверждает собственную работу."
        )
    if not roadmap.user_is_reviewer(actor):
        raise PermissionDenied(f"{what} может только тот, кто контролирует исполнение.")


@transaction.atomic
def roadmap_take(*, roadmap: Roadmap, actor) -> Roadmap:
    roadmap = _locked(roadmap)
    _require_reviewer(roadmap, actor, "Брать дорожную карту на рассмотрение")
    roadmap.check_transition(
        RoadmapStatus.UNDER_REVIEW,
        "Взять на рассмотрение можно только представленную дорожную карту; эта — «%(from)s».",
    )
    before, roadmap.status = roadmap.status, RoadmapStatus.UNDER_REVIEW
    roadmap.save()
    _event(roadmap, RoadmapEvent.Kind.TAKEN, actor, version=roadmap.versions.count(), before=before)
    return roadmap


@transaction.atomic
def roadmap_approve(*, roadmap: Roadmap, actor, comment: str = "") -> Roadmap:
    check_text(comment, "Комментарий", COMMENT, "comment")
    roadmap = _locked(roadmap)
    _require_reviewer(roadmap, actor, "Утверждать дорожную карту")
    version = _pending_version(roadmap, RoadmapStatus.APPROVED)
    now = timezone.now()
    version.outcome, version.reviewed_by, version.reviewed_at, version.review_comment = (
        RoadmapVersion.Outcome.APPROVED, actor, now, comment.strip())  # fmt: skip
    version.save()
    before, roadmap.status, roadmap.approved_at = roadmap.status, RoadmapStatus.APPROVED, now
    roadmap.save()
    _event(roadmap, RoadmapEvent.Kind.APPROVED, actor, comment.strip(), version.number, before=before)
    if _drives_obligation(roadmap):
        meeting_services.report_accept(obligation=roadmap.obligation, actor=actor, comment=comment.strip(),
                                       via_roadmap=True)  # fmt: skip
    notify(
        authors_of(roadmap), f"Дорожная карта утверждена: {roadmap.title[:150]}", roadmap.get_absolute_url()
    )
    return roadmap


@transaction.atomic
def roadmap_return(*, roadmap: Roadmap, actor, comment: str) -> Roadmap:
    check_text(comment, "Замечания", COMMENT, "comment")
    roadmap = _locked(roadmap)
    _require_reviewer(roadmap, actor, "Возвращать дорожную карту")
    if not comment.strip():
        raise ValidationError({"comment": "Напишите замечания: что нужно доработать."})
    version = _pending_version(roadmap, RoadmapStatus.RETURNED)
    version.outcome, version.reviewed_by, version.reviewed_at, version.review_comment = (
        RoadmapVersion.Outcome.RETURNED, actor, timezone.now(), comment.strip())  # fmt: skip
    version.save()
    before, roadmap.status = roadmap.status, RoadmapStatus.RETURNED
    roadmap.save()
    _event(roadmap, RoadmapEvent.Kind.RETURNED, actor, comment.strip(), version.number, before=before)
    if _drives_obligation(roadmap):
        meeting_services.report_return(obligation=roadmap.obligation, actor=actor, comment=comment.strip(),
                                       via_roadmap=True)  # fmt: skip
    notify(authors_of(roadmap), f"Дорожная карта возвращена на доработку: {comment.strip()[:200]}",
           roadmap.get_absolute_url())  # fmt: skip
    return roadmap


# ---------------------------------------------------------------- progress


@transaction.atomic
def progress_save(
    *, roadmap: Roadmap, actor, period: str, actuals: dict[str, Decimal | None],
    item_statuses: dict[str, str], comment: str = "",
) -> RoadmapProgress:  # fmt: skip
    """Actual values and item statuses for one reporting period; entering a period again corrects it."""
    check_text(comment, "Комментарий", COMMENT, "comment")
    roadmap = _locked(roadmap)
    _require_author(roadmap, actor, "Отчитываться о ходе реализации")
    if roadmap.status != RoadmapStatus.APPROVED:
        raise ValidationError("Отчитываться о ходе реализации можно только по утверждённой дорожной карте.")
    if period not in roadmap.periods:
        raise ValidationError({"period": f"Периода «{period}» нет в дорожной карте."})
    names = {indicator["name"] for indicator in roadmap.indicators}
    numbers = {item["number"] for item in roadmap.items}
    unknown = sorted(set(actuals) - names) + sorted(set(item_statuses) - numbers)
    if unknown:
        raise ValidationError(f"Нет в дорожной карте: {', '.join(unknown)}.")
    bad = [number for number, status in item_statuses.items() if status not in ItemStatus.values]
    if bad:
        raise ValidationError(f"Неизвестное состояние мероприятий: {', '.join(bad)}.")
    actuals = {
        **actuals,
        **bound_actuals(roadmap, period),
    }  # bound indicators fill themselves, whoever reports
    progress, _ = RoadmapProgress.objects.update_or_create(
        roadmap=roadmap, period=period,
        defaults={
            "actuals": {name: decimal_text(value) for name, value in actuals.items()},
            "item_statuses": item_statuses, "comment": comment.strip(), "reported_by": actor,
            "reported_at": timezone.now(),
        },
    )  # fmt: skip
    _event(roadmap, RoadmapEvent.Kind.PROGRESS, actor, f"Период {period}")
    return progress

"""Writes on protocols: create, add agenda items, sign (obligations follow), amend decisions, attendance.

Every status change writes a MeetingEvent in the same transaction; side effects run on commit.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import limits
from meetings.deadlines import Deadline
from meetings.models import (
    AgendaItem,
    Decision,
    DecisionParty,
    Meeting,
    MeetingEvent,
    Obligation,
    ObligationEvent,
    ObligationStatus,
    Participant,
)
from meetings.parties import PartyTarget
from meetings.parties.scope import scope_problems
from meetings.services.obligations import iso_date, obligation_event
from meetings.services.telling import tell_new_obligations
from municipalities.models import Municipality, Organization, Role, School
from municipalities.scope import home_region

# ---------------------------------------------------------------- protocols


def organizer_of(user) -> tuple[Organization | None, Municipality | None]:
    """The body whose protocols this user keeps: the committee, or the head's own municipality."""
    if user.is_read_only:
        raise PermissionDenied
    if user.role == Role.MUNICIPALITY and user.municipality_id:
        return None, user.municipality
    if user.is_committee:
        organization = user.organization
        while organization is not None and organization.parent_id:
            organization = organization.parent
        organization = (
            organization
            or Organization.objects.filter(kind=Organization.Kind.COMMITTEE, region=home_region(user))
            .order_by("pk")
            .first()
        )
        if organization is not None:
            return organization, None
    raise PermissionDenied


_ROADMAP_WORDS = re.compile(r"дорожн\w*\s+карт|план\w*\s+мероприятий", re.IGNORECASE)


def asks_for_roadmap(text: str) -> bool:
    """A decision such as «разработать и утвердить дорожные карты …» asks every addressee for a roadmap."""
    return bool(_ROADMAP_WORDS.search(text or ""))


class AlreadySaved(Exception):
    """The form that sent this protocol was already saved: here is the protocol it made."""

    def __init__(self, meeting: Meeting):
        super().__init__(f"Протокол уже сохранён: {meeting}.")
        self.meeting = meeting


@dataclass
class DecisionDraft:
    number: str
    text: str
    tracked: bool
    deadline: Deadline
    responsible_text: str = ""
    parties: list[PartyTarget] = field(default_factory=list)
    addressees: list = field(default_factory=list)  # the parts as written with what they resolved to
    flag_id: int | None = None  # the results flag (assessments.SchoolFlag) the decision answers


@dataclass
class ItemDraft:
    number: int
    title: str
    speakers: str = ""
    heard: str = ""
    spoke: str = ""
    decisions: list[DecisionDraft] = field(default_factory=list)


@dataclass
class MeetingDraft:
    kind: str
    date: date
    number: str
    title: str
    place: str = ""
    chair: str = ""
    secretary: str = ""
    members: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)
    source_text: str = ""
    conclusions: str = ""


@transaction.atomic
def meeting_create(
    *,
    actor,
    draft: MeetingDraft,
    organizer_organization=None,
    organizer_municipality: Municipality | None = None,
    controller=None,
    sign: bool = False,
    imported: bool = False,
    archival: bool = False,
    submission_key: str | None = None,
    unknown_ok: bool = False,
) -> Meeting:
    """Save a whole protocol at once (typed or imported); optionally sign it and put decisions under control.

    ``submission_key`` is the one-time key of the form that sent the protocol: a second post of the same
    form (a double click, two tabs, a retry) raises ``AlreadySaved`` with the protocol the first one saved.
    ``archival`` marks a record of the past: its obligations are entered as executed when it is signed.
    """
    if submission_key and (existing := Meeting.objects.filter(submission_key=submission_key).first()):
        raise AlreadySaved(existing)
    limits.check_meeting_draft(draft)
    meeting = Meeting(
        kind=draft.kind,
        date=draft.date,
        number=draft.number,
        title=draft.title,
        place=draft.place,
        organizer_organization=organizer_organization,
        organizer_municipality=organizer_municipality,
        source_text=draft.source_text,
        conclusions=draft.conclusions,
        created_by=actor,
        archival=archival,
        submission_key=submission_key or None,
    )
    meeting.full_clean(exclude=["submission_key"])
    if not meeting.user_can_manage(actor):
        raise PermissionDenied("Вы не можете вести протоколы этого организатора.")
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        # the same form was posted in parallel: the unique key let only the first one through
        existing = Meeting.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        raise AlreadySaved(existing) from None
    order = 0
    for role, names in (
        (Participant.Role.CHAIR, [draft.chair]),
        (Participant.Role.SECRETARY, [draft.secretary]),
        (Participant.Role.MEMBER, draft.members),
        (Participant.Role.INVITED, draft.invited),
    ):
        for name in names:
            if name and name.strip():
                order += 1
                Participant.objects.create(meeting=meeting, role=role, name=name.strip()[:500], order=order)
    for item_draft in draft.items:
        _item_create(meeting, item_draft, controller)
    kind = MeetingEvent.Kind.IMPORTED if imported else MeetingEvent.Kind.CREATED
    MeetingEvent.record(meeting, actor, before="", kind=kind, revision=meeting.revision)
    if sign:
        meeting_sign(meeting=meeting, actor=actor, unknown_ok=unknown_ok)
        meeting.refresh_from_db()
    return meeting


def _item_create(meeting: Meeting, item_draft: ItemDraft, controller) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=item_draft.number,
        title=item_draft.title,
        speakers=item_draft.speakers,
        heard=item_draft.heard,
        spoke=item_draft.spoke,
    )
    for position, d in enumerate(item_draft.decisions, start=1):
        decision = Decision(
            item=item, number=d.number, order=position, text=d.text, tracked=d.tracked,
            responsible_text=d.responsible_text, controller=controller if d.tracked else None,
            requires_roadmap=d.tracked and asks_for_roadmap(d.text), flag_id=d.flag_id,
        )  # fmt: skip
        decision.apply_deadline(d.deadline)
        decision.save()
        for party in d.parties:
            _party_create(decision, party)
    return item


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, actor, item: ItemDraft, controller=None) -> AgendaItem:
    """Add a question (with its decisions) to the end of a draft protocol's agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.user_can_manage(actor):
        raise PermissionDenied("Изменять протокол может только его организатор.")
    if meeting.is_signed:
        raise ValidationError("Протокол уже подписан: вопрос можно добавить только в черновик.")
    last = meeting.items.order_by("-number").values_list("number", flat=True).first() or 0
    item.number = last + 1
    limits.check_item(item)
    for decision in item.decisions:
        decision.number = (
            f"{item.number}.{decision.number}" if "." not in decision.number else decision.number
        )
    created = _item_create(meeting, item, controller)
    MeetingEvent.record(meeting, actor, kind=MeetingEvent.Kind.AMENDED, revision=meeting.revision,
                        comment=f"Добавлен вопрос повестки {item.number}: {item.title[:200]}")  # fmt: skip
    return created


def _party_create(decision: Decision, party: PartyTarget) -> DecisionParty:
    return DecisionParty.objects.create(
        decision=decision,
        text=party.text[:500],
        organization=party.organization,
        municipality=party.municipality,
        school=party.school,
        group=party.group,
    )


def _units_of(meeting: Meeting, party: DecisionParty) -> list[dict]:
    """The units a party stands for: itself, or every municipality / school in the organiser's scope."""
    region = meeting.region
    if party.group == DecisionParty.Group.MUNICIPALITIES:
        municipalities = Municipality.objects.filter(is_active=True, region=region).order_by("code")
        return [{"municipality": m} for m in municipalities]
    if party.group == DecisionParty.Group.SCHOOLS:
        schools = School.objects.filter(is_active=True, municipality__region=region).order_by("code")
        if party.municipality_id or meeting.organizer_municipality_id:
            schools = schools.filter(
                municipality_id=party.municipality_id or meeting.organizer_municipality_id
            )
        return [{"school": s} for s in schools]
    for key in ("organization", "municipality", "school"):
        if getattr(party, f"{key}_id"):
            return [{key: getattr(party, key)}]
    return []


def _obligations_create(decision: Decision, actor, signed_on: date, new: list | None = None) -> int:
    """The decision's obligations, one per responsible unit; the new ones are appended to ``new`` so that the
    caller tells each unit once (``tell_new_obligations``) after creating them all."""
    if decision.date_from_signing(signed_on):
        decision.save(update_fields=["due_dates"])
    due = decision.first_due_date(signed_on=signed_on)
    created = 0
    seen = set()
    for party in decision.parties.all():
        for unit in _units_of(decision.item.meeting, party):
            key = tuple((k, v.pk) for k, v in unit.items())
            if key in seen or Obligation.objects.filter(decision=decision, **unit).exists():
                continue
            seen.add(key)
            if decision.item.meeting.archival:
                obligation = Obligation.objects.create(
                    decision=decision, due_date=due, original_due_date=due, status=ObligationStatus.ACCEPTED,
                    closed_at=timezone.now(), **unit,
                )  # fmt: skip
                obligation_event(obligation, ObligationEvent.Kind.ARCHIVED, actor, "", ObligationStatus.ACCEPTED,
                       "Архивный протокол: поручение внесено как исполненное.")  # fmt: skip
                created += 1
                continue
            obligation = Obligation.objects.create(
                decision=decision, due_date=due, original_due_date=due, **unit
            )
            obligation_event(obligation, ObligationEvent.Kind.ASSIGNED, actor, "", ObligationStatus.ASSIGNED)
            if new is not None:
                new.append(obligation)
            created += 1
    return created


@transaction.atomic
def meeting_sign(*, meeting: Meeting, actor, archival: bool | None = None, unknown_ok: bool = False) -> int:
    """Sign a draft protocol: its tracked decisions go under control, one obligation per responsible unit.

    A record of the past (``archival``, or the protocol already marked so) has its obligations entered as
    executed: no reminders, no escalations, nothing overdue. A part of a responsible text that names nobody
    stops the signing, unless the caller has already warned about it (``unknown_ok``: the batch import signs
    what it can resolve and lists the rest).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.user_can_manage(actor):
        raise PermissionDenied("Подписывать протокол может только его организатор.")
    refusals = {Meeting.Status.PLANNED: "Совещание ещё не проведено: сначала отметьте его проведённым.",
                Meeting.Status.SIGNED: "Протокол уже подписан."}  # fmt: skip
    meeting.check_transition(Meeting.Status.SIGNED, refusals.get(meeting.status, ""))
    if archival is not None and archival != meeting.archival:
        meeting.archival = archival
        meeting.save(update_fields=["archival"])
    problems = []
    tracked = Decision.objects.filter(item__meeting=meeting, tracked=True).prefetch_related("parties")
    problems.extend(scope_problems(meeting, [(d, p) for d in tracked for p in d.parties.all()]))
    if not unknown_ok:
        problems.extend(_unknown_parties(meeting, tracked))
    for decision in tracked:
        if not decision.parties.all():
            problems.append(f"П. {decision.number}: не указаны ответственные.")
        if decision.controller_id is None:
            problems.append(f"П. {decision.number}: не назначен контролёр.")
    if not meeting.items.exists():
        problems.append("В протоколе нет ни одного вопроса повестки.")
    if problems:
        raise ValidationError(problems)
    signed_on = timezone.localdate()
    new: list[Obligation] = []
    created = sum(_obligations_create(decision, actor, signed_on, new) for decision in tracked)
    tell_new_obligations(new)
    before, meeting.status = meeting.status, Meeting.Status.SIGNED
    meeting.signed_at = timezone.now()
    meeting.save(update_fields=["status", "signed_at"])
    comment = (f"Архивный протокол: поручений внесено как исполненные — {created}." if meeting.archival
               else f"Поставлено на контроль поручений: {created}.")  # fmt: skip
    MeetingEvent.record(meeting, actor, before=before, kind=MeetingEvent.Kind.SIGNED, revision=meeting.revision,
                        comment=comment)  # fmt: skip
    return created


def _unknown_parties(meeting: Meeting, tracked) -> list[str]:
    """A part of a decision's responsible text that names nobody (kept in a draft) stops the signing: an
    addressee is never dropped silently."""
    from meetings.parties import PartyResolver, context_for

    texts = [d for d in tracked if d.responsible_text.strip()]
    if not texts:
        return []
    resolver = PartyResolver(
        municipality=meeting.organizer_municipality, organization=meeting.organizer_organization
    )
    people = list(meeting.participants.values_list("role", "name"))
    context = context_for(kind=meeting.kind, members=[n for r, n in people if r != Participant.Role.INVITED],
                          invited=[n for r, n in people if r == Participant.Role.INVITED])  # fmt: skip
    problems = []
    for decision in texts:
        saved = {party.text for party in decision.parties.all()}
        for addressee in resolver.responsible(decision.responsible_text, context):
            if not addressee.known and addressee.text not in saved:
                problems.append(f"Решение {decision.number}: ответственный «{addressee.text}» не найден в справочнике "
                                "— исправьте написание или добавьте его как вариант названия.")  # fmt: skip
    return problems


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    actor,
    text: str,
    tracked: bool,
    deadline: Deadline,
    responsible_text: str,
    parties: list[PartyTarget],
    controller,
    comment: str = "",
    requires_roadmap: bool | None = None,
) -> Decision:
    """Edit a decision. In a signed protocol this is an amendment: it needs a reason and leaves a trace."""
    meeting = Meeting.objects.select_for_update().get(pk=decision.item.meeting_id)
    if not meeting.user_can_manage(actor):
        raise PermissionDenied("Изменять протокол может только его организатор.")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if meeting.is_signed and not comment.strip():
        raise ValidationError({"comment": "Протокол подписан: укажите основание изменения."})
    limits.check_comment(comment)
    if problems := limits.decision_problems(text=text, deadline=deadline, responsible_text=responsible_text,
                                            where=f"Решение {decision.number}"):  # fmt: skip
        raise ValidationError(problems)
    if (
        meeting.is_signed
        and tracked
        and (problems := scope_problems(meeting, [(decision, p) for p in parties]))
    ):
        raise ValidationError({"responsible": problems})
    if meeting.is_signed and decision.tracked and not tracked and decision.obligations.exists():
        raise ValidationError(
            {"tracked": "Решение уже на контроле у исполнителей: снять его с контроля нельзя."}
        )
    signed_on = timezone.localdate(meeting.signed_at) if meeting.signed_at else timezone.localdate()
    old_first = decision.first_due_date(signed_on=signed_on)
    decision.text, decision.tracked, decision.responsible_text = text, tracked, responsible_text
    decision.controller = controller if tracked else None
    if requires_roadmap is not None:
        decision.requires_roadmap = tracked and requires_roadmap
    decision.apply_deadline(deadline)
    decision.full_clean()
    decision.save()
    existing = {(p.organization_id, p.municipality_id, p.school_id, p.group) for p in decision.parties.all()}
    wanted = {
        (
            getattr(p.organization, "pk", None),
            getattr(p.municipality, "pk", None),
            getattr(p.school, "pk", None),
            p.group,
        )
        for p in parties
    }
    if meeting.is_signed and existing - wanted:
        raise ValidationError(
            {"responsible": "Исполнителей подписанного протокола можно добавлять, но не удалять."}
        )
    decision.parties.exclude(pk__in=[p.pk for p in decision.parties.all() if (
        p.organization_id, p.municipality_id, p.school_id, p.group) in wanted]).delete()  # fmt: skip
    for party in parties:
        key = (getattr(party.organization, "pk", None), getattr(party.municipality, "pk", None),
               getattr(party.school, "pk", None), party.group)  # fmt: skip
        if key not in existing:
            _party_create(decision, party)
    if meeting.is_signed:
        if decision.date_from_signing(signed_on):
            decision.save(update_fields=["due_dates"])
        new_first = decision.first_due_date(signed_on=signed_on)
        if new_first != old_first:
            for obligation in decision.obligations.select_for_update().filter(due_date=old_first):
                if obligation.is_open:
                    obligation.due_date = new_first
                    obligation.save(update_fields=["due_date", "updated_at"])
                    obligation_event(obligation, ObligationEvent.Kind.DUE_DATE_SET, actor, obligation.status,
                           obligation.status, comment, {"old": iso_date(old_first), "new": iso_date(new_first)})  # fmt: skip
        if tracked:
            new: list[Obligation] = []
            _obligations_create(decision, actor, signed_on, new)
            tell_new_obligations(new)
        meeting.revision += 1
        meeting.save(update_fields=["revision"])
        MeetingEvent.record(meeting, actor, kind=MeetingEvent.Kind.AMENDED, revision=meeting.revision,
                            comment=f"П. {decision.number}: {comment.strip()}")  # fmt: skip
    return decision


@transaction.atomic
def attendance_set(*, meeting: Meeting, actor, present: set[int]) -> int:
    """Mark who of the listed people attended; an event records it (and the change after signing)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.user_can_manage(actor):
        raise PermissionDenied("Отмечать присутствие может только организатор совещания.")
    changed = 0
    for participant in meeting.participants.filter(
        role__in=[Participant.Role.MEMBER, Participant.Role.INVITED]
    ):
        attended = participant.pk in present
        if participant.attended != attended:
            participant.attended = attended
            participant.save(update_fields=["attended"])
            changed += 1
    if changed:
        absent = meeting.participants.filter(attended=False).count()
        MeetingEvent.record(meeting, actor, kind=MeetingEvent.Kind.ATTENDANCE, revision=meeting.revision,
                            comment=f"Отсутствовали: {absent}.")  # fmt: skip
    return changed

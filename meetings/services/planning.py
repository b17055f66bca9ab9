"""Planned meetings: the calendar before the protocol. Plan (date, time, place, agenda, invited units), send
the agenda with an .ics invitation, and turn a held meeting into a draft protocol with its agenda."""

from datetime import date, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from meetings.calendar import agenda_text, invitation_ics
from meetings.models import AgendaItem, Meeting, MeetingEvent, MeetingInvitee
from meetings.services.protocols import organizer_of
from municipalities.limits import TITLE, check_date, check_text
from municipalities.models import Municipality, Organization, School

AGENDA_LIMIT = 50


@transaction.atomic
def meeting_plan(
    *,
    actor,
    title: str,
    date: date,
    time: time | None = None,
    place: str = "",
    kind: str = Meeting.Kind.MEETING,
    agenda: list[str],
    municipalities: list[Municipality] = (),
    organizations: list[Organization] = (),
    schools: list[School] = (),
) -> Meeting:
    """A meeting in the calendar before it is held; the invited get the agenda and an .ics on commit."""
    organization, municipality = organizer_of(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Укажите тему совещания."})
    check_text(title, "Тема", 500, "title")
    check_date(date, "Дата", "date")
    if date is None:
        raise ValidationError({"date": "Укажите дату совещания."})
    check_text(place, "Место", 300, "place")
    agenda = [line.strip() for line in agenda if line and line.strip()]
    if not agenda:
        raise ValidationError(
            {"agenda": "Повестка пуста: напишите хотя бы один вопрос (по одному в строке)."}
        )
    if len(agenda) > AGENDA_LIMIT:
        raise ValidationError(
            {"agenda": f"В повестке не больше {AGENDA_LIMIT} вопросов (сейчас {len(agenda)})."}
        )
    for number, line in enumerate(agenda, start=1):
        check_text(line, f"Вопрос {number} повестки", TITLE, "agenda")
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": "Неизвестный вид совещания."})
    if municipality is not None:  # a municipality invites only its own schools and itself
        if any(m.pk != municipality.pk for m in municipalities) or any(
            s.municipality_id != municipality.pk for s in schools
        ):
            raise ValidationError("Муниципалитет приглашает только свой орган управления и свои школы.")
    meeting = Meeting.objects.create(
        kind=kind, title=title, date=date, time=time, place=(place or "").strip(), status=Meeting.Status.PLANNED,
        organizer_organization=organization, organizer_municipality=municipality, created_by=actor,
    )  # fmt: skip
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, number=number, title=line) for number, line in enumerate(agenda, start=1)
    )
    MeetingInvitee.objects.bulk_create(
        [MeetingInvitee(meeting=meeting, municipality=m) for m in municipalities]
        + [MeetingInvitee(meeting=meeting, organization=o) for o in organizations]
        + [MeetingInvitee(meeting=meeting, school=s) for s in schools]
    )
    MeetingEvent.record(meeting, actor, before="", kind=MeetingEvent.Kind.CREATED, revision=meeting.revision,
                        comment="Совещание запланировано.")  # fmt: skip
    transaction.on_commit(lambda: invitations_send(meeting.pk))
    return meeting


def invitations_send(meeting_id: int) -> int:
    """E-mail the agenda with an .ics (METHOD:REQUEST) to every invited person not yet invited; returns how many."""
    meeting = Meeting.objects.select_related("organizer_organization", "organizer_municipality").get(
        pk=meeting_id
    )
    if meeting.status != Meeting.Status.PLANNED:
        return 0
    sent = 0
    for invitee in meeting.invitees.filter(sent_at__isnull=True).select_related(
        "municipality", "organization", "school"
    ):
        emails = sorted({u.email for u in invitee.people() if u.email})
        if not emails:
            continue
        when = f"{meeting.date:%d.%m.%Y}" + (f" в {meeting.time:%H:%M}" if meeting.time else "")
        body = (
            f"{invitee}, приглашаем на {meeting.get_kind_display()} «{meeting.title}».\n\n"
            f"Когда: {when} (московское время)\n" + (f"Где: {meeting.place}\n" if meeting.place else "")
            + f"Организатор: {meeting.organizer_name}\n\nПовестка:\n{agenda_text(meeting)}\n\n"
            f"{settings.SITE_URL}{meeting.get_absolute_url()}\n"
        )  # fmt: skip
        message = EmailMultiAlternatives(
            subject=f"Приглашение: {meeting.get_kind_display()} {when} — {meeting.title}"[:250],
            body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=emails,
        )  # fmt: skip
        ics = invitation_ics(meeting, emails)
        message.attach_alternative(ics.decode(), "text/calendar; method=REQUEST; charset=utf-8")
        message.attach("invite.ics", ics, "application/ics")
        message.send()
        MeetingInvitee.objects.filter(pk=invitee.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


@transaction.atomic
def meeting_hold(*, meeting: Meeting, actor) -> Meeting:
    """The planned meeting took place: it becomes a draft protocol, its agenda carried over."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.user_can_manage(actor):
        raise PermissionDenied("Отметить совещание проведённым может только его организатор.")
    meeting.check_transition(Meeting.Status.DRAFT, "Совещание уже проведено: его протокол — «%(from)s».")
    before, meeting.status = meeting.status, Meeting.Status.DRAFT
    meeting.save(update_fields=["status"])
    MeetingEvent.record(meeting, actor, before=before, kind=MeetingEvent.Kind.CREATED, revision=meeting.revision,
                        comment="Совещание проведено: протокол — черновик.")  # fmt: skip
    return meeting

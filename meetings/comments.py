"""The thread on an obligation between its executor and its controller: comments with files, part of its history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.uploads import check_upload, storage_name
from meetings.models import Obligation, ObligationComment, ObligationCommentFile, ObligationEvent
from meetings.services.telling import describe, tell_event
from notifications import events

MAX_COMMENT_LENGTH = 5000
MAX_COMMENT_FILES = 10


def user_may_comment(obligation: Obligation, user) -> bool:
    """The two sides of the thread: the executor (the head of the unit) and the controlling body."""
    return obligation.user_is_responsible(user) or obligation.user_can_control(user)


def other_side(obligation: Obligation, author) -> list:
    """Who is told of a new comment: the controller when the executor writes, the executor otherwise."""
    if obligation.user_is_responsible(author):
        people = obligation.controllers()  # the committee, when the controller is the executor itself
    else:
        people = obligation.people_to_tell()
    return [p for p in people if p is not None and p.pk != author.pk]


@transaction.atomic
def obligation_comment(
    *, obligation: Obligation, actor, text: str, files: list[UploadedFile] = ()
) -> ObligationComment:
    """Add a comment (and files) to the thread, write it into the history and tell the other side once."""
    obligation = (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("decision__item__meeting", "decision__controller")
        .get(pk=obligation.pk)
    )
    if not user_may_comment(obligation, actor):
        raise PermissionDenied("Обсуждать поручение могут только исполнитель и контролирующий орган.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Напишите комментарий."})
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"text": f"Комментарий слишком длинный: {len(text)} символов, допускается {MAX_COMMENT_LENGTH}."}
        )
    files = list(files)
    if len(files) > MAX_COMMENT_FILES:
        raise ValidationError({"files": f"Не больше {MAX_COMMENT_FILES} файлов к одному комментарию."})
    checked = []
    for upload in files:  # every file is checked before anything is saved
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
    comment = ObligationComment.objects.create(obligation=obligation, author=actor, text=text)
    for upload, info in checked:
        stored = ObligationCommentFile(comment=comment, name=info.name, size=info.size,
                                       content_type=info.content_type, sha256=info.sha256)  # fmt: skip
        stored.file.save(storage_name("comments", info.name), upload, save=False)
        stored.save()
    event = ObligationEvent.objects.create(
        obligation=obligation, kind=ObligationEvent.Kind.COMMENTED, actor=actor, from_status=obligation.status,
        to_status=obligation.status, comment=text[:2000],
        data={"comment": comment.pk, "files": [info.name for _, info in checked]},
    )  # fmt: skip
    files = "".join(f"\nФайл: {info.name}" for _, info in checked)
    tell_event(
        obligation, event, kind=events.NEW_COMMENT, people=other_side(obligation, actor),
        subject=f"Новый комментарий: {obligation.unit_name}, {obligation.reference} — {actor.short_name}: {text[:150]}",
        text=f"{actor.short_name} ({obligation.unit_name if obligation.user_is_responsible(actor) else 'контроль'}):"
        f"\n{text}{files}\n\n{describe(obligation)}",
    )  # fmt: skip
    return comment

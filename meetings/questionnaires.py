"""Interview questionnaires: written as a list, sent to schools, answered by directors, tracked by the sender."""

import math
import re
import uuid
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.uploads import check_upload, storage_name
from meetings.models import Answer, Question, Questionnaire, Survey, SurveyResponse
from municipalities.limits import check_date, check_text, date_problem, text_problem
from municipalities.models import Organization, Role, School, User
from municipalities.scope import home_region
from notifications.notify import notify
from notifications.reminders import Candidate

KIND_WORDS = {
    "да/нет": Question.Kind.YES_NO, "текст": Question.Kind.TEXT, "число": Question.Kind.NUMBER,
    "дата": Question.Kind.DATE, "один": Question.Kind.SINGLE, "несколько": Question.Kind.MULTIPLE,
    "файл": Question.Kind.FILE,
}  # fmt: skip
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*[.)]?\s+")
_KIND = re.compile(r"\[(?P<kind>[^\]:]+)(?::(?P<choices>[^\]]*))?\]\s*$")
_OPTIONAL = re.compile(r"\((?:необязательн\w*)\)", re.IGNORECASE)
QUESTIONS_TEXT = 50_000
TEXT_ANSWER = 5_000
_NUMERIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
NUMBER_DIGITS = 15  # what a float keeps exactly; more is a typo, not a count


def parse_questions(text: str) -> list[dict]:
    """One question per line ("1. Размещён ли план на сайте ОО?"); "# Раздел" starts a section; a type may follow
    in brackets: [да/нет], [число], [дата], [файл], [один: А; Б], [несколько: А; Б]. Questions with " ли " are
    yes/no by default; "(необязательный)" makes a question optional."""
    questions, errors, section = [], [], ""
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            section = line.lstrip("# ").strip()
            continue
        line = _NUMBER.sub("", line)
        required = not _OPTIONAL.search(line)
        line = _OPTIONAL.sub("", line).strip()
        kind = Question.Kind.YES_NO if " ли " in f" {line.lower()} " else Question.Kind.TEXT
        choices: list[str] = []
        found = _KIND.search(line)
        if found:
            word = found["kind"].strip().lower()
            if word not in KIND_WORDS:
                errors.append(f"Строка {number}: тип «{found['kind'].strip()}» не известен — укажите один из: "
                              f"{', '.join(KIND_WORDS)}.")  # fmt: skip
                continue
            kind = KIND_WORDS[word]
            choices = [c.strip() for c in (found["choices"] or "").split(";") if c.strip()]
            line = line[: found.start()].strip()
            if kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE} and len(choices) < 2:
                errors.append(f"Строка {number}: для выбора укажите хотя бы два варианта через «;».")
                continue
        if not line:
            errors.append(f"Строка {number}: нет текста вопроса.")
            continue
        questions.append(
            {"section": section, "text": line, "kind": kind, "choices": choices, "required": required}
        )
    if errors:
        raise ValidationError(errors)
    if not questions:
        raise ValidationError("Введите хотя бы один вопрос.")
    return questions


def owner_of(user) -> dict:
    if user.is_read_only:
        raise PermissionDenied
    if user.role == Role.MUNICIPALITY and user.municipality_id:
        return {"owner_municipality": user.municipality}
    if user.is_committee:
        return {
            "owner_organization": Organization.objects.filter(
                kind=Organization.Kind.COMMITTEE, region=home_region(user)
            )
            .order_by("pk")
            .first()
        }
    raise PermissionDenied


@transaction.atomic
def questionnaire_create(
    *, actor, title: str, text: str, copied_from: Questionnaire | None = None
) -> Questionnaire:
    if not title.strip():
        raise ValidationError({"title": "Введите название анкеты."})
    check_text(title.strip(), "Название анкеты", Questionnaire._meta.get_field("title").max_length, "title")
    check_text(text, "Вопросы", QUESTIONS_TEXT, "text")
    parsed = parse_questions(text)
    questionnaire = Questionnaire.objects.create(title=title.strip(), created_by=actor, copied_from=copied_from,
                                                 **owner_of(actor))  # fmt: skip
    Question.objects.bulk_create(
        [Question(questionnaire=questionnaire, order=n, **q) for n, q in enumerate(parsed, start=1)]
    )
    return questionnaire


def questions_text(questionnaire: Questionnaire) -> str:
    """The questionnaire back as the text it was written in (for copying and editing)."""
    names = {v: k for k, v in KIND_WORDS.items()}
    lines, section = [], ""
    for q in questionnaire.questions.all():
        if q.section != section:
            section = q.section
            lines.append(f"# {section}")
        suffix = ""
        if q.kind != Question.Kind.TEXT and not (
            q.kind == Question.Kind.YES_NO and " ли " in f" {q.text.lower()} "
        ):
            suffix = f" [{names[q.kind]}{': ' + '; '.join(q.choices) if q.choices else ''}]"
        lines.append(f"{q.order}. {q.text}{'' if q.required else ' (необязательный)'}{suffix}")
    return "\n".join(lines)


@transaction.atomic
def survey_send(
    *,
    actor,
    questionnaire: Questionnaire,
    schools,
    due_date: date,
    meeting=None,
    form_key: uuid.UUID | None = None,
) -> Survey:
    """Send to the chosen schools. ``form_key`` is the one-time key of the page's form: the same form sent twice
    (a double click, a resent request) gives the survey already made, never a second one."""
    owner = owner_of(actor)
    if form_key and (sent := Survey.objects.filter(form_key=form_key, created_by=actor).first()):
        return sent
    in_scope = School.objects.for_user(actor).filter(pk__in=[s.pk for s in schools], is_active=True)
    if not in_scope.exists():
        raise ValidationError({"schools": "Выберите хотя бы одну школу."})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": "Срок ответа не может быть в прошлом."})
    check_date(due_date, "Срок ответа", "due_date")
    try:
        with (
            transaction.atomic()
        ):  # two parallel posts of one form: the second waits here, then gets the first's
            survey = Survey.objects.create(
                questionnaire=questionnaire, meeting=meeting, due_date=due_date, created_by=actor, form_key=form_key,
                sender_organization=owner.get("owner_organization"),
                sender_municipality=owner.get("owner_municipality"),
            )  # fmt: skip
    except IntegrityError:
        sent = Survey.objects.filter(form_key=form_key, created_by=actor).first()
        if sent is None:
            raise ValidationError("Эта форма уже отправлена: обновите страницу.") from None
        return sent
    SurveyResponse.objects.bulk_create([SurveyResponse(survey=survey, school=s) for s in in_scope])
    directors = User.objects.filter(role=Role.SCHOOL, school__in=in_scope, is_active=True)
    for response in survey.responses.all():
        notify([d for d in directors if d.school_id == response.school_id],
               f"Анкета «{questionnaire.title}»: ответить до {due_date:%d.%m.%Y}", response.get_absolute_url())  # fmt: skip
    return survey


def _value(question: Question, raw, upload) -> tuple[object, str | None]:
    """The stored value of one answer, or a Russian error."""
    kind = question.kind
    if kind == Question.Kind.MULTIPLE:
        chosen = [c for c in (raw or []) if c in question.choices]
        return (chosen or None), None
    raw = (raw[-1] if isinstance(raw, list) and raw else raw) or ""
    raw = raw.strip() if isinstance(raw, str) else raw
    if raw in ("", None):
        return None, None
    if not isinstance(raw, str | int | float):
        return None, "ответ должен быть одним значением (строкой или числом)."
    if kind == Question.Kind.YES_NO:
        if raw in {"yes", "no"}:
            return raw == "yes", None
        return None, "Выберите «да» или «нет»."
    if kind == Question.Kind.NUMBER:
        return _number(raw)
    if kind == Question.Kind.DATE:
        try:
            value = date.fromisoformat(str(raw))
        except ValueError:
            return None, "Введите дату."
        return value.isoformat(), date_problem(value, "Дата")
    if kind == Question.Kind.SINGLE:
        return (raw, None) if raw in question.choices else (None, "Выберите один из вариантов.")
    return str(raw), text_problem(str(raw), "Ответ", TEXT_ANSWER)


def _number(raw) -> tuple[object, str | None]:
    """A finite number of at most 15 significant digits: NaN, infinity, 1e400 or 5 000 nines are refused."""
    if isinstance(raw, int) and abs(raw) >= 10**NUMBER_DIGITS:
        raw = "9" * (NUMBER_DIGITS + 1)  # reported as too big below, without printing thousands of digits
    text = str(raw).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    shown = text if len(text) <= 20 else f"{text[:20]}…"
    if not _NUMERIC.fullmatch(text):
        return None, f"«{shown}»: введите число (например, 12 или 3,5)."
    digits = len(text.lstrip("+-").replace(".", "").lstrip("0"))
    number = float(text)
    if digits > NUMBER_DIGITS or not math.isfinite(number):
        return None, f"«{shown}»: слишком большое число — допускается не более {NUMBER_DIGITS} цифр."
    return (int(number) if number.is_integer() else number), None


@transaction.atomic
def response_save(*, response: SurveyResponse, actor, data, files, submit: bool) -> SurveyResponse:
    """Save a draft, or submit; on submit every required question must be answered. Nothing is half-saved."""
    response = SurveyResponse.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if not response.editable_by(actor):
        raise PermissionDenied("Анкету сейчас нельзя изменить: срок прошёл или она уже отправлена.")
    questions = list(response.survey.questionnaire.questions.all())
    existing = {a.question_id: a for a in response.answers.all()}
    errors, values, uploads = {}, {}, {}
    for q in questions:
        key = f"q{q.pk}"
        upload = files.get(key)
        if q.kind == Question.Kind.FILE and upload:
            try:
                uploads[q.pk] = (upload, check_upload(upload))
            except ValidationError as exc:
                errors[key] = exc.messages[0]
            continue
        raw = data.getlist(key) if q.kind == Question.Kind.MULTIPLE else data.get(key)
        value, error = _value(q, raw, upload)
        if error:
            errors[key] = f"Вопрос {q.order}: {error}"
        values[q.pk] = value
    if submit:
        for q in questions:
            key = f"q{q.pk}"
            has_file = q.pk in uploads or (q.pk in existing and existing[q.pk].file)
            empty = (not has_file) if q.kind == Question.Kind.FILE else values.get(q.pk) in (None, [], "")
            if q.required and empty and key not in errors:
                errors[key] = f"Вопрос {q.order}: ответ обязателен."
    if errors:
        raise ValidationError(errors)
    for q in questions:
        answer = existing.get(q.pk) or Answer(response=response, question=q)
        if q.pk in uploads:
            upload, info = uploads[q.pk]
            answer.file.save(storage_name("answers", info.name), upload, save=False)
            answer.file_name = info.name
        elif q.kind != Question.Kind.FILE:
            answer.value = values.get(q.pk)
        answer.save()
    response.status = SurveyResponse.Status.SUBMITTED if submit else SurveyResponse.Status.DRAFT
    if submit:
        response.submitted_at, response.submitted_by, response.reopened = timezone.now(), actor, False
        notify(
            [response.survey.created_by],
            f"Анкета заполнена: {response.school}",
            response.survey.get_absolute_url(),
        )
    response.save()
    return response


@transaction.atomic
def response_reopen(*, response: SurveyResponse, actor) -> SurveyResponse:
    response = SurveyResponse.objects.select_for_update().select_related("survey").get(pk=response.pk)
    if not response.survey.user_is_sender(actor):
        raise PermissionDenied("Открыть анкету повторно может только тот, кто её отправил.")
    response.reopened = True
    response.save(update_fields=["reopened"])
    directors = User.objects.filter(role=Role.SCHOOL, school=response.school, is_active=True)
    notify(
        directors, f"Анкету «{response.survey.questionnaire}» можно дополнить", response.get_absolute_url()
    )
    return response


def survey_summary(survey: Survey, responses) -> list[dict]:
    """Per question: how many answered, counts of each choice, and the text answers by school."""
    questions = list(survey.questionnaire.questions.all())
    summary = []
    for q in questions:
        texts, counts, answered = [], {}, 0
        for r in responses:
            for a in r.answers.all():
                if a.question_id != q.pk or not a.display:
                    continue
                answered += 1
                if q.kind in {Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
                    for part in a.display.split("; "):
                        counts[part] = counts.get(part, 0) + 1
                else:
                    texts.append((r.school.short_name, a.display))
        summary.append({"q": q, "answered": answered, "counts": sorted(counts.items(), key=lambda i: -i[1]),
                        "texts": texts})  # fmt: skip
    return summary


def survey_candidates(today: date):
    """Reminders reach only the schools that have not submitted."""
    from notifications.models import ReminderPolicy

    horizon = today + timedelta(days=ReminderPolicy.horizon_days())
    pending = (
        SurveyResponse.objects.exclude(status=SurveyResponse.Status.SUBMITTED)
        .filter(survey__due_date__lte=horizon)
        .select_related("survey__questionnaire", "survey__created_by", "school")
    )
    directors: dict[int, list] = {}
    heads: dict[int, list] = {}
    for user in User.objects.filter(is_active=True, role__in=[Role.SCHOOL, Role.MUNICIPALITY]):
        if user.role == Role.SCHOOL and user.school_id:
            directors.setdefault(user.school_id, []).append(user)
        elif user.municipality_id:
            heads.setdefault(user.municipality_id, []).append(user)
    for response in pending:
        yield Candidate(
            target_model=SurveyResponse, target_id=response.pk, due_date=response.survey.due_date,
            title=f"анкета «{response.survey.questionnaire.title}»", unit_name=str(response.school),
            url=response.get_absolute_url(), recipients=directors.get(response.school_id, []),
            controllers=[response.survey.created_by], superiors=heads.get(response.school.municipality_id, []),
            region_id=response.school.region_id,
        )  # fmt: skip

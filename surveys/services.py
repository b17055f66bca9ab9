"""Questionnaires: written as a list, sent to schools, answered by directors, tracked by the sender."""

import math
import re
import statistics
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.uploads import check_upload, storage_name
from municipalities.limits import check_text, date_problem, text_problem
from municipalities.models import Organization, Role
from municipalities.scope import home_region
from notifications.notify import notify
from surveys.models import Answer, Question, Questionnaire, Survey, SurveyResponse
from surveys.telling import tell_reopened

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


def answers_arrived(questionnaire: Questionnaire) -> int:
    """How many recipients have started answering (a draft or a submission) any survey of the questionnaire."""
    return (
        SurveyResponse.objects.filter(survey__questionnaire=questionnaire)
        .filter(Q(answers__isnull=False) | ~Q(status=SurveyResponse.Status.PENDING))
        .distinct()
        .count()
    )


@transaction.atomic
def questionnaire_update(*, actor, questionnaire: Questionnaire, title: str, text: str) -> Questionnaire:
    """Rewrite the title and the questions: allowed to its owner until the first answer arrives (answers are
    tied to the questions they answer, so afterwards the questionnaire is copied instead)."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if owner_of(actor) != owner_of_questionnaire(questionnaire):
        raise PermissionDenied("Изменить анкету может только тот, кто её составил.")
    if started := answers_arrived(questionnaire):
        raise ValidationError(f"Анкету нельзя изменить: на неё уже начали отвечать ({started}). "
                              "Сделайте копию и измените её.")  # fmt: skip
    if not title.strip():
        raise ValidationError({"title": "Введите название анкеты."})
    check_text(title.strip(), "Название анкеты", Questionnaire._meta.get_field("title").max_length, "title")
    check_text(text, "Вопросы", QUESTIONS_TEXT, "text")
    parsed = parse_questions(text)
    questionnaire.title = title.strip()
    questionnaire.save(update_fields=["title"])
    questionnaire.questions.all().delete()
    Question.objects.bulk_create(
        [Question(questionnaire=questionnaire, order=n, **q) for n, q in enumerate(parsed, start=1)]
    )
    return questionnaire


def owner_of_questionnaire(questionnaire: Questionnaire) -> dict:
    if questionnaire.owner_municipality_id:
        return {"owner_municipality": questionnaire.owner_municipality}
    return {"owner_organization": questionnaire.owner_organization}


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
            f"Анкета заполнена: {response.recipient_name}",
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
    tell_reopened(response)
    return response


def survey_summary(survey: Survey, responses) -> list[dict]:
    """Per question: how many answered, counts of each choice, the text answers by recipient, and for number and
    date questions the minimum, median and maximum (``stats``, shown the way the portal writes them)."""
    questions = list(survey.questionnaire.questions.all())
    summary = []
    for q in questions:
        texts, counts, answered, values = [], {}, 0, []
        for r in responses:
            for a in r.answers.all():
                if a.question_id != q.pk or not a.display:
                    continue
                answered += 1
                if q.kind in {Question.Kind.YES_NO, Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
                    for part in a.display.split("; "):
                        counts[part] = counts.get(part, 0) + 1
                else:
                    texts.append((r.recipient_name, a.display))
                    if q.kind in {Question.Kind.NUMBER, Question.Kind.DATE} and a.typed_value is not None:
                        values.append(a.typed_value)
        summary.append({"q": q, "answered": answered, "counts": sorted(counts.items(), key=lambda i: -i[1]),
                        "texts": texts, "stats": _stats(q, values)})  # fmt: skip
    return summary


def _stats(question: Question, values: list) -> dict | None:
    """Minimum, median and maximum of number or date answers, as the portal shows them (12,5; 01.10.2026)."""
    if not values:
        return None
    if question.kind == Question.Kind.DATE:
        days = [v.toordinal() for v in values]
        found = [min(days), statistics.median(days), max(days)]
        shown = [f"{date.fromordinal(round(d)):%d.%m.%Y}" for d in found]
    else:
        found = [min(values), statistics.median(values), max(values)]
        shown = [format_number(v) for v in found]
    return dict(zip(("min", "median", "max"), shown, strict=True))


def format_number(value) -> str:
    """12 → «12», 12.5 → «12,5» (Russian decimal comma), no float noise."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:.10g}".replace(".", ",") if isinstance(value, float) else str(value)

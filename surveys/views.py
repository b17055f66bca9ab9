"""Questionnaires: write, send to schools, authorities and organisations, answer, track, remind."""

import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import id_param, parse_id
from core.uploads import private_file_response
from core.xlsx import xlsx_response
from meetings.models import Meeting
from municipalities.models import Municipality, Role, School
from surveys import sending
from surveys import services as service
from surveys.models import Questionnaire, Survey, SurveyResponse
from surveys.sending import RecipientFilter


@login_required
@require_safe
def questionnaire_list(request):
    user = request.user
    surveys = Survey.objects.for_user(user).select_related("questionnaire").annotate(
        total=Count("responses", filter=Q(responses__in=SurveyResponse.objects.for_user(user))),
        done=Count("responses", filter=Q(responses__status="submitted", responses__in=SurveyResponse.objects.for_user(user))),
    )  # fmt: skip
    return render(request, "surveys/questionnaire_list.html", {
        "questionnaires": Questionnaire.objects.for_user(user).annotate(n=Count("questions")),
        "surveys": surveys, "mine": SurveyResponse.objects.for_user(user).answered_by(user).select_related("survey__questionnaire"),
        "can_write": not user.is_read_only and (user.is_committee or user.role == Role.MUNICIPALITY),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire_new(request):
    service.owner_of(request.user)
    source = None
    if source_id := id_param(request, "copy", label="Анкета для копирования"):
        source = get_object_or_404(Questionnaire.objects.for_user(request.user), pk=source_id)
    title = request.POST.get("title", f"{source.title} (копия)" if source else "")
    text = request.POST.get("text", service.questions_text(source) if source else "")
    errors = []
    if request.method == "POST":
        try:
            questionnaire = service.questionnaire_create(
                actor=request.user, title=title, text=text, copied_from=source
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Анкета создана: вопросов — {questionnaire.questions.count()}.")
            return redirect(questionnaire)
    return render(request, "surveys/questionnaire_new.html", {"title": title, "text": text, "errors": errors})


def _recipient_filter(request) -> RecipientFilter:
    """The combined filter of the send form, from the query string (a bad id is ignored with a message)."""
    return RecipientFilter(
        kind=request.GET.get("recipients") or sending.SCHOOLS,
        municipality=id_param(request, "municipality", label="Муниципалитет"),
        school_kind=request.GET.get("kind", ""), flag=request.GET.get("flag", ""),
    )  # fmt: skip


def _send(
    request, questionnaire, found: RecipientFilter
) -> tuple[Survey | None, list[str], uuid.UUID | None]:
    """Read the send form: ticked recipients or «выбрать всех» of the filter, the due date, the interview."""
    errors = []
    ids = None
    if not request.POST.get("all"):
        ids = [parse_id(value) for value in request.POST.getlist("recipients")]
        if None in ids:
            errors.append("Получатели: выберите из списка (пришло значение, которое не является номером).")
    meeting = None
    if request.POST.get("meeting"):
        meeting = (
            Meeting.objects.for_user(request.user).filter(pk=parse_id(request.POST["meeting"]) or 0).first()
        )
        if meeting is None:
            errors.append("Совещание: выберите совещание из списка.")
    try:
        due = date.fromisoformat(request.POST.get("due_date", ""))
    except ValueError:
        errors.append("Укажите срок ответа.")
    try:
        form_key = uuid.UUID(request.POST.get("form_key", ""))
    except ValueError:
        form_key = None  # an old page without the key: sent as before
    if errors:
        return None, errors, form_key
    try:
        chosen = list(
            sending.recipients_chosen(request.user, found, [pk for pk in ids if pk] if ids else ids)
        )
        field = {sending.SCHOOLS: "schools", sending.AUTHORITIES: "municipalities"}.get(
            found.kind, "organizations"
        )
        survey = sending.survey_send(actor=request.user, questionnaire=questionnaire, due_date=due,
                                     meeting=meeting, form_key=form_key, **{field: chosen})  # fmt: skip
    except ValidationError as exc:
        return None, exc.messages, form_key
    return survey, [], form_key


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire_detail(request, pk: int):
    """The questions, and the form that sends them to chosen recipients: schools, municipal education
    authorities or organisations, ticked one by one or all that the combined filter finds."""
    questionnaire = get_object_or_404(Questionnaire.objects.for_user(request.user), pk=pk)
    if request.method == "POST" and request.user.is_read_only:
        raise PermissionDenied("Наблюдатель не может рассылать анкеты.")
    can_send = not request.user.is_read_only and (
        request.user.is_committee or request.user.role == Role.MUNICIPALITY
    )
    found = _recipient_filter(request)
    errors, form_key, candidates = found.problems(), None, None
    if request.method == "POST" and not errors:
        survey, errors, form_key = _send(request, questionnaire, found)
        if survey is not None:
            messages.success(request, f"Анкета отправлена, получателей: {survey.responses.count()}.")
            return redirect(survey)
    if can_send and not found.problems():
        candidates = sending.recipients_matching(request.user, found)
    return render(request, "surveys/questionnaire_detail.html", {
        "questionnaire": questionnaire, "questions": questionnaire.questions.all(), "can_send": can_send,
        "candidates": candidates[:500] if candidates is not None else [],
        "found_count": candidates.count() if candidates is not None else 0, "filter": found,
        "recipient_kinds": sending.RECIPIENT_KINDS.items(), "flags": sending.FLAGS.items(),
        "municipalities": Municipality.objects.for_user(request.user), "kinds": School.Kind.choices,
        "meetings": Meeting.objects.for_user(request.user)[:50], "errors": errors,
        "answers_arrived": service.answers_arrived(questionnaire),
        "form_key": form_key or uuid.uuid4(),  # a refused form keeps its key: its next send is still one send
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire_edit(request, pk: int):
    """Rewrite the title and questions, until the first answer arrives."""
    questionnaire = get_object_or_404(Questionnaire.objects.for_user(request.user), pk=pk)
    service.owner_of(request.user)
    title = request.POST.get("title", questionnaire.title)
    text = request.POST.get("text", service.questions_text(questionnaire))
    errors = []
    if request.method == "POST":
        try:
            service.questionnaire_update(
                actor=request.user, questionnaire=questionnaire, title=title, text=text
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "Анкета изменена.")
            return redirect(questionnaire)
    return render(request, "surveys/questionnaire_new.html", {
        "title": title, "text": text, "errors": errors, "questionnaire": questionnaire,
    }, status=400 if errors else 200)  # fmt: skip


@login_required
@require_safe
def survey_detail(request, pk: int):
    """Who answered, the completion per municipality, the summary of answers, and the XLSX table."""
    survey = get_object_or_404(Survey.objects.for_user(request.user).select_related("questionnaire"), pk=pk)
    responses = list(
        SurveyResponse.objects.for_user(request.user).filter(survey=survey)
        .select_related("school__municipality", "municipality", "organization__municipality")
        .prefetch_related("answers__question")
    )  # fmt: skip
    questions = list(survey.questionnaire.questions.all())
    if request.GET.get("format") == "xlsx":
        return _survey_xlsx(survey, responses, questions)
    return render(request, "surveys/survey_detail.html", {
        "survey": survey, "responses": responses, "summary": service.survey_summary(survey, responses),
        "is_sender": survey.user_is_sender(request.user), "completion": completion_by_municipality(responses),
        "submitted": sum(1 for r in responses if r.status == "submitted"),
        "lagging": sum(1 for r in responses if r.status != "submitted"),
    })  # fmt: skip


def completion_by_municipality(responses) -> list[dict]:
    """Per municipality (regional organisations apart): answered, drafts, not started — the smallest share
    answered first."""
    rows: dict = {}
    for r in responses:
        place = r.recipient_municipality
        key = place.name if place else "Региональные организации"
        row = rows.setdefault(key, {"name": key, "submitted": 0, "draft": 0, "pending": 0, "total": 0})
        row[r.status] += 1
        row["total"] += 1
    return sorted(rows.values(), key=lambda row: (row["submitted"] / row["total"], row["name"]))


def _survey_xlsx(survey, responses, questions):
    """One row per recipient: numbers as numbers, dates as dates (shown dd.mm.yyyy), the rest as text."""
    header = ["Муниципалитет", "Код", "Получатель", "Статус", *[f"{q.order}. {q.text}" for q in questions]]
    rows = []
    for r in responses:
        answers = {a.question_id: a for a in r.answers.all()}
        cells = []
        for q in questions:
            answer = answers.get(q.pk)
            if answer is None:
                cells.append("")
            elif q.kind in {"number", "date"}:
                cells.append(answer.typed_value if answer.typed_value is not None else answer.display)
            else:
                cells.append(answer.display)
        place = r.recipient_municipality
        code = (
            r.school.code
            if r.school_id
            else (r.municipality.code if r.municipality_id else r.organization.code)
        )
        rows.append([place.name if place else "", code, r.recipient_name, r.get_status_display(), *cells])
    return xlsx_response(f"survey-{survey.pk}.xlsx", "Ответы", header, rows)


@login_required
@require_POST
def survey_remind(request, pk: int):
    """«Напомнить отстающим»: one notice to each recipient that has not submitted, at most once a day."""
    survey = get_object_or_404(Survey.objects.for_user(request.user), pk=pk)
    reminded = sending.survey_remind_lagging(actor=request.user, survey=survey)
    if reminded:
        messages.success(request, f"Напоминание отправлено отстающим: {reminded}.")
    else:
        messages.info(request, "Напоминать некому: все ответили или сегодня уже напомнили.")
    return redirect(survey)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_response(request, pk: int):
    response = get_object_or_404(
        SurveyResponse.objects.for_user(request.user).select_related(
            "survey__questionnaire", "school", "municipality", "organization"
        ),
        pk=pk,
    )
    errors = {}
    if request.method == "POST":
        try:
            service.response_save(response=response, actor=request.user, data=request.POST, files=request.FILES,
                                  submit=request.POST.get("action") == "submit")  # fmt: skip
        except PermissionDenied:
            raise
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(
                request,
                "Анкета отправлена." if request.POST.get("action") == "submit" else "Черновик сохранён.",
            )
            return redirect(response)
    answers = {a.question_id: a for a in response.answers.all()}
    rows = []
    for q in response.survey.questionnaire.questions.all():
        answer = answers.get(q.pk)
        current = answer.value if answer else None
        if request.method == "POST":  # a refused submit shows what was typed, not what was saved
            posted = request.POST.getlist(f"q{q.pk}")
            current = posted if q.kind == "multiple" else (posted[-1] if posted else None)
            if q.kind == "yes_no":
                current = {"yes": True, "no": False}.get(current)
        rows.append({"q": q, "a": answer, "current": current, "error": (errors.get(f"q{q.pk}") or [""])[0]})
    return render(request, "surveys/survey_response.html", {
        "response": response, "rows": rows, "editable": response.editable_by(request.user),
        "is_sender": response.survey.user_is_sender(request.user), "errors": errors,
        "page_errors": errors.get("__all__", []) if errors else [],
        "events": response.events.select_related("actor"),
    }, status=400 if errors else 200)  # fmt: skip


@login_required
@require_POST
def survey_reopen(request, pk: int):
    response = get_object_or_404(SurveyResponse.objects.for_user(request.user), pk=pk)
    service.response_reopen(response=response, actor=request.user)
    messages.success(request, f"Анкета открыта для: {response.recipient_name}.")
    return redirect(response)


@login_required
@require_safe
def answer_file(request, pk: int, question_pk: int):
    response = get_object_or_404(SurveyResponse.objects.for_user(request.user), pk=pk)
    answer = get_object_or_404(response.answers, question_id=question_pk)
    if not answer.file:
        raise PermissionDenied
    return private_file_response(answer.file, answer.file_name)

"""Questionnaires before interviews: write, send to schools, answer, track."""

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
from surveys import services as service
from surveys.models import Questionnaire, Survey, SurveyResponse


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
        "surveys": surveys, "mine": SurveyResponse.objects.for_user(user).filter(school_id=user.school_id)
        .select_related("survey__questionnaire") if user.role == Role.SCHOOL else [],
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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire_detail(request, pk: int):
    """The questions, and the form that sends them to chosen schools."""
    questionnaire = get_object_or_404(Questionnaire.objects.for_user(request.user), pk=pk)
    schools = School.objects.for_user(request.user).filter(is_active=True).select_related("municipality")
    errors, form_key = [], None
    if request.method == "POST" and request.user.is_read_only:
        raise PermissionDenied("Наблюдатель не может рассылать анкеты.")
    if request.method == "POST":
        school_ids = [parse_id(value) for value in request.POST.getlist("schools")]
        if None in school_ids:
            errors.append(
                "Школы: выберите школы из списка (пришло значение, которое не является номером школы)."
            )
        chosen = schools.filter(pk__in=[pk for pk in school_ids if pk])
        meeting = None
        if request.POST.get("meeting"):
            meeting = (
                Meeting.objects.for_user(request.user)
                .filter(pk=parse_id(request.POST["meeting"]) or 0)
                .first()
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
        if not errors:
            try:
                survey = service.survey_send(actor=request.user, questionnaire=questionnaire, schools=list(chosen),
                                             due_date=due, meeting=meeting, form_key=form_key)  # fmt: skip
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, f"Анкета отправлена в школы: {survey.responses.count()}.")
                return redirect(survey)
    if municipality_id := id_param(request, "municipality", label="Муниципалитет"):
        schools = schools.filter(municipality_id=municipality_id)
    if request.GET.get("low_results"):
        schools = schools.filter(low_results=True)
    if request.GET.get("kind"):
        schools = schools.filter(kind=request.GET["kind"])
    return render(request, "surveys/questionnaire_detail.html", {
        "questionnaire": questionnaire, "questions": questionnaire.questions.all(), "schools": schools[:500],
        "municipalities": Municipality.objects.for_user(request.user), "kinds": School.Kind.choices,
        "meetings": Meeting.objects.for_user(request.user)[:50], "errors": errors,
        "form_key": form_key or uuid.uuid4(),  # a refused form keeps its key: its next send is still one send
    })  # fmt: skip


@login_required
@require_safe
def survey_detail(request, pk: int):
    survey = get_object_or_404(Survey.objects.for_user(request.user).select_related("questionnaire"), pk=pk)
    responses = SurveyResponse.objects.for_user(request.user).filter(survey=survey).select_related(
        "school__municipality"
    ).prefetch_related("answers__question")  # fmt: skip
    questions = list(survey.questionnaire.questions.all())
    if request.GET.get("format") == "xlsx":
        header = ["Муниципалитет", "Код ОО", "Школа", "Статус", *[f"{q.order}. {q.text}" for q in questions]]
        rows = []
        for r in responses:
            answers = {a.question_id: a.display for a in r.answers.all()}
            rows.append([r.school.municipality.name, r.school.code, r.school.short_name, r.get_status_display(),
                         *[answers.get(q.pk, "") for q in questions]])  # fmt: skip
        return xlsx_response(f"survey-{survey.pk}.xlsx", "Ответы", header, rows)
    summary = service.survey_summary(survey, responses)
    return render(request, "surveys/survey_detail.html", {
        "survey": survey, "responses": responses, "summary": summary, "is_sender": survey.user_is_sender(request.user),
        "submitted": sum(1 for r in responses if r.status == "submitted"),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_response(request, pk: int):
    response = get_object_or_404(
        SurveyResponse.objects.for_user(request.user).select_related("survey__questionnaire", "school"), pk=pk
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
    }, status=400 if errors else 200)  # fmt: skip


@login_required
@require_POST
def survey_reopen(request, pk: int):
    response = get_object_or_404(SurveyResponse.objects.for_user(request.user), pk=pk)
    service.response_reopen(response=response, actor=request.user)
    messages.success(request, f"Анкета открыта для {response.school}.")
    return redirect(response)


@login_required
@require_safe
def answer_file(request, pk: int, question_pk: int):
    response = get_object_or_404(SurveyResponse.objects.for_user(request.user), pk=pk)
    answer = get_object_or_404(response.answers, question_id=question_pk)
    if not answer.file:
        raise PermissionDenied
    return private_file_response(answer.file, answer.file_name)

"""Execution of decisions: one obligation's page and its actions, discipline (the board is in ``board.py``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from core.service_errors import add_form_errors, show_errors
from core.uploads import private_file_response
from core.xlsx import xlsx_response
from meetings import services
from meetings.comments import obligation_comment, user_may_comment
from meetings.control_card import card_filename, render_card
from meetings.discipline import discipline_rows, discipline_total
from meetings.filters import ObligationFilter
from meetings.forms import (
    CommentForm,
    DueDateForm,
    ExecutorForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReportForm,
    ReviewForm,
)
from meetings.models import (
    ExtensionRequest,
    Obligation,
    ObligationComment,
    ObligationCommentFile,
    ObligationStatus,
    ReportFile,
)


def _obligation(request, pk: int) -> Obligation:
    return get_object_or_404(
        Obligation.objects.for_user(request.user).select_related(
            "decision__item__meeting", "decision__controller", "municipality", "school", "organization"
        ),
        pk=pk,
    )


@login_required
@require_safe
def obligation_detail(request, pk: int):
    obligation = _obligation(request, pk)
    return _render_detail(request, obligation)


def _render_detail(request, obligation, **forms):
    user = request.user
    context = {
        "obligation": obligation, "decision": obligation.decision, "meeting": obligation.decision.item.meeting,
        "reports": obligation.reports.select_related("author", "reviewed_by").prefetch_related("files"),
        "events": obligation.events.select_related("actor"),
        "comments": obligation.comments.select_related(
            "author__municipality", "author__school", "author__organization"
        ).prefetch_related("files"),
        "may_comment": user_may_comment(obligation, user),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "extensions": obligation.extension_requests.select_related("requested_by", "decided_by"),
        "pending_extension": obligation.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first(),
        "is_responsible": obligation.user_is_responsible(user), "can_control": obligation.user_can_control(user),
        "overdue": obligation.is_overdue_on(timezone.localdate()),
        "report_form": forms.get("report_form") or ReportForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "extension_form": forms.get("extension_form") or ExtensionRequestForm(),
        "extension_decision_form": forms.get("extension_decision_form") or ExtensionDecisionForm(),
        "due_date_form": forms.get("due_date_form") or DueDateForm(),
        "executor_form": forms.get("executor_form") or ExecutorForm(obligation=obligation),
        "may_assign": not user.is_read_only and obligation.status != ObligationStatus.ACCEPTED
        and (obligation.user_is_responsible(user) or obligation.user_can_control(user)),
        "lead": obligation.lead, "co_executors": obligation.co_executors(),
        "contributions": _contributions(obligation),
    }  # fmt: skip
    return render(request, "meetings/obligation_detail.html", context, status=forms.get("status", 200))


def _contributions(obligation: Obligation) -> list:
    """The co-executors' comments with files, shown on the lead's page (to the lead and the controller)."""
    if not obligation.is_lead:
        return []
    return list(
        ObligationComment.objects.filter(obligation__decision_id=obligation.decision_id)
        .exclude(obligation=obligation)
        .select_related(
            "author", "obligation__municipality", "obligation__school", "obligation__organization"
        )
        .prefetch_related("files")
    )


ACTIONS = {"start", "report", "accept", "return", "extension", "grant", "decline", "due_date", "comment",
           "executor", "lead"}  # fmt: skip


@login_required
@require_POST
def obligation_action(request, pk: int, action: str):
    """One POST per action; the service checks who may do it and whether the state allows it."""
    if action not in ACTIONS:
        raise Http404
    obligation = _obligation(request, pk)
    user = request.user
    if user.is_read_only:  # before any form: the observer's write is refused, not validated
        raise PermissionDenied("Наблюдатель только читает: действовать по поручениям он не может.")
    form, form_name, done = None, None, ""
    try:
        if action == "start":
            services.obligation_start(obligation=obligation, actor=user)
            done = "Поручение взято в работу."
        elif action == "report":
            form, form_name = ReportForm(request.POST, request.FILES), "report_form"
            if form.is_valid():
                services.report_submit(obligation=obligation, actor=user, text=form.cleaned_data["text"],
                                       files=form.cleaned_data["files"], executed_on=form.cleaned_data["executed_on"])  # fmt: skip
                done = "Отчёт направлен на проверку."
        elif action in {"accept", "return"}:
            form, form_name = ReviewForm(request.POST), "review_form"
            if form.is_valid():
                service = services.report_accept if action == "accept" else services.report_return
                result = service(obligation=obligation, actor=user, comment=form.cleaned_data["comment"])
                done = ("Отчёт принят: поручение снято с контроля." if result.status == ObligationStatus.ACCEPTED
                        else "Отчёт принят, следующий срок — " + f"{result.due_date:%d.%m.%Y}." if action == "accept"
                        else "Отчёт возвращён на доработку.")  # fmt: skip
        elif action == "extension":
            form, form_name = ExtensionRequestForm(request.POST), "extension_form"
            if form.is_valid():
                services.extension_request(obligation=obligation, actor=user, **form.cleaned_data)
                done = "Запрос на перенос срока направлен."
        elif action in {"grant", "decline"}:
            form, form_name = ExtensionDecisionForm(request.POST), "extension_decision_form"
            pending = obligation.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first()
            if pending is None:
                raise ValidationError("Запрос уже рассмотрен: обновите страницу.")
            if form.is_valid():
                services.extension_decide(
                    request=pending, actor=user, grant=action == "grant", **form.cleaned_data
                )
                done = "Срок перенесён." if action == "grant" else "В переносе срока отказано."
        elif action == "comment":
            form, form_name = CommentForm(request.POST, request.FILES), "comment_form"
            if form.is_valid():
                obligation_comment(obligation=obligation, actor=user, **form.cleaned_data)
                done = "Комментарий добавлен."
        elif action == "executor":
            form, form_name = ExecutorForm(request.POST, obligation=obligation), "executor_form"
            if form.is_valid():
                services.executor_assign(obligation=obligation, actor=user, **form.cleaned_data)
                done = f"Исполнитель назначен: {form.cleaned_data['executor']}."
        elif action == "lead":
            services.lead_set(obligation=obligation, actor=user)
            done = f"{obligation.unit_name} — ответственный исполнитель; остальные исполнители решения — соисполнители."
        elif action == "due_date":
            form, form_name = DueDateForm(request.POST), "due_date_form"
            if form.is_valid():
                services.obligation_set_due_date(obligation=obligation, actor=user, **form.cleaned_data)
                done = "Срок установлен."
    except PermissionDenied:
        raise
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            add_form_errors(form, exc)
        else:
            show_errors(request, exc)
            if form is None:
                return redirect(obligation)
    if done:
        messages.success(request, done)
        return redirect(obligation)
    return _render_detail(request, _obligation(request, pk), **{form_name: form, "status": 400})


@login_required
@require_safe
def report_file(request, pk: int):
    """Files are served only to those who may see the report they belong to."""
    stored = get_object_or_404(
        ReportFile.objects.filter(report__obligation__in=Obligation.objects.for_user(request.user)), pk=pk
    )
    return private_file_response(stored.file, stored.name)


@login_required
@require_safe
def obligation_card(request, pk: int):
    """The control card as a PDF, for whoever sees the obligation; one page, rendered on request."""
    obligation = _obligation(request, pk)
    response = HttpResponse(render_card(obligation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{card_filename(obligation)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def comment_file(request, pk: int):
    """A comment's files are served only to those who may see the obligation."""
    seen = Obligation.objects.for_user(request.user)
    stored = get_object_or_404(
        ObligationCommentFile.objects.filter(
            Q(comment__obligation__in=seen)
            # a co-executor's contribution is the lead's material too
            | Q(comment__obligation__decision__obligations__in=seen.filter(is_lead=True))
        ).distinct(),
        pk=pk,
    )
    return private_file_response(stored.file, stored.name)


@login_required
@require_safe
def discipline(request):
    today = timezone.localdate()
    scoped = Obligation.objects.for_user(request.user)
    board = ObligationFilter(request.GET, queryset=scoped, user=request.user)
    rows = discipline_rows(board.qs, today=today)
    total = discipline_total(rows)
    if request.GET.get("format") == "xlsx":
        header = ["Исполнитель", "Всего поручений", "Исполнено в срок", "Исполнено с нарушением срока",
                  "Просрочено (не исполнено)", "Не снято с контроля", "% в срок"]  # fmt: skip
        data = [
            [r.name, r.total, r.on_time, r.late, r.overdue, r.open, r.percent_on_time] for r in [*rows, total]
        ]
        return xlsx_response(f"discipline-{today:%Y-%m-%d}.xlsx", "Исполнительская дисциплина", header, data)
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "meetings/discipline.html",
                  {"rows": rows, "total": total, "filter": board, "today": today, "query": query.urlencode()})  # fmt: skip

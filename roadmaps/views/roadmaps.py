"""Pages of one roadmap: view, edit, template, files, review, versions, progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from meetings.models import Obligation
from portal.uploads import private_file_response
from portal.xlsx import XLSX_CONTENT_TYPE
from roadmaps import services
from roadmaps.analytics import actuals_by_period, indicator_rows, period_summaries
from roadmaps.diff import content_diff
from roadmaps.forms import (
    CommentForm,
    FilesForm,
    HeaderForm,
    IndicatorFormSet,
    ItemFormSet,
    NewRoadmapForm,
    ProgressForm,
    TemplateUploadForm,
    periods_of,
)
from roadmaps.models import Roadmap, RoadmapFile, RoadmapStatus
from roadmaps.template import build_template


def _roadmap(request, pk: int) -> Roadmap:
    scoped = Roadmap.objects.for_user(request.user).select_related(
        "municipality", "school__municipality", "obligation__decision__item__meeting", "created_by"
    )
    return get_object_or_404(scoped, pk=pk)


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_safe
def roadmap_detail(request, pk: int):
    roadmap = _roadmap(request, pk)
    user = request.user
    actuals = actuals_by_period(roadmap)
    versions = list(roadmap.versions.select_related("submitted_by", "reviewed_by"))
    context = {
        "roadmap": roadmap, "versions": versions,
        "files": roadmap.files.select_related("version"),
        "events": roadmap.events.select_related("actor"),
        "rows": indicator_rows(roadmap.content, actuals),
        "summaries": [s for s in period_summaries(roadmap.content, actuals) if s.measured],
        "progress": {p.period: p for p in roadmap.progress.select_related("reported_by")},
        "is_author": roadmap.user_is_author(user), "is_reviewer": roadmap.user_is_reviewer(user),
        "upload_form": TemplateUploadForm(), "files_form": FilesForm(), "comment_form": CommentForm(),
        "last_returned": next((v for v in reversed(versions) if v.outcome == "returned"), None),
    }  # fmt: skip
    return render(request, "roadmaps/roadmap_detail.html", context)


@login_required
def roadmap_new(request):
    """A roadmap on the unit's own initiative; roadmaps asked by a decision start from the obligation."""
    if request.user.is_read_only or request.user.role not in ("municipality", "school"):
        raise PermissionDenied
    form = NewRoadmapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        roadmap = services.roadmap_create(actor=request.user, **form.cleaned_data)
        messages.success(request, "Дорожная карта создана: заполните мероприятия и показатели.")
        return redirect("roadmaps:edit", roadmap.pk)
    return render(request, "roadmaps/roadmap_new.html", {"form": form})


@login_required
@require_POST
def roadmap_start(request, obligation_pk: int):
    obligation = get_object_or_404(Obligation.objects.for_user(request.user), pk=obligation_pk)
    try:
        roadmap = services.roadmap_for_obligation(obligation=obligation, actor=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect(obligation)
    return redirect(roadmap)


@login_required
def roadmap_edit(request, pk: int):
    """Header, periods, items and indicators on one page; nothing is saved while anything is wrong."""
    roadmap = _roadmap(request, pk)
    if not roadmap.user_is_author(request.user):
        raise PermissionDenied
    if not roadmap.is_editable:
        messages.error(request, f"Дорожная карта {roadmap.get_status_display()}: изменять её сейчас нельзя.")
        return redirect(roadmap)
    if request.method == "POST":
        header = HeaderForm(request.POST)
        periods = periods_of(request.POST.get("periods", ""))
        items = ItemFormSet(request.POST, prefix="items")
        indicators = IndicatorFormSet(request.POST, prefix="indicators", form_kwargs={"periods": periods})
        if header.is_valid() and items.is_valid() and indicators.is_valid():
            data = header.cleaned_data
            content = {"periods": data["periods"], "items": items.items(),
                       "indicators": indicators.indicators(data["periods"])}  # fmt: skip
            try:
                services.roadmap_update(roadmap=roadmap, actor=request.user, content=content, title=data["title"],
                                        topic=data["topic"], period=data["period"])  # fmt: skip
            except ValidationError as exc:
                _errors_to_messages(request, exc)
            else:
                messages.success(request, "Дорожная карта сохранена.")
                return redirect(roadmap)
        status = 400
    else:
        periods = roadmap.periods
        header = HeaderForm(initial={"topic": roadmap.topic, "title": roadmap.title, "period": roadmap.period,
                                     "periods": "\n".join(periods)})  # fmt: skip
        items = ItemFormSet(initial=roadmap.items, prefix="items")
        initial = [
            {"name": i["name"], "unit": i.get("unit", ""), "baseline": i.get("baseline"), "source": i.get("source", ""),
             **{f"target_{n}": i.get("targets", {}).get(p) for n, p in enumerate(periods)}}
            for i in roadmap.indicators
        ]  # fmt: skip
        indicators = IndicatorFormSet(initial=initial, prefix="indicators", form_kwargs={"periods": periods})
        status = 200
    context = {
        "roadmap": roadmap,
        "header": header,
        "items": items,
        "indicators": indicators,
        "periods": periods,
    }
    return render(request, "roadmaps/roadmap_edit.html", context, status=status)


@login_required
@require_safe
def roadmap_template(request, pk: int):
    """The XLSX template, pre-filled with what the roadmap already holds."""
    roadmap = _roadmap(request, pk)
    data = build_template(roadmap.content if roadmap.items or roadmap.indicators else None,
                          title=f"{roadmap.title[:200]} — {roadmap.unit_name}")  # fmt: skip
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="roadmap-{roadmap.pk}.xlsx"'
    return response


@login_required
@require_POST
def roadmap_upload(request, pk: int):
    roadmap = _roadmap(request, pk)
    if not roadmap.user_is_author(request.user):  # before the form: nobody else learns what a valid file is
        raise PermissionDenied("Загружать файлы дорожной карты может только её исполнитель.")
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите файл заполненного шаблона (XLSX).")
        return redirect(roadmap)
    try:
        services.roadmap_import(roadmap=roadmap, actor=request.user, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, "Шаблон загружен: мероприятия и показатели заменены содержимым файла.")
    return redirect(roadmap)


@login_required
@require_POST
def roadmap_files(request, pk: int):
    roadmap = _roadmap(request, pk)
    if not roadmap.user_is_author(request.user):  # before the form: nobody else learns what a valid file is
        raise PermissionDenied("Загружать файлы дорожной карты может только её исполнитель.")
    form = FilesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите файлы для загрузки.")
        return redirect(roadmap)
    try:
        stored = services.files_attach(
            roadmap=roadmap, actor=request.user, uploads=form.cleaned_data["files"]
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, f"Загружено документов: {len(stored)}.")
    return redirect(roadmap)


@login_required
@require_POST
def roadmap_file_remove(request, pk: int):
    item = get_object_or_404(
        RoadmapFile.objects.filter(roadmap__in=Roadmap.objects.for_user(request.user)), pk=pk
    )
    try:
        services.file_remove(item=item, actor=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, f"Документ «{item.name}» удалён.")
    return redirect(item.roadmap)


@login_required
@require_safe
def roadmap_file(request, pk: int):
    """Documents are served only to those whose scope covers the roadmap."""
    item = get_object_or_404(
        RoadmapFile.objects.filter(roadmap__in=Roadmap.objects.for_user(request.user)), pk=pk
    )
    return private_file_response(item.file, item.name)


ACTIONS = {
    "submit": (services.roadmap_submit, "Дорожная карта представлена на утверждение."),
    "take": (services.roadmap_take, "Дорожная карта взята на рассмотрение."),
    "approve": (services.roadmap_approve, "Дорожная карта утверждена."),
    "return": (services.roadmap_return, "Дорожная карта возвращена на доработку с замечаниями."),
    "revise": (
        services.roadmap_revise,
        "Внесение изменений начато: измените дорожную карту и представьте её снова.",
    ),
}


@login_required
@require_POST
def roadmap_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    roadmap = _roadmap(request, pk)
    service, done = ACTIONS[action]
    kwargs = {}
    if action in {"approve", "return", "revise"}:
        form = CommentForm(request.POST)
        form.is_valid()
        kwargs["reason" if action == "revise" else "comment"] = form.cleaned_data.get("comment", "")
    try:
        service(roadmap=roadmap, actor=request.user, **kwargs)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, done)
    return redirect(roadmap)


@login_required
@require_safe
def roadmap_version(request, pk: int, number: int):
    """A submitted version as it was, and what changed since the one before."""
    roadmap = _roadmap(request, pk)
    version = get_object_or_404(roadmap.versions.select_related("submitted_by", "reviewed_by"), number=number)
    previous = roadmap.versions.filter(number=number - 1).first()
    context = {
        "roadmap": roadmap, "version": version, "previous": previous,
        "changes": content_diff(previous.content if previous else None, version.content) if previous else [],
        "rows": indicator_rows(version.content, {}), "files": version.files.all(),
    }  # fmt: skip
    return render(request, "roadmaps/roadmap_version.html", context)


@login_required
def roadmap_progress(request, pk: int):
    """Actual values and item statuses for one reporting period."""
    roadmap = _roadmap(request, pk)
    if not roadmap.user_is_author(request.user):
        raise PermissionDenied
    if roadmap.status != RoadmapStatus.APPROVED:
        messages.error(request, "Отчитываться о ходе реализации можно после утверждения дорожной карты.")
        return redirect(roadmap)
    periods = roadmap.periods
    period = request.POST.get("period") or request.GET.get("period") or (periods[0] if periods else "")
    if period not in periods:
        raise Http404
    existing = roadmap.progress.filter(period=period).first()
    form = ProgressForm(request.POST or None, roadmap=roadmap, period=period, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_save(roadmap=roadmap, actor=request.user, period=period, actuals=form.actuals(),
                                   item_statuses=form.item_statuses(), comment=form.cleaned_data["comment"])  # fmt: skip
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, f"Отчёт за период «{period}» сохранён.")
            return redirect(roadmap)
    status = 400 if request.method == "POST" else 200
    context = {"roadmap": roadmap, "form": form, "period": period, "periods": periods, "existing": existing}
    return render(request, "roadmaps/roadmap_progress.html", context, status=status)

import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import services
from assessments.filters import FlagFilter
from assessments.forms import INLINE_BYTES, FlagsToMeetingForm, FlagThresholdsForm, ImportForm, ScalesForm
from assessments.importing import FIELD_LABELS, ResultFileError
from assessments.loop import suggested_decision
from assessments.models import (
    AssessmentKind,
    Campaign,
    FlagThresholds,
    ImportJob,
    ResultAggregate,
    SchoolFlag,
)
from assessments.summary import (
    benchmarks,
    flags_with_decisions,
    lowest_subjects,
    summarize,
    with_visible_decisions,
)
from core.forms import id_param, parse_id
from core.queue import enqueue
from core.service_errors import show_errors
from core.xlsx import xlsx_response
from municipalities.models import Municipality, Role, School
from municipalities.scope import home_region

INLINE_COMMIT_ROWS = 20_000  # bigger files are loaded by a worker, with a progress bar


@login_required
@require_safe
def results_home(request):
    campaigns = Campaign.objects.for_user(request.user).select_related("subject", "region")
    years = sorted({c.year for c in campaigns}, reverse=True)
    return render(request, "assessments/home.html", {
        "campaigns": campaigns, "years": years, "can_import": request.user.is_committee,
        "flag_count": SchoolFlag.objects.for_user(request.user).count(),
    })  # fmt: skip


def _benchmark(campaign: Campaign, **filters) -> float | None:
    return benchmarks([campaign.pk], **filters).get(campaign.pk)


@login_required
@require_safe
def campaign_detail(request, pk: int):
    """Region → municipality → school: the same table at each level, with a chart and XLSX."""
    campaign = get_object_or_404(
        Campaign.objects.for_user(request.user).select_related("subject", "scale"), pk=pk
    )
    user = request.user
    municipality = None
    if municipality_id := id_param(request, "municipality", label="Муниципалитет"):
        municipality = get_object_or_404(Municipality.objects.for_user(user), pk=municipality_id)
    elif user.role in {Role.MUNICIPALITY, Role.SCHOOL} and user.municipality_id:
        municipality = user.municipality
    by = "municipality" if user.is_region_wide and municipality is None else "school"
    rows, total = summarize(campaign, by=by, user=user, municipality=municipality)
    if request.GET.get("format") == "xlsx":
        return _summary_xlsx(campaign, rows, total, by)
    context = {
        "campaign": campaign, "rows": rows, "total": total, "by": by, "municipality": municipality,
        "region_mean": _benchmark(campaign),
        "municipality_mean": _benchmark(campaign, municipality=municipality) if municipality else None,
        "chart": json.dumps(_chart(campaign, rows, total), ensure_ascii=False),
        "lowest": lowest_subjects(kind=campaign.kind, year=campaign.year, user=user, municipality=municipality)
        if municipality else [],
        "others": Campaign.objects.filter(region_id=campaign.region_id, year=campaign.year, kind=campaign.kind)
        .select_related("subject"),
        "flags": SchoolFlag.objects.for_user(user).filter(year=campaign.year).select_related("school")[:20],
    }  # fmt: skip
    return render(request, "assessments/campaign.html", context)


def _chart(campaign, rows, total) -> dict:
    """Bars of the mean by unit; the distribution is score bands for ЕГЭ and marks for the others."""
    if campaign.scored:
        labels = ["ниже минимума", "минимум–60", "61–80", "81–99", "100"]
        values = [total.below_min, total.band_min_60, total.band_61_80, total.band_81_99, total.hundreds]
    else:
        labels = ["«2»", "«3»", "«4»", "«5»"]
        values = [total.mark_2, total.mark_3, total.mark_4, total.mark_5]
    return {
        "labels": [r.name for r in rows],
        "means": [r.mean for r in rows],
        "parts": labels,
        "values": values,
    }


def _summary_xlsx(campaign, rows, total, by):
    """The table as on the page: score bands for ЕГЭ (Russian against both minimums), marks for the others."""
    unit = "Муниципалитет" if by == "municipality" else "Образовательная организация"
    scale = campaign.scale
    head = ["Место", "Код", unit, "Участников", "Средний балл" if campaign.scored else "Средняя отметка",
            "Изменение к прошлому году"]  # fmt: skip
    if campaign.scored:
        minimum = f" ({scale.min_score})" if scale and scale.min_score is not None else ""
        head += [f"% ниже минимума{minimum}"]
        if scale and scale.min_score_university:
            head += [f"% ниже {scale.min_score_university} (для вуза)"]
        head += ["% минимум–60", "% 61–80", "% 81–99", "100 баллов, чел.", "% 100 баллов"]
    else:
        head += ["% «2»", "% «3»", "% «4»", "% «5»", "Успеваемость, %", "Качество знаний, %"]

    def line(r):
        values = [r.rank, r.code, r.name, r.participants, r.mean, r.change]
        if campaign.scored:
            values += [r.below_min_pct]
            if scale and scale.min_score_university:
                values += [r.below_university_pct]
            return [
                *values,
                r.band_min_60_pct,
                r.band_61_80_pct,
                r.band_81_99_pct,
                r.hundreds,
                r.hundreds_pct,
            ]
        return [*values, *(r.mark_pct(m) for m in (2, 3, 4, 5)), r.success_pct, r.quality_pct]

    name = f"results-{campaign.kind}-{campaign.year}-{campaign.subject.code}.xlsx"
    return xlsx_response(name, str(campaign)[:31], head, [*map(line, rows), line(total)])


@login_required
@require_safe
def school_results(request, pk: int):
    school = get_object_or_404(School.objects.for_user(request.user).select_related("municipality"), pk=pk)
    aggregates = (
        ResultAggregate.objects.filter(school=school)
        .select_related("campaign__subject")
        .order_by("-campaign__year", "campaign__kind", "campaign__subject__name")
    )
    aggregates = list(aggregates)
    ids = [a.campaign_id for a in aggregates]
    region, municipal = benchmarks(ids), benchmarks(ids, municipality=school.municipality)
    rows = [
        {"a": a, "mean": round(a.score_sum / a.scored, 2) if a.scored else None,
         "municipality_mean": municipal.get(a.campaign_id), "region_mean": region.get(a.campaign_id),
         "below_pct": round(100 * a.below_min / a.scored, 1) if a.scored else None}
        for a in aggregates
    ]  # fmt: skip
    flags = SchoolFlag.objects.filter(school=school)
    return render(request, "assessments/school.html", {"school": school, "rows": rows, "flags": flags})


FLAGS_PER_PAGE = 30


@login_required
@require_safe
def flag_list(request):
    """Every flag in scope: filters, sort, pages, XLSX; several can be put on a meeting's agenda at once."""
    board = FlagFilter(request.GET, queryset=SchoolFlag.objects.for_user(request.user), user=request.user)
    flags = board.qs if board.is_valid() else SchoolFlag.objects.none()
    if request.user.sees_every_region:
        flags = flags.select_related("municipality__region")
    if request.GET.get("format") == "xlsx":
        flagged = with_visible_decisions(list(flags_with_decisions(flags)), request.user)
        return _flags_xlsx(flagged, with_region=request.user.sees_every_region)
    page = Paginator(flags_with_decisions(flags), FLAGS_PER_PAGE).get_page(request.GET.get("page"))
    with_visible_decisions(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "assessments/flags.html", {
        "filter": board, "page": page, "query": query.urlencode(), "can_decide": _can_decide(request.user),
        "meeting_form": FlagsToMeetingForm(user=request.user) if _can_decide(request.user) else None,
    })  # fmt: skip


def _can_decide(user) -> bool:
    return not user.is_read_only and (user.is_committee or user.role == Role.MUNICIPALITY)


def _flags_xlsx(flags, *, with_region: bool = False):
    """The flags as XLSX; ``with_region`` (the federal observer) puts each flag's region first."""
    header = ["Признак", "Процедура", "Муниципалитет", "Школа", "Код ОО", "Предмет", "Класс", "Год", "Срабатывает",
              "Почему", "Решения", "Через год"]  # fmt: skip
    if with_region:
        header = ["Регион", *header]
    rows = (
        [*([f.municipality.region.name] if with_region else []), f.get_kind_display(), str(AssessmentKind(f.procedure).label) if f.procedure else "", f.municipality.name,
         f.school.short_name if f.school_id else "", f.school.code if f.school_id else "", f.subject, f.grade,
         f.year, "да" if f.active else "нет", "\n".join(r["text"] for r in f.reasons),
         "\n".join(label for _d, label in f.visible_decisions), f.followup.get("text", "")]
        for f in flags
    )  # fmt: skip
    return xlsx_response("flags.xlsx", "Признаки", header, rows)


@login_required
@require_safe
def flag_detail(request, pk: int):
    flag = get_object_or_404(flags_with_decisions(SchoolFlag.objects.for_user(request.user)), pk=pk)
    with_visible_decisions([flag], request.user)
    return render(request, "assessments/flag_detail.html", {
        "flag": flag, "suggestion": suggested_decision(flag),
        "meeting_form": FlagsToMeetingForm(user=request.user) if _can_decide(request.user) else None,
    })  # fmt: skip


def _back(request):
    """Where the flag's or the list's form came from (this site only)."""
    back = request.POST.get("back", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)  # a path, never a view name for reverse()
    return redirect("assessments:flags")


@login_required
@require_POST
def flags_to_meeting(request):
    """From one flag or a selection of flags to a question on a draft protocol's agenda."""
    if not _can_decide(request.user):
        raise PermissionDenied
    ids = [pk for v in request.POST.getlist("flag") if (pk := parse_id(v))]
    flags = list(SchoolFlag.objects.for_user(request.user).filter(pk__in=ids))
    if not ids or len(flags) != len(set(ids)):
        if not ids:
            messages.error(request, "Отметьте признаки, которые нужно вынести на совещание.")
            return _back(request)
        raise Http404
    form = FlagsToMeetingForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "Выберите черновик протокола из списка или новое совещание.")
        return _back(request)
    try:
        meeting = services.flags_to_meeting(
            actor=request.user, flags=flags, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return _back(request)
    messages.success(
        request,
        f"Вопрос добавлен в проект протокола: признаков — {len(flags)}. Проверьте текст и подпишите протокол.",
    )
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def flag_thresholds(request):
    """The region's thresholds of the flags; saving recomputes every year's flags in a worker."""
    if not request.user.is_committee or request.user.is_read_only:
        raise PermissionDenied
    region = home_region(request.user)
    if region is None:
        raise PermissionDenied
    current = FlagThresholds.current(region.pk)
    form = FlagThresholdsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_thresholds_update(actor=request.user, thresholds=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, "Пороги сохранены. Признаки пересчитываются — это займёт немного времени."
            )
            return redirect("assessments:flag_thresholds")
    current.refresh_from_db()
    return render(request, "assessments/flag_thresholds.html", {"form": form, "thresholds": current})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scales(request):
    """The yearly scales as one table: read by everyone region-wide, loaded from XLSX by committee staff."""
    from assessments.models import Scale
    from assessments.scales import HEADER, scale_rows, scales_load

    user = request.user
    if not user.is_region_wide:
        raise PermissionDenied
    can_load = user.is_committee and not user.is_read_only
    items = Scale.objects.select_related("subject").order_by("-year", "kind", "subject__name", "grade")
    if request.GET.get("format") == "xlsx":
        return xlsx_response("scales.xlsx", "Шкалы", HEADER, scale_rows(items))
    form, errors = ScalesForm(request.POST or None, request.FILES or None), []
    if request.method == "POST":
        if not can_load:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = scales_load(actor=user, path_or_file=upload, filename=upload.name)
            except ResultFileError as exc:
                form.add_error("file", str(exc))
            else:
                errors = outcome.errors
                if not errors:
                    messages.success(
                        request, f"Загружено шкал: {outcome.saved}. Сводки процедур пересчитаны."
                    )
                    return redirect("assessments:scales")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "errors": errors, "can_load": can_load, "header": HEADER,
               "rows": zip(page.object_list, scale_rows(page.object_list), strict=True)}  # fmt: skip
    return render(request, "assessments/scales.html", context)


def inline_bytes() -> int:
    return INLINE_BYTES


def _require_importer(user):
    if not user.is_committee:
        raise PermissionDenied


@login_required
def import_new(request):
    _require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        job = services.job_create(actor=request.user, upload=d["file"], kind=d["kind"], year=d["year"],
                                  subject=d["subject"], grade=d["grade"])  # fmt: skip
        if d["file"].size <= inline_bytes():
            services.results_check(job)
        else:
            from assessments.tasks import import_check_task

            enqueue(import_check_task, job.pk)
        return redirect(job)
    jobs = ImportJob.objects.for_user(request.user).select_related("subject")[:20]
    return render(request, "assessments/import_new.html", {"form": form, "jobs": jobs})


@login_required
@require_safe
def import_job(request, pk: int):
    job = get_object_or_404(ImportJob.objects.for_user(request.user).select_related("subject"), pk=pk)
    if request.GET.get("format") == "xlsx":
        if any(e.get("sheet") for e in job.errors):
            rows = ([e.get("sheet", ""), e["row"] or "", e["column"], e["message"]] for e in job.errors)
            header = ["Лист", "Строка", "Столбец", "Что не так"]
        else:
            rows = ([e["row"] or "", e["column"], e["message"]] for e in job.errors)
            header = ["Строка", "Столбец", "Что не так"]
        return xlsx_response(f"errors-{job.pk}.xlsx", "Ошибки", header, rows)
    template = (
        "assessments/_job_status.html" if request.headers.get("HX-Request") else "assessments/import_job.html"
    )
    context = {"job": job, "errors": job.errors[:300], "sheets": any(e.get("sheet") for e in job.errors),
               "can_retry": request.user.is_committee and not request.user.is_read_only,
               "events": job.events.select_related("actor")}  # fmt: skip
    if (
        job.status == ImportJob.Status.FAILED
        and job.errors
        and job.errors[0]["row"] == 0
        and request.user.is_committee
    ):
        # The whole file was refused (typically: headers not recognised): offer to map the columns by hand.
        rows = services.header_rows(job)
        context["mapping_rows"] = rows
        context["mapping_fields"] = [
            (f, FIELD_LABELS[f], job.mapping.get(f, "")) for f in services.MAPPABLE_FIELDS
        ]
        context["headers"] = sorted({cell for _, cells in rows for cell in cells if cell})
    return render(request, template, context)


@login_required
@require_POST
def import_mapping(request, pk: int):
    """Save a column mapping and check the file again with it."""
    _require_importer(request.user)
    job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
    try:
        services.results_remap(
            job, {f: request.POST[f] for f in services.MAPPABLE_FIELDS if request.POST.get(f)}
        )
    except ResultFileError as exc:
        messages.error(request, str(exc))
    return redirect(job)


@login_required
@require_POST
def import_retry(request, pk: int):
    """Check a failed job's file again (after a failed commit, or once the directory was corrected)."""
    _require_importer(request.user)
    job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
    try:
        services.results_retry(job)
    except ResultFileError as exc:
        messages.error(request, str(exc))
    return redirect(job)


@login_required
@require_POST
def import_commit(request, pk: int):
    _require_importer(request.user)
    job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
    if job.rows <= INLINE_COMMIT_ROWS:
        try:
            imported = services.results_commit(job)
        except ResultFileError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Загружено строк: {imported}. Сводки и признаки пересчитаны.")
    else:
        from assessments.tasks import import_commit_task

        try:
            if services.results_commit_queue(job):
                enqueue(import_commit_task, job.pk)
        except ResultFileError as exc:
            messages.error(request, str(exc))
    return redirect(job)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def olympiad(request):
    """ВсОШ: participants, winners and prize-winners by municipality and subject; the committee uploads files."""
    from assessments.models import OlympiadResult
    from assessments.olympiad import olympiad_by_years, olympiad_import, olympiad_summary

    if request.method == "POST":
        _require_importer(request.user)
        upload, year = request.FILES.get("file"), request.POST.get("year", "")
        if upload is None or not re.fullmatch(r"[0-9]{4}", year):
            messages.error(request, "Укажите учебный год (год начала) и выберите файл.")
        else:
            try:
                outcome = olympiad_import(
                    upload, upload.name, year=int(year), region_id=home_region(request.user).pk
                )
            except ResultFileError as exc:
                messages.error(request, str(exc))
            else:
                for e in outcome.errors[:30]:
                    messages.error(
                        request,
                        f"Строка {e['row']}{', ' + e['column'] if e['column'] else ''}: {e['message']}",
                    )
                if outcome.imported:
                    messages.success(request, f"Загружено строк: {outcome.imported}.")
                elif outcome.errors:
                    messages.error(request, "Ничего не загружено: исправьте ошибки в файле.")
        return redirect(f"{request.path}?year={year}")
    years = sorted(set(OlympiadResult.objects.values_list("year", flat=True)), reverse=True)
    year = (
        int(request.GET["year"])
        if re.fullmatch(r"[0-9]{4}", request.GET.get("year", ""))
        else (years[0] if years else None)
    )
    stage = (
        request.GET.get("stage") if request.GET.get("stage") in OlympiadResult.Stage.values else "regional"
    )
    municipality = None
    if municipality_id := id_param(request, "municipality", label="Муниципалитет"):
        municipality = get_object_or_404(Municipality.objects.for_user(request.user), pk=municipality_id)
    elif not request.user.is_region_wide and request.user.municipality_id:
        municipality = request.user.municipality
    span, history = olympiad_by_years(request.user, stage=stage, municipality=municipality)
    if request.GET.get("format") == "xlsx":
        return _olympiad_xlsx(stage, municipality, span, history)
    rows, subjects = olympiad_summary(request.user, year=year, stage=stage) if year else ([], [])
    return render(request, "assessments/olympiad.html", {
        "years": years, "year": year, "stage": stage, "stages": OlympiadResult.Stage.choices, "rows": rows,
        "subjects": subjects, "can_import": request.user.is_committee, "span": span, "history": history,
        "municipality": municipality,
    })  # fmt: skip


def _olympiad_xlsx(stage: str, municipality, years: list[int], rows: list[dict]):
    """ВсОШ across years: for each year participants, winners and prize-winners of the stage."""
    from assessments.models import OlympiadResult

    unit = "Образовательная организация" if municipality else "Муниципалитет"
    head = ["Код", unit]
    for year in years:
        head += [
            f"{year}/{year + 1}: участников",
            f"{year}/{year + 1}: победителей",
            f"{year}/{year + 1}: призёров",
        ]
    lines = [
        [r["code"], r["name"], *(c[f] if c else None for c in r["cells"] for f in ("participants", "winners", "prize_winners"))]
        for r in rows
    ]  # fmt: skip
    label = OlympiadResult.Stage(stage).label
    return xlsx_response(f"olympiad-{stage}.xlsx", f"ВсОШ, {label} этап", head, lines)

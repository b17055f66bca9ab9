"""The page where the committee loads its region's directory: check first, then save all or nothing."""

import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from core.service_errors import show_errors
from core.uploads import MAX_UPLOAD_BYTES, check_upload, safe_name
from core.xlsx import XLSX_CONTENT_TYPE

from .service import import_directory, may_import_directory, region_of
from .template import directory_workbook

SESSION_KEY = "directory_upload"
STAGING = "directory-staging"


def _region(request):
    region = region_of(request.user) if may_import_directory(request.user) else None
    if region is None:
        raise PermissionDenied
    return region


def _staged_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / STAGING / token


def _stage(upload) -> dict:
    """Check the upload and keep it privately until the user confirms; returns what the session remembers."""
    name = safe_name(upload.name or "")
    if PurePath(name).suffix.lower() == ".csv":
        if upload.size > MAX_UPLOAD_BYTES or upload.size == 0:
            raise ValidationError(f"Файл «{name}» пуст или больше {MAX_UPLOAD_BYTES // 1024 // 1024} МБ.")
    else:
        check_upload(upload, kinds=frozenset({"xlsx", "ods"}))
    token = uuid.uuid4().hex
    path = _staged_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return {"token": token, "name": name}


@login_required
@require_http_methods(["GET", "POST"])
def directory_import(request):
    region = _region(request)
    staged = request.session.get(SESSION_KEY)
    report = None
    if request.method == "POST" and "file" in request.FILES:
        try:
            staged = _stage(request.FILES["file"])
        except ValidationError as exc:
            show_errors(request, exc)
            return redirect("municipalities:directory")
        request.session[SESSION_KEY] = staged
        data = _staged_path(staged["token"]).read_bytes()
        report = import_directory(data, staged["name"], region, dry_run=True, by=request.user)
    elif request.method == "POST" and request.POST.get("action") == "save":
        if not staged or not _staged_path(staged["token"]).exists():
            messages.error(request, "Файл для загрузки не найден: выберите его заново.")
            return redirect("municipalities:directory")
        path = _staged_path(staged["token"])
        report = import_directory(path.read_bytes(), staged["name"], region, by=request.user)
        if report.saved:
            path.unlink(missing_ok=True)
            request.session.pop(SESSION_KEY, None)
            data = report.as_json()
            messages.success(
                request,
                f"Справочник загружен: создано {data['created']}, изменено {data['updated']}, "
                f"без изменений {data['unchanged']}; приглашений отправлено: {len(report.invited)}.",
            )
    elif request.method == "POST":
        request.session.pop(SESSION_KEY, None)
        return redirect("municipalities:directory")
    return render(
        request,
        "municipalities/directory_import.html",
        {"region": region, "report": report, "staged": staged if report and not report.saved else None},
    )


@login_required
@require_safe
def directory_template(request):
    region = _region(request)
    response = HttpResponse(directory_workbook(region), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="directory-{region.code}.xlsx"'
    return response

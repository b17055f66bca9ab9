"""PDF documents of a meeting: the protocol, the decisions extract and the execution status report.

Rendering: a meeting in, HTML or PDF bytes out; and the worker's side of a requested document (claim the
queued row, render, store the file). Queuing lives in ``meetings.tasks``. The layout follows the Russian conventions for
official documents (ГОСТ Р 7.0.97-2016): A4, Liberation Serif 14 pt, page numbers at the top centre
from the second page. WeasyPrint fetches nothing but the portal's own static files (fonts, CSS).
"""

import atexit
import mimetypes
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Max, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from core.uploads import storage_name
from meetings.models import (
    AgendaItem,
    Decision,
    Document,
    DocumentEvent,
    Meeting,
    Obligation,
    ObligationStatus,
    Participant,
)
from meetings.models.documents import DOCUMENT_TRANSITIONS
from meetings.protocol_import.people import rapporteurs

KINDS = ("protocol", "decisions", "status")
STYLESHEET = "pdf/protocol.css"
# what a document may load: its stylesheet, fonts and (some day) a logo
ALLOWED_SUFFIXES = {".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".svg"}

# Apps above meetings add parts to the protocol (surveys: the answers to the questionnaires sent before an
# interview) without meetings knowing them: each function takes the meeting and gives HTML fragments, in the
# layout of ``pdf/protocol.css``. Apps register theirs in ``AppConfig.ready()``.
PROTOCOL_SECTIONS: list[Callable[[Meeting], list[str]]] = []


def register_protocol_section(section: Callable[[Meeting], list[str]]) -> None:
    if section not in PROTOCOL_SECTIONS:
        PROTOCOL_SECTIONS.append(section)


# ---------------------------------------------------------------- names


_UPPER = "А-ЯЁA-Z"
_LOWER = "а-яёa-z"
_SURNAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_INITIALS = rf"(?P<i1>[{_UPPER}])\.\s*(?:(?P<i2>[{_UPPER}])\.?)?"
_SURNAME_FIRST_RE = re.compile(rf"^(?P<surname>{_SURNAME})\s+{_INITIALS}$")
_INITIALS_FIRST_RE = re.compile(rf"^{_INITIALS}\s*(?P<surname>{_SURNAME})$")
_FULL_NAME_RE = re.compile(
    rf"^(?P<surname>{_SURNAME})\s+(?P<name>[{_UPPER}][{_LOWER}]+)(?:\s+(?P<patronymic>[{_UPPER}][{_LOWER}]+))?$"
)
# "Тарасов С.В. – председатель комитета", "Тарасов С.В., председатель комитета"
_POSITION_RE = re.compile(r"\s+[–—-]\s+|\s*,\s+|\s+\(")


def signature_name(name: str) -> str:
    """The name under a signature: "Тарасов С.В. – председатель комитета" → "С.В. Тарасов".

    Initials go before the surname and the position is dropped; a name in another form is kept as written.
    """
    name = " ".join(name.split())
    person = _POSITION_RE.split(name, maxsplit=1)[0].strip()
    for pattern in (_SURNAME_FIRST_RE, _INITIALS_FIRST_RE):
        match = pattern.match(person)
        if match:
            initials = match["i1"] + "." + (match["i2"] + "." if match["i2"] else "")
            return f"{initials} {match['surname']}"
    match = _FULL_NAME_RE.match(person)
    if match:
        initials = match["name"][0] + "." + (match["patronymic"][0] + "." if match["patronymic"] else "")
        return f"{initials} {match['surname']}"
    return name


def _lines(text: str) -> list[str]:
    """A multi-line text as its non-empty lines: bullet lists keep their line breaks."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _mentions(text: str, speakers: str) -> bool:
    """Whether the СЛУШАЛИ text already names the first speaker (in any case: Смирнов → Смирнова)."""
    first = _POSITION_RE.split(speakers.strip(), maxsplit=1)[0].split()
    if not first:
        return True
    stem = first[0][:-2] if len(first[0]) > 4 else first[0]
    return stem.lower() in text.lower()


# ---------------------------------------------------------------- context


@dataclass
class DecisionView:
    number: str
    lines: list[str]
    tracked: bool
    deadline: str
    responsible: str
    rows: list[dict] = field(default_factory=list)
    total: int = 0
    done: int = 0
    overdue: int = 0


@dataclass
class ItemView:
    number: int
    title: str
    speakers: str
    heard: list[str]
    spoke: list[str]
    decisions: list[DecisionView]

    @property
    def speakers_label(self) -> str:
        return "Докладчики" if re.search(r"[,;]", self.speakers) else "Докладчик"

    @property
    def tracked(self) -> bool:
        return any(d.tracked for d in self.decisions)


def _heard(item: AgendaItem, speakers: str, title: str) -> list[str]:
    """The СЛУШАЛИ paragraphs: the notes as written, naming the speakers unless the notes already do."""
    heard = _lines(item.heard)
    if not speakers or (heard and _mentions(" ".join(heard), speakers)):
        return heard or [title]
    if not heard:
        topic = title[:1].lower() + title[1:] if title[1:2].islower() else title
        return [f"{speakers} – {topic}"]
    return [f"{speakers} – {heard[0]}", *heard[1:]]


def _load(meeting: Meeting) -> Meeting:
    """The meeting with everything a document prints, in a handful of queries."""
    obligations = (
        Obligation.objects.select_related("organization", "municipality", "school")
        .annotate(executed_on=Max("reports__executed_on", filter=Q(reports__status="accepted")))
        .order_by("pk")
    )
    decisions = Decision.objects.order_by("order", "pk").prefetch_related(
        Prefetch("obligations", queryset=obligations)
    )
    items = AgendaItem.objects.order_by("number").prefetch_related(Prefetch("decisions", queryset=decisions))
    return (
        Meeting.objects.select_related("organizer_organization", "organizer_municipality")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.order_by("order", "pk")),
            Prefetch("items", queryset=items),
        )
        .get(pk=meeting.pk)
    )


def _status_rows(decision: Decision, today: date) -> tuple[list[dict], int, int]:
    rows, done, overdue = [], 0, 0
    for obligation in decision.obligations.all():
        is_overdue = obligation.is_overdue_on(today)
        status = obligation.get_status_display()
        if obligation.status == ObligationStatus.ACCEPTED:
            done += 1
            if obligation.closed_late:
                status += " (с нарушением срока)"
        overdue += is_overdue
        moved = (
            obligation.original_due_date
            if obligation.original_due_date and obligation.original_due_date != obligation.due_date
            else None
        )
        reported = obligation.last_reported_at
        rows.append(
            {
                "unit": obligation.unit_name,
                "due": obligation.due_date,
                "moved_from": moved,
                "status": status,
                "overdue": is_overdue,
                "reported": timezone.localdate(reported) if reported else None,
                "executed": obligation.executed_on,
            }
        )
    return rows, done, overdue


def _sections(meeting: Meeting) -> list[str]:
    """What the apps that plugged into the protocol add after its agenda, as HTML."""
    return [html for section in PROTOCOL_SECTIONS for html in section(meeting)]


def _context(meeting: Meeting, kind: str, today: date) -> dict:
    meeting = _load(meeting)
    participants = list(meeting.participants.all())

    def names(role: str) -> list[str]:
        return [p.name for p in participants if p.role == role]

    members = [p for p in participants if p.role == Participant.Role.MEMBER]
    items = []
    for item in meeting.items.all():
        decisions = []
        for decision in item.decisions.all():
            view = DecisionView(
                number=decision.number.strip().rstrip("."),
                lines=_lines(decision.text),
                tracked=decision.tracked,
                deadline=decision.deadline_text.strip() if decision.tracked else "",
                responsible=" ".join(decision.responsible_text.split()) if decision.tracked else "",
            )
            if kind == "status" and decision.tracked:
                view.rows, view.done, view.overdue = _status_rows(decision, today)
                view.total = len(view.rows)
            decisions.append(view)
        speakers = ", ".join(rapporteurs(item.speakers))  # names: no «докл.», positions or dashes
        title = " ".join(item.title.split())
        items.append(
            ItemView(
                number=item.number,
                title=title,
                speakers=speakers,
                heard=_heard(item, speakers, title),
                spoke=_lines(item.spoke),
                decisions=decisions,
            )
        )
    chair, secretary = names(Participant.Role.CHAIR), names(Participant.Role.SECRETARY)
    tracked = [d for i in items for d in i.decisions if d.tracked]
    return {
        "kind": kind,
        "meeting": meeting,
        "organizer": meeting.organizer_name,
        "title": " ".join(meeting.title.split()),
        "is_draft": not meeting.is_signed,
        "revision": meeting.revision,
        "chair": chair,
        "secretary": secretary,
        "members": [p.name for p in members if p.attended is not False],
        "absent": [p.name for p in members if p.attended is False],
        "invited": names(Participant.Role.INVITED),
        "items": items,
        "tracked": tracked,
        "totals": {
            "total": sum(d.total for d in tracked),
            "done": sum(d.done for d in tracked),
            "overdue": sum(d.overdue for d in tracked),
        },
        "sections": _sections(meeting) if kind == "protocol" else [],
        "chair_signature": signature_name(chair[0]) if chair else "",
        "secretary_signature": signature_name(secretary[0]) if secretary else "",
        "today": today,
    }


# ---------------------------------------------------------------- static files and the fetcher


def _static_roots() -> list[tuple[str, Path]]:
    """(URL prefix, directory) of every place the portal keeps static files."""
    roots = []
    for entry in settings.STATICFILES_DIRS:
        prefix, directory = entry if isinstance(entry, (list, tuple)) else ("", entry)
        roots.append((prefix.strip("/"), Path(directory).resolve()))
    if settings.STATIC_ROOT:
        roots.append(("", Path(settings.STATIC_ROOT).resolve()))
    return roots


def _static_base() -> Path:
    """The static directory holding the PDF stylesheet: relative URLs in the templates resolve against it."""
    for prefix, root in _static_roots():
        if not prefix and (root / STYLESHEET).is_file():
            return root
    raise FileNotFoundError(f"Не найдена таблица стилей PDF {STYLESHEET} в каталогах статических файлов.")


def _allowed(path: Path) -> bool:
    return path.suffix.lower() in ALLOWED_SUFFIXES and path.is_file()


def _inside_static(path: Path) -> Path | None:
    """The file itself if it lies inside a static directory (symlinks resolved), otherwise None."""
    resolved = path.resolve()
    for _, root in _static_roots():
        if resolved.is_relative_to(root) and _allowed(resolved):
            return resolved
    return None


def _from_static_url(url_path: str) -> Path | None:
    """/static/fonts/x.ttf → the file in a static directory; refuses ".." and anything outside."""
    static_path = urlsplit(settings.STATIC_URL or "/static/").path
    static_path = "/" + static_path.strip("/") + "/"
    if not url_path.startswith(static_path):
        return None
    relative = url_path[len(static_path) :]
    if not relative or ".." in relative.split("/") or "\\" in relative:
        return None
    for prefix, root in _static_roots():
        if prefix:
            if not relative.startswith(prefix + "/"):
                continue
            rest = relative[len(prefix) + 1 :]
        else:
            rest = relative
        candidate = (root / rest).resolve()
        if candidate.is_relative_to(root) and _allowed(candidate):
            return candidate
    return None


def _static_file_for(url: str) -> Path:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    found = None
    if scheme == "file" and parts.netloc in ("", "localhost"):
        path = url2pathname(parts.path)
        if ".." not in Path(path).parts:
            found = _inside_static(Path(path)) or _from_static_url(unquote(parts.path))
    elif not scheme and not parts.netloc and parts.path.startswith("/"):
        found = _from_static_url(unquote(parts.path))
    if found is None:
        if scheme in ("", "file"):
            raise ValueError(f"PDF может загружать только статические файлы портала, а не «{url[:200]}».")
        raise ValueError(f"PDF не загружает внешние ресурсы ({scheme}:): «{url[:200]}» отклонён.")
    return found


def portal_url_fetcher(url: str, *args, **kwargs) -> dict:
    """A WeasyPrint URL fetcher that serves only the portal's static files and refuses everything else.

    file:// paths and /static/... URLs are resolved inside STATICFILES_DIRS / STATIC_ROOT; http(s), ftp,
    data: and paths outside (including "../" traversal) raise ValueError, so a stray URL in a protocol
    can never make the server fetch a network resource or read a local file.
    """
    path = _static_file_for(url)
    mime_type, _ = mimetypes.guess_type(path.name)
    result = {
        "string": path.read_bytes(),
        "mime_type": mime_type,
        "filename": path.name,
        "path": str(path),
        # relative URLs inside a stylesheet resolve against the file's real location
        "redirected_url": path.as_uri(),
    }
    if mime_type == "text/css":
        result["encoding"] = "utf-8"
    return result


# ---------------------------------------------------------------- rendering

TEMPLATES = {"protocol": "pdf/protocol.html", "decisions": "pdf/decisions.html", "status": "pdf/status.html"}


def render_html(meeting: Meeting, kind: str, *, today: date | None = None) -> str:
    """The document as HTML for WeasyPrint; ``today`` is the "по состоянию на" date of the status report."""
    if kind not in TEMPLATES:
        raise ValueError(f"Неизвестный вид документа: {kind!r}; возможны {', '.join(KINDS)}.")
    today = today or timezone.localdate()
    return render_to_string(TEMPLATES[kind], _context(meeting, kind, today))


# Fonts and the stylesheet are read once per worker process, not once per document: parsing the CSS and
# registering the four @font-face files with fontconfig was a third of a warm render. Pango's font map
# is not safe to share between threads, so documents that use the shared objects are laid out one at a
# time (WeasyPrint holds the GIL for nearly all of a layout anyway).
_ASSETS_LOCK = threading.RLock()
_ASSETS: dict[str, tuple] = {}


def _assets(base: str) -> tuple:
    """(stylesheet, font configuration) for documents under ``base``, built on first use."""
    if base not in _ASSETS:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        stylesheet = weasyprint.CSS(url=base + STYLESHEET, url_fetcher=portal_url_fetcher, font_config=fonts)
        _ASSETS[base] = (stylesheet, fonts)
    return _ASSETS[base]


def forget_assets() -> None:
    """Read the stylesheet and fonts again on the next render (after they changed on disk, and in tests)."""
    with _ASSETS_LOCK:
        _ASSETS.clear()


atexit.register(forget_assets)  # the fonts' temporary folder is removed while the interpreter still can


def layout(html: str):
    """Lay the HTML out into pages (a weasyprint Document: ``.pages``, ``.write_pdf()``)."""
    import weasyprint  # heavy: imported only where PDFs are made

    base = _static_base().as_uri() + "/"
    with _ASSETS_LOCK:
        stylesheet, fonts = _assets(base)
        # WeasyPrint 67 takes a plain callable (url) -> dict as url_fetcher; looked up at call time so
        # tests can wrap it
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=portal_url_fetcher)
        return document.render(stylesheets=[stylesheet], font_config=fonts)


def render_pdf(html: str) -> bytes:
    with _ASSETS_LOCK:  # drawing the pages uses the shared font map too
        return layout(html).write_pdf()


def render_document(meeting: Meeting, kind: str, *, today: date | None = None) -> bytes:
    return render_pdf(render_html(meeting, kind, today=today))


# ---------------------------------------------------------------- the worker's side: claim, render, store

RENDER_STALE = timedelta(minutes=10)


def document_render(document_id: int) -> str:
    """Claim a queued document (or one whose worker died), render it, store the file. Each change of status
    writes one event, on behalf of the person who asked for the document."""
    now = timezone.now()
    claimed = None
    for before in DOCUMENT_TRANSITIONS.sources(Document.Status.RENDERING):
        candidates = Document.objects.filter(pk=document_id, status=before)
        if before == Document.Status.RENDERING:  # claimed again only once its worker is presumed dead
            candidates = candidates.filter(started_at__lt=now - RENDER_STALE)
        if candidates.update(status=Document.Status.RENDERING, started_at=now) == 1:
            claimed = before
            break
    if claimed is None:
        return "skipped"
    document = Document.objects.select_related("meeting", "requested_by").get(pk=document_id)
    restarted = "Формирование начато заново: прежний обработчик не завершил работу."
    _event(document, claimed, restarted if claimed == Document.Status.RENDERING else "")
    try:
        pdf = render_document(document.meeting, document.kind)
    except Exception as exc:  # any rendering failure is shown to the user, not swallowed
        if Document.objects.filter(pk=document_id, status__in=DOCUMENT_TRANSITIONS.sources(Document.Status.FAILED)).update(
                status=Document.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()):  # fmt: skip
            document.status = Document.Status.FAILED
            _event(document, Document.Status.RENDERING, str(exc)[:2000])
        return "failed"
    document.file.save(storage_name("documents", document.filename), ContentFile(pdf), save=False)
    if Document.objects.filter(
        pk=document_id, status__in=DOCUMENT_TRANSITIONS.sources(Document.Status.READY)
    ).update(status=Document.Status.READY, file=document.file.name, finished_at=timezone.now()):
        document.status = Document.Status.READY
        _event(document, Document.Status.RENDERING)
    return "ready"


def _event(document: Document, before: str, comment: str = "") -> None:
    DocumentEvent.record(document, document.requested_by, before=before, comment=comment)

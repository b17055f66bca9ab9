"""Checking uploaded files: size, type sniffed from the content (never trusted from the name), safe names.

Files are stored under MEDIA_ROOT, outside any public path, and served only through
permission-checked views (``private_file_response``).
"""

import hashlib
import mimetypes
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

import filetype
from defusedxml import DefusedXmlException
from defusedxml.expatreader import create_parser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100

# kind → (extensions, MIME types filetype reports)
ALLOWED = {
    "pdf": ({".pdf"}, {"application/pdf"}),
    "docx": ({".docx"}, {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    "xlsx": ({".xlsx"}, {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    "odt": ({".odt"}, {"application/vnd.oasis.opendocument.text"}),
    "ods": ({".ods"}, {"application/vnd.oasis.opendocument.spreadsheet"}),
    "jpeg": ({".jpg", ".jpeg"}, {"image/jpeg"}),
    "png": ({".png"}, {"image/png"}),
}
DOCUMENT_KINDS = frozenset(ALLOWED)


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # a safe display name: no directories, no control characters
    kind: str
    content_type: str
    size: int
    sha256: str


def safe_name(name: str) -> str:
    """The last path component, without control characters; never empty."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return cleaned[:200] or "file"


def storage_name(folder: str, name: str) -> str:
    """Where a file is kept: a random name, so nothing the user typed reaches the file system."""
    suffix = PurePath(name).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def check_upload(upload: UploadedFile, *, kinds: frozenset[str] = DOCUMENT_KINDS) -> CheckedUpload:
    """Validate an upload or raise ValidationError with a Russian message naming the file."""
    name = safe_name(upload.name or "")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Файл «{name}» слишком большой ({upload.size / 1024 / 1024:.1f} МБ): "
            f"допускается не более {MAX_UPLOAD_BYTES // 1024 // 1024} МБ."
        )
    if upload.size == 0:
        raise ValidationError(f"Файл «{name}» пуст.")
    suffix = PurePath(name).suffix.lower()
    expected = [kind for kind in kinds if suffix in ALLOWED[kind][0]]
    allowed_list = ", ".join(sorted({ext for kind in kinds for ext in ALLOWED[kind][0]}))
    if not expected:
        raise ValidationError(f"Файл «{name}»: такой тип не принимается. Допустимые форматы: {allowed_list}.")
    upload.seek(0)
    head = upload.read(8192)
    guess = filetype.guess(head)
    kind = expected[0]
    if guess is None or guess.mime not in ALLOWED[kind][1]:
        raise ValidationError(
            f"Файл «{name}»: содержимое не соответствует расширению {suffix}. "
            "Сохраните документ в этом формате заново и загрузите ещё раз."
        )
    if guess.mime.startswith("application/vnd."):
        _check_zip(upload, name)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        name=name, kind=kind, content_type=guess.mime, size=upload.size, sha256=digest.hexdigest()
    )


XML_SUFFIXES = (".xml", ".rels", ".vml")
_XML_STARTS = (b"<", b"\xef\xbb\xbf<", b"\xff\xfe<\x00", b"\xfe\xff\x00<", b"<\x00", b"\x00<")
_CHUNK = 64 * 1024


class _RootReached(Exception):
    """The root element started: no DTD or entity declaration can follow it."""


class _StopAtRoot(ContentHandler):
    def startElement(self, name, attrs):
        raise _RootReached

    def startElementNS(self, name, qname, attrs):
        raise _RootReached


def _looks_like_xml(head: bytes) -> bool:
    return head.lstrip(b" \t\r\n").startswith(_XML_STARTS)


def xml_part_problem(stream) -> str | None:
    """What is wrong with one XML part, in Russian words, or None.

    The part is read by defusedxml's hardened expat parser (any encoding expat reads — UTF-8, UTF-16 with or
    without a declaration —, comments and processing instructions of any length) up to its root element: a
    DTD or an entity declaration can only come before it, so parsing stops there and a 100 MB worksheet costs
    microseconds. Office never writes a DTD; it is how entity-expansion and external-entity attacks start."""
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(_StopAtRoot())
    try:
        while chunk := stream.read(_CHUNK):
            parser.feed(chunk)
        parser.close()
    except _RootReached:
        return None
    except DefusedXmlException:
        return "объявляет DTD/XML-сущности"
    except (SAXException, ValueError, LookupError):
        return "не читается как XML"
    return "не читается как XML"


def office_xml_problem(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    """The first XML part of an Office (or ODF) archive that must be refused, and why.

    Every part named as XML, and every other part whose bytes start like XML, is parsed — so neither a DTD
    after a long comment nor a part written in UTF-16 slips through. The zip-bomb limits are checked by the
    callers before this reads anything."""
    for info in archive.infolist():
        if not info.file_size or info.is_dir():
            continue
        with archive.open(info) as part:
            head = part.read(8)
        if not (info.filename.lower().endswith(XML_SUFFIXES) or _looks_like_xml(head)):
            continue
        with archive.open(info) as part:
            if problem := xml_part_problem(part):
                return info.filename, problem
    return None


def _check_zip(upload: UploadedFile, name: str) -> None:
    """Office documents are zip archives: refuse zip bombs and XML entity tricks before anything parses them."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNZIPPED_BYTES or ratio > MAX_ZIP_RATIO:
                    raise ValidationError(
                        f"Файл «{name}» распаковывается в слишком большой объём и не принимается."
                    )
            if found := office_xml_problem(archive):
                part, problem = found
                raise ValidationError(
                    f"Файл «{name}» не принимается: его часть «{part}» {problem} — так не бывает в документах "
                    "Office. Сохраните документ заново в Word или Excel."
                )
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"Файл «{name}» повреждён: архив документа не читается.") from exc


def private_file_response(field_file, display_name: str) -> FileResponse:
    content_type = mimetypes.guess_type(display_name)[0] or "application/octet-stream"
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=display_name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response

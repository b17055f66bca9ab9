"""PDF documents of a meeting: read back with pypdf, as an official would read the printed page."""

import io
from io import StringIO

import pypdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings import documents
from meetings.models import Meeting, Obligation, ObligationStatus
from tests.meetings.factories import committee_meeting, days, decision, written

FONT = settings.BASE_DIR / "static" / "fonts" / "LiberationSerif-Regular.ttf"
MM = 72 / 25.4
HOSTILE_IMG = '<img src="http://127.0.0.1:9/x.png">'
HOSTILE_LINK = '<link rel=stylesheet href="file:///etc/passwd">'


def pdf_pages(data: bytes) -> list[str]:
    """The text of every page, whitespace collapsed (justified lines come out with double spaces)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))


def top_margin_text(page) -> str:
    """Text printed above the body, in the 20 mm top margin: where the page number lives."""
    found = []
    limit = float(page.mediabox.top) - 20 * MM

    def visit(text, cm, tm, font_dict, font_size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > limit:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found)


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """BaseFont name → whether its glyphs are embedded (FontFile2/FontFile3) in the PDF."""
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
            embedded = any(
                d is not None and ("/FontFile2" in d.get_object() or "/FontFile3" in d.get_object())
                for d in descriptors
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def gia_meeting(people, *, sign=True):
    return committee_meeting(
        people,
        decision("1", "Принять информацию к сведению.", tracked=False),
        decision(
            "2",
            "Обеспечить информирование выпускников о порядке проведения ГИА:\n"
            "– разместить памятки на сайтах школ;\n– провести родительские собрания.",
            f"до {written(20)}",
            "Всеволожский район; ЛОИРО",
        ),
        sign=sign,
    )


# ---------------------------------------------------------------- the protocol


def test_protocol_reads_back_as_an_official_protocol(people):
    meeting = gia_meeting(people)
    data = documents.render_document(meeting, "protocol")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "КОМИТЕТ ОБЩЕГО И ПРОФЕССИОНАЛЬНОГО ОБРАЗОВАНИЯ" in text
    assert "ПРОТОКОЛ" in text and "О подготовке к ГИА-2026" in text
    assert f"{written(-10)} № 3" in text
    assert "Председатель – Петрова А.С." in text and "Секретарь – Иванов И.И." in text
    assert "Присутствовали: Сидорова О.П." in text and "Приглашённые: руководители ОМСУ" in text
    assert "ПОВЕСТКА ДНЯ: 1. О подготовке к ГИА" in text
    assert "1. СЛУШАЛИ:" in text and "РЕШИЛИ:" in text
    assert "1. Принять информацию к сведению." in text
    assert "2. Обеспечить информирование выпускников о порядке проведения ГИА:" in text
    # bullet lines keep their own lines
    assert "ГИА: – разместить памятки на сайтах школ; – провести родительские собрания." in text
    assert f"Срок: до {written(20)}" in text
    assert "Ответственные: Всеволожский район; ЛОИРО" in text
    # the untracked decision has no Срок / Ответственные of its own
    assert text.count("Срок:") == 1 and text.count("Ответственные:") == 1
    assert "Председатель ________________ А.С. Петрова" in text
    assert "Секретарь ________________ И.И. Иванов" in text
    assert "ПРОЕКТ" not in text and "Редакция" not in text
    # Cyrillic comes back as Cyrillic, not mojibake
    assert "\ufffd" not in text and "Ð" not in text and "Ñ" not in text


def test_protocol_is_a4_with_the_fonts_embedded(people):
    data = documents.render_document(gia_meeting(people), "protocol")
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(595, abs=1)
    assert float(page.mediabox.height) == pytest.approx(842, abs=1)
    fonts = embedded_fonts(data)
    assert fonts and all(fonts.values()), fonts
    assert any("Liberation" in name for name in fonts), fonts
    assert any("Bold" in name for name in fonts), "the headings are bold"


def test_page_numbers_are_at_the_top_from_page_two(people):
    long_text = (
        "Организовать работу по повышению объективности оценочных процедур, обеспечив контроль "
        "за соблюдением порядка проведения и анализ результатов в разрезе общеобразовательных организаций. "
    ) * 3
    decisions = [decision(str(n), long_text.strip(), f"до {written(20)}", "ЛОИРО") for n in range(1, 16)]
    data = documents.render_document(committee_meeting(people, *decisions), "protocol")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    assert top_margin_text(reader.pages[0]) == ""
    assert top_margin_text(reader.pages[1]) == "2"
    assert top_margin_text(reader.pages[2]) == "3"
    # the signatures close the last page
    assert "А.С. Петрова" in pdf_pages(data)[-1]


def test_a_draft_says_it_is_a_draft_and_a_revision_says_which(people):
    meeting = gia_meeting(people, sign=False)
    assert "ПРОЕКТ" in pdf_text(documents.render_document(meeting, "protocol"))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SIGNED, revision=2)
    text = pdf_text(documents.render_document(meeting, "protocol"))
    assert "ПРОЕКТ" not in text and "Редакция 2" in text


def test_place_is_printed_when_known(people):
    meeting = gia_meeting(people)
    Meeting.objects.filter(pk=meeting.pk).update(place="г. Санкт-Петербург, Невский пр., д. 24")
    html = documents.render_html(meeting, "protocol")
    assert '<p class="place">г. Санкт-Петербург, Невский пр., д. 24</p>' in html


# ---------------------------------------------------------------- the decisions extract and the status report


def test_decisions_extract_lists_only_the_decisions(people):
    text = pdf_text(documents.render_document(gia_meeting(people), "decisions"))
    assert "РЕШЕНИЯ" in text and "О подготовке к ГИА-2026" in text and f"{written(-10)} № 3" in text
    assert "1. Принять информацию к сведению." in text
    assert "2. Обеспечить информирование выпускников" in text
    assert f"Срок: до {written(20)}" in text and "Ответственные: Всеволожский район; ЛОИРО" in text
    assert "Председатель ________________ А.С. Петрова" in text
    assert "СЛУШАЛИ" not in text and "ПОВЕСТКА" not in text and "Секретарь" not in text


def test_status_report_shows_units_and_overdue(people):
    meeting = gia_meeting(people)
    obligations = Obligation.objects.filter(decision__item__meeting=meeting)
    assert obligations.count() == 2
    obligations.filter(municipality=people.mun_a).update(due_date=days(-3))
    text = pdf_text(documents.render_document(meeting, "status", today=days(0)))
    assert "СПРАВКА" in text and "об исполнении решений" in text
    assert f"по состоянию на {written(0)}" in text
    assert "Исполнитель Срок Статус Отчёт" in text
    assert f"КО Всеволожского района {written(-3)} (перенесён с {written(20)}) назначено, просрочено" in text
    assert f"ГАОУ ДПО «ЛОИРО» {written(20)} назначено —" in text
    assert "исполнено 0 из 2, просрочено 1" in text
    # only tracked decisions are reported on
    assert "Принять информацию к сведению" not in text


def test_status_report_counts_accepted_and_reported(people):
    meeting = gia_meeting(people)
    obligations = Obligation.objects.filter(decision__item__meeting=meeting)
    obligations.filter(organization=people.loiro).update(status=ObligationStatus.ACCEPTED, due_date=days(-3))
    text = pdf_text(documents.render_document(meeting, "status", today=days(0)))
    assert "исполнено 1 из 2, просрочено 0" in text
    assert "просрочено" not in text.replace("просрочено 0", "")


def test_status_report_of_a_draft_says_nothing_is_under_control(people):
    text = pdf_text(documents.render_document(gia_meeting(people, sign=False), "status"))
    assert "Протокол не подписан" in text and "исполнено" not in text


def test_unknown_kind_is_refused(people):
    with pytest.raises(ValueError, match="Неизвестный вид документа"):
        documents.render_html(gia_meeting(people), "minutes")


# ---------------------------------------------------------------- hostile text


@pytest.fixture
def fresh_assets():
    """The stylesheet and fonts are read again by the next render (they are kept per worker process)."""
    documents.forget_assets()
    yield
    documents.forget_assets()


def test_markup_in_a_protocol_is_printed_as_text_and_never_fetched(people, monkeypatch, fresh_assets):
    meeting = committee_meeting(
        people,
        decision("1", f"Проверить {HOSTILE_IMG} и {HOSTILE_LINK} в тексте.", f"до {written(20)}", "ЛОИРО"),
    )
    asked = []
    real = documents.portal_url_fetcher

    def recording(url, *args, **kwargs):
        asked.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(documents, "portal_url_fetcher", recording)
    html = documents.render_html(meeting, "protocol")
    assert "<img" not in html and "&lt;img src=&quot;http://127.0.0.1:9/x.png&quot;&gt;" in html
    assert "&lt;link rel=stylesheet" in html
    text = pdf_text(documents.render_pdf(html))
    assert '<img src="http://127.0.0.1:9/x.png">' in text
    assert '<link rel=stylesheet href="file:///etc/passwd">' in text
    # only the stylesheet and the vendored fonts were asked for
    assert asked, "the stylesheet and fonts go through the portal fetcher"
    assert not [u for u in asked if "127.0.0.1" in u or "passwd" in u]
    static = (settings.BASE_DIR / "static").as_uri()
    assert all(u.startswith(static + "/") for u in asked), asked
    assert any(u.endswith("/pdf/protocol.css") for u in asked)
    assert any(u.endswith("/fonts/LiberationSerif-Regular.ttf") for u in asked)
    assert any(u.endswith("/fonts/LiberationSerif-Bold.ttf") for u in asked)


def test_fonts_and_stylesheet_are_read_once_per_worker(people, monkeypatch, fresh_assets):
    meeting = committee_meeting(people, decision("1", "Провести анализ.", f"до {written(20)}", "ЛОИРО"))
    asked = []
    real = documents.portal_url_fetcher
    monkeypatch.setattr(
        documents, "portal_url_fetcher", lambda url, *a, **kw: asked.append(url) or real(url, *a, **kw)
    )
    first = pdf_text(documents.render_document(meeting, "protocol"))
    read_first = list(asked)
    second = pdf_text(documents.render_document(meeting, "decisions"))
    third = pdf_text(documents.render_document(meeting, "protocol"))
    assert sum(u.endswith("/pdf/protocol.css") for u in read_first) == 1
    assert sum(u.endswith(".ttf") for u in read_first) == 4
    assert asked == read_first, "later documents use the worker's fonts and stylesheet"
    assert first == third and "Провести анализ." in second


# ---------------------------------------------------------------- the URL fetcher


def test_fetcher_serves_the_vendored_font_by_file_url():
    result = documents.portal_url_fetcher(FONT.as_uri())
    assert result["string"] == FONT.read_bytes()
    assert result["redirected_url"] == FONT.resolve().as_uri()


def test_fetcher_serves_the_vendored_font_by_static_url():
    result = documents.portal_url_fetcher("/static/fonts/LiberationSerif-Regular.ttf")
    assert result["string"][:4] == b"\x00\x01\x00\x00"  # a TrueType font
    # also the form WeasyPrint produces when "/static/..." is joined onto a file:// base
    assert documents.portal_url_fetcher("file:///static/fonts/LiberationSerif-Bold.ttf")["string"]


def test_fetcher_gives_the_stylesheet_its_css_type():
    result = documents.portal_url_fetcher("/static/pdf/protocol.css")
    assert result["mime_type"] == "text/css" and b"@font-face" in result["string"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://fonts.example.com/LiberationSerif-Regular.ttf",
        "ftp://example.com/style.css",
        "data:text/css,body{color:red}",
        "file:///etc/passwd",
        "file://evil.example.com" + str(FONT),
        "/static/../../etc/passwd",
        "/static/fonts/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "file:///static/../../etc/passwd",
        FONT.parent.as_uri() + "/../../manage.py",
        "/static/fonts/",
        "/etc/passwd",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="PDF"):
        documents.portal_url_fetcher(url)


def test_fetcher_does_not_follow_a_symlink_out_of_static(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "evil.css").symlink_to("/etc/passwd")
    (static / "ok.css").write_text("p { margin: 0 }")
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = tmp_path / "collected"
    assert documents.portal_url_fetcher("/static/ok.css")["string"] == b"p { margin: 0 }"
    for url in ("/static/evil.css", (static / "evil.css").as_uri()):
        with pytest.raises(ValueError):
            documents.portal_url_fetcher(url)


# ---------------------------------------------------------------- names in the signature block


@pytest.mark.parametrize(
    ("written_as", "signed_as"),
    [
        ("Петрова А.С.", "А.С. Петрова"),
        ("Тарасов С.В. – председатель комитета", "С.В. Тарасов"),
        ("Кузнецова О. Н. — главный специалист", "О.Н. Кузнецова"),
        ("Римский-Корсаков Н.А., директор", "Н.А. Римский-Корсаков"),
        ("С.В. Тарасов", "С.В. Тарасов"),
        ("Тарасов Сергей Викторович", "С.В. Тарасов"),
        ("руководители ОМСУ", "руководители ОМСУ"),
    ],
)
def test_signature_name(written_as, signed_as):
    assert documents.signature_name(written_as) == signed_as


# ---------------------------------------------------------------- the command


def test_command_writes_a_pdf(people, tmp_path):
    meeting = gia_meeting(people)
    out = StringIO()
    target = tmp_path / "protocol.pdf"
    call_command("render_protocol", str(meeting.pk), "--output", str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF-")
    assert "страниц: 1" in out.getvalue()
    assert "ПРОТОКОЛ" in pdf_text(target.read_bytes())


def test_command_renders_the_other_kinds(people, tmp_path):
    meeting = gia_meeting(people)
    target = tmp_path / "status.pdf"
    call_command("render_protocol", str(meeting.pk), "-o", str(target), "--kind", "status", stdout=StringIO())
    assert "Исполнитель" in pdf_text(target.read_bytes())


@pytest.mark.parametrize("meeting_id", ["999999", "abc"])
def test_command_refuses_a_missing_meeting(people, tmp_path, meeting_id):
    with pytest.raises(CommandError, match=f"Совещание с id={meeting_id} не найдено"):
        call_command("render_protocol", meeting_id, "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_command_refuses_an_unwritable_path_and_an_unknown_kind(people, tmp_path):
    meeting = gia_meeting(people)
    with pytest.raises(CommandError, match=r"Не удалось записать файл .*не существует"):
        call_command("render_protocol", str(meeting.pk), "--output", str(tmp_path / "no" / "x.pdf"))
    with pytest.raises(CommandError, match="это каталог"):
        call_command("render_protocol", str(meeting.pk), "--output", str(tmp_path))
    with pytest.raises(CommandError, match="Неизвестный вид документа"):
        call_command("render_protocol", str(meeting.pk), "--output", str(tmp_path / "x.pdf"), "--kind", "x")

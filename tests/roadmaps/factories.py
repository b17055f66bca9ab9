"""A committee decision asking every municipality for a roadmap, and a filled template."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from roadmaps.template.build import build_template
from tests.meetings.factories import committee_meeting, decision, written

ROADMAP_DECISION = "Разработать и утвердить дорожные карты по повышению качества подготовки к ГИА-2027"


def roadmap_meeting(people, due_in: int = 10):
    """Signed protocol: decision 1.1 asks «руководители ОМСУ» (both test municipalities) for a roadmap."""
    meeting = committee_meeting(
        people, decision("1.1", ROADMAP_DECISION, f"до {written(due_in)}", "руководители ОМСУ")
    )
    return meeting.items.get().decisions.get()


def filled_template(template: bytes, *, items: list[tuple], indicators: list[tuple]) -> SimpleUploadedFile:
    """What a head does in Excel: type rows under the headers of the downloaded template (row 3)."""
    book = load_workbook(BytesIO(template))
    sheet = book["Мероприятия"]
    for offset, row in enumerate(items):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=4 + offset, column=column, value=value)
    sheet = book["Показатели"]
    for offset, row in enumerate(indicators):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=4 + offset, column=column, value=value)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("ДК Всеволожский.xlsx", buffer.getvalue())


ITEMS = [
    ("1.1", "Провести диагностику предметных дефицитов выпускников", "КО, руководители ОО", "до 01.12.2026",
     "Выявлены дефициты"),
    ("1.2", "Организовать методическое сопровождение учителей математики", "ЛОИРО, ММС", "в течение года",
     "Проведено не менее 4 семинаров"),
]  # fmt: skip
INDICATORS = [
    (1, "Доля участников ЕГЭ по математике ниже минимума", "%", "12,5", 10, 8),
    (2, "Доля выпускников с аттестатом", "%", 97, 98, 99),
]


def sample_template() -> bytes:
    return build_template(None, title="Дорожная карта")

"""Demo monitoring of municipal management mechanisms: 7 directions × 6 documents and a realistic state.

Some municipalities have every document accepted, some have documents returned or still on review, some
have started and some have attached nothing yet.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from mechanisms import services
from mechanisms.models import Direction, RequiredDocument
from municipalities.models import Municipality, Region, Role, User

DIRECTIONS = [
    ("Система оценки качества подготовки обучающихся", "Оценка качества подготовки"),
    (
        "Система работы по обеспечению объективности процедур оценки качества образования",
        "Объективность оценки",
    ),
    ("Система работы со школами с низкими результатами обучения", "Школы с низкими результатами"),
    ("Система выявления, поддержки и развития способностей и талантов у детей и молодёжи", "Одарённые дети"),
    ("Система повышения профессионального мастерства педагогических работников", "Развитие педагогов"),
    ("Система организации профессиональной ориентации обучающихся", "Профориентация"),
    ("Система организации воспитания обучающихся", "Воспитание"),
]
DOCUMENTS = [
    ("Положение", "Нормативный акт органа управления образованием о системе работы по направлению."),
    ("Цели и показатели", "Цели муниципальной системы и показатели, по которым оценивается их достижение."),
    ("Мониторинг и анализ", "Результаты мониторинга показателей и их анализ (аналитическая справка)."),
    ("Адресные меры", "Меры и мероприятия, принятые по итогам анализа, с указанием адресатов."),
    ("Управленческие решения", "Приказы, распоряжения и иные решения по итогам мониторинга."),
    ("Анализ эффективности принятых мер", "Оценка того, как изменились показатели после принятых мер."),
]
# municipality code → how far it got: "complete", "returned", "review", "partial"; absent — nothing yet
STATES = {"01": "complete", "02": "complete", "03": "partial", "04": "review", "05": "returned",
          "06": "complete", "07": "partial", "08": "returned", "10": "review", "13": "partial"}  # fmt: skip
RETURN_COMMENT = "Документ не содержит показателей по направлению: дополните и представьте снова."


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def load_directions(region: Region) -> list[RequiredDocument]:
    for number, (name, short) in enumerate(DIRECTIONS, start=1):
        direction, _ = Direction.objects.update_or_create(
            region=region, name=name, defaults={"number": number, "short_name": short}
        )
        for doc_number, (doc_name, description) in enumerate(DOCUMENTS, start=1):
            RequiredDocument.objects.update_or_create(
                direction=direction,
                name=doc_name,
                defaults={"number": doc_number, "description": description},
            )
    return list(RequiredDocument.objects.filter(direction__region=region).select_related("direction")
                .order_by("direction__number", "number"))  # fmt: skip


@transaction.atomic
def load_demo_mechanisms() -> int:
    """Directions and documents of the demo regions (the same 7 × 6 in each), then each listed region 47
    municipality's submissions this year; the Omsk region (55) has the directions and nothing submitted yet."""
    omsk = Region.objects.filter(code="55").first()
    if omsk is not None and not Direction.objects.filter(region=omsk).exists():
        load_directions(omsk)
    region = Region.objects.filter(code="47").first()
    if region is None or Direction.objects.filter(region=region).exists():
        return 0
    required = load_directions(region)
    committee = User.objects.get(username="committee")
    year = timezone.localdate().year
    for code, state in STATES.items():
        municipality = Municipality.objects.filter(region=region, code=code).first()
        head = User.objects.filter(role=Role.MUNICIPALITY, municipality=municipality).order_by("pk").first()
        if municipality is None or head is None:
            continue
        count = {"complete": len(required), "partial": 17, "review": 30, "returned": 26}[state]
        for index, doc in enumerate(required[:count]):
            if index % 3 == 0:
                upload, url = _pdf(f"{doc.name} — {doc.direction.short_name}.pdf"), ""
            else:
                upload, url = (
                    None,
                    f"https://edu-{code}.example.ru/mechanisms/{doc.direction.number}-{doc.number}",
                )
            document = services.document_submit(actor=head, municipality=municipality, required=doc, year=year,
                                                upload=upload, url=url)  # fmt: skip
            pending = (state == "review" and index >= 20) or (state == "returned" and index >= 22)
            if state == "returned" and index in (5, 11, 23):
                services.document_return(document=document, actor=committee, comment=RETURN_COMMENT)
            elif not pending:
                services.document_accept(document=document, actor=committee)
    return len(required)

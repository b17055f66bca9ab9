"""Demo roadmaps answering the committee's demo decision, in every state, some with progress reported."""

from decimal import Decimal

from django.db import transaction

from meetings.models import Obligation
from municipalities.models import Role, User
from roadmaps import services
from roadmaps.models import Roadmap

ITEMS = [
    ("1.1", "Провести анализ результатов ГИА-2026 в разрезе школ и предметов", "Комитет по образованию, ММС",
     "до 01.12.2026", "Аналитическая справка, перечень школ с рисками"),
    ("1.2", "Организовать курсы повышения квалификации учителей математики школ с низкими результатами",
     "ГАОУ ДПО «ЛОИРО», руководители ОО", "в течение учебного года", "Не менее 90% учителей прошли обучение"),
    ("1.3", "Провести муниципальные пробные экзамены по математике и русскому языку", "ММС",
     "декабрь 2026 года, март 2027 года", "Выявлены обучающиеся группы риска"),
    ("2.1", "Закрепить наставников за обучающимися группы риска", "руководители ОО", "до 15.01.2027",
     "Индивидуальные планы подготовки"),
]  # fmt: skip
INDICATORS = [
    ("Доля участников ЕГЭ по математике (профиль), не преодолевших минимальный порог", "%", "9.8", "8", "6"),
    ("Доля выпускников 11 классов, получивших аттестат", "%", "97.5", "98.5", "99"),
    ("Средний тестовый балл ЕГЭ по русскому языку", "балл", "68.2", "69", "70"),
]
PERIODS = ["2026/2027", "2027/2028"]

# municipality code → (state, actual values of the first period or None)
STATES = {
    "01": ("approved", ("7.5", "98.9", "68.4")),
    "02": ("approved", ("9.1", "98.7", "69.3")),
    "03": ("approved", None),
    "05": ("submitted", None),
    "06": ("returned", None),
    "07": ("under_review", None),
    "08": ("draft", None),
}


def _content() -> dict:
    return {
        "periods": PERIODS,
        "items": [dict(zip(["number", "activity", "responsible", "deadline", "expected_result"], row, strict=True))
                  for row in ITEMS],
        "indicators": [{"name": name, "unit": unit, "baseline": base, "targets": dict(zip(PERIODS, targets, strict=True))}
                       for name, unit, base, *targets in INDICATORS],
    }  # fmt: skip


@transaction.atomic
def load_demo_roadmaps() -> int:
    if Roadmap.objects.exists():
        return 0
    committee = User.objects.get(username="committee")
    obligations = Obligation.objects.filter(decision__requires_roadmap=True, municipality__code__in=STATES)
    for obligation in obligations.select_related("municipality", "decision"):
        state, actuals = STATES[obligation.municipality.code]
        head = User.objects.filter(role=Role.MUNICIPALITY, municipality=obligation.municipality).first()
        if head is None:
            continue
        roadmap = services.roadmap_for_obligation(obligation=obligation, actor=head)
        services.roadmap_update(roadmap=roadmap, actor=head, content=_content())
        if state == "draft":
            continue
        services.roadmap_submit(roadmap=roadmap, actor=head)
        if state == "under_review":
            services.roadmap_take(roadmap=roadmap, actor=committee)
        elif state == "returned":
            services.roadmap_return(roadmap=roadmap, actor=committee, comment="Добавьте показатели по ОГЭ и сроки "
                                    "по пункту 1.2 с разбивкой по кварталам.")  # fmt: skip
        elif state == "approved":
            services.roadmap_approve(roadmap=roadmap, actor=committee, comment="Согласовано.")
            if actuals:
                values = {name: Decimal(v) for (name, *_), v in zip(INDICATORS, actuals, strict=True)}
                statuses = {"1.1": "done", "1.2": "in_progress", "1.3": "in_progress", "2.1": "done"}
                services.progress_save(roadmap=roadmap, actor=head, period=PERIODS[0], actuals=values,
                                       item_statuses=statuses, comment="")  # fmt: skip
    return Roadmap.objects.count()

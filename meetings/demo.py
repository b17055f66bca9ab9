"""Demo protocols with decisions in every state, dated around today, so the demo region looks lived in."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from meetings import services
from meetings.deadlines import parse_deadline
from meetings.models import Meeting, Obligation, ObligationEvent, Report
from meetings.parties import PartyResolver
from municipalities.models import Organization, Role, User


def _decision(resolver, meeting_date, number, text, deadline="", responsible="", tracked=True):
    parts = [p.strip() for p in responsible.split(";") if p.strip()]
    return services.DecisionDraft(
        number=number, text=text, tracked=tracked, deadline=parse_deadline(deadline, meeting_date=meeting_date),
        responsible_text=", ".join(parts), parties=[resolver.resolve(p) for p in parts],
    )  # fmt: skip


def _at(obligation: Obligation, when) -> None:
    """Move the latest report and event of an obligation back in time, as if they happened then."""
    Report.objects.filter(pk=obligation.reports.order_by("-pk").values("pk")[:1]).update(submitted_at=when)
    ObligationEvent.objects.filter(pk=obligation.events.order_by("-pk").values("pk")[:1]).update(
        created_at=when
    )


@transaction.atomic
def load_demo_meetings() -> int:
    """Two signed protocols (the committee's and Всеволожский district's) unless protocols already exist."""
    if Meeting.objects.exists():
        return 0
    today = timezone.localdate()
    now = timezone.now()
    committee_user = User.objects.get(username="committee")
    head = User.objects.get(username="municipality")
    resolver = PartyResolver(organization=committee_user.organization)
    held = today - timedelta(days=25)

    def written(days: int) -> str:
        return (today + timedelta(days=days)).strftime("%d.%m.%Y")

    omsu = "руководители органов местного самоуправления, осуществляющих управление в сфере образования"
    draft = services.MeetingDraft(
        kind="meeting", date=held, number="12", place="г. Санкт-Петербург, ул. Смольного, д. 3",
        title="Совещание с руководителями органов местного самоуправления, осуществляющих управление в сфере "
        "образования, о подготовке к государственной итоговой аттестации",
        chair="Тарасов С.В. – председатель комитета", secretary="Петрова А.С. – начальник отдела общего образования",
        members=["Иванова А.П. – начальник отдела ГИА и ОКО", "Кузнецова Е.И. – проректор ГАОУ ДПО «ЛОИРО»"],
        invited=[omsu],
        items=[
            services.ItemDraft(number=1, title="О результатах региональных диагностических работ по математике",
                               speakers="Иванова А.П.", decisions=[
                _decision(resolver, held, "1", "Принять информацию к сведению.", tracked=False),
                _decision(resolver, held, "2", "Провести анализ результатов региональных диагностических работ по "
                          "математике в 9-х классах в разрезе общеобразовательных организаций и представить его в "
                          "комитет.", f"до {written(-5)}", omsu),
                _decision(resolver, held, "3", "Обеспечить участие учителей математики школ с низкими результатами в "
                          "курсах повышения квалификации.", f"до {written(40)}", "ГАОУ ДПО «ЛОИРО»; руководители ОМСУ"),
            ]),
            services.ItemDraft(number=2, title="О подготовке муниципальных дорожных карт", speakers="Петрова А.С.",
                               decisions=[
                _decision(resolver, held, "1", "Разработать и утвердить муниципальные дорожные карты по подготовке к "
                          "ГИА в 2027 году.", f"до {written(5)}", omsu),
                _decision(resolver, held, "2", "Представлять в комитет информацию о работе со школами с низкими "
                          "образовательными результатами.", "ежеквартально до 10 числа месяца, следующего за отчётным",
                          "руководители ОМСУ"),
            ]),
        ],
    )  # fmt: skip
    meeting = services.meeting_create(actor=committee_user, draft=draft,
                                      organizer_organization=Organization.objects.get(code="koipo"),
                                      controller=committee_user, sign=True)  # fmt: skip
    signed_at = now - timedelta(days=24)
    ObligationEvent.objects.filter(obligation__decision__item__meeting=meeting).update(created_at=signed_at)
    Meeting.objects.filter(pk=meeting.pk).update(signed_at=signed_at)
    analysis = Obligation.objects.filter(decision__item__meeting=meeting, decision__item__number=1,
                                         decision__number="2").select_related("municipality")  # fmt: skip
    for obligation in analysis:
        code = obligation.municipality.code
        reporter = User.objects.get(municipality=obligation.municipality, role=Role.MUNICIPALITY)
        if code in {"01", "02", "03", "06", "07", "08", "10", "11"}:
            late = code in {"06", "10"}
            services.report_submit(
                obligation=obligation, actor=reporter, text="Анализ проведён, направлен письмом."
            )
            _at(obligation, now - timedelta(days=3 if late else 8))
            services.report_accept(obligation=obligation, actor=committee_user)
        elif code in {"04", "12"}:
            services.report_submit(
                obligation=obligation, actor=reporter, text="Анализ проведён по 30 школам из 53."
            )
            _at(obligation, now - timedelta(days=9))
            services.report_return(obligation=obligation, actor=committee_user,
                                   comment="Анализ нужен по всем школам района, включая филиалы.")  # fmt: skip
            ObligationEvent.objects.filter(pk=obligation.events.order_by("-pk").values("pk")[:1]).update(
                created_at=now - timedelta(days=7)
            )
        elif code in {"05", "09", "13"}:
            services.report_submit(
                obligation=obligation, actor=reporter, text="Анализ проведён, таблица приложена."
            )
    roadmaps = Obligation.objects.filter(
        decision__item__number=2, decision__number="1", decision__item__meeting=meeting
    )
    vsevolozhsk = roadmaps.get(municipality__code="04")
    services.obligation_start(obligation=vsevolozhsk, actor=head)
    services.extension_request(obligation=vsevolozhsk, actor=head, proposed_date=today + timedelta(days=20),
                               reason="Дорожная карта проходит согласование с администрацией района.")  # fmt: skip

    municipality = head.municipality
    local = PartyResolver(municipality=municipality)
    local_held = today - timedelta(days=12)
    services.meeting_create(
        actor=head, organizer_municipality=municipality, controller=head, sign=True,
        draft=services.MeetingDraft(
            kind="meeting", date=local_held, number="7", title="Совещание руководителей общеобразовательных "
            "организаций Всеволожского района об итогах ВПР", chair="Иванов С.П.", invited=["руководители ОО"],
            items=[services.ItemDraft(number=1, title="Об итогах ВПР и объективности оценивания", decisions=[
                _decision(local, local_held, "1", "Провести заседания школьных методических объединений по итогам ВПР "
                          "и скорректировать рабочие программы.", f"до {written(10)}", "руководители ОО"),
            ])],
        ),
    )  # fmt: skip
    return Meeting.objects.count()


@transaction.atomic
def load_demo_omsk_meetings() -> int:
    """The second region's municipal interview protocol: Омский район's authority and its schools' directors."""
    head = User.objects.filter(username="omsk-mouo").select_related("municipality").first()
    if head is None or Meeting.objects.filter(organizer_municipality=head.municipality).exists():
        return 0
    municipality = head.municipality
    today = timezone.localdate()
    held = today - timedelta(days=9)
    due = (today + timedelta(days=21)).strftime("%d.%m.%Y")
    local = PartyResolver(municipality=municipality)
    schools = list(municipality.schools.order_by("code"))
    services.meeting_create(
        actor=head, organizer_municipality=municipality, controller=head, sign=True,
        draft=services.MeetingDraft(
            kind="interview", date=held, number="3", place="р.п. Ростовка, ул. Профсоюзная, д. 2",
            title="Собеседование с руководителями общеобразовательных организаций Омского района по итогам ВПР "
            "и подготовке к ГИА", chair="Кравцов И.В. – председатель комитета по образованию",
            secretary="Лаптева О.С. – главный специалист комитета", invited=["руководители ОО"],
            items=[services.ItemDraft(number=1, title="Об объективности ВПР и работе со слабоуспевающими",
                                      speakers=", ".join(s.short_name for s in schools[:2]), decisions=[
                _decision(local, held, "1", "Принять информацию руководителей к сведению.", tracked=False),
                _decision(local, held, "2", "Обеспечить присутствие независимых наблюдателей при проведении ВПР и "
                          "представить графики в комитет.", f"до {due}", "руководители ОО"),
                _decision(local, held, "3", "Разработать индивидуальные планы работы со слабоуспевающими "
                          "обучающимися.", f"до {due}", "; ".join(s.short_name for s in schools[2:4])),
            ])],
        ),
    )  # fmt: skip
    return 1

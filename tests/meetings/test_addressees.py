"""Who a protocol may put obligations on, and how the responsible parties as written are resolved.

The organiser's scope bounds the addressees in the service that creates obligations (signing, amending a
decision), whoever calls it: the page, ``import_protocol``. The class wordings of any region, district
qualifiers and named bodies in their spellings resolve without aliases.
"""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.deadlines import add_working_days
from meetings.importing import decision_warnings, draft_from_proposal
from meetings.models import Meeting, Obligation
from meetings.parties import PartyResolver, PartyTarget
from meetings.protocol_import import parse_protocol
from municipalities.models import Organization

OMSU_LO = "руководители органов местного самоуправления Ленинградской области, осуществляющих управление в сфере образования"


def import_protocol(tmp_path, text: str, *args: str) -> dict:
    path = tmp_path / "protocol.txt"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_protocol", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def decisions_list(responsible: str, *, deadline: str = "", when: date | None = None) -> str:
    when = when or timezone.localdate() - timedelta(days=3)
    deadline = deadline or f"до {(timezone.localdate() + timedelta(days=40)):%d.%m.%Y}"
    return (
        f"РЕШЕНИЯ\nсовещания руководителей образования\n{when:%d.%m.%Y}\n\n"
        f"1. Провести анализ результатов оценочных процедур.\nСрок: {deadline}\nОтветственные: {responsible}\n"
    )


def units(meeting_id: int) -> set[str]:
    return {str(o.unit) for o in Obligation.objects.filter(decision__item__meeting_id=meeting_id)}


# --- class wordings, qualifiers, named bodies -------------------------------------------------------


def test_the_official_wording_with_the_region_and_an_inner_comma_signs_in_one_step(people, tmp_path):
    result = import_protocol(
        tmp_path,
        decisions_list(f"{OMSU_LO}, ГАОУ ДПО «Ленинградский областной институт развития образования»"),
    )
    assert result["signed"] is True, result.get("errors")
    assert units(result["meeting_id"]) == {"Всеволожский муниципальный район", "Выборгский муниципальный район",
                                           "ГАОУ ДПО «ЛОИРО»"}  # fmt: skip
    decision = result["items"][0]["decisions"][0]
    assert decision["responsible"].startswith(
        "руководители органов местного самоуправления Ленинградской области"
    )
    assert decision["addressees"] == [
        {"text": OMSU_LO, "resolved": [
            {"kind": "municipalities", "name": "2 органа управления образованием муниципалитетов", "count": 2}]},
        {"text": "ГАОУ ДПО «Ленинградский областной институт развития образования»", "resolved": [
            {"kind": "organization", "name": "ГАОУ ДПО «ЛОИРО»", "count": 1}]},
    ]  # fmt: skip


def test_a_district_qualified_class_is_that_districts_schools_only(people, tmp_path):
    result = import_protocol(
        tmp_path, decisions_list("руководителям общеобразовательных организаций Всеволожского района")
    )
    assert result["signed"] is True, result.get("errors")
    schools = Obligation.objects.filter(decision__item__meeting_id=result["meeting_id"])
    assert set(schools.values_list("school__code", flat=True)) == {"04001", "04002"}  # not Выборгский's 05001
    resolved = result["items"][0]["decisions"][0]["addressees"][0]["resolved"]
    assert resolved == [{"kind": "schools", "name": "2 школы: Всеволожский муниципальный район", "count": 2}]


@pytest.mark.parametrize(
    "written",
    ["комитет образования Выборгского муниципального района", "МОУО Выборгского района",
     "руководитель органа управления образованием Выборгского муниципального района"],
)  # fmt: skip
def test_a_named_municipal_authority_is_that_municipalitys_never_the_regional_committee(people, written):
    target = PartyResolver(organization=people.committee_org).resolve(written)
    assert target == PartyTarget(text=written, municipality=people.mun_b)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("ГАОУ ДПО ЛОИРО", "loiro"),
        ("ЛОИРО", "loiro"),
        ("ГАУ ДПО «Ленинградский областной институт развития образования»", "loiro"),  # another legal form
        ('ГБУ ЛО "Информационный центр оценки качества образования"', "icoko"),
        ("ИЦОКО", "icoko"),
        ("отдел общего образования комитета", "koipo-general"),
        ("Комитет общего и профессионального образования (отдел общего образования)", "koipo-general"),
    ],
)
def test_named_regional_bodies_in_their_spellings(people, written, code):
    target = PartyResolver(organization=people.committee_org).resolve(written)
    assert target is not None and target.organization.code == code


def test_a_part_naming_a_subset_in_brackets_is_that_subset_and_an_unnamed_subset_is_unknown(people):
    resolver = PartyResolver(organization=people.committee_org)
    listed = resolver.responsible(
        "руководители ОО, показавших низкие результаты (Агалатовская СОШ, Гимназия Выборга)"
    )
    assert [t.school.code for t in listed[0].targets] == ["04002", "05001"]
    unnamed = resolver.responsible("руководители общеобразовательных организаций, включенных в перечень ШНОР")
    assert not unnamed[0].known  # never every school of the region


# --- the organiser's scope -------------------------------------------------------------------------


def test_a_municipal_protocol_cannot_address_every_authority_through_import_protocol(people, tmp_path):
    result = import_protocol(
        tmp_path, decisions_list("руководители ОМСУ"), "--organizer", "04", "--user", "head_a"
    )
    meeting = Meeting.objects.get(pk=result["meeting_id"])
    assert (
        meeting.status == "draft" and result["signed"] is False
    )  # the draft is kept, nothing goes under control
    assert not Obligation.objects.exists()
    assert any(
        "«руководители ОМСУ»" in error and "только своим школам" in error for error in result["errors"]
    )
    assert any("«руководители ОМСУ»" in w for w in result["warnings"])  # warned before signing too


def test_signing_a_municipal_draft_with_another_municipalitys_school_is_refused_naming_it(people, client):
    draft = services.MeetingDraft(kind="meeting", date=timezone.localdate(), number="1", title="Совещание", items=[
        services.ItemDraft(number=1, title="О подготовке к ГИА", decisions=[services.DecisionDraft(
            number="1", text="Провести анализ.", tracked=True, deadline=_deadline(), responsible_text="Гимназия Выборга",
            parties=[PartyTarget(text="Гимназия Выборга", school=people.school_b)])])])  # fmt: skip
    meeting = services.meeting_create(actor=people.head_a, draft=draft, organizer_municipality=people.mun_a,
                                      controller=people.head_a)  # fmt: skip
    client.force_login(people.head_a)
    response = client.post(reverse("meetings:meeting_sign", args=[meeting.pk]), follow=True)
    assert "«Гимназия Выборга» — школа другого муниципалитета" in response.text
    meeting.refresh_from_db()
    assert meeting.status == "draft" and not Obligation.objects.exists()


def test_amending_a_signed_municipal_decision_cannot_add_another_municipalitys_authority(people):
    meeting = _municipal_meeting(
        people, "Агалатовская СОШ", PartyTarget(text="Агалатовская СОШ", school=people.school_a2)
    )
    decision = meeting.items.get().decisions.get()
    with pytest.raises(
        ValidationError, match="«комитет образования Выборгского района» — орган управления образованием"
    ):
        services.decision_update(
            decision=decision, actor=people.head_a, text=decision.text, tracked=True, deadline=decision.deadline,
            responsible_text="Агалатовская СОШ, комитет образования Выборгского района", controller=people.head_a,
            parties=[PartyTarget(text="Агалатовская СОШ", school=people.school_a2),
                     PartyTarget(text="комитет образования Выборгского района", municipality=people.mun_b)],
            comment="Добавлен исполнитель",
        )  # fmt: skip
    assert set(Obligation.objects.values_list("school__code", flat=True)) == {"04002"}


def test_classes_in_a_municipal_protocol_mean_its_own_units(people, tmp_path):
    result = import_protocol(tmp_path, decisions_list("руководители ОО, комитет по образованию"), "--organizer", "04",
                             "--user", "head_a")  # fmt: skip
    assert result["signed"] is True, result.get("errors")
    assert units(result["meeting_id"]) == {
        "СОШ № 1 Всеволожск",
        "Агалатовская СОШ",
        "Всеволожский муниципальный район",
    }


def test_municipal_organisations_only_where_the_region_allows_it(people, tmp_path):
    centre = Organization.objects.create(
        region=people.mun_a.region, kind="municipal", municipality=people.mun_a, code="imc-04",
        name="Муниципальное казённое учреждение «Информационно-методический центр Всеволожского района»",
        short_name="МКУ «ИМЦ Всеволожского района»",
    )  # fmt: skip
    text = decisions_list("МКУ «Информационно-методический центр Всеволожского района»")
    refused = import_protocol(tmp_path, text, "--organizer", "04", "--user", "head_a")
    assert refused["signed"] is False
    assert any("муниципальная организация" in error for error in refused["errors"])
    region = people.mun_a.region
    region.municipal_organizations_addressable = True
    region.save()
    allowed = import_protocol(tmp_path, text, "--organizer", "04", "--user", "head_a")
    assert allowed["signed"] is True, allowed.get("errors")
    assert list(Obligation.objects.for_user(people.head_a).values_list("organization", flat=True)) == [
        centre.pk
    ]
    assert not Obligation.objects.for_user(people.head_b).exists()


def test_an_unknown_addressee_is_a_warning_and_the_draft_is_kept(people, tmp_path):
    mixed = import_protocol(tmp_path, decisions_list("ГАОУ ДПО «ЛОИРО», Центр «Неведомый»"))
    assert mixed["signed"] is True and units(mixed["meeting_id"]) == {"ГАОУ ДПО «ЛОИРО»"}
    assert any("«Центр «Неведомый»» не найден" in w for w in mixed["warnings"])
    only_unknown = import_protocol(tmp_path, decisions_list("Центр «Неведомый»"))
    assert only_unknown["signed"] is False
    assert Meeting.objects.get(pk=only_unknown["meeting_id"]).status == "draft"


def test_warnings_are_recomputed_from_the_edited_content(people):
    resolver = PartyResolver(municipality=people.mun_a)
    warnings = decision_warnings(resolver=resolver, deadline_text="до 1 сентября", responsible_text="руководители ОМСУ",
                                 meeting_date=date(2026, 3, 2), number="2")  # fmt: skip
    assert [(w.kind, w.number) for w in warnings] == [("no_year", "2"), ("out_of_scope", "2")]
    fixed = decision_warnings(resolver=resolver, deadline_text="до 01.09.2026", responsible_text="руководители ОО",
                              meeting_date=date(2026, 3, 2), number="2")  # fmt: skip
    assert fixed == []


# --- deadlines that depend on the signing ---------------------------------------------------------


def test_a_term_from_the_signing_gets_its_date_by_the_production_calendar(people, tmp_path):
    text = decisions_list(
        "руководители ОМСУ", deadline="в течение 10 рабочих дней со дня подписания протокола"
    )
    result = import_protocol(tmp_path, text)
    assert result["signed"] is True, result.get("errors")
    expected = add_working_days(timezone.localdate(), 10)
    assert set(Obligation.objects.values_list("due_date", flat=True)) == {expected}
    assert Meeting.objects.get().items.get().decisions.get().due_date_list == [expected]


def test_a_standing_duty_with_an_end_is_never_overdue_on_the_day_of_signing(people, tmp_path):
    today = timezone.localdate()
    text = decisions_list("руководители ОМСУ", deadline=f"постоянно до {today.year + 2} года",
                          when=today - timedelta(days=400))  # an archival protocol signed today  # fmt: skip
    result = import_protocol(tmp_path, text)
    assert result["signed"] is True, result.get("errors")
    due = set(Obligation.objects.values_list("due_date", flat=True))
    assert len(due) == 1 and min(due) > today


def test_a_date_without_a_year_is_proposed_and_left_for_the_user(people):
    proposal = parse_protocol(
        decisions_list("руководители ОМСУ", deadline="до 1 сентября", when=date(2026, 5, 20))
    )
    found = proposal.items[0].decisions[0]
    assert found.due_dates == [] and found.deadline.proposed == date(2026, 9, 1)
    _, warnings = draft_from_proposal(proposal, PartyResolver(organization=people.committee_org))
    assert any(w.kind == "no_year" and "предлагается 01.09.2026" in w for w in warnings)


def _deadline():
    from meetings.deadlines import parse_deadline

    return parse_deadline(f"до {(timezone.localdate() + timedelta(days=30)):%d.%m.%Y}")


def _municipal_meeting(people, responsible: str, party: PartyTarget) -> Meeting:
    draft = services.MeetingDraft(kind="meeting", date=timezone.localdate(), number="1", title="Совещание", items=[
        services.ItemDraft(number=1, title="О подготовке к ГИА", decisions=[services.DecisionDraft(
            number="1", text="Провести анализ.", tracked=True, deadline=_deadline(), responsible_text=responsible,
            parties=[party])])])  # fmt: skip
    return services.meeting_create(actor=people.head_a, draft=draft, organizer_municipality=people.mun_a,
                                   controller=people.head_a, sign=True)  # fmt: skip


def test_the_bokcitogorsk_authority_in_the_demo_region_is_never_the_regional_committee(people):
    """Issue 13: in the demo region this wording resolved to the regional committee."""
    from municipalities.demo import load_demo_region
    from municipalities.models import Municipality

    load_demo_region(with_users=False)
    boksitogorsk = Municipality.objects.get(name="Бокситогорский муниципальный район")
    written = "комитет образования Бокситогорского муниципального района"
    own = PartyResolver(municipality=boksitogorsk).resolve(written)
    regional = PartyResolver(organization=Organization.objects.get(code="koipo")).resolve(written)
    assert own == regional == PartyTarget(text=written, municipality=boksitogorsk)


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("комитет образования Выборгского района", "орган управления образованием другого муниципалитета"),
        ("Гимназия Выборга", "школа другого муниципалитета"),
        ("ГАОУ ДПО «ЛОИРО»", "организация вне муниципалитета-организатора"),
        ("КОиПО ЛО", "организация вне муниципалитета-организатора"),
        # the regional committee's full name is never guessed in a municipal document: unknown, a draft
        ("Комитет общего и профессионального образования", "не найден в справочнике"),
    ],
)
def test_import_protocol_as_a_head_keeps_a_draft_addressing_others(people, tmp_path, written, named):
    """Issue 13: another municipality, its school, a regional body or the committee itself."""
    result = import_protocol(tmp_path, decisions_list(written), "--organizer", "04", "--user", "head_a")
    assert result["signed"] is False
    assert Meeting.objects.get(pk=result["meeting_id"]).status == "draft"
    assert not Obligation.objects.exists()
    messages = result["errors"] + result["warnings"]
    assert any(f"«{written}»" in message and named in message for message in messages), messages


def test_a_municipal_protocol_naming_its_own_authority_addresses_it_not_the_committee(people, tmp_path):
    """Issue 13: «комитет образования Бокситогорского муниципального района» in Бокситогорск's own protocol."""
    from municipalities.demo import load_demo_region
    from municipalities.models import Municipality

    load_demo_region(with_users=False)
    boksitogorsk = Municipality.objects.get(name="Бокситогорский муниципальный район")
    head = boksitogorsk.staff.create(username="head_boks", role="municipality", email="boks@example.ru")
    text = decisions_list("комитет образования Бокситогорского муниципального района")
    result = import_protocol(tmp_path, text, "--organizer", boksitogorsk.code, "--user", head.username)
    assert result["signed"] is True, result.get("errors")
    obligation = Obligation.objects.get(decision__item__meeting_id=result["meeting_id"])
    assert obligation.municipality == boksitogorsk and obligation.organization is None

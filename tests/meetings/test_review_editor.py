"""The review page is an editor: the draft is changed by actions, its warnings stay until resolved, one form
saves one protocol, and a protocol whose deadlines are past asks whether it is a record of the past."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Obligation
from municipalities.models import Alias
from notifications.models import Reminder
from notifications.reminders import send_reminders
from tests.html_forms import form_data

REVIEW = reverse("meetings:meeting_review")
TODAY = timezone.localdate()


def written(days: int) -> str:
    return f"{TODAY + timedelta(days=days):%d.%m.%Y}"


def protocol(*decisions: str, when: int = -2) -> str:
    body = "\n".join(decisions)
    return f"ПРОТОКОЛ совещания № 7\n{written(when)}\nРЕШИЛИ:\n{body}\n"


TWO = protocol(
    f"1. Провести анализ результатов ВПР.\nСрок: до {written(20)}\nОтветственные: руководители ОМСУ",
    f"2. Представить анализ в комитет.\nСрок: до {written(30)}\nОтветственные: руководители ОМСУ",
)


def review(client, text):
    page = client.post(reverse("meetings:meeting_new"), {"text": text})
    assert page.status_code == 200
    return page, form_data(page.text, REVIEW)


def act(client, data, action):
    page = client.post(REVIEW, {**data, "action": [action]})
    assert page.status_code == 200
    return page, form_data(page.text, REVIEW)


def decisions_of(data) -> list[tuple[str, str]]:
    total = int(data["decisions-TOTAL_FORMS"][0])
    return [(data[f"decisions-{i}-number"][0], data[f"decisions-{i}-text"][0]) for i in range(total)]


def test_two_decisions_are_merged_then_signed_as_one(people, client):
    client.force_login(people.committee)
    _, data = review(client, TWO)
    assert len(decisions_of(data)) == 2
    page, data = act(client, data, "decision-merge:0")
    assert "Решения 1 и 2 объединены" in page.text
    [(number, text)] = decisions_of(data)
    assert number == "1" and "Провести анализ" in text and "Представить анализ" in text
    assert data["decisions-0-deadline_text"][0].count(";") == 1  # both dates kept
    assert not Meeting.objects.exists()  # editing saves nothing
    response = client.post(REVIEW, {**data, "action": ["sign"]})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.items.get().decisions.count() == 1
    assert Obligation.objects.filter(decision__item__meeting=meeting).count() == 2


def test_split_delete_add_and_reorder_decisions(people, client):
    client.force_login(people.committee)
    _, data = review(client, TWO)
    data["decisions-0-text"] = ["Провести анализ результатов ВПР.\nОбсудить итоги с директорами."]
    _, data = act(client, data, "decision-split:0")
    assert [t for _, t in decisions_of(data)] == [
        "Провести анализ результатов ВПР.", "Обсудить итоги с директорами.", "Представить анализ в комитет.",
    ]  # fmt: skip
    assert [n for n, _ in decisions_of(data)] == ["1", "2", "3"]
    assert data["decisions-1-responsible_text"] == ["руководители ОМСУ"]  # the split part keeps its parties
    _, data = act(client, data, "decision-down:0")
    assert [t for _, t in decisions_of(data)][:2] == [
        "Обсудить итоги с директорами.",
        "Провести анализ результатов ВПР.",
    ]
    _, data = act(client, data, "decision-delete:0")
    assert [n for n, _ in decisions_of(data)] == ["1", "2"]
    page, data = act(client, data, "decision-add:0")
    assert decisions_of(data)[-1] == ("3", "")
    assert "Добавлено решение 3" in page.text
    page, _ = act(client, data, "decision-split:0")
    assert "разделять нечего" in page.text  # one line: says where to put the break, changes nothing


def test_agenda_questions_are_added_split_merged_reordered_and_deleted(people, client):
    client.force_login(people.committee)
    _, data = review(client, TWO)
    _, data = act(client, data, "item-split:1")  # a new question begins at decision 2
    assert data["items-TOTAL_FORMS"] == ["2"] and data["items-1-title"] == [""]
    assert data["decisions-1-item_number"] == ["2"]
    data["items-1-title"] = ["О представлении анализа"]
    _, data = act(client, data, "item-up:1")
    assert data["items-0-title"] == ["О представлении анализа"] and data["items-0-number"] == ["1"]
    assert decisions_of(data)[0][1] == "Представить анализ в комитет."  # decisions follow their question
    _, data = act(client, data, "item-add:1")
    assert data["items-TOTAL_FORMS"] == ["3"]
    _, data = act(client, data, "item-delete:2")
    _, data = act(client, data, "item-merge:0")
    assert data["items-TOTAL_FORMS"] == ["1"] and len(decisions_of(data)) == 2
    page, _ = act(client, data, "item-delete:0")
    assert "хотя бы один вопрос" in page.text


def test_warnings_stay_after_a_refused_submit_and_the_alias_button_resolves_them(people, client):
    client.force_login(people.committee)
    text = protocol(
        f"1. Провести семинар.\nСрок: до {written(20)}\nОтветственные: Региональный центр оценки Марса"
    )
    page, data = review(client, text)
    assert "«Региональный центр оценки Марса» не найден в справочнике" in page.text
    page = client.post(REVIEW, {**data, "action": ["sign"]})
    assert page.status_code == 200 and not Meeting.objects.exists()
    assert (
        "«Региональный центр оценки Марса» не найден в справочнике" in page.text
    )  # still shown at the decision
    assert "добавить как вариант названия…" in page.text
    data = form_data(page.text, REVIEW)
    data["alias_target-0-0"] = [f"organization:{people.icoko.pk}"]
    page, data = act(client, data, "alias:0:0")
    assert "добавлено как вариант названия" in page.text
    assert Alias.objects.filter(text="Региональный центр оценки Марса", organization=people.icoko).exists()
    assert "не найден в справочнике" not in page.text
    assert client.post(REVIEW, {**data, "action": ["sign"]}).status_code == 302
    assert Obligation.objects.get().organization == people.icoko


def test_heads_get_no_alias_button_and_cannot_post_one(people, client):
    client.force_login(people.head_a)
    text = protocol(
        f"1. Провести семинар.\nСрок: до {written(20)}\nОтветственные: Региональный центр оценки Марса"
    )
    page, data = review(client, text)
    assert "добавить как вариант названия…" not in page.text
    data["alias_target-0-0"] = ["group:schools"]
    page, _ = act(client, data, "alias:0:0")
    assert "Варианты названий добавляют сотрудники комитета" in page.text
    assert not Alias.objects.filter(text="Региональный центр оценки Марса").exists()


def test_a_draft_with_an_unknown_party_can_always_be_saved(people, client):
    client.force_login(people.committee)
    _, data = review(
        client, protocol(f"1. Провести семинар.\nСрок: до {written(20)}\nОтветственные: ООО Ромашка")
    )
    response = client.post(REVIEW, {**data, "action": ["draft"]})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == "draft"
    assert meeting.items.get().decisions.get().responsible_text == "ООО Ромашка"


def test_two_posts_of_the_same_form_make_one_protocol(people, client):
    client.force_login(people.committee)
    _, data = review(client, TWO)
    data["action"] = ["sign"]
    first = client.post(REVIEW, data)
    second = client.post(REVIEW, data)
    assert Meeting.objects.count() == 1
    meeting = Meeting.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == meeting.get_absolute_url()
    assert Obligation.objects.count() == 4  # 2 decisions × 2 municipal authorities, once
    assert "уже сохранён" in client.get(second["Location"]).text


def test_parsed_due_dates_and_addressee_counts_are_shown_before_signing(people, client):
    client.force_login(people.committee)
    page, _ = review(client, TWO)
    assert f"Срок: {written(20)}" in page.text
    assert "руководители ОМСУ → 2 органа управления образованием муниципалитетов" in page.text


PAST = protocol(
    "1. Провести анализ результатов ВПР.\nСрок: до 15.03.2020\nОтветственные: руководители ОМСУ",
    "2. Провести родительские собрания.\nСрок: до 20.04.2020\nОтветственные: руководители ОМСУ",
    when=-2000,
)


def test_past_deadlines_ask_and_an_archival_protocol_sends_nothing(people, client):
    client.force_login(people.committee)
    page, data = review(client, PAST)
    assert "Сроки решений уже прошли (решений: 2)" in page.text
    refused = client.post(REVIEW, {**data, "action": ["sign"]})
    assert refused.status_code == 200 and "запись о прошлом" in refused.text and not Meeting.objects.exists()
    response = client.post(REVIEW, {**data, "action": ["sign"], "control": ["archival"]})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.archival and meeting.is_signed
    obligations = Obligation.objects.filter(decision__item__meeting=meeting)
    assert obligations.count() == 4 and set(obligations.values_list("status", flat=True)) == {"accepted"}
    assert not obligations.overdue().exists()
    assert set(obligations.values_list("events__kind", flat=True)) == {"archived"}
    mail.outbox.clear()
    for day in (TODAY, TODAY + timedelta(days=8), TODAY + timedelta(days=30)):
        assert send_reminders(day) == []
    assert not Reminder.objects.exists() and mail.outbox == []


def test_past_deadlines_under_current_control_are_reminded(people, client):
    client.force_login(people.committee)
    _, data = review(client, PAST)
    assert client.post(REVIEW, {**data, "action": ["sign"], "control": ["current"]}).status_code == 302
    assert Obligation.objects.overdue().count() == 4
    assert send_reminders(TODAY)


def test_a_real_decision_list_to_every_municipal_authority_imports_and_signs_in_one_step(people, client):
    """The standard full wording, with the inner comma, resolved by its structure (no alias for it)."""
    Alias.objects.filter(group=Alias.Group.MUNICIPALITIES).delete()
    addressees = (
        "руководители органов местного самоуправления Ленинградской области, осуществляющих управление "
        "в сфере образования"
    )
    text = protocol(
        f"1. Обеспечить участие обучающихся в региональных диагностических работах.\nСрок: до {written(15)}\n"
        f"Ответственные: {addressees}",
        f"2. Представить в комитет сведения о проведённых мероприятиях.\nСрок: до {written(40)}\n"
        f"Ответственные: {addressees}, ГАОУ ДПО «ЛОИРО»",
    )
    client.force_login(people.committee)
    page, data = review(client, text)
    assert "не найден в справочнике" not in page.text
    assert "2 органа управления образованием муниципалитетов" in page.text
    response = client.post(REVIEW, {**data, "action": ["sign"]})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    first = Obligation.objects.filter(decision__item__meeting=meeting, decision__number="1")
    assert sorted(first.values_list("municipality__code", flat=True)) == ["04", "05"]
    second = Obligation.objects.filter(decision__item__meeting=meeting, decision__number="2")
    assert second.count() == 3 and second.filter(organization=people.loiro).exists()


def test_a_draft_kept_with_an_unknown_party_is_not_signed_without_it(people, client):
    client.force_login(people.committee)
    text = protocol(
        f"1. Провести семинар.\nСрок: до {written(20)}\nОтветственные: руководители ОМСУ, ООО Ромашка"
    )
    _, data = review(client, text)
    assert client.post(REVIEW, {**data, "action": ["draft"]}).status_code == 302
    meeting = Meeting.objects.get()
    response = client.post(reverse("meetings:meeting_sign", args=[meeting.pk]), follow=True)
    assert "ответственный «ООО Ромашка» не найден в справочнике" in response.text
    meeting.refresh_from_db()
    assert meeting.status == "draft" and not Obligation.objects.exists()


def test_a_draft_saves_a_new_question_still_without_a_title(people, client):
    client.force_login(people.committee)
    _, data = review(client, TWO)
    _, data = act(client, data, "item-split:1")
    _, data = act(client, data, "decision-add:1")  # and a decision not written yet
    assert client.post(REVIEW, {**data, "action": ["sign"]}).status_code == 200  # signing needs them
    assert client.post(REVIEW, {**data, "action": ["draft"]}).status_code == 302
    meeting = Meeting.objects.get()
    assert list(meeting.items.values_list("title", flat=True))[1] == ""
    assert sum(item.decisions.count() for item in meeting.items.all()) == 2


def test_a_corpus_decision_list_signs_in_one_step_through_the_page(db, client):
    """The Tver decision list of the corpus, pasted by a member of that region's ministry: one obligation per
    municipal authority of the region for each decision addressed to them, no alias needed."""
    import pytest

    from municipalities.models import Role, User
    from tests.meetings.corpus_regions import REGIONS, build_directory
    from tests.meetings.test_protocol_corpus import CORPUS

    document = CORPUS / "01_resheniya-tver-gia.txt" if CORPUS else None
    if document is None or not document.exists():
        pytest.skip("the protocol corpus is not next to the project")
    directory = build_directory(REGIONS["Тверская область"])
    member = User.objects.create(username="tver", role=Role.COMMITTEE, organization=directory.department)
    client.force_login(member)
    page, data = review(client, document.read_text(encoding="utf-8"))
    assert "не найден в справочнике" not in page.text
    response = client.post(REVIEW, {**data, "action": ["sign"], "control": ["archival"]})  # a 2022 list
    assert response.status_code == 302, (
        form_data(response.content.decode(), REVIEW) and response.context["errors"]
    )
    meeting = Meeting.objects.get()
    authorities = set(directory.municipalities.values())
    first = meeting.items.get().decisions.get(number="1")
    assert {o.municipality for o in first.obligations.all()} == authorities
    assert first.obligations.count() == len(authorities)


def test_the_review_page_reads_a_protocol_as_the_batch_import_does(people, client):
    """One reading of a parsed protocol (meetings.importing.proposal_rows): the page's first rows are the draft
    the batch import would save — kind, chair with position, numbering, responsible texts."""
    from pathlib import Path

    from meetings.importing import draft_from_proposal
    from meetings.parties import PartyResolver
    from meetings.protocol_import import parse_protocol

    text = (Path(__file__).parent / "samples" / "interview_protocol.txt").read_text(encoding="utf-8")
    draft, _ = draft_from_proposal(parse_protocol(text), PartyResolver(organization=people.committee_org))
    client.force_login(people.committee)
    _, data = review(client, text)
    assert data["kind"] == [draft.kind] == ["interview"]
    assert data["chair"] == [draft.chair] and " — " in draft.chair  # the position as the protocol prints it
    expected = [(d.number, d.text) for item in draft.items for d in item.decisions]
    assert decisions_of(data) == expected and len(expected) > 3
    total = int(data["decisions-TOTAL_FORMS"][0])
    responsible = [data[f"decisions-{i}-responsible_text"][0] for i in range(total)]
    assert responsible == [d.responsible_text for item in draft.items for d in item.decisions]

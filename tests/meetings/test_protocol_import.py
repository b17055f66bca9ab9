"""Protocol import: text extraction from uploads and parsing of the sample protocols."""

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from meetings.protocol_import import (
    DecisionProposal,
    ProtocolFileError,
    ProtocolProposal,
    extract_text,
    parse_protocol,
)

SAMPLES = Path(__file__).parent / "samples"
OMSU = "руководители органов местного самоуправления, осуществляющих управление в сфере образования"


def sample_text(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def council() -> ProtocolProposal:
    return parse_protocol(sample_text("council_protocol.txt"))


@pytest.fixture(scope="module")
def decisions_list() -> ProtocolProposal:
    return parse_protocol(sample_text("decisions_list.txt"))


@pytest.fixture(scope="module")
def interview() -> ProtocolProposal:
    return parse_protocol(sample_text("interview_protocol.txt"))


def decision(proposal: ProtocolProposal, item_number: str, number: str) -> DecisionProposal:
    item = next(item for item in proposal.items if item.number == item_number)
    return next(found for found in item.decisions if found.number == number)


# --- council protocol ---------------------------------------------------------------------------------


def test_council_header(council):
    meeting = council.meeting
    assert meeting.kind == "council"
    assert meeting.date == date(2021, 4, 14)
    assert meeting.number == "2"
    assert meeting.title == "заседания координационного совета по вопросам оценки качества образования"
    assert meeting.organization == "КОМИТЕТ ОБЩЕГО И ПРОФЕССИОНАЛЬНОГО ОБРАЗОВАНИЯ ЛЕНИНГРАДСКОЙ ОБЛАСТИ"
    assert meeting.place == "г. Санкт-Петербург, Невский пр., д. 24 (в режиме видеоконференцсвязи)"
    # names only; the positions are kept apart, and the draft prints them back
    assert meeting.chair == "Тарасов С.В."
    assert meeting.positions["Тарасов С.В."] == (
        "председатель комитета общего и профессионального образования Ленинградской области"
    )
    assert meeting.secretary == "Кузнецова О.Н."
    assert (
        meeting.with_position("Кузнецова О.Н.")
        == "Кузнецова О.Н. — главный специалист отдела общего образования"
    )


def test_council_members_and_invited(council):
    members = council.meeting.members
    assert members == [
        "Иванова А.П.",
        "Петрова А.С.",
        "Смирнов Д.Е.",
        "Рыбакова Е.В.",
        "Власов П.Г.",
        "Морозова Т.И.",
    ]
    assert council.meeting.member_lines[-1] == (
        "Морозова Т.И. – начальник отдела государственного контроля (надзора) в сфере образования"
    )
    # a class of bodies is no participant's name, but stays in the lines as written
    assert council.meeting.invited == ["Никитина Л.М."]
    assert council.meeting.invited_lines == [
        OMSU,
        "Никитина Л.М. – проректор по научно-методической работе ГАОУ ДПО «ЛОИРО»",
    ]


def test_council_agenda_titles_and_speakers(council):
    assert [(item.number, item.title, item.speakers) for item in council.items] == [
        (
            "1",
            "О результатах региональных мониторинговых исследований качества образования "
            "в 2020/2021 учебном году",
            ["Смирнов Д.Е."],
        ),
        (
            "2",
            "Об организации методической поддержки общеобразовательных организаций, "
            "показавших низкие образовательные результаты",
            ["Рыбакова Е.В.", "Никитина Л.М."],
        ),
        ("3", "О подготовке к проведению Всероссийских проверочных работ в 2021 году", ["Иванова А.П."]),
    ]


def test_council_heard_and_spoke(council):
    first, second, third = council.items
    assert first.heard.startswith("Смирнова Д.Е. – о результатах региональных мониторинговых")
    assert first.spoke.startswith("Власов П.Г. – о мерах")
    assert second.spoke == ""
    assert third.spoke.split("\n") == [
        "Морозова Т.И. – об обеспечении объективности проведения ВПР и об усилении контроля "
        "за соблюдением порядка проведения.",
        "Петрова А.С. – о необходимости привлечения общественных наблюдателей.",
    ]


def test_council_decision_numbers_keep_sub_points(council):
    # "2. Органам …:" only introduces 2.1 and 2.2, which carry their own deadlines: not a decision
    assert [[found.number for found in item.decisions] for item in council.items] == [
        ["1", "2.1", "2.2", "3"],
        ["1", "2", "3"],
        ["1", "2"],
    ]


@pytest.mark.parametrize(
    ("item", "number", "deadline_text", "due_dates", "standing"),
    [
        ("1", "2.1", "до 15.05.2021", [date(2021, 5, 15)], False),
        ("1", "2.2", "до 1 июня 2021 года", [date(2021, 6, 1)], False),
        ("1", "3", "сентябрь 2021 года", [date(2021, 9, 30)], False),
        ("2", "1", "до 20.05.2021, 20.09.2021", [date(2021, 5, 20), date(2021, 9, 20)], False),
        ("2", "2", "постоянно", [], True),
        ("3", "1", "март – май 2021 года", [date(2021, 5, 31)], False),
        ("3", "2", "ежеквартально до 10 числа месяца, следующего за отчётным", [], True),
    ],
    ids=["1-2.1", "1-2.2", "1-3", "2-1", "2-2", "3-1", "3-2"],
)
def test_council_deadlines(council, item, number, deadline_text, due_dates, standing):
    found = decision(council, item, number)
    assert found.deadline_text == deadline_text
    assert found.due_dates == due_dates
    assert found.standing is standing
    assert found.tracked is True


def test_council_recurring_deadline(council):
    deadline = decision(council, "3", "2").deadline
    assert (deadline.recurrence, deadline.recurrence_day, deadline.readable) == ("quarterly", 10, True)


@pytest.mark.parametrize(
    ("item", "number", "responsible", "parts"),
    [
        ("1", "2.1", OMSU, [OMSU]),
        ("1", "2.2", "руководители ОМСУ", ["руководители ОМСУ"]),
        ("1", "3", "ГБУ ЛО «ИЦОКО»", ["ГБУ ЛО «ИЦОКО»"]),
        ("2", "1", "ГАОУ ДПО «ЛОИРО», ГБУ ЛО «ИЦОКО»", ["ГАОУ ДПО «ЛОИРО»", "ГБУ ЛО «ИЦОКО»"]),
        ("2", "2", "комитет (отдел общего образования)", ["комитет (отдел общего образования)"]),
        ("3", "1", f"{OMSU}; ГБУ ЛО «ИЦОКО»", [OMSU, "ГБУ ЛО «ИЦОКО»"]),
    ],
    ids=["omsu-phrase", "omsu-short", "quoted", "two-quoted", "parenthesised", "semicolon"],
)
def test_council_responsible_parts(council, item, number, responsible, parts):
    found = decision(council, item, number)
    assert found.responsible == responsible
    assert found.responsible_parts == parts


def test_council_untracked_points(council):
    noted = decision(council, "1", "1")
    assert (noted.text, noted.tracked) == ("Принять информацию к сведению.", False)
    assert "2" not in [found.number for found in council.items[0].decisions]  # a lead-in, not a decision
    recommendation = decision(council, "2", "3")
    assert recommendation.text.startswith("Рекомендовать руководителям органов местного самоуправления")
    assert (recommendation.tracked, recommendation.deadline_text, recommendation.responsible) == (
        False,
        "",
        "",
    )


def test_council_bullets_and_continuation_lines_join_their_point(council):
    with_bullets = decision(council, "2", "1")
    assert with_bullets.text.split("\n") == [
        "ГАОУ ДПО «ЛОИРО» совместно с ГБУ ЛО «ИЦОКО» обеспечить:",
        "– формирование перечня общеобразовательных организаций, показавших низкие образовательные результаты;",
        "– разработку индивидуальных программ методической поддержки;",
        "– проведение выездных консультаций для управленческих команд школ.",
    ]
    wrapped = decision(council, "2", "2")
    assert wrapped.text == (
        "Отделу общего образования осуществлять мониторинг реализации программ методической поддержки "
        "и информировать председателя комитета о ходе их реализации."
    )


def test_council_has_no_warnings(council):
    assert council.warnings == []


# --- "Решения совещания": a bare numbered list ------------------------------------------------------


def test_decisions_list_header_and_single_item(decisions_list):
    meeting = decisions_list.meeting
    assert (meeting.kind, meeting.date, meeting.number) == ("meeting", date(2021, 1, 20), "1")
    assert meeting.title == f"совещания с {OMSU.replace('руководители', 'руководителями')}"
    assert meeting.place == ""
    assert len(decisions_list.items) == 1
    item = decisions_list.items[0]
    assert item.title == ""  # the single implicit item of a decision list
    assert [found.number for found in item.decisions] == [str(number) for number in range(1, 13)]


@pytest.mark.parametrize(
    ("number", "deadline_text", "due_dates", "standing"),
    [
        ("1", "до 01.03.2021", [date(2021, 3, 1)], False),
        ("2", "до 14.04. 2021", [date(2021, 4, 14)], False),
        ("3", "до 15 февраля 2021 года", [date(2021, 2, 15)], False),
        ("4", "март–апрель 2021 года", [date(2021, 4, 30)], False),
        ("5", "в течение 2021 года", [date(2021, 12, 31)], True),
        ("6", "до 15.01.2021", [date(2021, 1, 15)], False),
        ("7", "по мере поступления сведений", [], False),
        ("9", "до 01.07.2021", [date(2021, 7, 1)], False),
        ("11", "постоянно", [], True),
    ],
    ids=["1", "2", "3", "4", "5", "6", "7", "9", "11"],
)
def test_decisions_list_deadlines(decisions_list, number, deadline_text, due_dates, standing):
    found = decision(decisions_list, "", number)
    assert found.deadline_text == deadline_text
    assert found.due_dates == due_dates
    assert found.standing is standing
    assert found.tracked is True


def test_decisions_list_omsu_phrase_stays_one_part(decisions_list):
    assert decision(decisions_list, "", "1").responsible_parts == [OMSU]
    assert decision(decisions_list, "", "3").responsible_parts == [OMSU, "ГАОУ ДПО «ЛОИРО»"]


def test_decisions_list_deadline_on_the_text_line(decisions_list):
    found = decision(decisions_list, "", "9")
    assert (
        found.text == "Представить отчёт о выполнении муниципальных планов по повышению качества образования."
    )
    assert found.responsible == "руководители ОМСУ"


def test_decisions_list_unreadable_deadline_is_tracked_but_undated(decisions_list):
    found = decision(decisions_list, "", "7")
    assert found.deadline.readable is False
    assert (found.tracked, found.due_dates, found.standing) == (True, [], False)


def test_decisions_list_warnings_name_the_decision(decisions_list):
    assert decisions_list.warnings == [
        "Решение 6: срок 15.01.2021 раньше даты совещания 20.01.2021.",
        "Решение 7: срок «по мере поступления сведений» зависит от события, дата которого неизвестна: "
        "укажите дату вручную.",
    ]
    assert [(w.kind, w.number) for w in decisions_list.warnings] == [
        ("date_before_meeting", "6"),
        ("relative", "7"),
    ]


# --- interview with recommendations -------------------------------------------------------------------


def test_interview_header_and_people(interview):
    meeting = interview.meeting
    assert (meeting.kind, meeting.date, meeting.number) == ("interview", date(2021, 3, 10), "5")
    assert meeting.title == (
        "собеседования с руководителями общеобразовательных организаций Волховского муниципального района"
    )
    assert meeting.organization == "Комитет общего и профессионального образования Ленинградской области"
    assert meeting.place == "г. Волхов"
    assert meeting.chair == "Петрова А.С."
    assert meeting.members == ["Петрова А.С.", "Иванова А.П.", "Морозова Т.И.", "Голубева С.А."]
    assert meeting.positions["Голубева С.А."] == (
        "председатель комитета по образованию администрации Волховского муниципального района"
    )
    # invited schools are the schools themselves, without "руководители"
    assert meeting.invited == ["МОУ «Сясьстройская СОШ»", "МОУ «Пашская СОШ»"]


def test_interview_items_speakers_and_notes(interview):
    assert [item.number for item in interview.items] == ["1", "2", ""]
    first, second, recommendations = interview.items
    assert first.speakers == ["Голубева С.А."]
    assert second.speakers == ["Лебедев В.К.", "Зайцева Г.М."]  # the rapporteurs' names, positions dropped
    assert first.notes == [
        "Были сделаны выводы: результаты ВПР в МОУ «Пашская СОШ» требуют дополнительного анализа; "
        "в МОУ «Сясьстройская СОШ» отмечена положительная динамика результатов ОГЭ по математике."
    ]
    assert first.decisions == []
    assert second.decisions == []
    assert recommendations.title == "Рекомендации по результатам собеседования"


def test_interview_recommendations_tracked_only_with_deadline(interview):
    """Recommendations that name nobody and set no date are left for the person to decide; bullets keep
    no number of their own (the draft numbers them by position)."""
    recommendations = interview.items[2].decisions
    assert [(found.number, found.tracked) for found in recommendations] == [
        ("", False),
        ("", False),
        ("", False),
        ("", False),
        ("", True),
        ("", True),
        ("", False),
    ]
    assert recommendations[0].text == (
        "В 2020/2021 учебном году необходимо: обеспечить анализ результатов оценочных процедур "
        "на уровне каждого учителя"
    )
    assert recommendations[3].text.startswith("В 2021/2022 учебном году необходимо: включить")
    school = recommendations[4]
    assert school.text.startswith("МОУ «Пашская СОШ»: разработать и утвердить план мероприятий")
    assert (school.deadline_text, school.due_dates) == ("до 01.06.2021", [date(2021, 6, 1)])
    assert school.responsible_parts == ["директор МОУ «Пашская СОШ»"]
    assert recommendations[6].text.startswith("МОУ «Сясьстройская СОШ»: представить опыт")
    assert interview.warnings == []


# --- JSON ---------------------------------------------------------------------------------------------


def test_to_json_shape_and_serialisable(council):
    data = council.to_json()
    assert set(data) == {"meeting", "items", "warnings", "letter", "questionnaire"}
    assert (data["letter"], data["questionnaire"]) == (None, None)
    assert {"kind", "date", "number", "title", "chair", "members", "invited"} <= set(data["meeting"])
    assert data["meeting"]["date"] == "2021-04-14"
    item = data["items"][1]
    assert {"title", "speakers", "decisions"} <= set(item)
    assert set(item["decisions"][0]) == {
        "number",
        "text",
        "deadline_text",
        "due_dates",
        "standing",
        "responsible",
        "tracked",
        "addressed_to",
    }
    assert item["decisions"][0]["due_dates"] == ["2021-05-20", "2021-09-20"]
    assert item["decisions"][1]["standing"] is True
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_to_json_without_date_is_null():
    proposal = parse_protocol("ПРОТОКОЛ\nсовещания\nРЕШИЛИ:\n1. Провести анализ.\nСрок: до 01.03.2021")
    data = proposal.to_json()
    assert data["meeting"]["date"] is None
    assert "Не найдена дата совещания: укажите её вручную." in data["warnings"]
    assert data["items"][0]["decisions"][0]["due_dates"] == ["2021-03-01"]
    json.dumps(data)


def test_no_decisions_is_a_warning_not_an_error():
    proposal = parse_protocol("ПРОТОКОЛ\nсовещания\n14.01.2021\nСЛУШАЛИ:\nИванову А.П. – о ходе работы")
    assert proposal.meeting.date == date(2021, 1, 14)
    assert any(warning.startswith("Не найдено ни одного решения") for warning in proposal.warnings)


def test_parse_protocol_refuses_empty_text():
    with pytest.raises(ProtocolFileError, match="Документ пуст"):
        parse_protocol(" \n\t\n")


# --- .docx --------------------------------------------------------------------------------------------


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def council_as_docx() -> bytes:
    """The council sample as Word paragraphs, with the decisions of question 3 as a table."""
    text = sample_text("council_protocol.txt")
    head, decided = text.rsplit("РЕШИЛИ:", 1)
    decisions_part, signature = decided.split("\nПредседатель ", 1)
    document = docx.Document()
    for line in (head + "РЕШИЛИ:").split("\n"):
        document.add_paragraph(line)
    points = parse_protocol(text).items[2].decisions
    table = document.add_table(rows=1, cols=4)
    for cell, title in zip(
        table.rows[0].cells, ["№ п/п", "Содержание решения", "Срок", "Ответственные"], strict=True
    ):
        cell.text = title
    for point in points:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = f"{point.number}.", point.text, point.deadline_text
        row[3].text = point.responsible.replace("; ", "\n")  # one body per paragraph of the cell
    assert "1. Обеспечить присутствие" in decisions_part  # the table really replaces these lines
    for line in ("Председатель " + signature).split("\n"):
        document.add_paragraph(line)
    return docx_bytes(document)


def test_docx_with_decisions_table_gives_the_same_proposal():
    extracted = extract_text(council_as_docx(), "Протокол № 2.docx")
    assert "1. Обеспечить присутствие общественных наблюдателей" in extracted
    assert "Ответственные: руководители ОМСУ" in extracted
    from_docx = parse_protocol(extracted)
    from_txt = parse_protocol(sample_text("council_protocol.txt"))
    assert from_docx.to_json() == from_txt.to_json()
    assert decision(from_docx, "3", "1").responsible_parts == [OMSU, "ГБУ ЛО «ИЦОКО»"]


def test_docx_other_tables_are_joined_cells():
    document = docx.Document()
    document.add_paragraph("ПРОТОКОЛ")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "14.04.2021"
    table.rows[0].cells[1].text = "г. Санкт-Петербург"
    assert extract_text(docx_bytes(document), "p.docx") == "ПРОТОКОЛ\n14.04.2021 | г. Санкт-Петербург"


def test_docx_automatic_list_numbers_are_restored():
    document = docx.Document()
    document.add_paragraph("РЕШИЛИ:")
    document.add_paragraph("Провести анализ.", style="List Number")
    document.add_paragraph("Срок: до 01.03.2021")
    document.add_paragraph("Подготовить отчёт.", style="List Number")
    text = extract_text(docx_bytes(document), "p.docx")
    assert text == "РЕШИЛИ:\n1. Провести анализ.\nСрок: до 01.03.2021\n2. Подготовить отчёт."


# --- rejected and odd files -----------------------------------------------------------------------------


def test_old_word_format_is_refused():
    with pytest.raises(ProtocolFileError) as error:
        extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "протокол.DOC")
    assert str(error.value) == "Формат .doc не поддерживается: сохраните документ как .docx или .txt."


def test_old_word_file_renamed_to_docx_is_refused():
    with pytest.raises(ProtocolFileError, match=r"старом формате Word \(\.doc\)"):
        extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "протокол.docx")


def test_fake_docx_is_refused():
    with pytest.raises(ProtocolFileError, match=r"не является документом \.docx"):
        extract_text("ПРОТОКОЛ № 1".encode(), "протокол.docx")


def test_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "не документ")
    with pytest.raises(ProtocolFileError, match=r"не является документом \.docx"):
        extract_text(buffer.getvalue(), "протокол.docx")


def zip_with(member_bytes: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", member_bytes)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_parsing(monkeypatch):
    def must_not_parse(*args, **kwargs):
        raise AssertionError("python-docx must not see a zip bomb")

    monkeypatch.setattr(docx, "Document", must_not_parse)
    bomb = zip_with(b"0" * (60 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ProtocolFileError, match="после распаковки"):
        extract_text(bomb, "протокол.docx")


def test_highly_compressed_member_is_refused_even_when_small_in_total(monkeypatch):
    monkeypatch.setattr(docx, "Document", lambda *args, **kwargs: pytest.fail("parsed a suspicious zip"))
    with pytest.raises(ProtocolFileError, match="сжатие более чем в 100 раз"):
        extract_text(zip_with(b"0" * (5 * 1024 * 1024)), "протокол.docx")


def test_too_large_file_is_refused():
    with pytest.raises(ProtocolFileError, match="не более 10 МБ"):
        extract_text(b"a" * (10 * 1024 * 1024 + 1), "протокол.txt")


def test_unsupported_extension_is_refused():
    with pytest.raises(ProtocolFileError, match=r"\.pdf не поддерживается"):
        extract_text(b"%PDF-1.4", "протокол.pdf")
    with pytest.raises(ProtocolFileError, match="Не удалось определить формат"):
        extract_text(b"text", "протокол")


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t", "\ufeff\n".encode()])
def test_empty_text_file_is_refused(content):
    with pytest.raises(ProtocolFileError, match=r"^Документ пуст"):
        extract_text(content, "протокол.txt")


def test_empty_docx_is_refused():
    document = docx.Document()
    document.add_paragraph("   ")
    with pytest.raises(ProtocolFileError, match=r"^Документ пуст"):
        extract_text(docx_bytes(document), "протокол.docx")


def test_cp1251_text_is_decoded():
    text = "ПРОТОКОЛ\nсовещания\r\n14.01.2021\nРЕШИЛИ:\n1. Провести анализ.\nСрок: до 01.03.2021"
    extracted = extract_text(text.encode("cp1251"), "протокол.txt")
    assert extracted == text.replace("\r\n", "\n")
    assert decision(parse_protocol(extracted), "1", "1").due_dates == [date(2021, 3, 1)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_text_is_decoded(encoding):
    assert extract_text("Решения совещания № 1".encode(encoding), "р.txt") == "Решения совещания № 1"


def test_binary_junk_in_text_file_is_refused():
    with pytest.raises(ProtocolFileError, match="двоичные данные"):
        extract_text(b"\x00\x01\x02PROTOCOL\x00", "протокол.txt")

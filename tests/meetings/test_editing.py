"""The review editor's actions on a draft as posted (plain rows, no database)."""

import pytest

from meetings import editing


def draft(*groups: tuple[str, list[str]]) -> editing.Draft:
    """Questions with their decisions' numbers: ("О ГИА", ["2.1", "2.2"])."""
    items, decisions = [], []
    for number, (title, numbers) in enumerate(groups, start=1):
        items.append({"number": number, "title": title, "speakers": "", "heard": "", "spoke": ""})
        for n in numbers:
            decisions.append({"item_number": number, "number": n, "text": f"Текст {n}", "tracked": True,
                              "deadline_text": "", "due_date": "", "responsible_text": ""})  # fmt: skip
    return editing.Draft(items=items, decisions=decisions)


def numbers(d: editing.Draft) -> list[tuple[int, str]]:
    return [(x["item_number"], x["number"]) for x in d.decisions]


def test_dotted_numbers_follow_their_question_after_a_move_across_questions():
    d = draft(("Первый", ["1.1", "1.2"]), ("Второй", ["2.1", "2.2"]))
    editing.apply("decision-up:2", d)  # 2.1 is the first of its question: it moves to the end of question 1
    assert numbers(d) == [(1, "1.1"), (1, "1.2"), (1, "1.3"), (2, "2.1")]
    assert d.decisions[2]["text"] == "Текст 2.1"


def test_one_run_of_numbers_through_all_questions_stays_one_run():
    d = draft(("Первый", ["1", "2"]), ("Второй", ["3", "4"]))
    editing.apply("decision-delete:1", d)
    assert numbers(d) == [(1, "1"), (2, "2"), (2, "3")]


def test_deleting_a_question_keeps_its_decisions_in_the_one_before():
    d = draft(("Первый", ["1"]), ("Второй", ["2"]))
    message = editing.apply("item-delete:1", d)
    assert "перенесены в вопрос «Первый»" in message
    assert [i["title"] for i in d.items] == ["Первый"] and numbers(d) == [(1, "1"), (1, "2")]


def test_merging_keeps_both_deadlines_and_every_addressee_once():
    d = draft(("Первый", ["1", "2"]))
    d.decisions[0].update(deadline_text="до 01.03.2026", responsible_text="МОУО")
    d.decisions[1].update(deadline_text="до 01.05.2026", responsible_text="МОУО")
    editing.apply("decision-merge:0", d)
    [merged] = d.decisions
    assert merged["deadline_text"] == "до 01.03.2026; до 01.05.2026" and merged["responsible_text"] == "МОУО"


def test_a_glued_point_splits_where_the_next_one_begins():
    d = draft(("Первый", ["1"]))
    d.decisions[0]["text"] = "Провести анализ. 2. Направить отчёт в комитет."
    editing.apply("decision-split:0", d)
    assert [x["text"] for x in d.decisions] == ["Провести анализ.", "2. Направить отчёт в комитет."]


@pytest.mark.parametrize("action", ["decision-merge:9", "item-up:x", "nothing:0", "item-down:-1"])
def test_a_stale_or_unknown_action_is_refused_in_words(action):
    with pytest.raises(editing.EditError):
        editing.apply(action, draft(("Первый", ["1"])))

"""Differences between two versions of a roadmap's content."""

import copy

from roadmaps.diff import Change, content_diff

OLD = {
    "periods": ["2026/2027", "2027/2028"],
    "items": [
        {
            "number": "1.1",
            "activity": "Провести диагностику",
            "responsible": "МОУО",
            "deadline": "до 01.03",
            "expected_result": "Выявлены дефициты",
        },
        {
            "number": "1.2",
            "activity": "Провести семинар",
            "responsible": "ИРО",
            "deadline": "май",
            "expected_result": "",
        },
    ],
    "indicators": [
        {
            "name": "Доля участников ЕГЭ ниже минимума",
            "unit": "%",
            "baseline": "12.5",
            "targets": {"2026/2027": "10", "2027/2028": "8"},
        },
    ],
}


def test_identical_contents_have_no_changes():
    assert content_diff(OLD, copy.deepcopy(OLD)) == []


def test_everything_is_added_when_there_was_no_content():
    changes = content_diff(None, OLD)

    assert [(c.kind, c.section, c.key) for c in changes] == [
        ("added", "period", "2026/2027"),
        ("added", "period", "2027/2028"),
        ("added", "item", "1.1"),
        ("added", "item", "1.2"),
        ("added", "indicator", "Доля участников ЕГЭ ниже минимума"),
    ]
    assert [str(c) for c in changes] == [
        "Период 2026/2027 добавлен",
        "Период 2027/2028 добавлен",
        "Мероприятие 1.1 добавлено: «Провести диагностику»",
        "Мероприятие 1.2 добавлено: «Провести семинар»",
        "Показатель «Доля участников ЕГЭ ниже минимума» добавлен",
    ]


def test_items_added_removed_and_changed():
    new = copy.deepcopy(OLD)
    new["items"][0]["deadline"] = "до 01.04"
    new["items"][0]["responsible"] = ""
    del new["items"][1]
    new["items"].insert(
        0,
        {
            "number": "1.3",
            "activity": "Организовать наставничество",
            "responsible": "",
            "deadline": "сентябрь",
            "expected_result": "",
        },
    )

    changes = content_diff(OLD, new)

    assert changes == [
        Change("added", "item", "1.3", "", "", "Организовать наставничество"),
        Change("changed", "item", "1.1", "responsible", "МОУО", ""),
        Change("changed", "item", "1.1", "deadline", "до 01.03", "до 01.04"),
        Change("removed", "item", "1.2", "", "Провести семинар", ""),
    ]
    assert [str(c) for c in changes] == [
        "Мероприятие 1.3 добавлено: «Организовать наставничество»",
        "Мероприятие 1.1: ответственные «МОУО» → (не указано)",
        "Мероприятие 1.1: срок «до 01.03» → «до 01.04»",
        "Мероприятие 1.2 удалено: «Провести семинар»",
    ]


def test_indicator_target_change_matches_names_loosely():
    new = copy.deepcopy(OLD)
    new["indicators"][0]["name"] = "доля  участников ЕГЭ ниже минимума"
    new["indicators"][0]["targets"]["2027/2028"] = "7"
    new["indicators"][0]["baseline"] = None

    changes = content_diff(OLD, new)

    assert [str(c) for c in changes] == [
        "Показатель «доля  участников ЕГЭ ниже минимума»: базовое значение «12.5» → (не указано)",
        "Показатель «доля  участников ЕГЭ ниже минимума»: цель на 2027/2028 «8» → «7»",
    ]
    assert changes[1].field == "target:2027/2028"
    assert (changes[1].old, changes[1].new) == ("8", "7")


def test_indicators_added_and_removed():
    new = copy.deepcopy(OLD)
    new["indicators"] = [{"name": "Охват", "unit": "%", "baseline": None, "targets": {}}]

    assert [str(c) for c in content_diff(OLD, new)] == [
        "Показатель «Охват» добавлен",
        "Показатель «Доля участников ЕГЭ ниже минимума» удалён",
    ]


def test_period_added_and_removed():
    new = copy.deepcopy(OLD)
    new["periods"] = ["2027/2028", "2028/2029"]
    targets = new["indicators"][0]["targets"]
    del targets["2026/2027"]
    targets["2028/2029"] = "6"

    changes = content_diff(OLD, new)

    assert [str(c) for c in changes] == [
        "Период 2028/2029 добавлен",
        "Период 2026/2027 удалён",
        "Показатель «Доля участников ЕГЭ ниже минимума»: цель на 2028/2029 (не указано) → «6»",
    ]
    assert changes[0] == Change("added", "period", "2028/2029", "", "", "2028/2029")


def test_long_values_are_shortened():
    new = copy.deepcopy(OLD)
    new["items"][0]["activity"] = "а" * 300

    (change,) = content_diff(OLD, new)

    assert change.new == "а" * 300
    text = str(change)
    assert text == "Мероприятие 1.1: мероприятие «Провести диагностику» → «" + "а" * 119 + "…»"

from datetime import date

import pytest

from meetings import deadlines
from meetings.deadlines import (
    Deadline,
    Term,
    add_working_days,
    due_after_signing,
    is_working_day,
    parse_deadline,
    report_dates,
)

MEETING = date(2021, 3, 1)
D = date


def unreadable_message(text: str) -> str:
    return f"Не удалось распознать срок «{text}»: укажите дату вручную."


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Warnings and yearly dates without a meeting depend on "today"; pin it."""
    monkeypatch.setattr(deadlines.interpretation, "_today", lambda: date(2021, 6, 15))


# ------------------------------------------------------------------------------------------------
# Plain dated deadlines
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # numeric dates
        ("Срок: до 15.03.2021", (D(2021, 3, 15),)),
        ("в срок до 15.03.2021", (D(2021, 3, 15),)),
        ("15.03.2021", (D(2021, 3, 15),)),
        ("15.03.2021 года", (D(2021, 3, 15),)),
        ("15.03.2021 г.", (D(2021, 3, 15),)),
        ("14.04. 2021", (D(2021, 4, 14),)),
        ("Срок: до 14.04. 2021", (D(2021, 4, 14),)),
        ("до 15.03.21", (D(2021, 3, 15),)),
        ("Срок исполнения: не позднее 15.03.2021 г.", (D(2021, 3, 15),)),
        ("Срок – до 01.07.2021", (D(2021, 7, 1),)),
        ("до\u00a015.03.2021.", (D(2021, 3, 15),)),
        ("с 01.03.2021 по 15.04.2021", (D(2021, 4, 15),)),
        # month in words
        ("до 1 марта 2021 года", (D(2021, 3, 1),)),
        ("до 01 марта 2021 г.", (D(2021, 3, 1),)),
        ("1 марта 2021", (D(2021, 3, 1),)),
        ("ДО 1 МАРТА 2021 ГОДА", (D(2021, 3, 1),)),
        ("до 1-го июня 2021 года", (D(2021, 6, 1),)),
        # a month
        ("март 2021", (D(2021, 3, 31),)),
        ("март 2021 года", (D(2021, 3, 31),)),
        ("в марте 2021 года", (D(2021, 3, 31),)),
        ("Срок – сентябрь 2021 года", (D(2021, 9, 30),)),
        ("февраль 2024 года", (D(2024, 2, 29),)),
        ("до марта 2021 года", (D(2021, 3, 1),)),
        ("до конца марта 2021 года", (D(2021, 3, 31),)),
        # a range of months: due at its end
        ("март–апрель 2021", (D(2021, 4, 30),)),
        ("март-апрель 2021", (D(2021, 4, 30),)),
        ("март — апрель 2021 года", (D(2021, 4, 30),)),
        ("в марте-мае 2021 года", (D(2021, 5, 31),)),
        ("с марта по май 2021 года", (D(2021, 5, 31),)),
        ("декабрь 2021 – январь 2022 года", (D(2022, 1, 31),)),
        # quarters, half-years, years
        ("I квартал 2021", (D(2021, 3, 31),)),
        ("1 квартал 2021 года", (D(2021, 3, 31),)),
        ("IV квартал 2021 года", (D(2021, 12, 31),)),
        ("в III квартале 2021 года", (D(2021, 9, 30),)),
        ("до конца II квартала 2021 г.", (D(2021, 6, 30),)),
        ("2-й квартал 2021", (D(2021, 6, 30),)),
        ("1 кв. 2021", (D(2021, 3, 31),)),
        ("I–II квартал 2021 года", (D(2021, 6, 30),)),
        ("II полугодие 2021 года", (D(2021, 12, 31),)),
        ("1-е полугодие 2021 г.", (D(2021, 6, 30),)),
        ("в первом полугодии 2021 года", (D(2021, 6, 30),)),
        ("2021 год", (D(2021, 12, 31),)),
        ("в 2021 году", (D(2021, 12, 31),)),
        ("до конца 2021 года", (D(2021, 12, 31),)),
        ("до конца 2021.", (D(2021, 12, 31),)),
        ("2021–2022 годы", (D(2022, 12, 31),)),
        # school years
        ("2021/2022 учебный год", (D(2022, 5, 31),)),
        ("к началу 2021/2022 учебного года", (D(2021, 9, 1),)),
        # several checkpoints
        ("до 20.03.2021, 20.04.2021", (D(2021, 3, 20), D(2021, 4, 20))),
        ("20.03.2021; 20.04.2021", (D(2021, 3, 20), D(2021, 4, 20))),
        ("до 20.03.2021 и до 20.04.2021", (D(2021, 3, 20), D(2021, 4, 20))),
        ("20.04.2021, 20.03.2021, 20.04.2021", (D(2021, 3, 20), D(2021, 4, 20))),
    ],
)
def test_dated_deadlines(written, expected):
    deadline = parse_deadline(written, meeting_date=MEETING)

    assert deadline.due_dates == expected
    assert deadline.readable
    assert deadline.tracked
    assert not deadline.standing
    assert deadline.recurrence == ""
    assert deadline.until is None
    assert deadline.warnings == ()


@pytest.mark.parametrize(
    ("written", "text"),
    [
        ("Срок: до 15.03.2021", "до 15.03.2021"),
        ("Срок исполнения:  до\u00a015.03.2021 ", "до 15.03.2021"),
        ("срок – до 15.03.2021", "до 15.03.2021"),
        ("Срок до 15.03.2021", "до 15.03.2021"),
        ("в срок до 15.03.2021", "в срок до 15.03.2021"),
        ("  14.04.  2021  г.", "14.04. 2021 г."),
    ],
)
def test_text_has_label_removed_and_whitespace_normalised(written, text):
    assert parse_deadline(written).text == text


def test_yo_and_e_are_the_same_letter():
    with_yo = parse_deadline("ежеквартально до 10 числа месяца, следующего за отчётным")
    with_e = parse_deadline("ежеквартально до 10 числа месяца, следующего за отчетным")

    assert (with_yo.recurrence, with_yo.recurrence_day) == (with_e.recurrence, with_e.recurrence_day)
    assert with_yo.readable


# ------------------------------------------------------------------------------------------------
# Standing obligations
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meeting_date", "until"),
    [
        ("постоянно", MEETING, None),
        ("Постоянно.", None, None),
        ("на постоянной основе", MEETING, None),
        ("в течение года", D(2021, 3, 20), D(2022, 3, 19)),
        ("в течение года", D(2024, 2, 29), D(2025, 2, 28)),
        ("в течение года", None, None),
        ("в течение 2021 года", MEETING, D(2021, 12, 31)),
        ("в течение учебного года", D(2021, 3, 20), D(2021, 5, 31)),
        ("в течение учебного года", D(2021, 5, 31), D(2021, 5, 31)),
        ("в течение учебного года", D(2021, 9, 1), D(2022, 5, 31)),
        ("в течение учебного года", None, None),
        ("в течение 2021/2022 учебного года", MEETING, D(2022, 5, 31)),
        ("постоянно до 2025 года", MEETING, D(2025, 12, 31)),
        ("постоянно, до 31.12.2025", MEETING, D(2025, 12, 31)),
        ("с 01.09.2021 постоянно", MEETING, None),
    ],
)
def test_standing_obligations(written, meeting_date, until):
    deadline = parse_deadline(written, meeting_date=meeting_date)

    assert deadline.readable
    assert deadline.standing
    assert deadline.tracked
    assert deadline.recurrence == ""
    assert deadline.until == until
    # the end of a standing obligation is its only checkpoint; without an end there is none
    assert deadline.due_dates == ((until,) if until else ())
    assert deadline.warnings == ()


# ------------------------------------------------------------------------------------------------
# Recurring obligations
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meeting_date", "recurrence", "day", "due_dates"),
    [
        ("ежеквартально", MEETING, "quarterly", None, ()),
        ("ежемесячно", MEETING, "monthly", None, ()),
        ("ежемесячно до 5 числа", MEETING, "monthly", 5, ()),
        ("Ежемесячно, не позднее 5-го числа", MEETING, "monthly", 5, ()),
        ("ежегодно", MEETING, "yearly", None, ()),
        ("раз в квартал", MEETING, "quarterly", None, ()),
        ("не реже 1 раза в месяц", MEETING, "monthly", None, ()),
        ("ежегодно до 1 сентября", D(2021, 3, 20), "yearly", 1, (D(2021, 9, 1),)),
        ("ежегодно до 1 сентября", D(2021, 9, 1), "yearly", 1, (D(2021, 9, 1),)),
        ("ежегодно до 1 сентября", D(2021, 9, 2), "yearly", 1, (D(2022, 9, 1),)),
        ("ежегодно до 01.09", D(2021, 3, 20), "yearly", 1, (D(2021, 9, 1),)),
        # no meeting date: the date in the current year (today is pinned to 15.06.2021)
        ("ежегодно до 1 сентября", None, "yearly", 1, (D(2021, 9, 1),)),
        ("ежегодно до 1 марта", None, "yearly", 1, (D(2021, 3, 1),)),
        ("ежегодно в декабре", D(2021, 3, 20), "yearly", None, (D(2021, 12, 31),)),
        (
            "ежегодно до 15 числа месяца, следующего за отчётным годом",
            D(2021, 3, 20),
            "yearly",
            15,
            (D(2022, 1, 15),),
        ),
        ("ежеквартально до 10 числа месяца, следующего за отчётным", MEETING, "quarterly", 10, ()),
        # first a date, then a recurrence
        ("декабрь 2021 года; далее – ежегодно", MEETING, "yearly", None, (D(2021, 12, 31),)),
        ("до 01.09.2021, далее ежеквартально", MEETING, "quarterly", None, (D(2021, 9, 1),)),
        # the end of a recurring obligation
        ("ежемесячно до 5 числа, до конца 2021 года", MEETING, "monthly", 5, (D(2021, 12, 31),)),
        # weekly reports within a period, and school quarters
        (
            "еженедельно по пятницам в период с 07.06.2021 по 27.08.2021",
            MEETING,
            "weekly",
            4,
            (D(2021, 8, 27),),
        ),
        ("1 раз в четверть", MEETING, "quarterly", None, ()),
    ],
)
def test_recurring_obligations(written, meeting_date, recurrence, day, due_dates):
    deadline = parse_deadline(written, meeting_date=meeting_date)

    assert deadline.readable
    assert deadline.tracked
    assert deadline.recurrence == recurrence
    assert deadline.recurrence_day == day
    assert deadline.due_dates == due_dates
    assert deadline.warnings == ()
    assert deadline.standing  # recurring reports: never overdue by themselves


def test_recurrence_with_end_keeps_until():
    deadline = parse_deadline("ежемесячно до 5 числа, до конца 2021 года", meeting_date=MEETING)

    assert deadline.until == D(2021, 12, 31)


# ------------------------------------------------------------------------------------------------
# No deadline at all, and unreadable deadlines
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["", None, "—", "-", "–", "   ", "Срок:", "Срок исполнения: —"])
def test_no_deadline(written):
    deadline = parse_deadline(written, meeting_date=MEETING)

    assert deadline == Deadline(text="", due_dates=(), readable=True)
    assert not deadline.tracked


@pytest.mark.parametrize(
    "written",
    [
        "31.02.2021",
        "32.01.2021",
        "15.13.2021",
        "31 февраля 2021 года",
        "ежемесячно и ежеквартально",
        "ежегодно до 15 числа",  # which month?
        "до 5 числа",  # a day of the month without a recurrence
        "с 01.09.2021",  # a start is not a deadline
        "2021/2023 учебный год",
        "15.03.202",
        "до 20.03.2021 или 20.04.2021",
        "срок",
    ],
)
def test_unreadable(written):
    deadline = parse_deadline(written, meeting_date=MEETING)

    assert not deadline.readable
    assert deadline.due_dates == ()
    assert not deadline.standing
    assert deadline.recurrence == ""
    assert not deadline.tracked
    assert deadline.warnings == (unreadable_message(written),)


def test_unreadable_message_uses_normalised_text():
    deadline = parse_deadline("Срок:  как\u00a0получится")

    assert deadline.text == "как получится"
    assert deadline.warnings == ("Не удалось распознать срок «как получится»: укажите дату вручную.",)
    assert deadline.warnings[0].kind == "unreadable"


@pytest.mark.parametrize(
    ("written", "proposed"),
    [
        ("до 1 марта", D(2022, 3, 1)),  # the meeting is on 20.03.2021: the next 1 March
        ("до 1 сентября", D(2021, 9, 1)),
        ("01.09", D(2021, 9, 1)),
        ("в марте", D(2021, 3, 31)),  # the month has not ended yet
        ("до 20 марта", D(2021, 3, 20)),  # on the meeting day itself
    ],
)
def test_date_without_a_year_is_proposed_never_assumed(written, proposed):
    deadline = parse_deadline(written, meeting_date=D(2021, 3, 20))

    assert deadline.due_dates == ()
    assert not deadline.readable
    assert deadline.proposed == proposed
    assert deadline.warnings == (
        f"Срок «{written}» записан без года: предлагается {proposed:%d.%m.%Y} — подтвердите дату.",
    )
    assert deadline.warnings[0].kind == "no_year"


@pytest.mark.parametrize(
    ("written", "term"),
    [
        ("в течение 10 рабочих дней со дня подписания протокола", Term(10, "working_days")),
        ("в течение 10 (десяти) рабочих дней с даты подписания протокола", Term(10, "working_days")),
        ("в течение 10 рабочих дней", Term(10, "working_days")),
        ("в течение пяти дней после подписания протокола", Term(5, "days")),
        ("в течение двух недель со дня подписания", Term(14, "days")),
        ("в течение месяца", Term(1, "months")),
    ],
)
def test_term_from_the_signing(written, term):
    deadline = parse_deadline(written, meeting_date=MEETING)

    assert deadline.after_signing == term
    assert deadline.due_dates == ()
    assert deadline.readable and deadline.tracked and not deadline.standing
    assert [w.kind for w in deadline.warnings] == ["relative"]


@pytest.mark.parametrize(
    "written",
    [
        "в течение 7 календарных дней после публикации результатов",
        "до открытия лагерной смены",
        "в период проведения ВПР",
        "после получения результатов",
        "к началу учебного года",
        "по мере поступления сведений",
    ],
)
def test_term_from_an_event_asks_for_a_date(written):
    deadline = parse_deadline(written, meeting_date=MEETING)

    assert deadline.due_dates == () and deadline.after_signing is None
    assert not deadline.readable
    assert deadline.warnings == (
        f"Срок «{written}» зависит от события, дата которого неизвестна: укажите дату вручную.",
    )
    assert deadline.warnings[0].kind == "relative"


@pytest.mark.parametrize(
    ("signed_on", "written", "due"),
    [
        # 10 working days from Friday 26.04.2024: 27.04 is a working Saturday, 29.04–01.05 and 09–10.05 are off
        (D(2024, 4, 26), "в течение 10 рабочих дней со дня подписания протокола", D(2024, 5, 16)),
        # over the New Year holidays: 31.12.2025 and 01–08.01.2026 are off, 09.01.2026 too (transferred)
        (D(2025, 12, 29), "в течение 3 рабочих дней со дня подписания протокола", D(2026, 1, 13)),
        (D(2024, 3, 7), "в течение 1 рабочего дня со дня подписания протокола", D(2024, 3, 11)),
        (D(2024, 1, 31), "в течение месяца со дня подписания протокола", D(2024, 2, 29)),
        (D(2024, 5, 20), "в течение двух недель со дня подписания", D(2024, 6, 3)),
    ],
)
def test_due_date_of_a_term_is_counted_from_the_signing(signed_on, written, due):
    deadline = parse_deadline(written, meeting_date=signed_on)

    assert due_after_signing(deadline, signed_on) == due


def test_production_calendar_knows_transferred_days():
    assert is_working_day(D(2024, 4, 27))  # a Saturday made a working day
    assert not is_working_day(D(2024, 4, 29))  # a Monday made a day off
    assert not is_working_day(D(2024, 6, 12))  # Russia Day
    assert is_working_day(D(2024, 6, 13))
    assert add_working_days(D(2024, 4, 26), 1) == D(2024, 4, 27)


@pytest.mark.parametrize("written", ["по мере необходимости", "постоянно", "на постоянной основе"])
def test_as_needed_is_a_standing_duty(written):
    deadline = parse_deadline(written, meeting_date=MEETING)

    assert deadline.readable and deadline.standing and deadline.due_dates == ()


# ------------------------------------------------------------------------------------------------
# Warnings
# ------------------------------------------------------------------------------------------------


def test_date_before_meeting_is_kept_with_warning():
    deadline = parse_deadline("15.03.2020", meeting_date=D(2021, 3, 20))

    assert deadline.readable
    assert deadline.due_dates == (D(2020, 3, 15),)
    assert deadline.warnings == ("Срок 15.03.2020 раньше даты совещания 20.03.2021.",)


def test_each_early_checkpoint_is_reported():
    deadline = parse_deadline("до 01.02.2021, 01.03.2021, 01.04.2021", meeting_date=D(2021, 3, 20))

    assert deadline.due_dates == (D(2021, 2, 1), D(2021, 3, 1), D(2021, 4, 1))
    assert deadline.warnings == (
        "Срок 01.02.2021 раньше даты совещания 20.03.2021.",
        "Срок 01.03.2021 раньше даты совещания 20.03.2021.",
    )


def test_date_on_meeting_day_is_fine():
    assert parse_deadline("20.03.2021", meeting_date=D(2021, 3, 20)).warnings == ()


def test_end_of_standing_obligation_before_meeting_is_reported():
    deadline = parse_deadline("постоянно до 2020 года", meeting_date=D(2021, 3, 20))

    assert deadline.until == D(2020, 12, 31)
    assert deadline.warnings == ("Срок 31.12.2020 раньше даты совещания 20.03.2021.",)


def test_far_future_year_is_kept_with_warning():
    deadline = parse_deadline("Срок: до 15.03.2201", meeting_date=D(2021, 3, 20))

    assert deadline.readable
    assert deadline.due_dates == (D(2201, 3, 15),)
    assert deadline.warnings == ("Год 2201 в сроке «до 15.03.2201» похож на опечатку.",)


def test_year_before_2000_is_a_slip_and_before_meeting():
    deadline = parse_deadline("15.03.1921", meeting_date=D(2021, 3, 20))

    assert deadline.due_dates == (D(1921, 3, 15),)
    assert deadline.warnings == (
        "Срок 15.03.1921 раньше даты совещания 20.03.2021.",
        "Год 1921 в сроке «15.03.1921» похож на опечатку.",
    )


@pytest.mark.parametrize(
    ("written", "meeting_date", "warnings"),
    [
        ("2026 год", D(2021, 3, 20), ()),
        ("2027 год", D(2021, 3, 20), ("Год 2027 в сроке «2027 год» похож на опечатку.",)),
        # without a meeting date the reference is today (pinned to 15.06.2021)
        ("2026 год", None, ()),
        ("2027 год", None, ("Год 2027 в сроке «2027 год» похож на опечатку.",)),
        (
            "постоянно до 2030 года",
            D(2021, 3, 20),
            ("Год 2030 в сроке «постоянно до 2030 года» похож на опечатку.",),
        ),
    ],
)
def test_year_slip_threshold(written, meeting_date, warnings):
    assert parse_deadline(written, meeting_date=meeting_date).warnings == warnings


# ------------------------------------------------------------------------------------------------
# report_dates
# ------------------------------------------------------------------------------------------------


def test_report_dates_monthly_with_day():
    deadline = parse_deadline("ежемесячно до 5 числа", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 1, 10), horizon=D(2021, 5, 5)) == [
        D(2021, 2, 5),
        D(2021, 3, 5),
        D(2021, 4, 5),
        D(2021, 5, 5),
    ]


def test_report_dates_monthly_defaults_to_last_day():
    deadline = parse_deadline("ежемесячно", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2021, 4, 29)) == [
        D(2021, 1, 31),
        D(2021, 2, 28),
        D(2021, 3, 31),
    ]


def test_report_dates_clamp_day_to_month_length():
    deadline = Deadline(text="ежемесячно до 31 числа", due_dates=(), recurrence="monthly", recurrence_day=31)

    assert report_dates(deadline, start=D(2024, 1, 1), horizon=D(2024, 4, 30)) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
    ]
    assert parse_deadline("ежемесячно до 31 числа").recurrence_day == 31
    assert report_dates(
        parse_deadline("ежемесячно до 31 числа"), start=D(2021, 2, 1), horizon=D(2021, 2, 28)
    ) == [D(2021, 2, 28)]


def test_report_dates_quarterly_without_day():
    deadline = parse_deadline("ежеквартально", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2021, 12, 31)) == [
        D(2021, 3, 31),
        D(2021, 6, 30),
        D(2021, 9, 30),
        D(2021, 12, 31),
    ]


def test_report_dates_quarterly_on_day_of_following_month():
    deadline = parse_deadline(
        "ежеквартально до 10 числа месяца, следующего за отчётным", meeting_date=MEETING
    )

    assert report_dates(deadline, start=D(2021, 3, 1), horizon=D(2022, 3, 1)) == [
        D(2021, 4, 10),
        D(2021, 7, 10),
        D(2021, 10, 10),
        D(2022, 1, 10),
    ]


def test_report_dates_quarterly_day_is_clamped():
    deadline = Deadline(
        text="ежеквартально до 31 числа", due_dates=(), recurrence="quarterly", recurrence_day=31
    )

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2021, 12, 31)) == [
        D(2021, 1, 31),
        D(2021, 4, 30),
        D(2021, 7, 31),
        D(2021, 10, 31),
    ]


def test_report_dates_standing_is_quarterly_until_its_end():
    deadline = parse_deadline("постоянно до 2025 года", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2025, 5, 1), horizon=D(2026, 12, 31)) == [
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]


def test_report_dates_standing_for_a_year_ends_with_its_last_day():
    deadline = parse_deadline("в течение года", meeting_date=D(2021, 3, 20))

    assert report_dates(deadline, start=D(2021, 3, 20), horizon=D(2022, 12, 31)) == [
        D(2021, 3, 31),
        D(2021, 6, 30),
        D(2021, 9, 30),
        D(2021, 12, 31),
        D(2022, 3, 19),
    ]


def test_report_dates_standing_without_end():
    deadline = parse_deadline("постоянно")

    assert report_dates(deadline, start=D(2021, 2, 1), horizon=D(2021, 7, 31)) == [
        D(2021, 3, 31),
        D(2021, 6, 30),
    ]


def test_report_dates_yearly_on_given_date():
    deadline = parse_deadline("ежегодно до 1 сентября", meeting_date=D(2021, 3, 20))

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2023, 12, 31)) == [
        D(2021, 9, 1),
        D(2022, 9, 1),
        D(2023, 9, 1),
    ]


def test_report_dates_yearly_defaults_to_31_december():
    deadline = parse_deadline("ежегодно", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 6, 1), horizon=D(2023, 6, 1)) == [
        D(2021, 12, 31),
        D(2022, 12, 31),
    ]


def test_report_dates_first_date_then_yearly():
    deadline = parse_deadline("декабрь 2021 года; далее – ежегодно", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2020, 1, 1), horizon=D(2023, 12, 31)) == [
        D(2021, 12, 31),
        D(2022, 12, 31),
        D(2023, 12, 31),
    ]


def test_report_dates_yearly_anniversary_of_first_date():
    deadline = parse_deadline("до 15.03.2021, далее ежегодно", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2023, 12, 31)) == [
        D(2021, 3, 15),
        D(2022, 3, 15),
        D(2023, 3, 15),
    ]


def test_report_dates_first_date_then_quarterly():
    deadline = parse_deadline("до 01.09.2021, далее ежеквартально", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2022, 3, 31)) == [
        D(2021, 9, 1),
        D(2021, 9, 30),
        D(2021, 12, 31),
        D(2022, 3, 31),
    ]


def test_report_dates_recurrence_stops_at_until():
    deadline = parse_deadline("ежемесячно до 5 числа, до 31.03.2021", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2021, 12, 31)) == [
        D(2021, 1, 5),
        D(2021, 2, 5),
        D(2021, 3, 5),
        D(2021, 3, 31),
    ]


def test_report_dates_plain_deadline_returns_due_dates_in_window():
    deadline = parse_deadline("до 20.03.2021, 20.04.2021, 20.05.2021", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 4, 1), horizon=D(2021, 5, 20)) == [
        D(2021, 4, 20),
        D(2021, 5, 20),
    ]


@pytest.mark.parametrize("written", [""])
def test_report_dates_nothing_to_report(written):
    deadline = parse_deadline(written, meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 1, 1), horizon=D(2021, 12, 31)) == []


def test_report_dates_empty_window():
    deadline = parse_deadline("ежемесячно", meeting_date=MEETING)

    assert report_dates(deadline, start=D(2021, 5, 1), horizon=D(2021, 4, 1)) == []

"""The review page as an editor, clicked through in a real browser: paste a protocol, merge two decisions the
import cut apart, resolve an unknown addressee with «добавить как вариант названия…», sign."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Meeting, Obligation
from municipalities.models import Alias
from tests.browser.conftest import shot

PROTOCOL = """ПРОТОКОЛ совещания № 12
{date}
РЕШИЛИ:
1. Провести анализ результатов пробного ОГЭ по математике
Срок: до {due}
Ответственные: руководители ОМСУ
2. и представить его итоги в комитет.
Срок: до {due}
Ответственные: руководители ОМСУ
3. Подготовить сводный отчёт о качестве подготовки к ГИА.
Срок: до {later}
Ответственные: Региональный центр оценки качества
"""


def test_paste_merge_resolve_an_unknown_addressee_and_sign(people_live, page_as):
    people = people_live
    today = timezone.localdate()
    committee = page_as("committee", people.password)
    committee.click("text=Протоколы")
    committee.click("text=Новый протокол")
    committee.fill("#id_text", PROTOCOL.format(date=f"{today:%d.%m.%Y}", due=f"{today + timedelta(days=14):%d.%m.%Y}",
                                               later=f"{today + timedelta(days=30):%d.%m.%Y}"))  # fmt: skip
    committee.click("text=Разобрать")
    committee.wait_for_selector("text=Проверьте протокол перед сохранением")
    assert committee.locator(".decision-row").count() == 3
    assert committee.locator("text=Региональный центр оценки качества — не найден в справочнике").count() == 1
    shot(committee, "20-editor-pasted")

    committee.locator("#decision-0 button:has-text('Объединить со следующим')").click()
    committee.wait_for_selector("text=Решения 1 и 2 объединены")
    assert committee.locator(".decision-row").count() == 2
    merged = committee.input_value("#decision-0 textarea[name$='-text']")
    assert "Провести анализ" in merged and "представить его итоги" in merged

    committee.select_option("#decision-1 select", f"organization:{people.icoko.pk}")
    committee.locator("#decision-1 button:has-text('добавить как вариант названия…')").click()
    committee.wait_for_selector("text=добавлено как вариант названия")
    assert committee.locator("text=не найден в справочнике").count() == 0
    assert committee.locator("text=2 органа управления образованием муниципалитетов").count() >= 1
    shot(committee, "21-editor-merged-and-resolved")

    committee.click("text=Сохранить и подписать — поставить на контроль")
    committee.wait_for_selector("text=Протокол подписан")
    shot(committee, "22-editor-signed")
    meeting = Meeting.objects.get()
    assert meeting.is_signed and meeting.items.get().decisions.count() == 2
    assert Alias.objects.filter(text="Региональный центр оценки качества", organization=people.icoko).exists()
    assert (
        Obligation.objects.filter(decision__item__meeting=meeting).count() == 3
    )  # 2 authorities + the centre

    committee.click("text=Изменить протокол")
    committee.fill("#id_place", "Актовый зал комитета")
    committee.fill("#id_comment", "Уточнено место проведения.")
    shot(committee, "23-editor-revision")
    committee.click("text=Сохранить изменения")
    committee.wait_for_selector("text=Протокол изменён: редакция 2")
    assert committee.locator("text=Уточнено место проведения.").count() == 1

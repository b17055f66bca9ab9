"""The control card of an obligation as a PDF, read back with pypdf as an official reads the printed page."""

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ExtensionRequest, Obligation
from tests.meetings.factories import committee_meeting, days, decision, written
from tests.meetings.test_documents import embedded_fonts

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def history(people):
    meeting = committee_meeting(
        people, decision("1", "Представить анализ результатов ВПР по математике.", f"до {written(5)}",
                         "руководители ОМСУ")
    )  # fmt: skip
    obligation = Obligation.objects.get(municipality=people.mun_a)
    request = services.extension_request(obligation=obligation, actor=people.head_a, proposed_date=days(20),
                                         reason="Ждём данные от школ.")  # fmt: skip
    services.extension_decide(request=request, actor=people.committee, grant=True, comment="Согласовано.")
    services.report_submit(obligation=obligation, actor=people.head_a, text="Анализ представлен в комитет.")
    services.report_return(
        obligation=obligation, actor=people.committee, comment="Добавьте выводы по школам."
    )
    services.report_submit(obligation=obligation, actor=people.head_a, text="Выводы по школам добавлены.")
    services.report_accept(obligation=obligation, actor=people.committee, comment="")
    return meeting, obligation


def test_the_card_carries_the_whole_story(client_for, people, history):
    meeting, obligation = history
    response = client_for(people.head_a).get(reverse("meetings:obligation_card", args=[obligation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "control-card-3-" in response["Content-Disposition"]
    data = response.content
    text = text_of(data)
    when = f"{meeting.date:%d.%m.%Y}"
    for expected in (
        "КОНТРОЛЬНАЯ КАРТОЧКА", f"по состоянию на {timezone.localdate():%d.%m.%Y}",
        f"Протокол совещания № 3 от {when}", f"п. 1 протокола № 3 от {when}",
        "Представить анализ результатов ВПР по математике.",
        "Комитет по образованию Всеволожского района", "Контролёр Committee Тест",
        f"до {written(5)} ({written(5)})",
        f"срок перенесён — {written(5)} → {written(20)}", "Согласовано.",
        f"Действующий срок {written(20)}",
        "Анализ представлен в комитет.", "возвращён", "Добавьте выводы по школам.",
        "Выводы по школам добавлены.", "принят",
        f"Снято с контроля {timezone.localdate():%d.%m.%Y}, исполнено в срок.",
    ):  # fmt: skip
        assert expected in text, expected
    assert "решение 1" not in text.lower()
    fonts = embedded_fonts(data)
    assert fonts and all(fonts.values()) and any("Liberation" in name for name in fonts), fonts


def test_an_open_overdue_obligation_and_a_declined_extension(client_for, people):
    committee_meeting(people, decision("1", "Обновить план.", f"до {written(-3)}", "СОШ № 1 Всеволожск"),
                      when=days(-20))  # fmt: skip
    obligation = Obligation.objects.get(school=people.school_a)
    request = services.extension_request(obligation=obligation, actor=people.director_a,
                                         proposed_date=days(10), reason="Нет сметы.")  # fmt: skip
    services.extension_decide(request=request, actor=people.committee, grant=False, comment="Нет оснований.")
    assert ExtensionRequest.objects.get().status == "declined"
    text = text_of(
        client_for(people.director_a).get(reverse("meetings:obligation_card", args=[obligation.pk])).content
    )
    assert f"в переносе на {days(10):%d.%m.%Y} отказано: Нет оснований." in text
    assert "Отчётов не поступало." in text
    assert "На контроле: назначено, срок нарушен на 3 дн." in text
    # scope: another municipality's director and head get 404, like for the page
    for other in (people.director_b, people.head_b):
        assert (
            client_for(other).get(reverse("meetings:obligation_card", args=[obligation.pk])).status_code
            == 404
        )

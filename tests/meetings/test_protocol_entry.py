"""A committee member pastes or uploads a protocol, corrects it on one page, signs it; heads see their obligations."""

from datetime import date
from io import BytesIO
from pathlib import Path

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Meeting, Obligation
from municipalities.models import Alias
from tests.html_forms import form_data

SAMPLES = Path(__file__).parent / "samples"
REVIEW = reverse("meetings:meeting_review")


def paste(client, text):
    return client.post(reverse("meetings:meeting_new"), {"text": text})


def test_pasted_protocol_is_proposed_then_signed_and_reaches_every_head(people, client):
    client.force_login(people.committee)
    text = (SAMPLES / "council_protocol.txt").read_text()
    review = paste(client, text)
    assert review.status_code == 200
    assert "Проверьте протокол перед сохранением" in review.text
    assert not Meeting.objects.exists()  # nothing saved before the user confirms
    data = form_data(review.text, REVIEW)
    assert data["kind"] == ["council"]
    assert data["date"] == ["2021-04-14"]
    data["action"], data["control"] = ["sign"], ["current"]  # a 2021 protocol: its deadlines are past
    response = client.post(REVIEW, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    meeting = Meeting.objects.get()
    assert meeting.status == "signed" and meeting.number == "2"
    assert meeting.items.count() == 3
    # "руководители ОМСУ" → one obligation for each of the two test municipalities
    decision = meeting.items.get(number=1).decisions.get(number="2.1")
    assert sorted(decision.obligations.values_list("municipality__code", flat=True)) == ["04", "05"]

    client.force_login(people.head_b)
    inbox = client.get(reverse("meetings:obligation_list")).text
    assert "Провести анализ результатов региональных мониторинговых исследований" in inbox


def test_unknown_responsible_blocks_signing_with_a_clear_message_and_saves_nothing(people, client):
    Alias.objects.filter(text="ЛОИРО").delete()
    client.force_login(people.committee)
    text = (
        "ПРОТОКОЛ совещания № 4\n15.03.2026\n"
        "РЕШИЛИ:\n1. Провести семинар для заместителей директоров.\nСрок: до 01.04.2026\n"
        "Ответственные: Институт развития образования Марса\n"
    )
    review = paste(client, text)
    assert "не найден в справочнике" in review.text
    data = form_data(review.text, REVIEW)
    data["action"] = ["sign"]
    response = client.post(REVIEW, data)
    assert response.status_code == 200
    assert "ответственный «Институт развития образования Марса» не найден" in response.text
    assert not Meeting.objects.exists() and not Obligation.objects.exists()


def test_unreadable_deadline_must_be_set_by_hand(people, client):
    client.force_login(people.committee)
    text = (
        "ПРОТОКОЛ совещания № 5\n16.03.2026\nРЕШИЛИ:\n"
        "1. Представить сведения о вакансиях.\nСрок: по мере поступления сведений\nОтветственные: руководители ОМСУ\n"
    )
    review = paste(client, text)
    assert "зависит от события, дата которого неизвестна" in review.text
    data = form_data(review.text, REVIEW)
    data["action"] = ["sign"]
    data["control"] = ["current"]
    response = client.post(REVIEW, data)
    assert "укажите дату вручную" in response.text
    assert not Meeting.objects.exists()
    data["decisions-0-due_date"] = ["2026-04-20"]
    response = client.post(REVIEW, data)
    assert response.status_code == 302
    assert set(Obligation.objects.values_list("due_date", flat=True)) == {date(2026, 4, 20)}


def test_docx_upload_is_read_like_text(people, client):
    document = docx.Document()
    for line in (SAMPLES / "decisions_list.txt").read_text().splitlines():
        document.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    client.force_login(people.committee)
    upload = SimpleUploadedFile("решения.docx", buffer.getvalue())
    review = client.post(reverse("meetings:meeting_new"), {"file": upload})
    assert review.status_code == 200
    assert "15.01.2021 раньше даты совещания 20.01.2021" in review.text
    assert form_data(review.text, REVIEW)["number"] == ["1"]


def test_bad_files_get_russian_messages(people, client):
    client.force_login(people.committee)
    response = client.post(
        reverse("meetings:meeting_new"), {"file": SimpleUploadedFile("old.doc", b"\xd0\xcf\x11\xe0")}
    )
    assert "Формат .doc не поддерживается" in response.text
    response = client.post(
        reverse("meetings:meeting_new"), {"file": SimpleUploadedFile("fake.docx", b"plain text")}
    )
    assert "не является документом .docx" in response.text
    response = client.post(reverse("meetings:meeting_new"), {"text": "   "})
    assert "Вставьте текст протокола или выберите файл." in response.text


def test_draft_then_sign_from_the_protocol_page(people, client):
    client.force_login(people.committee)
    review = paste(client, (SAMPLES / "decisions_list.txt").read_text())
    data = form_data(review.text, REVIEW)
    # decision 12 has no responsible in the sample: the user fills it in
    for key, value in data.items():
        if key.endswith("-number") and value == ["12"] and key.startswith("decisions-"):
            data[key.replace("-number", "-responsible_text")] = ["руководители ОМСУ"]
        if key.endswith("-deadline_text") and value == ["по мере поступления сведений"]:
            data[key.replace("-deadline_text", "-due_date")] = ["2021-06-01"]
    data["action"] = ["draft"]
    response = client.post(REVIEW, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == "draft" and not Obligation.objects.exists()
    sign = reverse("meetings:meeting_sign", args=[meeting.pk])
    response = client.post(sign, follow=True)  # a 2021 protocol: the page asks what it is
    assert "это запись о прошлом или текущий контроль" in response.text
    response = client.post(sign, {"control": "current"}, follow=True)
    assert "Протокол подписан" in response.text
    assert Obligation.objects.filter(decision__item__meeting=meeting).count() >= 20


def test_heads_and_observers_cannot_enter_committee_protocols(people, client):
    client.force_login(people.observer)
    assert client.get(reverse("meetings:meeting_new")).status_code == 403
    client.force_login(people.director_a)
    assert client.get(reverse("meetings:meeting_new")).status_code == 403

"""A protocol's whole life through the API: created from the import_protocol --json shape, signed, its PDFs."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from meetings.models import Document, Meeting, Obligation
from tests.html_forms import form_data
from tests.meetings.factories import committee_meeting, days, decision, written

SAMPLES = Path(__file__).parent / "samples"
CREATE = reverse("api:meeting-list")


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def dry_run_json(sample: str) -> dict:
    out = StringIO()
    call_command("import_protocol", str(SAMPLES / sample), "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def protocol(*decisions: dict, when=None) -> dict:
    """A small protocol in the import_protocol --json shape."""
    return {
        "meeting": {"kind": "meeting", "date": (when or days(-2)).isoformat(), "number": "7",
                    "title": "О подготовке к ГИА", "chair": "Петрова А.С."},
        "items": [{"number": "1", "title": "О подготовке к ГИА", "decisions": list(decisions)}],
    }  # fmt: skip


def row(number: str, text: str, responsible: str = "руководители ОМСУ", deadline: str | None = None) -> dict:
    return {"number": number, "text": text, "deadline_text": deadline or f"до {written(20)}",
            "responsible": responsible, "tracked": True}  # fmt: skip


def shape(meeting: Meeting) -> list[tuple]:
    """What a user checks after an import: each decision, and whom its obligations went to."""
    result = []
    for d in meeting.items.all().order_by("number").prefetch_related("decisions__obligations"):
        for dec in d.decisions.order_by("pk"):
            units = sorted(str(o.municipality_id or o.school_id or o.organization_id) + o.unit_name
                           for o in dec.obligations.all())  # fmt: skip
            result.append((d.number, dec.number, dec.text, dec.tracked, tuple(dec.due_dates), tuple(units)))
    return result


def test_the_json_of_import_protocol_posted_and_signed_gives_what_the_page_import_gives(people, client):
    client.force_login(people.committee)
    page = client.post(
        reverse("meetings:meeting_new"), {"text": (SAMPLES / "council_protocol.txt").read_text()}
    )
    data = form_data(page.text, reverse("meetings:meeting_review"))
    data["action"], data["control"] = ["sign"], ["current"]
    assert client.post(reverse("meetings:meeting_review"), data).status_code == 302
    by_page = Meeting.objects.get()

    created = post(client, CREATE, dry_run_json("council_protocol.txt"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["kind"] == "council" and body["date"] == "2021-04-14"
    assert not Obligation.objects.filter(decision__item__meeting_id=body["id"]).exists()
    signed = post(client, reverse("api:meeting-sign", args=[body["id"]]))
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed"
    by_api = Meeting.objects.get(pk=body["id"])
    assert shape(by_api) == shape(by_page)
    assert Obligation.objects.filter(decision__item__meeting=by_api).count() > 0


def test_a_head_creates_a_protocol_of_own_municipality_and_signs_it(people, client):
    client.force_login(people.head_a)
    created = post(client, CREATE, protocol(row("1", "Провести анализ ВПР.", "СОШ № 1 Всеволожск")))
    assert created.status_code == 201, created.content
    meeting = Meeting.objects.get(pk=created.json()["id"])
    assert meeting.organizer_municipality == people.mun_a and meeting.status == "draft"
    assert post(client, reverse("api:meeting-sign", args=[meeting.pk])).status_code == 200
    assert Obligation.objects.get(decision__item__meeting=meeting).school == people.school_a


def test_the_controller_is_one_the_pages_offer_never_a_person_of_another_region_or_unit(people, client):
    client.force_login(people.committee)
    for stranger in (people.committee_c, people.head_a):  # another region's committee; a municipal head
        body = {**protocol(row("1", "Провести анализ ВПР.")), "controller": stranger.pk}
        response = post(client, CREATE, body)
        assert response.status_code == 400, response.content
        assert f"controller: пользователь {stranger.pk} не найден." in response.json()["detail"]
    assert not Meeting.objects.exists()
    created = post(
        client, CREATE, {**protocol(row("1", "Провести анализ ВПР.")), "controller": people.committee.pk}
    )
    assert created.status_code == 201, created.content


def test_invalid_json_is_refused_with_the_field_path_and_nothing_is_saved(people, client):
    client.force_login(people.committee)
    bad = protocol(row("1", "Провести анализ."), {"number": "2", "deadline_text": "x" * 301})
    bad["meeting"].pop("date")
    response = post(client, CREATE, bad)
    assert response.status_code == 400
    lines = response.json()["detail"]
    assert "meeting.date: Укажите дату совещания." in lines
    assert any(line.startswith("items[0].decisions[1].text: ") for line in lines), lines
    assert any(line.startswith("items[0].decisions[1].deadline_text: ") for line in lines), lines
    assert post(client, CREATE, {"meeting": {"date": "2026-01-01"}, "items": []}).status_code == 400
    assert not Meeting.objects.exists()


def test_who_may_not_organise_gets_403(people, client):
    for person in (people.observer, people.director_a):
        client.force_login(person)
        assert post(client, CREATE, protocol(row("1", "Провести анализ."))).status_code == 403
    assert not Meeting.objects.exists()


def test_signing_refuses_a_signed_protocol_409_a_stranger_403_an_outsider_404(people, client):
    signed = committee_meeting(
        people, decision("1", "Провести анализ.", f"до {written(20)}", "руководители ОМСУ")
    )
    client.force_login(people.committee)
    response = post(client, reverse("api:meeting-sign", args=[signed.pk]))
    assert response.status_code == 409 and "уже подписан" in response.json()["detail"]
    client.force_login(people.head_a)
    own = post(client, CREATE, protocol(row("1", "Провести анализ.", "СОШ № 1 Всеволожск"))).json()["id"]
    client.force_login(people.committee)  # sees the head's protocol, but it is not theirs to sign
    assert post(client, reverse("api:meeting-sign", args=[own])).status_code == 403
    client.force_login(people.head_b)
    assert post(client, reverse("api:meeting-sign", args=[own])).status_code == 404
    assert Meeting.objects.get(pk=own).status == "draft"


def test_an_unknown_party_stops_signing_unless_unknown_ok(people, client):
    client.force_login(people.committee)
    body = protocol(row("1", "Провести анализ.", "руководители ОМСУ; Институт невидимых наук"))
    meeting = post(client, CREATE, body).json()
    assert any("Институт невидимых наук" in w for w in meeting["warnings"])
    sign = reverse("api:meeting-sign", args=[meeting["id"]])
    refused = post(client, sign)
    assert refused.status_code == 400
    assert "Институт невидимых наук" in " ".join(refused.json()["detail"])
    assert Meeting.objects.get(pk=meeting["id"]).status == "draft"
    assert post(client, sign, {"unknown_ok": True}).status_code == 200
    assert Obligation.objects.filter(decision__item__meeting_id=meeting["id"]).count() == 2


def test_a_pdf_is_requested_followed_and_downloaded(people, client):
    meeting = committee_meeting(
        people, decision("1", "Провести анализ.", f"до {written(20)}", "руководители ОМСУ")
    )
    url = reverse("api:meeting-documents", args=[meeting.pk])
    client.force_login(people.observer)
    assert post(client, url, {"kind": "protocol"}).status_code == 403
    client.force_login(people.committee)
    assert post(client, url, {"kind": "poster"}).status_code == 400
    asked = post(client, url, {"kind": "protocol"})
    assert asked.status_code == 201, asked.content
    document = asked.json()
    assert document["status"] == "queued" and document["file_url"] == ""
    assert client.get(url).json()[0]["id"] == document["id"]
    file_url = reverse("api:document-file", args=[document["id"]])
    waiting = client.get(file_url)
    assert waiting.status_code == 409 and "ещё не готов" in waiting.json()["detail"]

    row = Document.objects.get(pk=document["id"])
    row.file.save("protocol.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    row.status = Document.Status.READY
    row.save()
    assert client.get(reverse("api:document-detail", args=[row.pk])).json()["file_url"] == file_url
    pdf = client.get(file_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.force_login(
        people.head_a
    )  # an addressee reads the protocol's PDF; the status report is not theirs
    assert client.get(file_url).status_code == 200
    assert post(client, url, {"kind": "status"}).status_code == 403


@pytest.mark.parametrize("name", ["director_b"])
def test_a_pdf_of_a_protocol_outside_the_scope_is_404(people, client, name):
    meeting = committee_meeting(people, decision("1", "Провести анализ.", f"до {written(20)}", "ЛОИРО"))
    client.force_login(people.committee)
    document = post(client, reverse("api:meeting-documents", args=[meeting.pk]), {"kind": "protocol"}).json()
    client.force_login(getattr(people, name))
    assert (
        post(client, reverse("api:meeting-documents", args=[meeting.pk]), {"kind": "protocol"}).status_code
        == 404
    )
    assert client.get(reverse("api:document-detail", args=[document["id"]])).status_code == 404
    assert client.get(reverse("api:document-file", args=[document["id"]])).status_code == 404


def test_the_schema_documents_the_error_statuses_of_each_new_operation():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    codes = {
        (path, method): set(op["responses"]) for path, ops in paths.items() for method, op in ops.items()
    }
    assert {"201", "400", "401", "403"} <= codes[("/api/v1/meetings/", "post")]
    assert {"200", "400", "403", "404", "409"} <= codes[("/api/v1/meetings/{id}/sign/", "post")]
    assert {"201", "400", "403", "404"} <= codes[("/api/v1/meetings/{id}/documents/", "post")]
    assert {"200", "403", "404", "409"} <= codes[("/api/v1/documents/{id}/file/", "get")]
    error = paths["/api/v1/meetings/{id}/sign/"]["post"]["responses"]["409"]["content"]["application/json"]
    assert error["schema"]["$ref"].endswith("/Error")

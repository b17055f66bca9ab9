"""python manage.py import_protocol: the same import from the command line, for years of archived protocols."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings.models import Meeting, Obligation

SAMPLES = Path(__file__).parent / "samples"


def run(*args) -> tuple[str, dict | None]:
    out = StringIO()
    call_command("import_protocol", *args, stdout=out)
    text = out.getvalue()
    return text, (json.loads(text) if "--json" in args else None)


def test_dry_run_prints_the_promised_json_and_saves_nothing(people):
    _, result = run(str(SAMPLES / "decisions_list.txt"), "--dry-run", "--json")
    assert set(result) >= {"meeting", "items", "warnings"}
    assert result["meeting"]["date"] == "2021-01-20" and result["meeting"]["number"] == "1"
    assert {"kind", "date", "number", "title", "chair", "members", "invited"} <= set(result["meeting"])
    decisions = [d for item in result["items"] for d in item["decisions"]]
    assert len(decisions) == 12
    first = decisions[0]
    assert {"number", "text", "deadline_text", "due_dates", "standing", "responsible", "tracked"} <= set(
        first
    )
    stray_space = next(d for d in decisions if "14.04. 2021" in d["deadline_text"])
    assert stray_space["due_dates"] == ["2021-04-14"]
    assert any(d["standing"] for d in decisions)
    assert any("раньше даты совещания" in w for w in result["warnings"])
    assert any("по мере поступления сведений" in w for w in result["warnings"])
    assert "meeting_id" not in result
    assert not Meeting.objects.exists()


def test_import_saves_a_signed_protocol_with_one_obligation_per_unit(people):
    _, result = run(str(SAMPLES / "council_protocol.txt"), "--json")
    meeting = Meeting.objects.get(pk=result["meeting_id"])
    assert meeting.status == "signed"
    assert meeting.organizer_organization == people.committee_org
    assert meeting.events.filter(kind="imported").exists()
    omsu = Obligation.objects.filter(decision__item__meeting=meeting, decision__number="2.1")
    assert sorted(omsu.values_list("municipality__code", flat=True)) == ["04", "05"]
    assert Obligation.objects.filter(decision__item__meeting=meeting, organization=people.loiro).exists()


def test_draft_option_keeps_it_a_draft(people):
    _, result = run(str(SAMPLES / "council_protocol.txt"), "--json", "--draft")
    assert Meeting.objects.get(pk=result["meeting_id"]).status == "draft"
    assert not Obligation.objects.exists()


def test_a_protocol_that_cannot_be_signed_is_kept_as_a_draft_with_the_reasons(people):
    """Signing is refused (a decision without responsible parties), the draft is not lost."""
    text, _ = run(str(SAMPLES / "decisions_list.txt"))
    assert "Решение 12: не указаны ответственные" in text
    assert "Сохранено черновиком" in text
    meeting = Meeting.objects.get()
    assert meeting.status == "draft" and meeting.items.get().decisions.count() == 12
    assert not Obligation.objects.exists()


def test_municipal_organizer_and_named_schools(people, tmp_path):
    protocol = tmp_path / "interview.txt"
    protocol.write_text(
        "ПРОТОКОЛ собеседования с руководителями общеобразовательных организаций № 3\n12.03.2026\n"
        "РЕШИЛИ:\n1. Разработать план повышения объективности оценивания.\nСрок: до 01.05.2026\n"
        "Ответственный: директор Агалатовская СОШ\n",
        encoding="utf-8",
    )
    _, result = run(str(protocol), "--json", "--organizer", "04")
    meeting = Meeting.objects.get(pk=result["meeting_id"])
    assert meeting.organizer_municipality == people.mun_a
    assert list(Obligation.objects.values_list("school__code", flat=True)) == ["04002"]


def test_missing_file_and_unknown_organizer(people):
    with pytest.raises(CommandError, match="Файл не найден"):
        run("/nonexistent/protocol.txt")
    with pytest.raises(CommandError, match="Организатор с кодом «zz» не найден"):
        run(str(SAMPLES / "council_protocol.txt"), "--organizer", "zz")

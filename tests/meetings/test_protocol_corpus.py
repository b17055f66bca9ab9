"""The public protocol corpus (``shared/corpus/protocols``): every document through the importer.

Each document (.txt and .docx) is read the way the import page and ``import_protocol`` read it, its
responsible parties resolved against a directory of its own region (``corpus_regions``), and every fact
its annotation states is compared; a key absent from the annotation is not asserted (see the corpus
README). The share of facts matched is printed; the test passes only when every fact matches.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from meetings.importing import draft_from_proposal
from meetings.parties import PartyResolver, PartyTarget
from meetings.protocol_import import extract_text, parse_protocol
from tests.meetings.corpus_regions import REGIONS, Directory, build_directory, directory_from_annotation


def corpus_dir() -> Path | None:
    """``../shared/corpus/protocols`` from the project root, or the nearest such folder above it."""
    if configured := os.environ.get("PROTOCOL_CORPUS"):
        return Path(configured)
    root = Path(settings.BASE_DIR).resolve()
    for base in (root.parent, *root.parents):
        candidate = base / "shared" / "corpus" / "protocols"
        if candidate.is_dir():
            return candidate
    return None


CORPUS = corpus_dir()
# Documents written for this repository in other wordings, annotated the same way (README of the corpus).
OWN = Path(__file__).parent / "samples" / "corpus"


def documents(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in (".txt", ".docx") and path.with_name(f"{path.stem}.expected.json").exists()
    )


def norm(value: str) -> str:
    return " ".join(str(value).split())


# --- what the importer made of a document -----------------------------------------------------------


@dataclass
class Imported:
    proposal: object
    draft: object
    warnings: list
    directory: Directory


def import_document(path: Path, expected: dict, index: int) -> Imported:
    meeting = expected["meeting"]
    spec = REGIONS.get(meeting["region"])
    code = f"x{index:02d}"
    directory = build_directory(spec) if spec else directory_from_annotation(expected, code)
    if meeting.get("level") == "municipality":
        municipality = directory.municipalities[meeting["municipality"]]
        resolver = PartyResolver(municipality=municipality)
    else:
        resolver = PartyResolver(organization=directory.authority)
    text = extract_text(path.read_bytes(), path.name)
    proposal = parse_protocol(text)
    draft, warnings = draft_from_proposal(proposal, resolver)
    return Imported(proposal=proposal, draft=draft, warnings=warnings, directory=directory)


def label_matches(expected: str, target: PartyTarget, directory: Directory) -> bool:
    """Does the resolved target stand for the annotation's label (README «Resolved parties»)?"""
    own = directory.region
    if expected == "every municipal authority":
        return target.group == "municipalities"
    if expected == "every school":
        return target.group == "schools" and target.municipality is None
    if match := re.match(r"^schools of (?P<name>.+)$", expected):
        return target.group == "schools" and _same_name(target.municipality, match["name"])
    if match := re.match(r"^municipal authority of (?P<name>.+)$", expected):
        return (
            not target.group
            and target.school is None
            and target.organization is None
            and _same_name(target.municipality, match["name"])
        )
    if target.group:
        return False
    unit = target.organization or target.municipality or target.school
    if unit is None:
        return False
    region = unit.region if hasattr(unit, "region") else unit.municipality.region
    if region != own:
        return False
    if match := re.match(r"^(?P<parent>.+?) \((?P<department>[^()]+)\)$", expected):
        if target.organization is not None and target.organization.parent is not None:
            parent = target.organization.parent
            return _name_equal(match["department"], target.organization.name) and any(
                _name_equal(match["parent"], name) for name in (parent.name, parent.short_name)
            )
    names = [unit.name, unit.short_name] if hasattr(unit, "short_name") else []
    if target.municipality is not None and target.school is None:
        names = [unit.authority_name, unit.authority_short_name]
    return any(_name_equal(expected, name) for name in names if name)


def _same_name(municipality, name: str) -> bool:
    return municipality is not None and _name_equal(municipality.name, name)


def _name_equal(first: str, second: str) -> bool:
    """Equal after normalising case, quotes and spaces; or the same quoted name under any legal form."""

    def key(value: str) -> str:
        value = re.sub(r"[«»\"“”„]", '"', value.lower().replace("ё", "е"))
        return " ".join(value.replace(" - ", "-").split())

    if key(first) == key(second):
        return True
    quoted = [re.search(r'"(.+)"', key(value)) for value in (first, second)]
    return all(quoted) and quoted[0][1] == quoted[1][1]


# --- comparing ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    checked: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, where: str, ok: bool, expected, actual) -> None:
        self.checked += 1
        if not ok:
            self.failures.append(f"{where}: expected {expected!r}, got {actual!r}")

    @property
    def matched(self) -> int:
        return self.checked - len(self.failures)


WARNING_KINDS = {
    "date before the meeting": "date_before_meeting",
    "deadline without a year": "no_year",
    "deadline relative to an event": "relative",
    "empty deadline": "empty_deadline",
}


def compare(name: str, expected: dict, imported: Imported, tally: Tally) -> None:
    proposal, draft = imported.proposal, imported.draft
    meeting = proposal.meeting
    for key, value in expected["meeting"].items():
        where = f"{name} meeting.{key}"
        if key in ("region", "level", "municipality"):
            continue
        if key == "date":
            tally.check(where, meeting.date == _date(value), value, meeting.date)
        elif key == "date_range":
            actual = [d.isoformat() for d in getattr(meeting, "date_range", ()) or ()]
            tally.check(where, actual == value, value, actual)
        elif key == "place":
            tally.check(where, norm(value) in norm(meeting.place) if value else meeting.place == "", value,
                        meeting.place)  # fmt: skip
        elif key in ("members", "invited"):
            actual = [norm(person) for person in getattr(meeting, key)]
            tally.check(where, actual == [norm(person) for person in value], value, actual)
        else:
            actual = getattr(meeting, key)
            tally.check(where, norm(actual) == norm(value), value, actual)
    if "letter" in expected:
        letter = getattr(proposal, "letter", None)
        for key, value in expected["letter"].items():
            actual = getattr(letter, key, None) if letter else None
            if key == "date":
                actual = actual.isoformat() if actual else None
            tally.check(f"{name} letter.{key}", actual == value, value, actual)
    if "questionnaire" in expected:
        questionnaire = getattr(proposal, "questionnaire", None)
        title = norm(questionnaire.title) if questionnaire else ""
        wanted = expected["questionnaire"]
        tally.check(f"{name} questionnaire.title", title.startswith(norm(wanted["title_starts"])),
                    wanted["title_starts"], title)  # fmt: skip
        count = len(questionnaire.questions) if questionnaire else 0
        tally.check(
            f"{name} questionnaire.questions", count == wanted["questions"], wanted["questions"], count
        )

    tally.check(f"{name} items", len(proposal.items) == len(expected["items"]), len(expected["items"]),
                len(proposal.items))  # fmt: skip
    for index, (want, item, item_draft) in enumerate(zip(expected["items"], proposal.items, draft.items,
                                                         strict=False), start=1):  # fmt: skip
        where = f"{name} item {index}"
        if "title" in want:
            tally.check(f"{where} title", norm(item.title) == norm(want["title"]), want["title"], item.title)
        if "speakers" in want:
            actual = [norm(s) for s in item.speakers]
            tally.check(
                f"{where} speakers", actual == [norm(s) for s in want["speakers"]], want["speakers"], actual
            )
        decisions = want.get("decisions", [])
        tally.check(f"{where} decisions", len(item.decisions) == len(decisions), len(decisions),
                    [d.number for d in item.decisions])  # fmt: skip
        for found, saved, annotated in zip(item.decisions, item_draft.decisions, decisions, strict=False):
            compare_decision(f"{where} decision {annotated.get('number', '?')}", annotated, found, saved,
                             imported.directory, tally)  # fmt: skip

    for entry in expected.get("warnings_expected", []):
        match = re.match(r"^decision (?P<number>\S+): (?P<kind>[a-z ]+?)(?: —|$)", entry)
        assert match, f"{name}: unreadable warnings_expected entry {entry!r}"
        kind = WARNING_KINDS[match["kind"]]
        raised = [(getattr(w, "number", None), getattr(w, "kind", None)) for w in imported.warnings]
        tally.check(
            f"{name} warning", (match["number"], kind) in raised, entry, [str(w) for w in imported.warnings]
        )


def compare_decision(where: str, want: dict, found, saved, directory: Directory, tally: Tally) -> None:
    for key, value in want.items():
        if key == "number":
            tally.check(f"{where} number", found.number == value, value, found.number)
        elif key == "text_starts":
            tally.check(f"{where} text", norm(found.text).startswith(value), value, norm(found.text)[:60])
        elif key == "tracked":
            tally.check(f"{where} tracked", found.tracked is value, value, found.tracked)
        elif key == "deadline_text":
            tally.check(f"{where} deadline_text", norm(found.deadline_text) == norm(value), value,
                        found.deadline_text)  # fmt: skip
        elif key == "due_dates":
            actual = [d.isoformat() for d in found.due_dates]
            tally.check(f"{where} due_dates", actual == value, value, actual)
        elif key == "standing":
            tally.check(f"{where} standing", found.standing is value, value, found.standing)
        elif key == "responsible":
            tally.check(
                f"{where} responsible", norm(found.responsible) == norm(value), value, found.responsible
            )
        elif key == "resolved":
            parties = list(saved.parties)
            ok = len(parties) == len(value) and all(
                any(label_matches(label, party, directory) for party in parties) for label in value
            )
            tally.check(f"{where} resolved", ok, value, [_describe(p) for p in parties])


def _describe(target: PartyTarget) -> str:
    if target.group:
        return f"{target.group}:{target.municipality or '*'}"
    return str(target.organization or target.municipality or target.school)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def run_corpus(paths: list[Path], label: str) -> None:
    tally = Tally()
    for index, path in enumerate(paths, start=1):
        expected = json.loads(path.with_name(f"{path.stem}.expected.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            imported = import_document(path, expected, index)
            compare(path.name, expected, imported, tally)
            transaction.set_rollback(True)
    share = 100 * tally.matched / tally.checked
    print(
        f"\n{label} {len(paths)} documents: {tally.matched} of {tally.checked} facts matched ({share:.1f} %)"
    )
    assert not tally.failures, f"{len(tally.failures)} of {tally.checked} facts differ:\n" + "\n".join(
        tally.failures
    )


@pytest.mark.skipif(CORPUS is None, reason="the shared protocol corpus is not beside the project")
@pytest.mark.django_db
def test_every_corpus_document_matches_its_annotation():
    """One test over the whole shared corpus, so that the share of facts matched is reported once."""
    paths = documents(CORPUS)
    assert paths, f"no annotated documents in {CORPUS}"
    run_corpus(paths, "CORPUS")


@pytest.mark.django_db
def test_documents_in_other_wordings_match_their_annotations():
    """The same structures in wordings the shared corpus does not use: the parser aims at structures."""
    paths = documents(OWN)
    assert len(paths) >= 3
    run_corpus(paths, "OWN")

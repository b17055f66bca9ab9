"""Risk groups in ГИА: schools with enough participants below the minimum; each municipality's weakest subject."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from fractions import Fraction

from .common import (
    DEFAULT_SETTINGS,
    FLAG_GIA_RISK,
    Flag,
    FlagSettings,
    GiaScore,
    Reason,
    _by_subject,
    _of,
    _pct,
)


def gia_risk(
    results: Iterable[GiaScore],
    *,
    year: int,
    minimums: Mapping[str, int],
    settings: FlagSettings = DEFAULT_SETTINGS,
) -> list[Flag]:
    """Risk groups in ГИА for ``year`` (rows of other years are ignored).

    * School flags: for every subject where the school has at least ``min_participants`` participants and
      at least ``gia_min_failed`` of them, and at least ``gia_min_share`` of them, scored below
      ``minimums[subject]``, one reason
      "3 из 25 участников (12 %) ниже минимума по русскому языку (24); по региону — 2,1 %". ``score`` is the
      share below the minimum over those subjects.
    * Municipality flags (``school=""``, ``municipality`` set): per municipality, the subject(s) with the
      highest share below the minimum among subjects with at least ``min_participants`` participants in the
      municipality (ties all reported; nothing when no one failed). ``score`` is that share.

    Subjects missing from ``minimums`` cannot be judged and are skipped.
    """
    s = settings
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # (school, subject) -> [n, failed]
    municipality_of: dict[str, str] = {}
    for row in results:
        if row.year != year or row.subject not in minimums:
            continue
        cell = counts[(row.school, row.subject)]
        cell[0] += row.participants
        if row.score < minimums[row.subject]:
            cell[1] += row.participants
        municipality_of.setdefault(row.school, row.municipality)

    region: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    municipal: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (school, subject), (n, failed) in counts.items():
        for cell in (region[subject], municipal[municipality_of[school]][subject]):
            cell[0] += n
            cell[1] += failed

    flags = []
    schools = sorted({school for school, _subject in counts})
    for school in schools:
        found = []
        for (sch, subject), (n, failed) in counts.items():
            if (
                sch == school
                and n >= s.min_participants
                and failed >= s.gia_min_failed
                and failed / n >= s.gia_min_share - 1e-12
            ):
                found.append((-failed / n, subject, n, failed))
        if not found:
            continue
        reasons = []
        for _neg_share, subject, n, failed in sorted(found):
            region_n, region_failed = region[subject]
            text = (
                f"{failed} из {_of(n, 'участника', 'участников')} ({_pct(failed / n)}) ниже минимума {_by_subject(subject)} "
                f"({minimums[subject]}); по региону — {_pct(region_failed / region_n)}."
            )
            reasons.append(
                Reason(
                    "below_minimum",
                    text,
                    value=float(failed),
                    threshold=float(s.gia_min_failed),
                    subject=subject,
                )
            )
        total_n = sum(n for _share, _subject, n, _failed in found)
        total_failed = sum(failed for _share, _subject, _n, failed in found)
        flags.append(
            Flag(
                kind=FLAG_GIA_RISK,
                school=school,
                year=year,
                reasons=tuple(reasons),
                score=total_failed / total_n,
                municipality=municipality_of[school],
            )
        )

    for municipality in sorted(municipal):
        subjects = {
            subject: Fraction(failed, n)
            for subject, (n, failed) in municipal[municipality].items()
            if n >= s.min_participants
        }
        if not subjects or max(subjects.values()) == 0:
            continue
        top = max(subjects.values())
        for subject in sorted(sub for sub, share in subjects.items() if share == top):
            n, failed = municipal[municipality][subject]
            region_n, region_failed = region[subject]
            text = (
                f"Наибольшая в муниципалитете доля участников ниже минимума — {_by_subject(subject)} "
                f"({minimums[subject]}): {failed} из {n} ({_pct(failed / n)}); "
                f"по региону — {_pct(region_failed / region_n)}."
            )
            flags.append(
                Flag(
                    kind=FLAG_GIA_RISK,
                    school="",
                    subject=subject,
                    year=year,
                    reasons=(Reason("municipal_top_fail", text, value=float(top), subject=subject),),
                    score=float(top),
                    municipality=municipality,
                )
            )
    return flags

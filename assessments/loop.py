"""From a flag to a question on a meeting's agenda: the wording that follows from the flag's kind and direction.

Pure text building (no writes): ``services.flags_to_meeting`` puts the result into a protocol.
"""

from datetime import date, timedelta

from assessments.analytics.flags import SUBJECT_DATIVE
from assessments.models import SchoolFlag

# ВПР markers that say results look *better* than they are (the other way round: journal marks higher).
_HIGH_SIDE = {"journal_higher", "high_unconfirmed", "difficulty_inversion", "boundary_bunching", "year_jump"}
DEADLINE_DAYS = 60


def _by(subject: str) -> str:
    dative = SUBJECT_DATIVE.get(subject) or SUBJECT_DATIVE.get(subject.lower())
    return f"по {dative}" if dative else f"по предмету «{subject}»"


def _subjects(flag: SchoolFlag) -> list[str]:
    named = [r.get("subject") or "" for r in flag.reasons]
    return sorted({s for s in named if s}) or ([flag.subject] if flag.subject else [])


def suggested_decision(flag: SchoolFlag) -> str:
    """What to ask of the flagged unit: it follows from the kind of the flag and the side it fired on."""
    if flag.kind == SchoolFlag.Kind.LOW_RESULTS:
        return "Проанализировать причины низких результатов оценочных процедур и представить в комитет план мер по их повышению."
    if flag.kind == SchoolFlag.Kind.GIA_RISK:
        subjects = ", ".join(_by(s) for s in _subjects(flag))
        if flag.school_id:
            return (
                f"Организовать индивидуальную работу с обучающимися группы риска {subjects}; "
                "представить в комитет план подготовки к государственной итоговой аттестации."
            )
        return (
            f"Проанализировать причины доли участников ЕГЭ ниже минимального балла {subjects} и представить "
            "в комитет план мер по подготовке к государственной итоговой аттестации."
        )
    codes = {r.get("code") for r in flag.reasons}
    high = bool(codes & _HIGH_SIDE) or any(
        r.get("code") == "journal_diff" and (r.get("value") or 0) > 0 for r in flag.reasons
    )
    where = f"{_by(flag.subject)}{f' в {flag.grade} классе' if flag.grade else ''}"
    if high:
        return (
            f"Обеспечить объективность проведения и проверки ВПР {where}: провести перепроверку работ, "
            "сопоставить результаты с текущими отметками и представить в комитет информацию о принятых мерах."
        )
    return (
        f"Проанализировать расхождение результатов ВПР {where} с текущими отметками и динамикой результатов "
        "обучающихся; представить в комитет информацию о принятых мерах."
    )


def flag_heading(flag: SchoolFlag) -> str:
    """«СОШ № 1 (Всеволожский) — группа риска ГИА, 2025»."""
    where = flag.unit_name if not flag.school_id else f"{flag.unit_name} ({flag.municipality.name})"
    what = flag.get_kind_display()
    if flag.subject:
        what += f", {flag.subject}"
    if flag.grade:
        what += f", {flag.grade} кл."
    return f"{where} — {what}, {flag.year}"


def question_title(flags: list[SchoolFlag]) -> str:
    if len(flags) == 1:
        return f"О признаках для внимания по результатам оценочных процедур: {flags[0].unit_name}"
    units = len({(f.school_id, f.municipality_id) for f in flags})
    return f"О признаках для внимания по результатам оценочных процедур ({units} орг.)"


def question_heard(flags: list[SchoolFlag]) -> str:
    """СЛУШАЛИ: each flag with its reasons in words and numbers."""
    blocks = []
    for flag in flags:
        reasons = "\n".join(f"– {r['text']}" for r in flag.reasons)
        blocks.append(f"{flag_heading(flag)}:\n{reasons}")
    return "\n\n".join(blocks)


def responsible_text(flag: SchoolFlag) -> str:
    return flag.school.name if flag.school_id else flag.municipality.authority_name


def deadline_text(meeting_date: date) -> str:
    return f"до {meeting_date + timedelta(days=DEADLINE_DAYS):%d.%m.%Y}"

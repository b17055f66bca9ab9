"""ВсОШ results: one row per school × subject × stage (participants, winners, prize-winners), and their summary.

Read with the same sheet sources as exam results; imported all-or-nothing, replacing the rows of every
(year, stage) present in the file.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum

from assessments.importing.columns import cell_text, normalize_header
from assessments.importing.errors import ResultFileError
from assessments.importing.sources import open_sheets
from assessments.models import OlympiadResult
from assessments.services import subject_lookup
from municipalities.models import School, normalize_name

COLUMNS = {
    "school": ("код оо", "код школы", "логин оо", "код образовательной организации"),
    "subject": ("предмет", "общеобразовательный предмет"),
    "stage": ("этап",),
    "participants": ("участников", "количество участников", "участники", "число участников"),
    "winners": ("победителей", "победители", "количество победителей"),
    "prize_winners": ("призеров", "призеры", "количество призеров"),
}
STAGES = {
    "школьный": "school",
    "муниципальный": "municipal",
    "региональный": "regional",
    "заключительный": "final",
}


@dataclass
class OlympiadOutcome:
    rows: int
    imported: int
    errors: list[dict]


def _header(row: list) -> dict[str, int] | None:
    found = {}
    for index, value in enumerate(row):
        text = normalize_header(cell_text(value))
        for field, names in COLUMNS.items():
            if text in names and field not in found:
                found[field] = index
    return found if set(COLUMNS) <= set(found) else None


def _count(value, column: str, row: int, errors: list) -> int | None:
    text = cell_text(value).replace(",", ".")
    try:
        number = float(text) if text else 0.0
    except ValueError:
        errors.append({"row": row, "column": column, "message": f"«{text}»: ожидается число."})
        return None
    if number < 0 or not number.is_integer():
        errors.append(
            {"row": row, "column": column, "message": f"«{text}»: ожидается целое неотрицательное число."}
        )
        return None
    return int(number)


def read_olympiad(
    file, filename: str, *, year: int, region_id: int
) -> tuple[list[OlympiadResult], list[dict], int]:
    """The rows of a ВсОШ file; school codes are those of the uploader's region."""
    in_region = School.objects.filter(region_id=region_id)
    schools = dict(in_region.values_list("code", "pk"))
    schools.update(in_region.exclude(monitoring_login="").values_list("monitoring_login", "pk"))
    subjects = subject_lookup()
    results, errors, rows, header = [], [], 0, None
    seen: dict[tuple, int] = {}
    with open_sheets(file, filename) as sheets:
        for sheet in sheets:
            for number, row in sheet.rows:
                if header is None:
                    header = _header(row)
                    continue
                if not any(cell_text(v) for v in row):
                    continue
                rows += 1
                cell = {field: row[i] if i < len(row) else None for field, i in header.items()}
                before = len(errors)
                school = schools.get(cell_text(cell["school"]))
                if school is None:
                    errors.append({"row": number, "column": "Код ОО",
                                   "message": f"Код ОО «{cell_text(cell['school'])}» не найден в справочнике школ."})  # fmt: skip
                subject = subjects.get(normalize_name(cell_text(cell["subject"])))
                if subject is None:
                    errors.append({"row": number, "column": "Предмет",
                                   "message": f"Предмет «{cell_text(cell['subject'])}» не найден в справочнике."})  # fmt: skip
                stage = STAGES.get(normalize_header(cell_text(cell["stage"])).split(" ")[0])
                if stage is None:
                    errors.append({"row": number, "column": "Этап", "message": f"Этап «{cell_text(cell['stage'])}»: "
                                   "ожидается школьный, муниципальный, региональный или заключительный."})  # fmt: skip
                counts = {f: _count(cell[f], label, number, errors) for f, label in
                          (("participants", "Участников"), ("winners", "Победителей"), ("prize_winners", "Призёров"))}  # fmt: skip
                if (
                    len(errors) == before
                    and counts["winners"] + counts["prize_winners"] > counts["participants"]
                ):
                    errors.append(
                        {
                            "row": number,
                            "column": "",
                            "message": "Победителей и призёров больше, чем участников.",
                        }
                    )
                if len(errors) == before:
                    key = (school, subject.pk, stage)
                    if key in seen:
                        errors.append({"row": number, "column": "", "message": f"Повтор строки {seen[key]}."})
                        continue
                    seen[key] = number
                    results.append(
                        OlympiadResult(year=year, stage=stage, subject=subject, school_id=school, **counts)
                    )
            if header is not None:
                break
    if header is None:
        raise ResultFileError("Не найдена строка заголовков: нужны столбцы «Код ОО», «Предмет», «Этап», "
                              "«Участников», «Победителей», «Призёров».")  # fmt: skip
    return results, errors, rows


@transaction.atomic
def olympiad_import(
    file, filename: str, *, year: int, region_id: int, dry_run: bool = False
) -> OlympiadOutcome:
    """Replace one region's results of the file's stages and year (other regions' rows stay)."""
    results, errors, rows = read_olympiad(file, filename, year=year, region_id=region_id)
    if errors or dry_run or not results:
        return OlympiadOutcome(rows, 0, errors)
    for stage in {r.stage for r in results}:
        OlympiadResult.objects.select_for_update().filter(
            year=year, stage=stage, school__region_id=region_id
        ).delete()
    OlympiadResult.objects.bulk_create(results)
    return OlympiadOutcome(rows, len(results), [])


def olympiad_summary(user, *, year: int, stage: str):
    """Participants, winners and prize-winners by municipality (and subject), within the user's scope."""
    scoped = OlympiadResult.objects.filter(year=year, stage=stage, school__in=School.objects.for_user(user))
    by_municipality = (
        scoped.values("school__municipality__name")
        .annotate(
            participants=Sum("participants"), winners=Sum("winners"), prize_winners=Sum("prize_winners")
        )
        .order_by("-winners", "-prize_winners", "school__municipality__name")
    )
    by_subject = defaultdict(lambda: [0, 0, 0])
    for subject, p, w, z in scoped.values_list("subject__name", "participants", "winners", "prize_winners"):
        by_subject[subject][0] += p
        by_subject[subject][1] += w
        by_subject[subject][2] += z
    return list(by_municipality), sorted(by_subject.items(), key=lambda item: -item[1][1])


def olympiad_by_years(user, *, stage: str, municipality=None) -> tuple[list[int], list[dict]]:
    """One stage across years: per municipality — or per school within one — participants, winners and
    prize-winners of each year, within the user's scope."""
    scoped = OlympiadResult.objects.filter(stage=stage, school__in=School.objects.for_user(user))
    by_school = municipality is not None
    if by_school:
        scoped = scoped.filter(school__municipality=municipality)
        key, name, code = "school_id", "school__short_name", "school__code"
    else:
        key, name, code = (
            "school__municipality_id",
            "school__municipality__name",
            "school__municipality__code",
        )
    figures = scoped.values(key, name, code, "year").annotate(
        participants=Sum("participants"), winners=Sum("winners"), prize_winners=Sum("prize_winners")
    )
    years = sorted({row["year"] for row in figures})
    units: dict[int, dict] = {}
    for row in figures.order_by():
        unit = units.setdefault(row[key], {"pk": row[key], "name": row[name], "code": row[code], "years": {}})
        unit["years"][row["year"]] = {f: row[f] for f in ("participants", "winners", "prize_winners")}
    rows = sorted(
        units.values(),
        key=lambda u: (-sum(y["winners"] + y["prize_winners"] for y in u["years"].values()), u["name"]),
    )
    for unit in rows:
        unit["cells"] = [unit["years"].get(year) for year in years]
    return years, rows

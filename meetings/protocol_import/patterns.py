"""Named regular expressions for the lines of a protocol (applied to whitespace-normalised lines)."""

from __future__ import annotations

import re
from datetime import date

# --- header -----------------------------------------------------------------------------------------

# The document heading: "ПРОТОКОЛ", "П Р О Т О К О Л № 5", "РЕШЕНИЯ", "Рекомендации по результатам …".
HEADING_RE = re.compile(
    r"^(?P<kind>П\s?Р\s?О\s?Т\s?О\s?К\s?О\s?Л|Протокол|ПРОТОКОЛ|РЕШЕНИ[ЕЯ]|Решени[ея]|РЕКОМЕНДАЦИИ|Рекомендации)"
    r"(?![а-яёА-ЯЁ])\s*(?P<rest>.*)$"
)
# "(14.11.2023 – 17.11.2023)", "(03.02.2025-07.02.2025)": interviews held over several days
DATE_RANGE_RE = re.compile(
    r"(?P<first>\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?\d{4})\s*(?:г\.|года)?\s*(?:[–—-]|по)\s*"
    r"(?P<last>\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?\d{4})"
)
# "Рекомендации для руководителей муниципальных органов управления образованием … по результатам …"
ADDRESSEE_IN_TITLE_RE = re.compile(
    r"\bдля\s+(?P<who>(?:руководител|директор|орган|глав|муниципальн|общеобразовательн|школ)\w*.+?)"
    r"(?:\s+по\s+(?:результатам|итогам)\b|\s*\(|$)",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(r"№\s*(?P<number>[\w/.\-]*\w)")
QUOTED_RE = re.compile(r"«[^»]*»|\"[^\"]*\"")
PLACE_START_RE = re.compile(r"^(?:г\.|город|с\.|пос\.|п\.|д\.|дер\.|пгт)\s*\S", re.IGNORECASE)
PLACE_LABEL_RE = re.compile(r"^(?i:место\s+проведения)\s*[:–—-]\s*(?P<rest>.+)$")
DATE_LABEL_RE = re.compile(r"^(?i:дата(?:\s+и\s+время)?\s+проведения)\s*[:–—-]\s*(?P<rest>.+)$")

_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
# "2021 г." but not the "г." of "14.04.2021 г. Санкт-Петербург" (a town follows)
_YEAR_WORD = r"(?:\s*(?:г\.(?!\s*[А-ЯЁ][а-яё])|года|год)(?![а-яё]))?"
NUMERIC_DATE_RE = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})\s?\.\s?(?P<month>\d{1,2})\s?\.\s?(?P<year>\d{4})(?!\d)" + _YEAR_WORD
)
WORDS_DATE_RE = re.compile(
    r"(?<!\d)«?(?P<day>\d{1,2})»?\s+(?P<month>"
    + "|".join(_MONTHS_GENITIVE)
    + r")\s+(?P<year>\d{4})(?!\d)"
    + _YEAR_WORD,
    re.IGNORECASE,
)


def find_date(text: str) -> tuple[date, re.Match[str]] | None:
    """The first valid calendar date written in the text (numeric or with the month in words)."""
    found: list[tuple[int, date, re.Match[str]]] = []
    for pattern in (NUMERIC_DATE_RE, WORDS_DATE_RE):
        for match in pattern.finditer(text):
            month = match["month"]
            month_number = int(month) if month.isdigit() else _MONTHS_GENITIVE.index(month.lower()) + 1
            try:
                found.append(
                    (match.start(), date(int(match["year"]), month_number, int(match["day"])), match)
                )
            except ValueError:
                continue
            break
    if not found:
        return None
    _, value, match = min(found, key=lambda entry: entry[0])
    return value, match


# --- people and agenda (before the body) ------------------------------------------------------------

# "Председатель: …", "Председательствующий – …", "Председатель координационного совета: …"
CHAIR_RE = re.compile(r"^(?i:председател[а-яё]*)(?:\s+[а-яё]+){0,3}\s*[:–—-]\s*(?P<rest>.*)$")
SECRETARY_RE = re.compile(r"^(?i:секретар[а-яё]*)(?:\s+[а-яё]+){0,3}\s*[:–—-]\s*(?P<rest>.*)$")
INVITED_RE = re.compile(
    r"^(?i:(?:присутствовал[а-яё]*\s+)?приглаш[её]нн[а-яё]*|приглашены)[^:]{0,100}:\s*(?P<rest>.*)$"
)
MEMBERS_RE = re.compile(
    r"^(?i:(?:на\s+[а-яё]+\s+)?присутствовал[а-яё]*|присутствуют|члены|участники|участвовали|состав)"
    r"[^:]{0,100}:\s*(?P<rest>.*)$"
)
# "… состоялось собеседование … по следующим вопросам:" — the agenda follows
AGENDA_LEAD_RE = re.compile(r"(?:по\s+следующим\s+вопросам|следующ\w+\s+вопрос\w*)\s*:\s*$", re.IGNORECASE)
AGENDA_RE = re.compile(r"^повестка(?:\s+[а-яё]+){0,2}\s*(?::|$)\s*(?P<rest>.*)$", re.IGNORECASE)
SPEAKER_RE = re.compile(
    r"^(?i:докладчик[а-яё]*|содокладчик[а-яё]*|выступающ[а-яё]*|докладывает|информирует)\s*[:–—-]\s*(?P<rest>.+)$"
)
INLINE_SPEAKER_RE = re.compile(
    r"[.;,]?\s*\(?(?i:докладчик[а-яё]*|содокладчик[а-яё]*)\s*[:–—-]\s*(?P<speakers>[^()]+)\)?\.?\s*$"
)
TRAILING_PARENTHESES_RE = re.compile(r"\s*\((?P<speakers>[^()]+)\)\s*\.?\s*$")
PARENTHESES_LINE_RE = re.compile(r"^\((?P<speakers>[^()]+)\)\.?$")

# --- body ---------------------------------------------------------------------------------------------

_ORDINALS = {
    "первому": 1,
    "второму": 2,
    "третьему": 3,
    "четвертому": 4,
    "четвёртому": 4,
    "пятому": 5,
    "шестому": 6,
    "седьмому": 7,
    "восьмому": 8,
    "девятому": 9,
    "десятому": 10,
}
HEARD_RE = re.compile(
    r"^(?:(?P<number>\d{1,2})\s*[.)]?\s*)?"
    r"(?:по\s+(?P<ordinal>[а-яё]+)\s+вопросу(?:\s+повестки(?:\s+дня)?)?\s*[:.,]?\s*)?"
    r"слушали\s*[:.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
SPOKE_RE = re.compile(
    r"^(?:по\s+(?P<ordinal>[а-яё]+)\s+вопросу(?:\s+повестки(?:\s+дня)?)?\s*[:.,]?\s*)?"
    r"(?:выступили|выступил|выступила)\s*[:.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
DECIDED_RE = re.compile(
    r"^(?:(?P<number>\d{1,2})\s*[.)]\s*)?"
    r"(?:решили|постановили|решение|рекомендовано|рекомендации|приняли\s+решение|принято\s+решение)"
    r"\s*(?::|\.|$|\s[–—-]\s)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# A line that opens a block of decisions after a lead: "По результатам рассмотрения вопросов повестки РЕШИЛИ:",
# "IV. Руководителям образовательных организаций по результатам собеседования рекомендовано:",
# "В целях повышения качества … необходимо:".
DECISION_LEAD_RE = re.compile(
    r"^(?:(?P<section>[IVXLC]{1,6}|\d{1,2})\s*[.)]\s*)?(?P<lead>\S.*?)\s+"
    r"(?P<keyword>решили|постановили|рекомендовано|рекомендуется|рекомендуем|необходимо|поручено|поручается)"
    r"\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Whom a lead addresses: "Руководителям образовательных организаций по результатам собеседования"
LEAD_ADDRESSEE_RE = re.compile(
    r"^(?P<who>(?:руководител|директор|орган|глав|начальник|заведующ|муниципальн|отдел|управлени|комитет)"
    r"\w*(?:\s+(?!по\s+(?:результатам|итогам)\b)\S+)*?)(?:\s+по\s+(?:результатам|итогам)\b.*)?$",
    re.IGNORECASE,
)
# A Roman-numeral section of an interview protocol: "I. Открывая собеседование, …"
ROMAN_SECTION_RE = re.compile(r"^(?P<roman>[IVXLC]{1,6})\s*\.\s+(?P<text>\S.*)$")
# The title of an agenda question: "О результатах …", "Об организации …", "Обо всём …"
QUESTION_TITLE_RE = re.compile(r"^(?:О|Об|Обо)\s+[а-яёА-ЯЁ«\"]")
# A checkpoint inside one decision: "в срок до 14.04.2023", "в срок до 05.05.2023  приемку ППЭ …"
CHECKPOINT_RE = re.compile(r"^(?:в\s+срок\s+)?(?:до|не\s+позднее)\s+(?=\d)", re.IGNORECASE)
# A document-level heading "Рекомендации по результатам собеседования" opens its own item.
RECOMMENDATIONS_RE = re.compile(r"^(?P<title>рекомендации\s+по\s+[^:]+?)\s*:?\s*$", re.IGNORECASE)
NOTE_RE = re.compile(r"^(?:были\s+сделаны\s+выводы|сделаны\s+выводы|выводы|вывод)\s*[:.–—-]", re.IGNORECASE)


def ordinal_number(word: str | None) -> str:
    number = _ORDINALS.get((word or "").lower())
    return str(number) if number else ""


# The signature block: "Председатель ____ А.С. Петрова", "Секретарь          Н.В. Орлова" (raw line).
SIGNATURE_START_RE = re.compile(r"^\s*(?:председател[а-яё]*|секретар[а-яё]*|подпис[а-яё]*)\b", re.IGNORECASE)
# "Председатель" alone on its line, the name further down: the signature block of the protocol
SIGNATURE_ALONE_RE = re.compile(
    r"^(?:председател[а-яё]*|секретар[а-яё]*|председательствующ[а-яё]*)$", re.IGNORECASE
)
SIGNATURE_GAP_RE = re.compile(r"_{2,}|\S(?:\t|\s{3,})\S")
SIGNATURE_NAME_END_RE = re.compile(
    r"(?:[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|[А-ЯЁ][а-яё]+\s[А-ЯЁ]\.\s?[А-ЯЁ]\.)\s*$"
)

# --- decision points ----------------------------------------------------------------------------------

# "2.1. Провести …", "3) провести …", "2.2 Организовать …" (without a dot the text must start uppercase).
NUMBERED_RE = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,3})(?P<delimiter>[.)]\s*|\s+)(?P<text>[^\d\s].*)$"
)
BULLET_RE = re.compile(r"^(?P<marker>[–—•·▪●○◦■□➢✓*\uf0b7-]|o(?=\s))\s*(?P<text>\S.*)$")
DEADLINE_LINE_RE = re.compile(
    r"^(?i:срок[а-яё]*)(?:\s+(?i:исполнения|выполнения|представления|реализации))?"
    r"(?:\s*[:–—-]\s*|\s+(?=(?i:до|в|во|не|к|постоянно|ежемесячно|ежеквартально|ежегодно)\b)"
    r"|(?P<about>(?:\s+[а-яё]+){1,6})\s*:\s*)(?P<value>.*)$"  # "Срок представления информации об исполнении …:"
)
RESPONSIBLE_LINE_RE = re.compile(
    r"^(?i:ответственн[а-яё]*(?:\s+(?:исполнител[а-яё]*|за\s+исполнение))?|отв\.|исполнител[а-яё]*)"
    r"\s*[:–—-]\s*(?P<value>.*)$"
)
# "… образования. Срок – до 01.07.2021", "… (срок: до 01.03.2021, ответственные: руководители ОМСУ)"
# Lower-case "срок"/"ответственные" only count after punctuation or "(" ("в установленные сроки – …" is text).
INLINE_DEADLINE_RE = re.compile(
    r"(?:^|\s(?=С)|[.;,]\s*|\s*\(|\s[–—-]\s*)[Сс]рок[а-яё]*(?:\s+(?:исполнения|выполнения))?"
    r"(?:\s*[:–—-]\s*|\s+(?=до\s+\d))(?P<value>.+)$"
)
INLINE_RESPONSIBLE_RE = re.compile(
    r"(?:^|\s(?=О)|[.;,]\s*|\s*\(|\s[–—-]\s*)(?:[Оо]тветственн[а-яё]*(?:\s+исполнител[а-яё]*)?|[Оо]тв\.)"
    r"\s*[:–—-]\s*(?P<value>.+)$"
)
# A point that only acknowledges a report: "Принять информацию к сведению", "Информацию … принять к сведению".
NOTED_ONLY_RE = re.compile(
    r"^(?:информаци[а-яё]+(?:\s+\S+){0,4}\s+)?принять(?:\s+\S+){0,6}?\s+к\s+сведению"
    r"(?:\s+(?:информаци|доклад|сообщени)[а-яё]*(?:\s+\S+){0,6})?\s*[.;]?$",
    re.IGNORECASE,
)

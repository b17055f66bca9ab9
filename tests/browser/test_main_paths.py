"""Each role's main path, clicked through in a real browser; screenshots go to artifacts/browser/."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Obligation
from surveys.models import SurveyResponse
from tests.browser.conftest import shot

PROTOCOL = """ПРОТОКОЛ совещания № 9
{date}
РЕШИЛИ:
1. Провести анализ результатов пробного ЕГЭ по математике и представить его в комитет.
Срок: до {due}
Ответственные: руководители ОМСУ
"""


def test_committee_signs_a_protocol_the_head_reports_and_the_committee_accepts(
    people_live, page_as, live_server
):
    people = people_live
    today = timezone.localdate()
    committee = page_as("committee", people.password)
    shot(committee, "01-committee-home")
    committee.click("text=Протоколы")
    committee.click("text=Новый протокол")
    committee.fill(
        "#id_text", PROTOCOL.format(date=f"{today:%d.%m.%Y}", due=f"{today + timedelta(days=14):%d.%m.%Y}")
    )
    committee.click("text=Разобрать")
    shot(committee, "02-committee-review")
    committee.click("text=Сохранить и подписать — поставить на контроль")
    committee.wait_for_selector("text=Протокол подписан")
    shot(committee, "03-committee-signed")
    assert Obligation.objects.count() == 2

    head = page_as("head_a", people.password)
    head.click("text=Мои поручения")
    head.click("text=Провести анализ результатов пробного ЕГЭ")
    head.fill("form[action$='/report/'] textarea[name=text]", "Анализ проведён по всем школам района.")
    head.click("text=Направить отчёт")
    head.wait_for_selector("text=Отчёт направлен на проверку")
    shot(head, "04-head-reported")

    obligation = Obligation.objects.get(municipality=people.mun_a)
    committee.goto(f"{live_server.url}{obligation.get_absolute_url()}")
    committee.click("button:has-text('Принять')")
    committee.wait_for_selector("text=поручение снято с контроля")
    shot(committee, "05-committee-accepted")
    obligation.refresh_from_db()
    assert obligation.status == "accepted"


def test_a_director_answers_a_questionnaire(people_live, page_as):
    from surveys import sending
    from surveys import services as questionnaires

    people = people_live
    questionnaire = questionnaires.questionnaire_create(
        actor=people.head_a, title="Вопросы для собеседования",
        text="1. Размещён ли план подготовки к ГИА на сайте ОО?\n2. Сколько учителей прошли курсы? [число]",
    )  # fmt: skip
    sending.survey_send(actor=people.head_a, questionnaire=questionnaire, schools=[people.school_a],
                               due_date=timezone.localdate() + timedelta(days=5))  # fmt: skip
    director = page_as("director_a", people.password)
    director.click("text=Вопросы для собеседования")
    shot(director, "06-director-questionnaire")
    director.check("text=да")
    director.fill("input[inputmode=decimal]", "3")
    director.click("text=Отправить ответы")
    director.wait_for_selector("text=Анкета отправлена")
    shot(director, "07-director-submitted")
    assert SurveyResponse.objects.get().status == "submitted"


def test_an_observer_sees_the_region_but_has_no_buttons_that_change_it(people_live, page_as, live_server):
    observer = page_as("observer", people_live.password)
    assert "изменять данные нельзя" in observer.content()
    observer.goto(f"{live_server.url}/meetings/")
    assert observer.locator("text=Новый протокол").count() == 0
    shot(observer, "08-observer")


def test_pages_run_under_the_content_security_policy(people_live, page_as, live_server):
    """No page needs anything the CSP forbids: charts draw, dropdowns open, Swagger UI loads."""
    from assessments.models import Campaign
    from tests.assessments.factories import ege

    campaign = ege(2026, {people_live.school_a: [50, 70, 90], people_live.school_b: [40, 60]})
    assert isinstance(campaign, Campaign)
    page = page_as("committee", people_live.password)
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    for url in [
        "/",
        campaign.get_absolute_url(),
        "/meetings/",
        "/obligations/",
        "/profile/",
        "/api/v1/docs/",
    ]:
        response = page.goto(f"{live_server.url}{url}")
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert violations == []
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    page.wait_for_function("document.getElementById('means') && document.getElementById('means').width > 0")
    assert page.evaluate("typeof Chart !== 'undefined' && Object.keys(Chart.instances).length") == 2
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/schools/")
    shot(page, "09-swagger-under-csp")


def test_a_head_fills_the_roadmap_template_the_committee_returns_then_approves(
    people_live, page_as, live_server
):
    from pathlib import Path

    from roadmaps.models import Roadmap
    from tests.roadmaps.factories import INDICATORS, ITEMS, filled_template, roadmap_meeting

    people = people_live
    decision = roadmap_meeting(people)
    head = page_as("head_a", people.password)
    head.click("nav >> text=Дорожные карты")
    head.click("button:has-text('Заполнить')")
    head.wait_for_selector("text=Скачать шаблон XLSX")
    with head.expect_download() as download:
        head.click("text=Скачать шаблон XLSX")
    upload = filled_template(Path(download.value.path()).read_bytes(), items=ITEMS, indicators=INDICATORS)
    head.set_input_files("#id_file", files=[{"name": upload.name, "mimeType": "application/octet-stream",
                                            "buffer": upload.read()}])  # fmt: skip
    head.click("text=Загрузить шаблон")
    head.wait_for_selector("text=Шаблон загружен")
    shot(head, "08-head-roadmap-filled")
    head.click("text=Представить на утверждение")
    head.wait_for_selector("text=представлена на утверждение")

    committee = page_as("committee", people.password)
    committee.goto(f"{live_server.url}/roadmaps/requests/{decision.pk}/")
    shot(committee, "09-committee-roadmaps-region")
    committee.click("table >> text=КО Всеволожского района")
    committee.fill("#id_comment", "Добавьте работу со школами с низкими результатами.")
    committee.click("button:has-text('Вернуть с замечаниями')")
    committee.wait_for_selector("text=возвращена на доработку с замечаниями")

    head.reload()
    assert "Добавьте работу со школами" in head.content()
    head.click("text=Представить повторно")
    head.wait_for_selector("text=представлена на утверждение")
    committee.reload()
    committee.click("button:has-text('Утвердить')")
    committee.wait_for_selector("text=Дорожная карта утверждена")
    shot(committee, "10-committee-roadmap-approved")
    roadmap = Roadmap.objects.get()
    assert roadmap.status == "approved" and roadmap.versions.count() == 2


def _import_ege_2026(page, live_server, path, shot_name: str = "") -> None:
    """The import page as staff use it: choose the file, see the check, load the results."""
    page.goto(f"{live_server.url}/results/import/")
    page.select_option("#id_kind", "EGE")
    page.fill("#id_year", "2026")
    page.select_option("#id_subject", label="Русский язык")
    page.set_input_files("#id_file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Ошибок нет")
    if shot_name:
        shot(page, shot_name)
    page.click("text=Загрузить результаты")
    page.wait_for_selector("text=ЕГЭ-2026, Русский язык")


def test_staff_import_results_and_open_a_flagged_school(people_live, page_as, live_server, tmp_path):
    from assessments.models import Result, SchoolFlag
    from tests.assessments.factories import subject
    from tests.assessments.test_import import GOOD, ege_file

    people = people_live
    subject()
    path = tmp_path / "ege-russian-2026.xlsx"
    path.write_bytes(ege_file(GOOD))
    committee = page_as("committee", people.password)
    _import_ege_2026(committee, live_server, path, shot_name="11-committee-import-checked")
    assert Result.objects.count() == 4
    SchoolFlag.objects.create(kind="low_results", school=people.school_a, municipality=people.mun_a, year=2026,
                              reasons=[{"text": "Средний балл ниже 10-го процентиля региона два года из трёх"}])  # fmt: skip
    committee.goto(f"{live_server.url}/results/flags/")
    committee.click(f"text={people.school_a.short_name}")
    committee.wait_for_selector(f"h1:has-text('{people.school_a.short_name}')")
    shot(committee, "12-committee-flagged-school")
    assert "ниже 10-го процентиля" in committee.content()


def test_committee_goes_from_a_flag_to_a_decision_and_later_sees_whether_it_helped(
    people_live, page_as, live_server, tmp_path
):
    """Issue 15's loop: a ГИА risk flag → a question in a new draft protocol → signed decision under control →
    next year's results imported through the page → the same flag says the indicator improved."""
    from assessments.flagging import flags_refresh
    from assessments.models import AssessmentKind, Scale, SchoolFlag
    from meetings.models import Decision
    from tests.assessments.factories import ege, subject
    from tests.assessments.test_import import ege_file

    people = people_live
    others = {people.school_a2: list(range(50, 70)), people.school_b: list(range(70, 90))}
    ege(2025, {people.school_a: [10, 15, 20, 22, 23, *range(40, 55)], **others})
    flags_refresh(2025)
    flag = SchoolFlag.objects.get(kind="gia_risk", school=people.school_a, year=2025)
    Scale.objects.get_or_create(  # shipped by a data migration
        kind=AssessmentKind.EGE,
        subject=subject(),
        year=2026,
        grade=None,
        defaults={"min_score": 24, "min_score_university": 36},
    )

    committee = page_as("committee", people.password)
    committee.goto(f"{live_server.url}/results/flags/?kind=gia_risk")
    committee.click(f"a:has-text('{people.school_a.short_name}')")
    committee.wait_for_selector("text=5 из 20 участников (25 %) ниже минимума по русскому языку (24)")
    shot(committee, "13-committee-flag")
    committee.select_option("#id_meeting", "new")
    committee.click("button:has-text('Добавить вопрос')")
    committee.wait_for_selector("text=Вопрос добавлен в проект протокола")
    assert "5 из 20 участников (25 %)" in committee.content()
    shot(committee, "14-committee-draft-with-the-flag")
    committee.click("button:has-text('Подписать и поставить на контроль')")
    committee.wait_for_selector("text=подписан")
    decision = Decision.objects.get(flag=flag)
    assert decision.obligations.get().school == people.school_a

    committee.goto(f"{live_server.url}/results/flags/{flag.pk}/")
    committee.wait_for_selector(f"text=на контроле: п. {decision.number} протокола")

    rows = [
        ["04", "04001", "11А", f"N{i:03d}", "", "", "", "", score]
        for i, score in enumerate([20, *range(40, 59)])
    ]
    rows += [[s.municipality.code, s.code, "11", f"O{s.code}{i}", "", "", "", "", v]
             for s, scores in others.items() for i, v in enumerate(scores)]  # fmt: skip
    path = tmp_path / "ege-russian-2026.xlsx"
    path.write_bytes(ege_file(rows))
    _import_ege_2026(committee, live_server, path)

    committee.goto(f"{live_server.url}/results/flags/{flag.pk}/")
    committee.wait_for_selector("text=Показатель улучшился")
    assert (
        "2026: ниже минимума 1 из 20 (5 %) по тем же предметам; в 2025 — 5 из 20 (25 %)."
        in committee.content()
    )
    shot(committee, "15-committee-flag-improved")
    committee.goto(f"{live_server.url}/")
    committee.wait_for_selector("text=признаков с решением, где показатель улучшился")
    shot(committee, "16-committee-home-loop")


LETTER_AND_DECISION = """КОМИТЕТ ОБЩЕГО И ПРОФЕССИОНАЛЬНОГО ОБРАЗОВАНИЯ ЛЕНИНГРАДСКОЙ ОБЛАСТИ
тел. (812) 000-00-00, e-mail: edu@example.ru

Руководителям органов местного самоуправления, осуществляющих управление в сфере образования

№ 19-1234/2026
от {letter:%d.%m.%Y}

Уважаемые руководители!
Направляем решение совещания от {meeting:%d.%m.%Y}.

Исп. Петрова А.С.

Комитет общего и профессионального образования Ленинградской области

РЕШЕНИЯ
совещания руководителей органов местного самоуправления Ленинградской области
{meeting:%d.%m.%Y}

1. Представить в комитет планы работы со школами с низкими результатами.
Срок: в течение 10 рабочих дней со дня подписания протокола
Ответственные: руководители органов местного самоуправления Ленинградской области, осуществляющих управление в сфере образования, ГАОУ ДПО ЛОИРО
2. Провести родительские собрания по вопросам ГИА.
Срок: до 1 сентября
Ответственные: руководители общеобразовательных организаций Всеволожского района
"""


def test_the_review_page_shows_what_each_addressee_resolved_to(people_live, page_as):
    today = timezone.localdate()
    committee = page_as("committee", people_live.password)
    committee.click("text=Протоколы")
    committee.click("text=Новый протокол")
    committee.fill("#id_text", LETTER_AND_DECISION.format(letter=today, meeting=today - timedelta(days=2)))
    committee.click("text=Разобрать")
    committee.wait_for_selector("text=2 органа управления образованием муниципалитетов")
    assert committee.locator("text=2 школы: Всеволожский муниципальный район").count() >= 1
    assert committee.locator("text=отсчитывается от подписания протокола").count() == 1
    assert committee.locator("text=записан без года").count() == 1
    assert (
        committee.input_value("#id_date") == f"{today - timedelta(days=2):%Y-%m-%d}"
    )  # not the letter's date
    shot(committee, "07-committee-review-addressees")

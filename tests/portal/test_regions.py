"""Two regions in one installation: nothing crosses between them, the federal observer reads both and writes nothing.

The id routes come from the URL conf, as in the URL × role matrix (``test_url_matrix``): every page and API route
that takes an object is tried with a real row of the other region, for every regional role of region 47 (and the
other way round for Omsk's committee), and must answer as for a missing row. Lists, XLSX exports, the search, the
calendar feed and the admin are checked for the other region's names.
"""

from io import BytesIO
from types import SimpleNamespace

import pytest
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from assessments.models import Campaign, ImportJob, SchoolFlag
from mechanisms import services as mechanism_services
from mechanisms.models import Direction, RequiredDocument
from meetings import services as meeting_services
from meetings.deadlines import parse_deadline
from meetings.models import Document, Obligation, Report, ReportFile
from meetings.models.comments import ObligationComment, ObligationCommentFile
from meetings.parties import PartyResolver
from municipalities.models import User
from roadmaps.models import RoadmapFile
from roadmaps.services import roadmap_for_obligation
from surveys.sending import survey_send
from surveys.services import questionnaire_create
from tests.assessments.factories import ege
from tests.mechanisms.factories import pdf
from tests.meetings.factories import days, written
from tests.portal.test_api_contract import contract_data  # noqa: F401  (a fixture: region 47's rows)
from tests.portal.test_url_matrix import (  # noqa: F401  (one_of_each is a fixture)
    OBSERVER_MAY_POST,
    OWN_DATA,
    PUBLIC,
    _model_for,
    _real_urls,
    one_of_each,
    walk,
)
from tests.roadmaps.factories import ROADMAP_DECISION

REGION_47_PEOPLE = ["committee", "observer", "head_a", "director_a", "loiro_staff"]
OMSK_WORD = "Тарского"  # only in region 55's protocol, unit names and exports


def _decision(resolver, number, text, responsible):
    parts = [p.strip() for p in responsible.split(";")]
    parties = [resolver.resolve(p) for p in parts]
    assert all(parties), parts
    return meeting_services.DecisionDraft(
        number=number, text=text, tracked=True, deadline=parse_deadline(f"до {written(20)}", meeting_date=days(-5)),
        responsible_text=responsible, parties=parties,
    )  # fmt: skip


@pytest.fixture
def omsk(people):
    """A little of everything in region 55, made the way its people make it."""
    resolver = PartyResolver(organization=people.ministry_c)
    draft = meeting_services.MeetingDraft(
        kind="meeting", date=days(-5), number="8", title=f"Совещание с руководителями ОМСУ и {OMSK_WORD} района",
        chair="Белова Н.А.", invited=["руководители ОМСУ"],
        items=[meeting_services.ItemDraft(number=1, title="О подготовке к ГИА", decisions=[
            _decision(resolver, "1.1", ROADMAP_DECISION, "руководители ОМСУ"),
            _decision(resolver, "1.2", "Представить план работы со слабоуспевающими", "Средняя школа № 1 г. Тары"),
        ])],
    )  # fmt: skip
    meeting = meeting_services.meeting_create(
        actor=people.committee_c, draft=draft, organizer_organization=people.ministry_c,
        controller=people.committee_c, sign=True,
    )  # fmt: skip
    roadmap_obligation = Obligation.objects.get(decision__number="1.1", decision__item__meeting=meeting)
    roadmap = roadmap_for_obligation(obligation=roadmap_obligation, actor=people.head_c)
    RoadmapFile.objects.create(roadmap=roadmap, file="roadmaps/omsk.pdf", name="omsk.pdf", size=10,
                               content_type="application/pdf", sha256="0" * 64, uploaded_by=people.head_c)  # fmt: skip
    school_obligation = Obligation.objects.get(decision__number="1.2", decision__item__meeting=meeting)
    meeting_services.report_submit(
        obligation=school_obligation, actor=people.director_c, text="План утверждён."
    )
    report = Report.objects.get(obligation=school_obligation)
    report_file = ReportFile.objects.create(report=report, file="reports/omsk.pdf", name="omsk.pdf", size=10,
                                            content_type="application/pdf", sha256="0" * 64)  # fmt: skip
    extension = meeting_services.extension_request(
        obligation=roadmap_obligation,
        actor=people.head_c,
        proposed_date=days(50),
        reason="Ждём данных от школ.",
    )
    comment = ObligationComment.objects.create(
        obligation=school_obligation, author=people.director_c, text="?"
    )
    comment_file = ObligationCommentFile.objects.create(comment=comment, file="comments/omsk.pdf", name="c.pdf",
                                                        size=10, content_type="application/pdf", sha256="0" * 64)  # fmt: skip
    document = Document.objects.create(
        meeting=meeting, kind="protocol", revision=1, key="rev-1", requested_by=people.committee_c
    )
    questionnaire = questionnaire_create(actor=people.committee_c, title="Анкета Омской области",
                                         text="1. Утверждён ли план подготовки к ГИА?")  # fmt: skip
    survey = survey_send(actor=people.committee_c, questionnaire=questionnaire, schools=[people.school_c],
                         due_date=days(14))  # fmt: skip
    ege(2025, {people.school_c: [40, 55, 71]})
    campaign = Campaign.objects.get(region=people.region_c)
    flag = SchoolFlag.objects.create(kind=SchoolFlag.Kind.LOW_RESULTS, school=people.school_c,
                                     municipality=people.mun_c, subject="Русский язык", year=2025,
                                     reasons=[{"code": "bottom_decile", "text": "Ниже области"}], score=1.0)  # fmt: skip
    job = ImportJob.objects.create(region=people.region_c, kind="EGE", year=2025, file="imports/o.xlsx",
                                   filename="o.xlsx", sha256="0" * 64, status="checked", created_by=people.committee_c)  # fmt: skip
    direction = Direction.objects.create(
        region=people.region_c, number=1, name="Объективность", short_name="ОБ"
    )
    required = RequiredDocument.objects.create(direction=direction, number=1, name="Положение")
    mechanism_document = mechanism_services.document_submit(
        actor=people.head_c, municipality=people.mun_c, required=required, year=2026, upload=pdf()
    )
    from meetings.models.board import SavedFilter

    saved = SavedFilter.objects.create(user=people.committee_c, name="Просрочено", query="state=overdue")
    ids = {
        "meetings.SavedFilter": saved.pk,
        "assessments.Campaign": campaign.pk, "assessments.SchoolFlag": flag.pk, "assessments.ImportJob": job.pk,
        "meetings.Meeting": meeting.pk, "meetings.Decision": roadmap_obligation.decision_id,
        "meetings.Obligation": school_obligation.pk, "meetings.Report": report.pk, "meetings.ReportFile": report_file.pk,
        "meetings.ExtensionRequest": extension.pk, "meetings.ObligationCommentFile": comment_file.pk,
        "meetings.Document": document.pk, "surveys.Questionnaire": questionnaire.pk, "surveys.Survey": survey.pk,
        "surveys.SurveyResponse": survey.responses.get().pk, "surveys.Question": questionnaire.questions.get().pk,
        "municipalities.Municipality": people.mun_c.pk, "municipalities.School": people.school_c.pk,
        "municipalities.Organization": people.ministry_c.pk, "roadmaps.Roadmap": roadmap.pk,
        "roadmaps.RoadmapFile": RoadmapFile.objects.get(roadmap=roadmap).pk, "mechanisms.Direction": direction.pk,
        "mechanisms.RequiredDocument": required.pk, "mechanisms.MechanismDocument": mechanism_document.pk,
    }  # fmt: skip
    return SimpleNamespace(ids=ids, meeting=meeting, obligation=school_obligation, campaign=campaign)


def _id_urls(ids: dict) -> list[tuple[str, str]]:
    """Every id route of the URL conf filled with ``ids`` (one URL per action of a slug route)."""
    urls = []
    for name, route in sorted(walk(get_resolver().url_patterns)):
        has_id = "<" in route or "(?P<" in route
        if name.startswith("admin:") or "format>" in route or not has_id or _model_for(name) is None:
            continue
        urls += [(name, url) for url in _real_urls(name, route, ids)]
    return urls


@pytest.mark.parametrize("persona", REGION_47_PEOPLE)
def test_region_47_people_get_404_for_every_object_of_region_55(client, people, omsk, persona):
    """Pages, API, PDFs (control card, documents), files and XLSX exports of Omsk's rows: as if they did not exist."""
    client.force_login(getattr(people, persona))
    tried, wrong = 0, []
    for name, url in _id_urls(omsk.ids):
        for suffix in ("", "?format=xlsx"):
            response = client.get(url + suffix)
            tried += 1
            if response.status_code not in (403, 404, 405):
                wrong.append(f"GET {url}{suffix} ({name}) → {response.status_code}")
    print(f"{persona}: {tried} requests on region 55's ids")
    assert tried > 150
    assert not wrong, "\n".join(wrong)


def test_region_47_committee_cannot_write_to_region_55(client, people, omsk):
    from tests.portal.test_url_matrix import _fingerprint

    client.force_login(people.committee)
    before, wrong = _fingerprint(), []
    for name, url in _id_urls(omsk.ids):
        if name in OBSERVER_MAY_POST or name in PUBLIC or name in OWN_DATA:
            continue
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, data={}, content_type="application/json")
            # 400/415: an empty body is refused before the object is looked up, as for an id that does not exist
            # deleting a saved filter deletes only one's own and goes back to the board: the row stays (below)
            own_only = name == "meetings:saved_filter_delete" and response.status_code == 302
            if response.status_code not in (400, 403, 404, 405, 415) and not own_only:
                wrong.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert {k for k, v in _fingerprint().items() if before[k] != v} == set()


def test_region_55_committee_gets_404_for_every_object_of_region_47(client, people, one_of_each):  # noqa: F811
    client.force_login(people.committee_c)
    wrong = [
        f"GET {url} ({name}) → {response.status_code}"
        for name, url in _id_urls(one_of_each)
        if (response := client.get(url)).status_code not in (403, 404, 405)
    ]
    assert not wrong, "\n".join(wrong)


API_LISTS = ["meeting", "decision", "obligation", "report", "extension-request", "school", "municipality",
             "organization", "campaign", "flag", "roadmap", "survey", "survey-response", "mechanism",
             "mechanism-document"]  # fmt: skip
API_MODELS = {"meeting": "meetings.Meeting", "decision": "meetings.Decision", "obligation": "meetings.Obligation",
              "report": "meetings.Report", "extension-request": "meetings.ExtensionRequest",
              "school": "municipalities.School", "municipality": "municipalities.Municipality",
              "organization": "municipalities.Organization", "campaign": "assessments.Campaign",
              "flag": "assessments.SchoolFlag", "roadmap": "roadmaps.Roadmap", "survey": "surveys.Survey",
              "survey-response": "surveys.SurveyResponse", "mechanism": "mechanisms.Direction",
              "mechanism-document": "mechanisms.MechanismDocument"}  # fmt: skip


def _listed(client, resource: str) -> set[int]:
    found, url = set(), reverse(f"api:{resource}-list")
    while url:
        body = client.get(url).json()
        rows = body["results"] if isinstance(body, dict) else body
        found |= {row["id"] for row in rows}
        url = body.get("next") if isinstance(body, dict) else None
    return found


def test_api_lists_keep_each_region_to_itself_and_show_both_to_the_federal_observer(client, people, omsk):
    for persona in ("committee", "observer", "head_a"):
        client.force_login(getattr(people, persona))
        leaked = [r for r in API_LISTS if omsk.ids[API_MODELS[r]] in _listed(client, r)]
        assert not leaked, (persona, leaked)
    client.force_login(people.federal)
    for resource in ("meeting", "obligation", "school", "municipality", "campaign", "flag", "roadmap"):
        assert omsk.ids[API_MODELS[resource]] in _listed(client, resource), resource
    assert people.school_a.pk in _listed(client, "school")
    summary = client.get(reverse("api:campaign-summary", args=[omsk.campaign.pk]), {"by": "school"})
    assert summary.status_code == 200 and "СОШ № 1 Тара" in summary.json()[0]["name"]


def _xlsx_text(response) -> str:
    book = load_workbook(BytesIO(response.content), read_only=True)
    return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)


def test_exports_search_and_calendar_show_only_the_own_region(client, people, omsk):
    client.force_login(people.committee)
    exports = [
        reverse("municipalities:school_export"),
        reverse("meetings:discipline") + "?format=xlsx",
        reverse("assessments:flags") + "?format=xlsx",
        reverse("mechanisms:matrix") + "?format=xlsx",
    ]
    for url in exports:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Тар" not in _xlsx_text(response), url
    for page in ("home", "meetings:obligation_list", "meetings:meeting_list", "assessments:home",
                 "municipalities:school_list", "municipalities:municipality_list", "roadmaps:list"):  # fmt: skip
        assert "Тар" not in client.get(reverse(page)).text, page
    assert client.get(reverse("search"), {"q": OMSK_WORD}).text.count(omsk.meeting.get_absolute_url()) == 0
    assert client.get(reverse("api:search"), {"q": OMSK_WORD}).json().get("results", []) in ([], {})
    client.force_login(people.federal)
    assert omsk.meeting.get_absolute_url() in client.get(reverse("search"), {"q": OMSK_WORD}).text

    # the calendar feed of a region-47 controller and of a region-47 director carry nothing of Omsk
    for user in (people.committee, people.director_a, people.committee_c):
        User.objects.filter(pk=user.pk).update(calendar_token="t" * 20 + user.username.ljust(20, "x"))
    feeds = {
        u: client.get(reverse("calendar", args=["t" * 20 + u.ljust(20, "x")]))
        for u in ("committee", "director_a")
    }
    omsk_uids = [f"obligation-{pk}-" for pk in Obligation.objects.filter(decision__item__meeting=omsk.meeting)
                 .values_list("pk", flat=True)]  # fmt: skip
    for username, feed in feeds.items():
        assert feed.status_code == 200 and not any(uid in feed.text for uid in omsk_uids), username
    omsk_feed = client.get(reverse("calendar", args=["t" * 20 + "committee_c".ljust(20, "x")]))
    assert any(uid in omsk_feed.text for uid in omsk_uids)


def test_federal_observer_reads_both_regions_pages_and_pdfs(client, people, omsk, contract_data):  # noqa: F811
    client.force_login(people.federal)
    region_47_meeting = contract_data.obligations["head_a"].decision.item.meeting
    for url in (omsk.meeting.get_absolute_url(), region_47_meeting.get_absolute_url(),
                omsk.obligation.get_absolute_url(), contract_data.obligations["head_a"].get_absolute_url(),
                omsk.campaign.get_absolute_url(), people.school_c.get_absolute_url(), people.school_a.get_absolute_url(),
                reverse("meetings:obligation_card", args=[omsk.obligation.pk])):  # fmt: skip
        assert client.get(url).status_code == 200, url
    municipalities = client.get(reverse("municipalities:municipality_list")).text
    assert "Тарский" in municipalities and "Всеволожский" in municipalities


def test_first_screen_names_what_each_person_sees(client, people, omsk):
    """The federal observer's first screen speaks of every region; a regional observer's names their region."""
    client.force_login(people.federal)
    page = client.get("/").text
    assert "Все регионы" in page and "видите все регионы" in page and "Регион: " not in page
    client.force_login(people.observer)
    page = client.get("/").text
    assert f"Регион: {people.region.name}" in page and "Все регионы" not in page


def test_admin_lists_only_the_own_region_to_a_regional_superuser(client, people, omsk):
    admin = User.objects.create(username="admin47", role="committee", region=people.region, is_staff=True,
                                is_superuser=True)  # fmt: skip
    client.force_login(admin)
    for url in ("/admin/municipalities/school/", "/admin/meetings/meeting/", "/admin/meetings/obligation/",
                "/admin/assessments/campaign/", "/admin/municipalities/user/", "/admin/roadmaps/roadmap/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Тар" not in response.text and "committee_c" not in response.text, url
    change = client.get(f"/admin/municipalities/school/{people.school_c.pk}/change/", follow=True)
    assert "СОШ № 1 Тара" not in change.text


@pytest.mark.parametrize("persona", ["observer", "federal"])
def test_read_only_people_cannot_write_to_real_objects(client, people, one_of_each, omsk, persona):  # noqa: F811
    """The federal observer is refused every write exactly like the regional observer, in both regions."""
    from tests.portal.test_url_matrix import _fingerprint

    client.force_login(getattr(people, persona))
    before, wrong, tried = _fingerprint(), [], 0
    for ids in (one_of_each, omsk.ids):
        for name, url in _id_urls(ids):
            if name in OBSERVER_MAY_POST or name in PUBLIC or name in OWN_DATA:
                continue
            for method in ("post", "put", "patch", "delete"):
                response = getattr(client, method)(url, data={}, content_type="application/json")
                tried += 1
                # the federal observer sees both regions: a refusal, never «not found»
                allowed = (403, 405) if persona == "federal" or ids is one_of_each else (403, 404, 405)
                if response.status_code not in allowed:
                    wrong.append(f"{method.upper()} {url} ({name}) → {response.status_code}")
    assert tried > 600
    assert not wrong, "\n".join(wrong)
    assert {k for k, v in _fingerprint().items() if before[k] != v} == set()


def test_the_ministry_sees_a_region_column_and_filters_by_region(client, people):
    client.force_login(people.federal)
    page = client.get(reverse("municipalities:school_list"))
    assert "Регион" in page.text and "Омская область" in page.text and "Ленинградская область" in page.text
    only_omsk = client.get(reverse("municipalities:school_list"), {"region": people.region_c.pk}).text
    assert "СОШ № 1 Тара" in only_omsk and "Гимназия Выборга" not in only_omsk
    export = _xlsx_text(client.get(reverse("municipalities:school_export"), {"region": people.region.pk}))
    assert "Ленинградская область" in export and "Тара" not in export
    assert "Омская область" in client.get(reverse("municipalities:municipality_list")).text
    client.force_login(people.committee)  # a regional person sees neither the column nor other regions
    page = client.get(reverse("municipalities:school_list"), {"region": people.region_c.pk})
    assert "Омская область" not in page.text and "Тара" not in page.text

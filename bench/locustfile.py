"""Users of `make load`: the committee on its board and analytics, heads on inboxes, directors on theirs.

Every page class is visited: board and inboxes, obligation, decision and protocol pages, results with their
drill-downs to a municipality and a school, flags and a flag, roadmaps, questionnaires, the school search
and the main API lists. Signing in (a deliberately slow password hash) and picking the ids to visit are
setup, not browsing: the figures written to ``LOAD_RESULT`` cover only the pages requested after every user
has signed in.
"""

import json
import os
import random
import re
import statistics

import gevent
from locust import HttpUser, between, events, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SETUP = {"login form", "sign in", "setup: ids"}
signed_in: set[int] = set()
samples: dict[str, list[float]] = {}
errors: dict[str, int] = {}
sign_ins: list[float] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    if name == "sign in":  # the storm of simultaneous sign-ins, reported on its own
        sign_ins.append(response_time)
    if name in SETUP or len(signed_in) < int(os.environ.get("LOAD_USERS", "50")):
        return
    samples.setdefault(name, []).append(response_time)
    if exception is not None:
        errors[name] = errors.get(name, 0) + 1


@events.quitting.add_listener
def _write(environment, **kwargs):
    def summary(values: list[float]) -> dict:
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        return {"requests": len(values), "p50": cuts[49], "p95": cuts[94]}

    everything = [v for values in samples.values() for v in values]
    result = {"pages": {name: {**summary(values), "errors": errors.get(name, 0)} for name, values in samples.items()},
              "all": {**summary(everything or [0.0]), "errors": sum(errors.values())},
              "sign_in": summary(sign_ins or [0.0])}  # fmt: skip
    with open(os.environ["LOAD_RESULT"], "w", encoding="utf-8") as handle:
        json.dump(result, handle)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 5)  # an official reads a page before the next click
    username = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        answer = self.client.post("/accounts/login/", {"username": self.username, "password": "demo",
                                  "csrfmiddlewaretoken": token}, name="sign in", allow_redirects=False)  # fmt: skip
        if answer.status_code != 302:
            answer.failure(f"sign in as {self.username}: {answer.status_code}")
        self.campaigns = self._ids("/api/v1/campaigns/?kind=EGE&year=2026")
        obligations = self._page("/api/v1/obligations/")
        self.obligations = [row["id"] for row in obligations] or [None]
        self.decisions = sorted({row["decision"] for row in obligations if row.get("decision")}) or [None]
        self.meetings = sorted({row["meeting"] for row in obligations if row.get("meeting")}) or [None]
        self.flags = self._ids("/api/v1/flags/")
        self.schools = self._ids("/api/v1/schools/")
        self.municipalities = self._ids("/api/v1/municipalities/")
        signed_in.add(id(self))
        if len(signed_in) == int(os.environ.get("LOAD_USERS", "50")):
            # the browsing window is counted from the moment the last user is in, however long the storm took
            gevent.spawn_later(int(os.environ.get("LOAD_SECONDS", "60")), self.environment.runner.quit)

    def _page(self, url: str) -> list[dict]:
        answer = self.client.get(url, name="setup: ids")
        return answer.json().get("results", []) if answer.status_code == 200 else []

    def _ids(self, url: str) -> list:
        return [row["id"] for row in self._page(url)] or [None]

    def visit(self, name: str, url: str, ids: list | None = None, query: str = "") -> None:
        """One page of a class; a class whose ids this user has none of is skipped."""
        if ids is not None:
            pk = random.choice(ids)  # noqa: S311
            if pk is None:
                return
            url = url.format(pk)
        self.client.get(url + query, name=name)

    def campaign(self):
        self.visit("results: campaign", "/results/{}/", self.campaigns)

    def drill_down(self):
        pk = random.choice(self.campaigns)  # noqa: S311
        municipality = random.choice(self.municipalities)  # noqa: S311
        if pk and municipality:
            self.client.get(f"/results/{pk}/?municipality={municipality}", name="results: municipality")

    def obligation(self):
        self.visit("obligation", "/obligations/{}/", self.obligations)

    def decision(self):
        self.visit("decision", "/decisions/{}/", self.decisions)

    def school(self):
        self.visit("results: school", "/results/school/{}/", self.schools)


class Committee(PortalUser):
    weight = 2
    username = "committee"

    @task(3)
    def board(self):
        self.client.get("/obligations/", name="board")

    @task(1)
    def overdue(self):
        self.client.get("/obligations/?state=overdue", name="board: overdue")

    @task(2)
    def pages(self):
        self.obligation()
        self.decision()

    @task(1)
    def protocol(self):
        self.visit("protocol", "/meetings/{}/", self.meetings)

    @task(2)
    def results(self):
        self.client.get("/results/", name="results")
        self.campaign()
        self.drill_down()
        self.school()

    @task(2)
    def flags(self):
        self.client.get("/results/flags/", name="flags")
        self.visit("flag", "/results/flags/{}/", self.flags)

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def roadmaps(self):
        self.client.get("/roadmaps/", name="roadmaps")

    @task(1)
    def questionnaires(self):
        self.client.get("/questionnaires/", name="questionnaires")

    @task(1)
    def discipline(self):
        self.client.get("/discipline/", name="discipline")

    @task(1)
    def search(self):
        words = ["СОШ", "гимназия", "Всеволожск", "лицей"]
        self.client.get("/schools/?q=" + random.choice(words), name="search")  # noqa: S311

    @task(2)
    def api(self):
        self.client.get("/api/v1/obligations/", name="api: obligations")
        self.client.get("/api/v1/decisions/", name="api: decisions")
        self.client.get("/api/v1/flags/", name="api: flags")
        self.visit(
            "api: campaign summary", "/api/v1/campaigns/{}/summary/", self.campaigns, "?by=municipality"
        )


class Head(PortalUser):
    weight = 2
    username = "municipality"

    @task(3)
    def inbox(self):
        self.client.get("/obligations/", name="inbox")

    @task(2)
    def pages(self):
        self.obligation()
        self.decision()

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(2)
    def results(self):
        self.campaign()
        self.drill_down()
        self.school()

    @task(1)
    def flags(self):
        self.client.get("/results/flags/", name="flags")
        self.visit("flag", "/results/flags/{}/", self.flags)

    @task(1)
    def roadmaps(self):
        self.client.get("/roadmaps/", name="roadmaps")

    @task(1)
    def questionnaires(self):
        self.client.get("/questionnaires/", name="questionnaires")

    @task(1)
    def api(self):
        self.client.get("/api/v1/obligations/", name="api: obligations")
        self.client.get("/api/v1/schools/", name="api: schools")


class Director(PortalUser):
    weight = 1
    username = "school"

    @task(3)
    def inbox(self):
        self.client.get("/obligations/", name="inbox")

    @task(2)
    def pages(self):
        self.obligation()
        self.decision()

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def results(self):
        self.campaign()
        self.school()

    @task(1)
    def questionnaires(self):
        self.client.get("/questionnaires/", name="questionnaires")

    @task(1)
    def api(self):
        self.client.get("/api/v1/obligations/", name="api: obligations")

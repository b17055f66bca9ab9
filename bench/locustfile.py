"""Users of `make load`: the committee on its board and analytics, heads on inboxes, directors on theirs.

Signing in (a deliberately slow password hash) is setup, not browsing: the figures written to
``LOAD_RESULT`` cover only the pages requested after every user has signed in.
"""

import json
import os
import random
import re
import statistics

from locust import HttpUser, between, events, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SETUP = {"login form", "sign in", "api: campaigns"}
signed_in: set[int] = set()
samples: dict[str, list[float]] = {}
errors: dict[str, int] = {}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
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
              "all": {**summary(everything or [0.0]), "errors": sum(errors.values())}}  # fmt: skip
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
        campaigns = self.client.get("/api/v1/campaigns/?kind=EGE&year=2026", name="api: campaigns").json()
        self.campaigns = [c["id"] for c in campaigns.get("results", [])] or [None]
        signed_in.add(id(self))

    def campaign(self):
        pk = random.choice(self.campaigns)  # noqa: S311
        if pk:
            self.client.get(f"/results/{pk}/", name="results: campaign")


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
    def results(self):
        self.client.get("/results/", name="results")
        self.campaign()

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def roadmaps(self):
        self.client.get("/roadmaps/", name="roadmaps")

    @task(1)
    def discipline(self):
        self.client.get("/discipline/", name="discipline")


class Head(PortalUser):
    weight = 2
    username = "municipality"

    @task(3)
    def inbox(self):
        self.client.get("/obligations/", name="inbox")

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(2)
    def results(self):
        self.campaign()

    @task(1)
    def roadmaps(self):
        self.client.get("/roadmaps/", name="roadmaps")


class Director(PortalUser):
    weight = 1
    username = "school"

    @task(3)
    def inbox(self):
        self.client.get("/obligations/", name="inbox")

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def results(self):
        self.campaign()

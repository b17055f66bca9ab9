"""Users of `make load`: the committee on its board and analytics, heads on inboxes, directors on theirs."""

import random
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
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

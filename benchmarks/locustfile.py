"""Locust users for `make bench-load`; benchmarks/load.py runs one class at a time, headless.

Each user signs in through the real login form once, then repeats one request as fast as the
server answers (no think time). Parameters come from the environment (set by load.py):
BENCH_PASSWORD, BENCH_SECURITY, BENCH_SUPPLIER (e-mail addresses), BENCH_ASSESSMENTS (ids of
fully answered open questionnaires of the supplier user), BENCH_CODE (a question without
follow-ups) and BENCH_CONTROLLER (a yes/no question other questions' show_if depends on).
BENCH_MEASURE names the request to time and BENCH_SAMPLES the JSON file its timings go to
(exact percentiles; sign-in and set-up requests are left out, unlike locust's own rates).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time

from locust import FastHttpUser, events, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
_next_assessment = itertools.count()
_samples: list[tuple[float, float, bool]] = []  # (finished at, response time in ms, failed)


@events.request.add_listener
def _record(name, response_time, exception=None, **_kw) -> None:
    if name == os.environ.get("BENCH_MEASURE"):
        _samples.append((time.time(), response_time, exception is not None))


@events.quitting.add_listener
def _write(**_kw) -> None:
    if os.environ.get("BENCH_SAMPLES"):
        with open(os.environ["BENCH_SAMPLES"], "w") as fh:
            json.dump(_samples, fh)


def _assessments() -> list[int]:
    return [int(x) for x in os.environ["BENCH_ASSESSMENTS"].split(",")]


class _SignedIn(FastHttpUser):
    abstract = True
    email_variable = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login")
        self.client.post(
            "/accounts/login/",
            data={
                "login": os.environ[self.email_variable],
                "password": os.environ["BENCH_PASSWORD"],
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            },
            name="login",
        )


class Bare(FastHttpUser):
    """Anonymous: the bare view with one query."""

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="bare")


class BareSignedIn(_SignedIn):
    """The bare view again, signed in: what the session and the membership middleware add."""

    email_variable = "BENCH_SUPPLIER"

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="bare (signed in)")


class Dashboard(_SignedIn):
    email_variable = "BENCH_SECURITY"

    @task
    def home(self) -> None:
        self.client.get("/", name="dashboard")


class Portfolio(_SignedIn):
    email_variable = "BENCH_SECURITY"

    @task
    def portfolio(self) -> None:
        self.client.get("/portfolio/", name="portfolio")


class Questionnaire(_SignedIn):
    email_variable = "BENCH_SUPPLIER"

    def on_start(self) -> None:
        super().on_start()
        ids = _assessments()
        self.url = f"/assessments/{ids[next(_next_assessment) % len(ids)]}/"

    @task
    def page(self) -> None:
        self.client.get(self.url, name="questionnaire")


class QuestionnaireAll(Questionnaire):
    """The same questionnaire with every section on one page (?all=1): what the page cost
    before it showed one section at a time."""

    @task
    def page(self) -> None:
        self.client.get(self.url + "?all=1", name="questionnaire (every section)")


class Autosave(_SignedIn):
    """One answer saved over and over in the user's own questionnaire (no version conflicts):
    the htmx POST the page sends on change, with its CSRF token and the answer's version."""

    email_variable = "BENCH_SUPPLIER"
    code_variable = "BENCH_CODE"
    values = ("yes", "partial")
    request_name = "autosave"

    def on_start(self) -> None:
        super().on_start()
        ids = _assessments()
        self.assessment = ids[next(_next_assessment) % len(ids)]
        self.code = os.environ[self.code_variable]
        page = self.client.get(
            f"/assessments/{self.assessment}/?q={self.code}", name="questionnaire (setup)"
        )
        self.csrf = CSRF.search(page.text).group(1)
        self.version = self._version(page.text)
        self.turn = itertools.cycle(self.values)

    def _version(self, html: str) -> int:
        at = html.index(f'action="/assessments/{self.assessment}/answers/{self.code}/"')
        return int(VERSION.search(html, at).group(1))

    @task
    def save(self) -> None:
        with self.client.post(
            f"/assessments/{self.assessment}/answers/{self.code}/",
            data={
                "csrfmiddlewaretoken": self.csrf,
                "version": str(self.version),
                "value": next(self.turn),
                "explanation": "",
            },
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
            name=self.request_name,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or 'role="status"' not in response.text:
                response.failure(f"not saved (HTTP {response.status_code})")
                return
            self.version = self._version(response.text)


class AutosaveFollowUps(Autosave):
    """The same, on the yes/no question whose answer shows and hides follow-up questions."""

    code_variable = "BENCH_CONTROLLER"
    values = ("no", "yes")
    request_name = "autosave (shows/hides follow-ups)"

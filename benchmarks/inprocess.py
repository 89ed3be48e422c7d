"""In-process server times on a seeded database (`benchmarks.load --inprocess`, `--profile`):
Django's test client, no HTTP, no concurrent load.

Django's models are imported inside the functions: Django is configured only at run time
(`loadkit.setup_django`), after this module is imported.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.loadkit import targets


def profile(name: str, count: int) -> None:
    """Profile `count` requests of one endpoint in-process (Django's test client)."""
    from django.test import Client
    from pyinstrument import Profiler

    from portal.core.accounts.models import User

    env = targets()
    ids = [int(x) for x in env["BENCH_ASSESSMENTS"].split(",")]
    client = Client()
    email = env["BENCH_SECURITY"] if name in ("dashboard", "portfolio") else env["BENCH_SUPPLIER"]
    client.force_login(
        User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
    )
    page = f"/assessments/{ids[0]}/"
    version = [0]

    def autosave():
        from questionnaires.models import Answer

        version[0] = Answer.objects.get(
            assessment_id=ids[0], question__code=env["BENCH_CODE"]
        ).version
        return client.post(
            f"{page}answers/{env['BENCH_CODE']}/",
            {"value": ("yes", "partial")[version[0] % 2], "version": version[0]},
            HTTP_HX_REQUEST="true",
        )

    requests = {
        "dashboard": lambda: client.get("/"),
        "portfolio": lambda: client.get("/portfolio/"),
        "questionnaire": lambda: client.get(page),
        "autosave": autosave,
    }
    requests[name]()  # warm up
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(count):
        response = requests[name]()
        assert response.status_code == 200, response.status_code  # noqa: S101
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def inprocess(repeat: int) -> None:
    """Server time without HTTP and load: the security officer's pages and the PDF builders,
    each run `repeat` times in this process (Django's test client), median and spread."""
    from django.db.models import Count
    from django.test import Client

    from portal.core.accounts.models import User
    from portal.top.demo.bench.portfolio import SECURITY_EMAIL
    from portal.top.reports import builders
    from questionnaires.models import Assessment
    from suppliers.models import Relationship

    user = User.objects.get(email=SECURITY_EMAIL)
    membership = user.memberships.select_related("organisation").get()
    org = membership.organisation
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    completed = (
        Assessment.objects.filter(relationship__care_org=org, status="completed")
        .annotate(n=Count("answers"))
        .order_by("-n", "pk")
        .first()
    )
    questions = completed.template.questions.count()
    relationships = Relationship.objects.filter(care_org=org).count()
    assessments = Assessment.objects.filter(relationship__care_org=org).count()

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101

        return get

    env = targets()
    supplier = Client()
    supplier.force_login(
        User.objects.get(email=env["BENCH_SUPPLIER"]),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    questionnaire = f"/assessments/{env['BENCH_ASSESSMENTS'].split(',')[0]}/"

    def supplier_page():
        response = supplier.get(questionnaire)
        assert response.status_code == 200, response.status_code  # noqa: S101

    def autosave():
        from questionnaires.models import Answer

        answer = Answer.objects.filter(
            assessment_id=int(questionnaire.split("/")[2]), question__code=env["BENCH_CODE"]
        ).first()
        version = answer.version if answer else 0
        response = supplier.post(
            f"{questionnaire}answers/{env['BENCH_CODE']}/",
            {"value": ("yes", "partial")[version % 2], "version": version},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200, response.status_code  # noqa: S101

    cases = [
        (f"security officer's dashboard `/` ({relationships} relationships)", page("/"), 150),
        ("CISO portfolio `/portfolio/`", page("/portfolio/"), 150),
        ("dashboard figures as JSON `GET /api/v1/dashboard/`", page("/api/v1/dashboard/"), 150),
        (f"supplier questionnaire page, {questions} questions, one section", supplier_page, 100),
        ("autosave (htmx POST of one answer; includes reading its version)", autosave, 30),
        (
            f"assessment PDF, {questions} questions ({completed.answers.count()} answers)",
            lambda: builders.assessment_report(completed, "nl"),
            2000,
        ),
        (
            f"portfolio / board PDF, {relationships} relationships",
            lambda: builders.portfolio_report(org, lang="nl"),
            8000,
        ),
    ]
    print(
        f"In-process server time on PostgreSQL: {relationships} relationships and {assessments} "
        f"assessments in the benchmark organisation; {repeat} runs after one warm-up (median)."
    )
    print()
    print("| case | median (ms) | min–max (ms) | target (ms) | met |")
    print("|---|---:|---:|---:|---|")
    for label, run, target in cases:
        run()  # warm up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        print(
            f"| {label} | {median:.0f} | {min(times):.0f}–{max(times):.0f} | "
            f"≤ {target} | {'yes' if median <= target else 'no'} |"
        )

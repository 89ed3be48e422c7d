"""Load test (`make bench-load`): gunicorn (2 sync workers) on PostgreSQL, locust on loopback.

1. creates a PostgreSQL database, migrates it and runs `seed_bench` (skipped with --reuse);
2. starts gunicorn with benchmarks.settings_bench (DEBUG off, /bench/bare/ added);
3. runs one locust scenario at a time (headless, N users without think time), every scenario
   --repeat times in turn, so machine noise spreads over all of them;
4. stops gunicorn and prints a Markdown table: median over the repeats of p50, p95 and
   requests per second, and the throughput as a share of the bare view's.

`--profile NAME` instead profiles one endpoint in-process with pyinstrument on a seeded database.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SETTINGS = "benchmarks.settings_bench"
# name in the table, locust user class, request name, target p50 (ms)
SCENARIOS = [
    ("bare view (1 query, anonymous)", "Bare", "bare", None),
    (
        "bare view, signed in (+ session, user, memberships)",
        "BareSignedIn",
        "bare (signed in)",
        None,
    ),
    ("security officer's dashboard `/`", "Dashboard", "dashboard", 150),
    ("CISO portfolio `/portfolio/`", "Portfolio", "portfolio", 150),
    ("supplier questionnaire page, 300 questions", "Questionnaire", "questionnaire", 250),
    ("autosave (htmx POST of one answer)", "Autosave", "autosave", 30),
    (
        "autosave of a question with follow-ups",
        "AutosaveFollowUps",
        "autosave (shows/hides follow-ups)",
        30,
    ),
]


def _env(db_url: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": db_url}


def _run(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kw)  # noqa: S603


def prepare_database(base: str, name: str, opts) -> str:
    url = f"{base.rstrip('/')}/{name}"
    if opts.reuse:
        return url
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{base.rstrip('/')}/postgres", "-c"]
    _run([*psql, f'DROP DATABASE IF EXISTS "{name}"'], os.environ)
    _run([*psql, f'CREATE DATABASE "{name}"'], os.environ)
    env = _env(url)
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    _run(
        [
            sys.executable,
            "manage.py",
            "seed_bench",
            f"--relationships={opts.relationships}",
            f"--assessments={opts.assessments}",
            f"--questions={opts.questions}",
        ],
        env,
        stdout=subprocess.DEVNULL,
    )
    print(f"seed_bench: {time.monotonic() - started:.0f} s", file=sys.stderr)
    return url


def setup_django(db_url: str) -> None:
    os.environ.update(_env(db_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def targets() -> dict[str, str]:
    """The load test's questionnaires and question codes, read from the seeded database."""
    from django.db import connections

    from portal.top.demo.bench import BENCH_PASSWORD
    from portal.top.demo.bench.portfolio import SECURITY_EMAIL, SUPPLIER_EMAIL
    from questionnaires.models import Assessment

    ids = list(
        Assessment.objects.filter(
            status="in_progress",
            relationship__supplier__memberships__user__email=SUPPLIER_EMAIL,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    first = Assessment.objects.get(pk=ids[0])
    questions = list(first.template.questions.order_by("section__order", "order"))
    controllers = {q.show_if["fact"].removeprefix("answer.") for q in questions if q.show_if}
    code = next(
        q.code
        for q in questions
        if q.answer_type == "yes_partial_no" and q.code not in controllers and not q.show_if
    )
    connections.close_all()
    return {
        "BENCH_ASSESSMENTS": ",".join(map(str, ids)),
        "BENCH_CODE": code,
        "BENCH_CONTROLLER": sorted(controllers)[len(controllers) // 2],
        "BENCH_PASSWORD": BENCH_PASSWORD,
        "BENCH_SECURITY": SECURITY_EMAIL,
        "BENCH_SUPPLIER": SUPPLIER_EMAIL,
    }


def machine() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    connection.close()
    return {
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "postgresql": pg,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def start_gunicorn(db_url: str, port: int, log: Path, code: Path = ROOT) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603
        [
            str(VENV_BIN / "gunicorn"),
            "portal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=sync",
            "--timeout=60",
            f"--error-logfile={log}",
        ],
        cwd=code,
        env=_env(db_url),
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=30):  # noqa: S310
                return proc
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    stop(proc)
    raise SystemExit(f"gunicorn did not start; see {log}")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def locust(
    cls: str, request: str, host: str, env: dict, users: int, seconds: int, out: Path, warm_up=False
):
    """Run one user class headless; return (p50, p95, requests/s, failures) of its request."""
    _run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--loglevel=ERROR",
            f"--host={host}",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={seconds}s",
            cls,
        ],
        {**os.environ, **env, "BENCH_MEASURE": request, "BENCH_SAMPLES": str(out)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    samples = json.loads(out.read_text())
    if warm_up:
        return None
    if len(samples) < 2:
        raise SystemExit(f"{cls}: {len(samples)} requests measured; is the server answering?")
    times = sorted(ms for _end, ms, _failed in samples)
    first_start = samples[0][0] - samples[0][1] / 1000
    return (
        statistics.median(times),
        times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        len(samples) / (samples[-1][0] - first_start),
        sum(1 for *_x, failed in samples if failed),
    )


def portfolio_exists() -> bool:
    """The CISO portfolio is new: measure it only where this checkout has it."""
    from django.urls import Resolver404, resolve

    try:
        resolve("/portfolio/")
    except Resolver404:
        return False
    return True


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
        (f"supplier questionnaire page, {questions} questions", supplier_page, 250),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "ketenwacht_bench_load"))
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database as it is")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8041")))
    parser.add_argument("--users", type=int, default=2, help="concurrent users per scenario")
    parser.add_argument("--seconds", type=int, default=20, help="length of one measured run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated locust classes to run")
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="serve the portal from this folder (e.g. an older commit exported with git archive)",
    )
    parser.add_argument("--relationships", type=int, default=2000)
    parser.add_argument("--assessments", type=int, default=10000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument(
        "--profile", choices=["dashboard", "portfolio", "questionnaire", "autosave"]
    )
    parser.add_argument("--profile-count", type=int, default=20)
    parser.add_argument(
        "--inprocess",
        action="store_true",
        help="time the dashboards and the PDF builders in this process instead of a load test",
    )
    opts = parser.parse_args()

    db_url = prepare_database(opts.pg, opts.db, opts)
    setup_django(db_url)
    if opts.inprocess:
        inprocess(opts.repeat)
        return
    if opts.profile:
        profile(opts.profile, opts.profile_count)
        return
    env, info = targets(), machine()
    host = f"http://127.0.0.1:{opts.port}"
    scenarios = [s for s in SCENARIOS if not opts.only or s[1] in opts.only.split(",")]
    notes = []
    if not portfolio_exists():
        scenarios = [s for s in scenarios if s[1] != "Portfolio"]
        notes.append("`/portfolio/` is not in this checkout: skipped.")
    work = Path(tempfile.mkdtemp(prefix="ketenwacht-load-"))
    server = start_gunicorn(db_url, opts.port, work / "gunicorn.log", opts.code)
    samples: dict[str, list[tuple[float, float, float, int]]] = {s[1]: [] for s in scenarios}
    try:
        for _label, cls, request, _target in scenarios:  # warm up every worker and page
            locust(cls, request, host, env, opts.users, 6, work / f"warm-{cls}.json", True)
        for n in range(opts.repeat):
            for _label, cls, request, _target in scenarios:
                out = work / f"{cls}-{n}.json"
                samples[cls].append(locust(cls, request, host, env, opts.users, opts.seconds, out))
    finally:
        stop(server)
    info["load after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print_table(scenarios, samples, info, opts, notes)


def print_table(scenarios, samples, info, opts, notes) -> None:
    def med(cls, i):
        return statistics.median(s[i] for s in samples[cls])

    bare = med("Bare", 2) if samples.get("Bare") else None
    print(
        f"Ketenwacht load test — {info['cores']} cores, Python {info['python']}, "
        f"PostgreSQL {info['postgresql']}, gunicorn 2 sync workers, locust {opts.users} users "
        f"without think time, {opts.repeat}× {opts.seconds} s per endpoint (medians); "
        f"load average before {info['load']}, after {info['load after']}"
    )
    print()
    print("| endpoint | p50 (ms) | p95 (ms) | req/s | vs bare req/s | target p50 | met |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, cls, _request, target in scenarios:
        p50, p95, rps = med(cls, 0), med(cls, 1), med(cls, 2)
        failures = sum(s[3] for s in samples[cls])
        ratio = f"{100 * rps / bare:.0f} %" if bare else "—"
        met = "—" if target is None else ("yes" if p50 <= target else "no")
        if cls.startswith("Autosave") and bare:
            met += "; ≥ 40 % of bare: " + ("yes" if rps >= 0.4 * bare else "no")
        if failures:
            met += f" ({failures} failed)"
        spread = ", ".join(f"{s[0]:.0f}" for s in samples[cls])
        print(
            f"| {label} | {p50:.0f} ({spread}) | {p95:.0f} | {rps:.1f} | {ratio} | "
            f"{'—' if target is None else f'≤ {target}'} | {met} |"
        )
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()

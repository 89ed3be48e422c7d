"""The load test's machinery (`benchmarks.load`, `benchmarks.sector`): the database, Django in
this process, gunicorn, locust and the seeded targets.

Django's models are imported inside the functions that need them: this module is imported
before `setup_django()` has configured Django (no import cycle; the settings come first).
"""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SETTINGS = "benchmarks.settings_bench"


def env_for(db_url: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": db_url}


def run_checked(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kw)  # noqa: S603


def prepare_database(base: str, name: str, opts) -> str:
    url = f"{base.rstrip('/')}/{name}"
    if opts.reuse:
        return url
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{base.rstrip('/')}/postgres", "-c"]
    run_checked([*psql, f'DROP DATABASE IF EXISTS "{name}"'], os.environ)
    run_checked([*psql, f'CREATE DATABASE "{name}"'], os.environ)
    env = env_for(url)
    run_checked([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    run_checked(
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
    os.environ.update(env_for(db_url))
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
        env=env_for(db_url),
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
    run_checked(
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

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
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.inprocess import inprocess, profile
from benchmarks.loadkit import (
    ROOT,
    locust,
    machine,
    prepare_database,
    setup_django,
    start_gunicorn,
    stop,
    targets,
)

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
    (
        "supplier questionnaire page, 300 questions, one section (the page's default)",
        "Questionnaire",
        "questionnaire",
        100,
    ),
    (
        "supplier questionnaire page, 300 questions, every section (`?all=1`)",
        "QuestionnaireAll",
        "questionnaire (every section)",
        250,
    ),
    ("autosave (htmx POST of one answer)", "Autosave", "autosave", 30),
    (
        "autosave of a question with follow-ups",
        "AutosaveFollowUps",
        "autosave (shows/hides follow-ups)",
        30,
    ),
]


def portfolio_exists() -> bool:
    """The CISO portfolio is new: measure it only where this checkout has it."""
    from django.urls import Resolver404, resolve

    try:
        resolve("/portfolio/")
    except Resolver404:
        return False
    return True


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
    # Issue 21's autosave target is a share of the signed-in bare view's throughput.
    signed_in = med("BareSignedIn", 2) if samples.get("BareSignedIn") else None
    print(
        f"Ketenwacht load test — {info['cores']} cores, Python {info['python']}, "
        f"PostgreSQL {info['postgresql']}, gunicorn 2 sync workers, locust {opts.users} users "
        f"without think time, {opts.repeat}× {opts.seconds} s per endpoint (medians); "
        f"load average before {info['load']}, after {info['load after']}"
    )
    print()
    print(
        "| endpoint | p50 (ms) | p95 (ms) | req/s | vs bare req/s | vs signed-in bare req/s "
        "| target p50 | met |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, cls, _request, target in scenarios:
        p50, p95, rps = med(cls, 0), med(cls, 1), med(cls, 2)
        failures = sum(s[3] for s in samples[cls])
        ratio = f"{100 * rps / bare:.0f} %" if bare else "—"
        signed_ratio = f"{100 * rps / signed_in:.0f} %" if signed_in else "—"
        met = "—" if target is None else ("yes" if p50 <= target else "no")
        if cls.startswith("Autosave") and signed_in:
            met += "; ≥ 40 % of signed-in bare: " + ("yes" if rps >= 0.4 * signed_in else "no")
        if failures:
            met += f" ({failures} failed)"
        spread = ", ".join(f"{s[0]:.0f}" for s in samples[cls])
        print(
            f"| {label} | {p50:.0f} ({spread}) | {p95:.0f} | {rps:.1f} | {ratio} | "
            f"{signed_ratio} | {'—' if target is None else f'≤ {target}'} | {met} |"
        )
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()

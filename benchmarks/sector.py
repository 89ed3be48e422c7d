"""Sector scale side by side (`make bench-sector`, DESIGN §16): the same organisations' pages
in a hospital-sized installation (2,000 relationships) and in a sector-sized one (40,000).

1. seeds both databases unless --reuse (`seed_bench`, and `seed_bench --scale sector`);
2. measures every case of `benchmarks.sector_cases` in-process on both, in alternating rounds
   (one subprocess per round and database, each after a VACUUM ANALYZE), so machine noise
   falls on both alike;
3. prints a Markdown table: p50, p95, ratio to the signed-in bare view of the same database,
   queries of one request at both sizes and the growth factor 2,000 → 40,000;
4. EXPLAIN ANALYZE of the slowest queries seen at sector scale (--explain N);
5. memory: a gunicorn worker's RSS after serving every page --rss-requests times, and the
   peak RSS of the largest jobs (board PDF, re-score) each in a fresh process.

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.loadkit import env_for, run_checked
from benchmarks.sector_memory import memory_report

SMALL = "ketenwacht_bench_hospital"
LARGE = "ketenwacht_bench_sector"


def seed(base: str, name: str, sector: bool) -> None:
    url = f"{base.rstrip('/')}/{name}"
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", f"{base.rstrip('/')}/postgres", "-c"]
    run_checked([*psql, f'DROP DATABASE IF EXISTS "{name}"'], os.environ)
    run_checked([*psql, f'CREATE DATABASE "{name}"'], os.environ)
    env = env_for(url)
    run_checked([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    # The same hospital in both: its relationship ids spread alike (40,000 / 2,000).
    scale = ["--scale=sector"] if sector else ["--id-stride=20"]
    run_checked([sys.executable, "manage.py", "seed_bench", *scale], env)
    print(f"seed_bench {' '.join(scale)}: {time.monotonic() - started:.0f} s", file=sys.stderr)


def tidy(url: str) -> None:
    """VACUUM ANALYZE before a round: the re-score case rewrites the hospital's 2,000
    relationships on every run, and the dead rows it leaves would fall on whichever round
    autovacuum (which a production database runs) had not reached yet."""
    run_checked(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", "VACUUM ANALYZE"], os.environ)


def worker(url: str, repeat: int, explain: int, out: Path) -> dict:
    """One measuring round in a fresh process on one database."""
    args = [sys.executable, "-m", "benchmarks.sector_worker", url, str(repeat), str(explain)]
    run_checked([*args, str(out)], env_for(url))
    return json.loads(out.read_text())


def p(times: list[float], q: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, round(q * (len(times) - 1)))]


def table(small: dict, large: dict) -> list[str]:
    bare = {
        k: statistics.median(d["bare view, signed in"]["times"])
        for k, d in (("small", small), ("large", large))
    }
    lines = [
        "| case | 2,000: p50 / p95 (ms) | 40,000: p50 / p95 (ms) | × signed-in bare "
        "(2,000 / 40,000) | queries (2,000 / 40,000) | growth p50 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, big in large.items():
        lo = small.get(name)
        b50, b95 = p(big["times"], 0.5), p(big["times"], 0.95)
        big_cell = f"{b50:.0f} / {b95:.0f}"
        if lo is None:
            lines.append(
                f"| {name} | — | {big_cell} | — / {b50 / bare['large']:.0f} | — / "
                f"{big['queries']} | — |"
            )
            continue
        s50, s95 = p(lo["times"], 0.5), p(lo["times"], 0.95)
        lines.append(
            f"| {name} | {s50:.0f} / {s95:.0f} | {big_cell} | {s50 / bare['small']:.0f} / "
            f"{b50 / bare['large']:.0f} | {lo['queries']} / {big['queries']} | "
            f"{b50 / s50:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--small", default=os.environ.get("BENCH_DB_SMALL", SMALL))
    parser.add_argument("--large", default=os.environ.get("BENCH_DB_LARGE", LARGE))
    parser.add_argument("--reuse", action="store_true", help="keep the seeded databases")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per database")
    parser.add_argument("--repeat", type=int, default=7, help="runs per case and round")
    parser.add_argument("--explain", type=int, default=5, help="slowest queries to EXPLAIN")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8042")))
    parser.add_argument("--rss-requests", type=int, default=20)
    opts = parser.parse_args()
    if not opts.reuse:
        seed(opts.pg, opts.small, sector=False)
        seed(opts.pg, opts.large, sector=True)
    base = opts.pg.rstrip("/")
    urls = {"small": f"{base}/{opts.small}", "large": f"{base}/{opts.large}"}
    work = Path(tempfile.mkdtemp(prefix="ketenwacht-sector-"))
    merged: dict[str, dict] = {"small": {}, "large": {}}
    slow: list[dict] = []
    for n in range(opts.rounds):
        for size in ("small", "large"):
            explain = opts.explain if size == "large" and n == opts.rounds - 1 else 0
            tidy(urls[size])
            data = worker(urls[size], opts.repeat, explain, work / f"{size}-{n}.json")
            for name, case in data["cases"].items():
                into = merged[size].setdefault(name, {"times": [], "queries": case["queries"]})
                into["times"] += case["times"]
            slow = data.get("explained", slow)
    print(
        f"Sector scale, in-process, {opts.rounds} alternating rounds × {opts.repeat} runs per "
        f"case and database; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print()
    print("\n".join(table(merged["small"], merged["large"])))
    for item in slow:
        print(f"\n#### {item['ms']:.1f} ms — {item['case']}\n\n```sql\n{item['sql']}\n```\n")
        print(f"```\n{item['plan']}\n```")
    print()
    print("\n".join(memory_report(urls["large"], opts.port, opts.rss_requests, work)))


if __name__ == "__main__":
    main()

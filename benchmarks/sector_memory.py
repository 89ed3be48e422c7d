"""Memory at sector scale: a gunicorn worker's RSS after serving the pages, and the peak RSS of
the largest jobs, each run in a fresh process (`benchmarks.sector`)."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

from benchmarks.loadkit import env_for, start_gunicorn, stop

PAGES = ["/", "/portfolio/", "/api/v1/dashboard/", "/fourth-parties/", "/incidents/"]
JOBS = {
    "Django set up, nothing run (baseline)": "",
    "board PDF (portfolio report) of the hospital": "board_pdf",
    "re-score of the hospital after a risk-appetite change": "rescore",
}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def workers(master: int) -> list[int]:
    out = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    )
    return [int(x) for x in out.stdout.split()]


def _signed_in(url: str):
    """An opener with the security officer's session (a session made by the sector worker)."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.sector_job", "session"],
        capture_output=True,
        text=True,
        check=True,
        env=env_for(url),
    )
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"sessionid={result.stdout.strip()}")]
    return opener


def memory_report(url: str, port: int, requests: int, work: Path) -> list[str]:
    host = f"http://127.0.0.1:{port}"
    server = start_gunicorn(url, port, work / "gunicorn-sector.log")
    try:
        before = {pid: rss_kb(pid) for pid in workers(server.pid)}
        opener = _signed_in(url)
        for _ in range(requests):
            for page in PAGES:
                with opener.open(f"{host}{page}", timeout=60) as response:  # noqa: S310
                    response.read()
        after = {pid: rss_kb(pid) for pid in workers(server.pid)}
    finally:
        stop(server)
    lines = [
        f"gunicorn (2 sync workers) on the sector database, {requests} × {len(PAGES)} pages of "
        "the hospital's security officer:",
        "",
        "| worker | RSS after start (MB) | RSS after the requests (MB) |",
        "|---|---:|---:|",
    ]
    for n, pid in enumerate(sorted(after)):
        lines.append(f"| {n + 1} | {before.get(pid, 0) / 1024:.0f} | {after[pid] / 1024:.0f} |")
    lines += ["", "| job, in a fresh process | peak RSS (MB) |", "|---|---:|"]
    for label, job in JOBS.items():
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "benchmarks.sector_job", job or "none"],
            capture_output=True,
            text=True,
            check=True,
            env=env_for(url),
        )
        lines.append(f"| {label} | {int(result.stdout.split()[-1]) / 1024:.0f} |")
    return lines

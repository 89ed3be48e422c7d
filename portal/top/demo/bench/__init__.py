"""A large, realistic portfolio for load tests (`manage.py seed_bench`, `make bench-load`).

One care organisation (security officer, procurement, board, a few relationship owners), a
supplier user with known passwords, ~200 suppliers with products and fourth parties, and
relationships with varied intake, tiers, owners and statuses. Every relationship has a history
of assessments on one large questionnaire in every state, answers for a realistic share of them,
findings, risk decisions, contracts, clause checklists, certificates and exit notes: every
figure on the security officer's dashboards is non-zero.

Rows are written with bulk_create (2,000 relationships and 10,000 assessments take a couple of
minutes on PostgreSQL); services create only what is worth their side effects (the users, the
published questionnaire). It fills an empty database only.
"""

from __future__ import annotations

from collections.abc import Callable

from .portfolio import (
    BENCH_PASSWORD,
    BOARD_EMAIL,
    PROCUREMENT_EMAIL,
    SECURITY_EMAIL,
    SUPPLIER_EMAIL,
    BenchSeed,
)
from .sector import EPD_EMAIL, SECTOR, SectorSize, seed_sector

__all__ = ["BENCH_LOGINS", "BENCH_PASSWORD", "SECTOR", "SectorSize", "seed_bench"]


def seed_bench(
    *,
    relationships: int,
    assessments: int,
    questions: int,
    seed: int = 2026,
    progress: Callable[[str], None] = lambda _msg: None,
    sector: SectorSize | None = None,
    id_stride: int | None = None,
) -> dict[str, int]:
    """Fill an empty database with the benchmark portfolio; returns what was made, by kind.

    With `sector`, the rest of the sector is added around the benchmark hospital (the totals
    of `sector` include the hospital's own relationships and assessments). `id_stride` spreads
    the hospital's relationship ids (by default over the sector's); give the same stride at
    hospital scale to seed the very same hospital for a side-by-side run."""
    if id_stride is None:  # the hospital's relationships spread over the sector's ids
        id_stride = max(1, sector.relationships // relationships) if sector else 1
    base = BenchSeed(
        relationships=relationships,
        assessments=assessments,
        questions=questions,
        seed=seed,
        id_stride=id_stride,
    )
    counts = base.run(progress)
    if sector is not None:
        counts.update(seed_sector(base, sector, progress))
    return counts


BENCH_LOGINS = [
    (SECURITY_EMAIL, "security officer, Ziekenhuis Benchmark"),
    (PROCUREMENT_EMAIL, "procurement, Ziekenhuis Benchmark"),
    (BOARD_EMAIL, "board member, Ziekenhuis Benchmark"),
    (SUPPLIER_EMAIL, "supplier owner (answers the load test's questionnaires)"),
    (EPD_EMAIL, "EPD vendor owner (sector scale only: 1,000 customers)"),
]

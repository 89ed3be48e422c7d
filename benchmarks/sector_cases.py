"""The cases of the sector-scale run (`benchmarks.sector`), run in-process on one database.

`measure(db_url, repeat)` signs in as the benchmark hospital's security officer, the benchmark
supplier and (where it exists) the EPD vendor, runs every case `repeat` times after a warm-up
and returns, per case, the times (ms) and the number of queries of one request.
"""

from __future__ import annotations

import time

from django.core.signals import request_started
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.core.accounts.models import Organisation, User
from portal.top.demo.bench.portfolio import CARE_SLUG, SECURITY_EMAIL, SUPPLIER_EMAIL
from portal.top.demo.bench.sector import EPD_EMAIL
from portal.top.reports import builders
from questionnaires.rapid.services import rapid_assessment_start, rapid_send_run
from suppliers import reach
from suppliers.incidents.models import Incident
from suppliers.models import Relationship, SubProcessor
from suppliers.risk import rescore_relationships

RAPID_SIZE = 100  # relationships the measured rapid questionnaire job sends to

BACKEND = "django.contrib.auth.backends.ModelBackend"
STRICT = {
    "tier_rules": {"high": {"sum_gte": 6}, "medium": {"sum_gte": 3}},
    "band_thresholds": {"strong": 90, "adequate": 75, "weak": 55},
}


def _client(email: str) -> Client | None:
    user = User.objects.filter(email=email).first()
    if user is None:
        return None
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def _get(client: Client, url: str):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101

    return run


def _rescore(care: Organisation):
    """Flip the appetite and re-score: every run changes tiers and bands (the worst case)."""
    flip = [0]

    def run():
        flip[0] += 1
        Organisation.objects.filter(pk=care.pk).update(
            settings={"risk_appetite": STRICT} if flip[0] % 2 else {}
        )
        care.refresh_from_db()
        rescore_relationships(organisation=care)

    run.flips = True
    return run


class _Undo(Exception):
    """Raised to roll a measured job back, so every run starts from the same data."""


def _rapid_job(care: Organisation, party: str):
    """Send the rapid questionnaire to RAPID_SIZE relationships behind `party` as one job (the
    job's own work, in-process), then roll it all back."""
    ids = reach.relationship_ids_behind_fourth_party(care_org=care, name=party)[:RAPID_SIZE]
    actor = User.objects.get(email=SECURITY_EMAIL)

    def run():
        try:
            with transaction.atomic():
                rapid = rapid_assessment_start(care_org=care, actor=actor, relationships=ids)
                rapid_send_run(job=rapid.job)
                raise _Undo
        except _Undo:
            pass

    return run


def _behind(care: Organisation, party: str):
    def run():
        return reach.relationship_ids_behind_fourth_party(care_org=care, name=party)

    return run


def cases() -> list[tuple[str, object]]:
    """(name, callable) for every case this database has; names are the same in every run."""
    care = Organisation.objects.get(slug=CARE_SLUG)
    security = _client(SECURITY_EMAIL)
    supplier = _client(SUPPLIER_EMAIL)
    epd = _client(EPD_EMAIL)
    anonymous = Client()
    rel = Relationship.objects.filter(care_org=care).order_by("pk").first()
    incident = Incident.objects.filter(recipients__care_org=care).order_by("pk").first()
    found = [
        ("bare view (1 query, anonymous)", _get(anonymous, "/bench/bare/")),
        ("bare view, signed in", _get(security, "/bench/bare/")),
        ("security home `/`", _get(security, "/")),
        ("CISO portfolio `/portfolio/`", _get(security, "/portfolio/")),
        ("dashboard API `/api/v1/dashboard/`", _get(security, "/api/v1/dashboard/")),
        ("relationship page `/relationships/<pk>/`", _get(security, f"/relationships/{rel.pk}/")),
        ("fourth parties `/fourth-parties/`", _get(security, "/fourth-parties/")),
        ("incident list (care side) `/incidents/`", _get(security, "/incidents/")),
        (
            "incident behind a fourth party (care side) `/incidents/<pk>/`",
            _get(security, f"/incidents/{incident.pk}/"),
        ),
        ("supplier inbox `/assessments/` (benchmark supplier)", _get(supplier, "/assessments/")),
        ("answer library `/library/` (benchmark supplier)", _get(supplier, "/library/")),
        ("re-score after a risk-appetite change (hospital)", _rescore(care)),
        ("board PDF (portfolio report)", lambda: builders.portfolio_report(care, lang="nl")),
    ]
    party = (
        SubProcessor.objects.filter(product__relationships__care_org=care)
        .values_list("name", flat=True)
        .order_by("name")
        .first()
    )
    if party:
        found += [
            (f"relationships behind one fourth party (hospital, “{party}”)", _behind(care, party)),
            (
                f"rapid questionnaire job, {RAPID_SIZE} relationships (rolled back)",
                _rapid_job(care, party),
            ),
        ]
    if epd is not None:
        epd_incident = Incident.objects.filter(supplier__memberships__user__email=EPD_EMAIL)
        epd_incident = epd_incident.order_by("-detected_at").first()
        found += [
            (
                "supplier inbox `/assessments/` (EPD vendor, 1,000 customers)",
                _get(epd, "/assessments/"),
            ),
            ("answer library `/library/` (EPD vendor)", _get(epd, "/library/")),
            (
                "incident behind a fourth party (EPD vendor's side, 199 customers)",
                _get(epd, f"/incidents/{epd_incident.pk}/"),
            ),
        ]
    return found


def measure(repeat: int, explain_top: int = 0) -> dict:
    """Times and query counts per case; with explain_top, also the slowest queries seen."""
    # The test client's requests reset the query log; keep it, to count a request's queries.
    request_started.disconnect(reset_queries)
    result, slow = {}, []
    for name, run in cases():
        run()  # warm up
        reset_queries()  # the log keeps at most 9,000 queries
        with CaptureQueriesContext(connection) as ctx:
            run()
        queries = len(ctx.captured_queries)
        slow += [(float(q["time"]), name, q["sql"]) for q in ctx.captured_queries]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        if getattr(run, "flips", False) and repeat % 2:
            run()  # an even number of flips in all: the appetite is as it was
        result[name] = {"times": times, "queries": queries}
    slow.sort(reverse=True)
    seen, top = set(), []
    for ms, name, sql in slow:
        key = sql[:120]
        if key in seen or not sql.lstrip().upper().startswith("SELECT"):
            continue
        seen.add(key)
        top.append({"case": name, "sql": sql, "ms": ms * 1000})
        if len(top) == explain_top:
            break
    return {"cases": result, "slow": top}


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")  # benchmark-only, our own SQL
        return "\n".join(row[0] for row in cursor.fetchall())

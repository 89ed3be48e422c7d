"""SQL time of the dashboards (`python -m benchmarks.sql_time`, DATABASE_URL of a seed_bench
database): the benchmark hospital's security officer requests each page once to warm up, then
once more while every query is captured; each captured SELECT is run again under EXPLAIN
ANALYZE and the execution times are summed. Prints, per page, the sum and the three slowest."""

from __future__ import annotations

import json
import os
import sys

from benchmarks.loadkit import setup_django

PAGES = ("/", "/portfolio/", "/api/v1/dashboard/")


def main() -> None:
    setup_django(os.environ["DATABASE_URL"])
    # Django is configured only now: the portal's models can be imported.
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.core.accounts.models import User
    from portal.top.demo.bench.portfolio import SECURITY_EMAIL

    request_started.disconnect(reset_queries)
    client = Client()
    user = User.objects.get(email=SECURITY_EMAIL)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    result = {}
    for url in sys.argv[1:] or PAGES:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        timed = []
        with connection.cursor() as cursor:
            for query in ctx.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                timed.append((plan["Execution Time"], sql[:100]))
        timed.sort(reverse=True)
        result[url] = {
            "sql_ms": round(sum(t for t, _ in timed), 1),
            "slowest": [[round(t, 1), sql] for t, sql in timed[:3]],
        }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

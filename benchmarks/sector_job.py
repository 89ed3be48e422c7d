"""Run one of the sector run's jobs in a fresh process and print its peak RSS in kB
(`python -m benchmarks.sector_job board_pdf|rescore|none`), or `session`: print a session key
of the benchmark hospital's security officer for the memory run's requests."""

from __future__ import annotations

import os
import resource
import sys

from benchmarks.loadkit import setup_django


def main() -> None:
    setup_django(os.environ["DATABASE_URL"])
    # Django is configured only now: the portal's models can be imported.
    from django.test import Client

    from benchmarks.sector_cases import BACKEND, _rescore
    from portal.core.accounts.models import Organisation, User
    from portal.top.demo.bench.portfolio import CARE_SLUG, SECURITY_EMAIL
    from portal.top.reports import builders

    what = sys.argv[1]
    care = Organisation.objects.get(slug=CARE_SLUG)
    if what == "session":
        client = Client()
        client.force_login(User.objects.get(email=SECURITY_EMAIL), backend=BACKEND)
        print(client.cookies["sessionid"].value)
        return
    if what == "board_pdf":
        builders.portfolio_report(care, lang="nl")
    elif what == "rescore":
        run = _rescore(care)
        run()
        run()  # flipped back: the appetite is as it was
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    main()

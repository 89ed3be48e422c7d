"""Fill an empty database with a large benchmark portfolio and print its logins."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from portal.core.accounts.models import Organisation
from portal.top.demo.bench import BENCH_LOGINS, BENCH_PASSWORD, SECTOR, SectorSize, seed_bench

SECTOR_OPTIONS = ("care_orgs", "suppliers", "total_relationships", "total_assessments")


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with a large, realistic portfolio for load tests "
        "(make bench-load) and print the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--relationships", type=int, default=2000)
        parser.add_argument("--assessments", type=int, default=10000)
        parser.add_argument("--questions", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026, help="random seed (repeatable)")
        parser.add_argument(
            "--scale",
            choices=["hospital", "sector"],
            default="hospital",
            help="hospital: one care organisation (the options above); sector: the same "
            "hospital inside a sector of 200 care organisations, 5,000 suppliers, 40,000 "
            "relationships, 200,000 assessments and an EPD vendor with 1,000 customers",
        )
        parser.add_argument("--care-orgs", type=int, default=SECTOR.care_orgs)
        parser.add_argument("--suppliers", type=int, default=SECTOR.suppliers)
        parser.add_argument(
            "--total-relationships",
            type=int,
            default=SECTOR.relationships,
            help="sector scale: relationships in the installation, the hospital's included",
        )
        parser.add_argument("--total-assessments", type=int, default=SECTOR.assessments)
        parser.add_argument("--epd-customers", type=int, default=SECTOR.epd_customers)
        parser.add_argument(
            "--id-stride",
            type=int,
            default=None,
            help="relationship i of the hospital gets id 1 + i × stride (default: 1, or spread "
            "over the sector at sector scale); benchmarks.sector seeds both databases alike",
        )

    def handle(self, *args, **options):
        if Organisation.objects.exists():
            raise CommandError(
                "seed_bench fills an empty database only, and this one already has "
                "organisations. Create a new database (for example: createdb ketenwacht_bench; "
                "DATABASE_URL=postgres://…/ketenwacht_bench manage.py migrate) and run it there."
            )
        for name in ("relationships", "assessments", "questions"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["id_stride"] is not None and options["id_stride"] < 1:
            raise CommandError("--id-stride must be at least 1.")
        sector = None
        if options["scale"] == "sector":
            if any(options[name] < 1 for name in SECTOR_OPTIONS):
                raise CommandError("The sector's sizes must be at least 1.")
            sector = SectorSize(
                care_orgs=options["care_orgs"],
                suppliers=options["suppliers"],
                relationships=options["total_relationships"],
                assessments=options["total_assessments"],
                epd_customers=max(0, options["epd_customers"]),
            )
        started = time.monotonic()

        def progress(step: str) -> None:
            self.stdout.write(f"  {step:<28} {time.monotonic() - started:6.1f} s")

        with transaction.atomic():
            counts = seed_bench(
                relationships=options["relationships"],
                assessments=options["assessments"],
                questions=options["questions"],
                seed=options["seed"],
                progress=progress,
                sector=sector,
                id_stride=options["id_stride"],
            )
        # Fresh statistics, as a database in use has them: without them PostgreSQL plans the
        # dashboard's queries for empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Benchmark data loaded in {time.monotonic() - started:.0f} s.")
        )
        for key, value in counts.items():
            self.stdout.write(f"  {key:<34} {value:>8}")
        self.stdout.write(f"Every benchmark user has the password: {BENCH_PASSWORD}")
        for email, what in BENCH_LOGINS:
            self.stdout.write(f"  {email:<28} {what}")

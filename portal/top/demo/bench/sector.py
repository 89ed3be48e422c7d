"""The rest of the sector around the benchmark hospital (`seed_bench --scale sector`, DESIGN §16).

The benchmark hospital and its portfolio are seeded first, exactly as at hospital scale, so the
same organisation's pages can be measured in a small and in a large installation. Around it:
more care organisations, more suppliers, their relationships and assessment rounds, and one
large supplier (an EPD vendor) with a relationship at a share of all care organisations, its
inbox, its answer library and its incidents (caused by a fourth party, its hosting provider).

Everything is written with bulk_create in batches; the other organisations get no users (nobody
signs in as them) and no contracts or exit notes (nothing of theirs is measured).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from portal.core.accounts.models import Organisation
from portal.core.accounts.services import member_add, organisation_create
from questionnaires.models import Answer, Assessment, Finding, LibraryAnswer
from questionnaires.services import template_import
from questionnaires.yaml_io import validate_questionnaire
from suppliers.models import (
    INTAKE_FACTORS,
    Product,
    Relationship,
    RiskHistory,
    SubProcessor,
    SupplierLink,
)
from suppliers.risk import appetite_for, compute

from .content import (
    COMPANY_TAILS,
    COMPANY_WORDS,
    FOURTH_PARTIES,
    LATEST_STATES,
    SUPPLIER_TYPES,
    answer_value,
    at,
    pick,
    questionnaire_data,
)
from .incidents import deliver_incidents
from .portfolio import BATCH, BENCH_PASSWORD, reset_sequence

if TYPE_CHECKING:
    from .portfolio import BenchSeed

EPD_EMAIL = "epd@bench.example"
EPD_SLUG = "bench-epd-leverancier"
SECTOR_TEMPLATE_KEY = "bench-sector-vragenlijst"
SECTOR_QUESTIONS = 40
INCIDENTS = 12
STATUSES = [("active", 80), ("prospect", 8), ("ending", 6), ("ended", 6)]


@dataclass(frozen=True)
class SectorSize:
    """Totals for the whole installation, the benchmark hospital included."""

    care_orgs: int = 200
    suppliers: int = 5000
    relationships: int = 40000
    assessments: int = 200000
    epd_customers: int = 1000


SECTOR = SectorSize()


class SectorSeed:
    """Adds the rest of the sector to a database that holds the benchmark hospital."""

    def __init__(self, base: BenchSeed, size: SectorSize):
        self.base, self.size, self.rng = base, size, base.rng
        self.today = base.today
        self.counts: dict[str, int] = {}

    def run(self, progress) -> dict[str, int]:
        for step in (
            self.organisations,
            self.suppliers,
            self.questionnaire,
            self.relationships,
            self.assessments,
            self.findings_and_history,
            self.epd_library,
            self.epd_incidents,
        ):
            step()
            progress(f"sector: {step.__name__}")
        return self.counts

    # -- organisations -----------------------------------------------------------------------

    def organisations(self) -> None:
        n = max(0, self.size.care_orgs - 1)
        self.cares = Organisation.objects.bulk_create(
            (
                Organisation(
                    slug=f"bench-zorg-{i:03d}",
                    name=f"Zorginstelling {i:03d}",
                    kind="care",
                    kvk_number=f"3{i:07d}",
                )
                for i in range(n)
            ),
            batch_size=BATCH,
        )
        self.counts["sector_care_orgs"] = len(self.cares)

    def suppliers(self) -> None:
        base_n = len(self.base.supplier_orgs)
        n = max(0, self.size.suppliers - base_n - 1)
        rng = self.rng
        orgs = [
            Organisation(
                slug=f"bench-sector-leverancier-{i:05d}",
                name=f"{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_WORDS).lower()} "
                f"{rng.choice(COMPANY_TAILS)} S{i:05d} B.V.",
                kind="supplier",
                kvk_number=f"4{i:07d}",
            )
            for i in range(n)
        ]
        made = Organisation.objects.bulk_create(orgs, batch_size=BATCH)
        self.epd = organisation_create(
            slug=EPD_SLUG, name="EPD Benchmark Zorgsoftware", kind="supplier", kvk_number="49999999"
        )
        self.epd_user = member_add(
            organisation=self.epd,
            email=EPD_EMAIL,
            role="owner",
            password=BENCH_PASSWORD,
            name="Eva EPD",
        ).user
        products = Product.objects.bulk_create(
            (
                Product(
                    supplier=s,
                    name=f"{s.name.split(' B.V.')[0]} Platform",
                    supplier_types=[SUPPLIER_TYPES[i % len(SUPPLIER_TYPES)]],
                )
                for i, s in enumerate([self.epd, *made])
            ),
            batch_size=BATCH,
        )
        self.epd_product = products[0]
        subs = [
            SubProcessor(
                product=p,
                name=name,
                service=service,
                country=country,
                parent_country=parent,
                data_access=access,
            )
            for i, p in enumerate(products)
            for name, service, country, parent, access in rng.sample(FOURTH_PARTIES, 1 + i % 3)
        ]
        SubProcessor.objects.bulk_create(subs, batch_size=BATCH)
        # The other organisations share the hospital's suppliers, except the benchmark
        # supplier: its inbox is then the same in the hospital-sized and the sector-sized
        # installation, so the side-by-side run shows what the installation alone changes
        # (the EPD vendor is the supplier with many customers).
        self.others = made + list(self.base.supplier_orgs[1:])
        self.product_of = {p.supplier_id: p for p in products} | self.base.product_of
        self.counts.update(sector_suppliers=len(made) + 1, sector_fourth_parties=len(subs))

    def questionnaire(self) -> None:
        data = questionnaire_data(SECTOR_QUESTIONS)
        data["key"] = SECTOR_TEMPLATE_KEY
        data["title"] = {"nl": "Sectorvragenlijst", "en": "Sector questionnaire"}
        # No owner: a shared questionnaire every care organisation may send (like a bank).
        self.template = template_import(data=validate_questionnaire(data), publish=True)
        self.questions = list(
            self.template.questions.select_related("section").order_by(
                "section__order", "order", "pk"
            )
        )

    # -- relationships and assessments -----------------------------------------------------

    def _intake(self) -> dict[str, int]:
        rng = self.rng
        levels = [pick(rng, [(0, 30), (1, 35), (2, 22), (3, 13)]) for _ in INTAKE_FACTORS]
        return dict(zip(INTAKE_FACTORS, levels, strict=True))

    def _pairs(self) -> list[tuple[Organisation, Organisation]]:
        """(care organisation, supplier) of every new relationship; the EPD vendor's first."""
        total = max(0, self.size.relationships - len(self.base.rels))
        if not self.cares:
            return []
        epd = min(self.size.epd_customers, total)
        pairs = [(self.cares[i % len(self.cares)], self.epd) for i in range(epd)]
        for i in range(total - epd):
            pairs.append((self.cares[i % len(self.cares)], self.rng.choice(self.others)))
        return pairs

    def _relationship(self, i, care, supplier, rounds, appetite) -> Relationship:
        """A new relationship, scored with its latest completed round (if any)."""
        product = self.product_of[supplier.pk]
        rel = Relationship(
            care_org=care,
            supplier=supplier,
            name=f"{product.name} {i:05d}",
            supplier_types=product.supplier_types,
            status=pick(self.rng, STATUSES),
            **{f"intake_{k}": v for k, v in self._intake().items()},
            scored_at=timezone.now(),
        )
        done = [r for r in rounds if r["status"] == "completed"]
        if done:
            rel.assessed, rel.control_score = True, Decimal(str(done[-1]["score"]))
            rel.scored_at = at(done[-1]["completed"])
            rel.next_assessment_due = done[-1]["completed"] + timedelta(days=365)
        compute(rel, appetite)
        return rel

    def _free_ids(self, n: int):
        """n relationship ids around the hospital's (which were spread with a stride)."""
        taken = {r.pk for r in self.base.rels}
        return iter([k for k in range(1, n + len(taken) + 1) if k not in taken][:n])

    def relationships(self) -> None:
        appetites = {c.pk: appetite_for(c) for c in self.cares}
        pairs = self._pairs()
        total = max(0, self.size.assessments - sum(len(p) for p in self.base.plans))
        per, extra = divmod(total, max(1, len(pairs)))
        rels, self.rounds = [], []
        ids = self._free_ids(len(pairs))
        for i, (care, supplier) in enumerate(pairs):
            rounds = self._rounds(i, per + (1 if i < extra else 0))
            rel = self._relationship(i, care, supplier, rounds, appetites[care.pk])
            rel.pk = next(ids)
            rels.append(rel)
            self.rounds.append(rounds)
        self.rels = Relationship.objects.bulk_create(rels, batch_size=BATCH)
        reset_sequence(Relationship)
        links = {(r.care_org_id, r.supplier_id) for r in self.rels}
        SupplierLink.objects.bulk_create(
            (SupplierLink(care_org_id=c, supplier_id=s) for c, s in links),
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        Through = Relationship.products.through
        Through.objects.bulk_create(
            (
                Through(relationship_id=r.pk, product_id=self.product_of[r.supplier_id].pk)
                for r in self.rels
            ),
            batch_size=BATCH,
        )
        self.counts["sector_relationships"] = len(self.rels)

    def _rounds(self, i: int, n: int) -> list[dict]:
        latest = LATEST_STATES[i % len(LATEST_STATES)]
        rounds = []
        for k in range(n):
            back = n - 1 - k
            state = latest if back == 0 else ("cancelled" if (i + k) % 9 == 0 else "completed")
            sent = self.today - timedelta(days=365 * back + self.rng.randint(5, 70))
            r = {"status": state, "sent": None if state == "draft" else sent}
            if state in ("submitted", "in_review", "clarification_requested", "completed"):
                r["submitted"] = min(self.today, sent + timedelta(days=self.rng.randint(5, 25)))
            if state == "completed":
                r["completed"] = min(self.today, r["submitted"] + timedelta(days=7))
                r["score"] = round(self.rng.uniform(20, 99), 1)
            rounds.append(r)
        return rounds

    def _assessment(self, rel: Relationship, r: dict) -> Assessment:
        a = Assessment(
            relationship=rel,
            care_org_id=rel.care_org_id,  # bulk_create skips save()
            template=self.template,
            status=r["status"],
            due_date=(r["sent"] or self.today) + timedelta(days=30),
            sent_at=at(r["sent"]) if r["sent"] else None,
            submitted_at=at(r["submitted"]) if r.get("submitted") else None,
        )
        if r["status"] == "completed":
            a.completed_at = at(r["completed"])
            a.control_score = Decimal(str(r["score"]))
            a.scores = {"knockouts": [], "section_scores": {}}
        return a

    def assessments(self) -> None:
        rows, self.latest = [], {}
        for rel, rounds in zip(self.rels, self.rounds, strict=True):
            for r in rounds:
                rows.append(self._assessment(rel, r))
            if rounds:
                self.latest[rel.pk] = (len(rows) - 1, rounds[-1])
        self.made = Assessment.objects.bulk_create(rows, batch_size=BATCH)
        Assessment.objects.filter(template=self.template, sent_at__isnull=False).update(
            created_at=F("sent_at") - timedelta(days=2)
        )
        self.counts["sector_assessments"] = len(self.made)
        self._epd_answers()

    def _epd_answers(self) -> None:
        """The EPD vendor's open questionnaires are partly answered (its inbox shows progress)."""
        rows = []
        for rel in self.rels:
            if rel.supplier_id != self.epd.pk or rel.pk not in self.latest:
                continue
            index, r = self.latest[rel.pk]
            if r["status"] not in ("in_progress", "submitted", "clarification_requested"):
                continue
            share = 1.0 if r["status"] != "in_progress" else self.rng.uniform(0.2, 0.9)
            for q in self.questions[: max(1, int(len(self.questions) * share))]:
                if q.show_if:
                    continue
                value = answer_value(self.rng, q, self.today)
                rows.append(Answer(assessment=self.made[index], question=q, value=value, version=1))
        Answer.objects.bulk_create(rows, batch_size=BATCH)
        self.counts["sector_epd_answers"] = len(rows)

    def findings_and_history(self) -> None:
        findings, points = [], []
        for rel in self.rels:
            points.append(
                RiskHistory(
                    relationship=rel,
                    cause="created",
                    inherent_score=rel.inherent_score,
                    inherent_tier=rel.inherent_tier,
                    residual_risk=rel.residual_risk or rel.inherent_tier,
                    control_score=rel.control_score,
                    control_band=rel.control_band,
                    assessed=rel.assessed,
                )
            )
            if rel.assessed and rel.control_band != "strong":
                q = self.questions[rel.pk % len(self.questions)]
                findings.append(
                    Finding(
                        relationship=rel,
                        care_org_id=rel.care_org_id,  # bulk_create skips save()
                        question_code=q.code,
                        severity=q.severity,
                        title_nl=q.text_nl[:300],
                        title_en=q.text_en[:300],
                        due_date=self.today + timedelta(days=self.rng.randint(-30, 120)),
                        score=0.0,
                        status=pick(self.rng, [("open", 60), ("resolved", 40)]),
                    )
                )
        Finding.objects.bulk_create(findings, batch_size=BATCH)
        RiskHistory.objects.bulk_create(points, batch_size=BATCH)
        self.counts.update(sector_findings=len(findings), sector_risk_history=len(points))

    # -- the EPD vendor's library and incidents ------------------------------------------------

    def epd_library(self) -> None:
        codes = [q.code for q in self.questions] + [q.code for q in self.base.questions]
        rows = [
            LibraryAnswer(
                supplier=self.epd,
                product=self.epd_product if i % 2 else None,
                code=code,
                value="yes",
                explanation="Zie ons ISO 27001-certificaat en de NEN 7510-verklaring.",
            )
            for i, code in enumerate(dict.fromkeys(codes))
        ]
        LibraryAnswer.objects.bulk_create(rows, batch_size=BATCH)
        self.counts["sector_epd_library"] = len(rows)

    def epd_incidents(self) -> None:
        """Incidents behind a fourth party (the EPD's hosting provider), each delivered to every
        customer with the relationships it affects there."""
        hosting = SubProcessor.objects.filter(product=self.epd_product).first()
        by_care: dict[int, list[int]] = {}
        for rel in self.rels:
            if rel.supplier_id == self.epd.pk and rel.status != "ended":
                by_care.setdefault(rel.care_org_id, []).append(rel.pk)
        incidents, recipients = deliver_incidents(
            supplier=self.epd,
            product=self.epd_product,
            reporter=self.epd_user,
            by_care=by_care,
            count=INCIDENTS,
            party=hosting.name if hosting else "hostingpartij",
        )
        self.counts.update(sector_epd_incidents=incidents, sector_recipients=recipients)


def seed_sector(base: BenchSeed, size: SectorSize, progress) -> dict[str, int]:
    return SectorSeed(base, size).run(progress)

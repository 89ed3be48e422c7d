"""The people, suppliers, questionnaire, relationships, assessments and answers."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.db.models import F
from django.utils import timezone

from portal.core.accounts.models import Organisation
from portal.core.accounts.services import member_add, organisation_create
from questionnaires.models import Answer, Assessment
from questionnaires.services import template_import
from questionnaires.yaml_io import validate_questionnaire
from suppliers.models import INTAKE_FACTORS, Product, Relationship, SubProcessor, SupplierLink
from suppliers.risk import appetite_for, compute, residual_for
from suppliers.tiering import band_for

from .content import (
    COMPANY_TAILS,
    COMPANY_WORDS,
    FOURTH_PARTIES,
    FULLY_ANSWERED,
    LATEST_STATES,
    SUPPLIER_TYPES,
    THEMES,
    answer_value,
    at,
    pick,
    questionnaire_data,
)

BENCH_PASSWORD = "Ketenwacht-bench-2026"  # printed by the command: benchmark data only
CARE_SLUG = "bench-zorg"
SECURITY_EMAIL = "security@bench.example"
PROCUREMENT_EMAIL = "inkoop@bench.example"
BOARD_EMAIL = "bestuur@bench.example"
SUPPLIER_EMAIL = "leverancier@bench.example"
BATCH = 2000


def reset_sequence(model) -> None:
    """After rows were written with chosen ids: the next id the database hands out is free."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


class BenchSeed:
    """Fills an empty database; each step writes one kind of rows with bulk_create."""

    def __init__(
        self, *, relationships: int, assessments: int, questions: int, seed: int, id_stride=1
    ):
        self.n_rel, self.n_assess, self.n_questions = relationships, assessments, questions
        # With a stride, relationship i gets id 1 + i × stride: the hospital's rows lie among
        # the other organisations' (as in an installation that grew), not in one block.
        self.id_stride = id_stride
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}

    def run(self, progress: Callable[[str], None] = lambda _msg: None) -> dict[str, int]:
        # records, incidents and sector import BATCH and BenchSeed from this module.
        from . import records  # noqa: PLC0415 - records and incidents import this module
        from .incidents import hospital_incidents  # noqa: PLC0415 - records and incidents import this module

        for step in (
            self.people,
            self.suppliers,
            self.questionnaire,
            self.relationships,
            self.assessments,
            self.answers,
        ):
            step()
            progress(step.__name__)
        for write in (*records.STEPS, hospital_incidents):
            write(self)
            progress(write.__name__)
        return self.counts

    # -- people and suppliers --------------------------------------------------------------

    def people(self) -> None:
        self.care = organisation_create(
            slug=CARE_SLUG, name="Ziekenhuis Benchmark", kind="care", kvk_number="19000001"
        )
        add = member_add
        self.security = add(
            organisation=self.care,
            email=SECURITY_EMAIL,
            role="security",
            password=BENCH_PASSWORD,
            name="Karin Benchmark",
        ).user
        self.buyer = add(
            organisation=self.care,
            email=PROCUREMENT_EMAIL,
            role="procurement",
            password=BENCH_PASSWORD,
            name="Sanne Benchmark",
        ).user
        self.board = add(
            organisation=self.care,
            email=BOARD_EMAIL,
            role="board",
            password=BENCH_PASSWORD,
            name="Pieter Benchmark",
        ).user
        staff = [
            add(organisation=self.care, email=f"eigenaar{i}@bench.example", role="viewer").user
            for i in range(1, 5)
        ]
        self.owners = [self.security, self.buyer, *staff]

    def suppliers(self) -> None:
        n = max(1, self.n_rel // 10)
        orgs = [
            Organisation(
                slug=f"bench-leverancier-{i:04d}",
                name=f"{self.rng.choice(COMPANY_WORDS)}{self.rng.choice(COMPANY_WORDS).lower()} "
                f"{self.rng.choice(COMPANY_TAILS)} {i:03d} B.V.",
                kind="supplier",
                kvk_number=f"2{i:07d}",
            )
            for i in range(n)
        ]
        self.supplier_orgs = Organisation.objects.bulk_create(orgs, batch_size=BATCH)
        SupplierLink.objects.bulk_create(
            SupplierLink(care_org=self.care, supplier=s, created_by=self.buyer)
            for s in self.supplier_orgs
        )
        # The supplier user answers for the first supplier: its open assessments are the ones
        # the load test autosaves in.
        self.supplier_user = member_add(
            organisation=self.supplier_orgs[0],
            email=SUPPLIER_EMAIL,
            role="owner",
            password=BENCH_PASSWORD,
            name="Lotte Leverancier",
        ).user
        products = Product.objects.bulk_create(
            Product(
                supplier=s,
                name=f"{s.name.split(' B.V.')[0]} Platform",
                supplier_types=[SUPPLIER_TYPES[i % len(SUPPLIER_TYPES)]]
                + (["cloud"] if i % 3 == 0 and i % len(SUPPLIER_TYPES) != 1 else []),
            )
            for i, s in enumerate(self.supplier_orgs)
        )
        self.product_of = {p.supplier_id: p for p in products}
        subs = []
        for i, p in enumerate(products):
            for name, service, country, parent, access in self.rng.sample(
                FOURTH_PARTIES, 1 + i % 3
            ):
                subs.append(
                    SubProcessor(
                        product=p,
                        name=name,
                        service=service,
                        country=country,
                        parent_country=parent,
                        data_access=access,
                    )
                )
        SubProcessor.objects.bulk_create(subs, batch_size=BATCH)
        self.counts.update(suppliers=n, products=len(products), fourth_parties=len(subs))

    def questionnaire(self) -> None:
        data = validate_questionnaire(questionnaire_data(self.n_questions))
        self.template = template_import(
            data=data, owner=self.care, actor=self.security, publish=True
        )
        self.questions = list(
            self.template.questions.select_related("section").order_by(
                "section__order", "order", "pk"
            )
        )
        # A follow-up's controller is the first question of its section.
        self.controller = {
            q.code: f"{q.code.split('-')[0]}-00" for q in self.questions if q.show_if
        }
        self.counts["questions"] = len(self.questions)

    # -- relationships and assessments -----------------------------------------------------

    def _intake(self, i: int) -> dict[str, int]:
        fixed = [(3, 3, 3, 3, 3), (3, 2, 1, 1, 1), (1, 1, 1, 1, 1), (0, 0, 1, 0, 0)]
        if i < len(fixed):  # one of each tier, whatever the size of the run
            levels = fixed[i]
        else:
            levels = tuple(pick(self.rng, [(0, 30), (1, 35), (2, 22), (3, 13)]) for _ in range(5))
        return dict(zip(INTAKE_FACTORS, levels, strict=True))

    def _plan(self, i: int, supplier_index: int) -> list[dict]:
        """The assessment rounds of relationship i, oldest first, with dates and scores."""
        per, extra = divmod(self.n_assess, self.n_rel)
        n = per + (1 if i < extra else 0)
        latest = LATEST_STATES[i % len(LATEST_STATES)]
        if supplier_index == 0 and n:
            latest = "in_progress"  # the load test's questionnaires
        rounds = []
        for k in range(n):
            back = n - 1 - k  # rounds ago
            state = latest if back == 0 else ("cancelled" if (i + k) % 9 == 0 else "completed")
            sent = self.today - timedelta(days=365 * back + self.rng.randint(5, 70))
            r = {
                "status": state,
                "sent": sent,
                "due": sent + timedelta(days=30),
                "latest": back == 0,
                "load": False,
            }
            if state == "draft":
                r["sent"], r["due"] = None, self.today + timedelta(days=30)
            if state in ("submitted", "in_review", "clarification_requested", "completed"):
                r["submitted"] = min(self.today, sent + timedelta(days=self.rng.randint(5, 25)))
            if state == "completed":
                r["completed"] = min(self.today, r["submitted"] + timedelta(days=7))
                r["score"] = round(self.rng.uniform(20, 99), 1)
                r["knockouts"] = (
                    [self.questions[min(1, len(self.questions) - 1)].code]
                    if self.rng.random() < 0.08
                    else []
                )
            if latest == "in_progress" and supplier_index == 0 and back == 0:
                r["load"] = True
            rounds.append(r)
        return rounds

    def relationships(self) -> None:
        appetite = appetite_for(self.care)
        n_sup = len(self.supplier_orgs)
        rels, self.plans = [], []
        for i in range(self.n_rel):
            s_index = i % n_sup
            supplier = self.supplier_orgs[s_index]
            product = self.product_of[supplier.pk]
            plan = self._plan(i, s_index)
            done = [r for r in plan if r["status"] == "completed"]
            last = done[-1] if done else None
            intake = self._intake(i)
            rel = Relationship(
                pk=1 + i * self.id_stride if self.id_stride > 1 else None,
                care_org=self.care,
                supplier=supplier,
                name=f"{product.name} — {THEMES[i % len(THEMES)][0].split(' (')[0]} {i:04d}",
                supplier_types=product.supplier_types,
                owner=None if i % 11 == 5 else self.owners[i % len(self.owners)],
                status=pick(
                    self.rng, [("active", 72), ("prospect", 8), ("ending", 10), ("ended", 10)]
                )
                if i >= 8
                else "active",
                **{f"intake_{k}": v for k, v in intake.items()},
                assessed=last is not None,
                control_score=Decimal(str(last["score"])) if last else None,
                risk_explanation={"knockouts": last["knockouts"]} if last else {},
                scored_at=at(last["completed"]) if last else timezone.now(),
            )
            compute(rel, appetite)
            if last:
                cadence = 365 if rel.inherent_tier in ("critical", "high") else 730
                rel.next_assessment_due = last["completed"] + timedelta(days=cadence)
                for r in done:  # each round's residual risk against today's tier
                    r["band"] = band_for(r["score"], appetite["band_thresholds"]) or ""
                    r["residual"] = residual_for(
                        rel, band=r["band"] or None, knockouts=r["knockouts"], appetite=appetite
                    )
            elif i % 4 == 1 and rel.status != "ended":
                rel.next_assessment_due = self.today + timedelta(days=self.rng.randint(-30, 50))
            rels.append(rel)
            self.plans.append(plan)
        self.rels = Relationship.objects.bulk_create(rels, batch_size=BATCH)
        reset_sequence(Relationship)
        Through = Relationship.products.through
        Through.objects.bulk_create(
            Through(relationship_id=r.pk, product_id=self.product_of[r.supplier_id].pk)
            for r in self.rels
        )
        self.counts["relationships"] = len(self.rels)

    def assessments(self) -> None:
        rows, self.rounds = [], []
        for rel, plan in zip(self.rels, self.plans, strict=True):
            for r in plan:
                a = Assessment(
                    relationship=rel,
                    care_org_id=rel.care_org_id,  # bulk_create skips save()
                    template=self.template,
                    status=r["status"],
                    due_date=r["due"],
                    message="Graag binnen 30 dagen invullen.",
                    created_by=self.buyer,
                    sent_at=at(r["sent"]) if r["sent"] else None,
                    submitted_at=at(r["submitted"]) if r.get("submitted") else None,
                )
                if r["status"] == "completed":
                    a.completed_at, a.completed_by = at(r["completed"]), self.security
                    a.control_score = Decimal(str(r["score"]))
                    a.control_band, a.residual_risk = r["band"], r["residual"]
                    a.scores = {"knockouts": r["knockouts"], "section_scores": {}}
                rows.append(a)
                self.rounds.append((rel, r))
        made = Assessment.objects.bulk_create(rows, batch_size=BATCH)
        for a, (_rel, r) in zip(made, self.rounds, strict=True):
            r["assessment"] = a
        # auto_now_add ignores a given time: a round was made two days before it was sent.
        Assessment.objects.filter(template=self.template, sent_at__isnull=False).update(
            created_at=F("sent_at") - timedelta(days=2)
        )
        by_state: dict[str, int] = {}
        for a in made:
            by_state[a.status] = by_state.get(a.status, 0) + 1
        self.counts["assessments"] = len(made)
        self.counts.update({f"assessments_{k}": v for k, v in sorted(by_state.items())})

    # -- answers -----------------------------------------------------------------------------

    def _answers_for(self, a: Assessment, r: dict, rel: Relationship) -> list[Answer]:
        status = r["status"]
        # Every answer of a third of the latest completed rounds; older rounds keep none.
        latest_completed = status == "completed" and r["latest"] and rel.pk % 3 == 0
        if r["load"] or status in FULLY_ANSWERED or latest_completed:
            share = 1.0
        elif status == "in_progress":
            share = self.rng.uniform(0.1, 0.9)
        else:
            return []
        questions = self.questions[: max(1, int(len(self.questions) * share))]
        when = at(r["sent"] + timedelta(days=3)) if r["sent"] else timezone.now()
        user = self.supplier_user if rel.supplier_id == self.supplier_orgs[0].pk else None
        values: dict[str, object] = {}
        rows = []
        for q in questions:
            controller = self.controller.get(q.code)
            if controller is not None and values.get(controller) != "yes":
                continue  # hidden: its controlling question was not answered yes
            value = answer_value(self.rng, q, self.today, controller_yes=r["load"])
            values[q.code] = value
            verdict = ""
            if status in ("in_review", "completed"):
                verdict = "accepted"
            elif status == "clarification_requested":
                verdict = "clarification" if not rows else "accepted"
            rows.append(
                Answer(
                    assessment=a,
                    question=q,
                    value=value,
                    answered_by=user,
                    answered_at=when,
                    version=1,
                    verdict=verdict,
                )
            )
        return rows

    def answers(self) -> None:
        self.last_done = {}
        for rel, r in self.rounds:
            if r["status"] == "completed":
                self.last_done[rel.pk] = r
        total, buffer = 0, []
        for rel, r in self.rounds:
            buffer.extend(self._answers_for(r["assessment"], r, rel))
            if len(buffer) >= 20 * BATCH:
                Answer.objects.bulk_create(buffer, batch_size=BATCH)
                total, buffer = total + len(buffer), []
        Answer.objects.bulk_create(buffer, batch_size=BATCH)
        self.counts["answers"] = total + len(buffer)

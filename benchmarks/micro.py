"""The micro-benchmarks' cases that need a page or many rows (`benchmarks.run`): a customer's
own spreadsheet, the import wizard, the supplier's questionnaire page and autosave, and the
risk-appetite re-score. Imported by `benchmarks.run` once Django is set up."""

from __future__ import annotations

import itertools
import statistics
import time

from django.test import Client, override_settings

from portal.core.accounts.services import member_add, organisation_create
from questionnaires.services import template_import
from questionnaires.yaml_io import parse_questionnaire


def synthetic_questionnaire(n: int, key: str = "bench") -> dict:
    """A valid questionnaire dict with n questions over 15 sections, using every type."""
    types = [
        "yes_partial_no",
        "yes_no",
        "single_choice",
        "multiple_choice",
        "number",
        "date",
        "text",
    ]
    sections = []
    per = max(1, n // 15)
    count = 0
    for s in range(15):
        questions = []
        for i in range(per if s < 14 else n - per * 14):
            count += 1
            t = types[count % len(types)]
            q = {
                "code": f"S{s:02d}-{i:03d}",
                "text": {
                    "nl": f"Vraag {count} over beveiliging?",
                    "en": f"Question {count} on security?",
                },
                "type": t,
                "weight": 1 + count % 3,
                "references": ["NEN7510-2:5.19"],
                "advice": {"nl": "Advies", "en": "Advice"},
            }
            if t in ("single_choice", "multiple_choice"):
                q["choices"] = [
                    {"value": "a", "label": {"nl": "A", "en": "A"}, "score": 1},
                    {"value": "b", "label": {"nl": "B", "en": "B"}, "score": 0.5},
                ]
            if t in ("number", "date"):
                q["bands"] = [{"lte": 12, "score": 1}]
            if count > 1 and count % 10 == 0:
                q["show_if"] = (
                    {"fact": f"answer.{questions[0]['code']}", "op": "eq", "value": "yes"}
                    if questions
                    else None
                )
                if q["show_if"] is None:
                    del q["show_if"]
            questions.append(q)
        sections.append(
            {
                "code": f"S{s:02d}",
                "title": {"nl": f"Sectie {s}", "en": f"Section {s}"},
                "questions": questions,
            }
        )
    return {"key": key, "version": 1, "title": {"nl": "Bench", "en": "Bench"}, "sections": sections}


def timed(fn, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def customer_sheet(rows: int = 300) -> bytes:
    """A customer's own sheet: a merged title row, Dutch headers, a drop-down answer column,
    free-form norm references, codes with '&' and a formula now and then."""
    import io

    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Vragenlijst"
    ws.append(["Vragenlijst informatiebeveiliging leveranciers"])
    ws.merge_cells("A1:F1")
    ws.append(["Nr.", "Onderwerp", "Vraag", "Antwoord", "Gewicht", "Norm"])
    for i in range(rows):
        text = f"Heeft u maatregel {i} voor de beveiliging van uw dienst ingericht?"
        ws.append(
            [
                f"A&B-{i // 20:02d}.{i % 20}",
                f"Domein {i // 20}",
                f'=CONCAT("Vraag ", {i})' if i % 50 == 49 else text,
                None,
                1 + i % 3,
                "NEN 7510-2 5.20; AVG 32.1" if i % 7 else "ISO 27001 A.5.1",
            ]
        )
    dv = DataValidation(type="list", formula1='"Ja,Nee,N.v.t."', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"D3:D{rows + 2}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bench_customer_sheet() -> list[tuple[str, float]]:
    from questionnaires.xlsx_import import detect_mapping, import_with_report

    sheet = customer_sheet()

    def run():
        data, report = import_with_report(sheet, detect_mapping(sheet, name="klant.xlsx"))
        assert len(report.rows) == 300  # noqa: S101

    return [
        (
            "xlsx import of a customer's 300-row sheet without a mapping (recognise sheet, "
            "header, columns, drop-downs; read, report, validate)",
            timed(run),
        )
    ]


def bench_wizard_page(client) -> tuple[str, float]:
    """Step 2 of the import wizard: the workbook from private storage, recognised, previewed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/questionnaires/spreadsheet/",
        {"file": SimpleUploadedFile("klant.xlsx", customer_sheet())},
    )
    step2 = response["Location"]

    def get():
        assert client.get(step2).status_code == 200  # noqa: S101

    return ("import wizard step 2 (mapping + preview), 300-row sheet", timed(get, repeat=5))


def bench_questionnaire_page(yaml_text: str) -> list[tuple[str, float]]:
    """The supplier's questionnaire page with 300 questions (half answered), and one autosave
    (the htmx request that saves an answer and returns the re-rendered questions)."""
    from questionnaires import assessments as svc
    from questionnaires.services import template_publish
    from suppliers.services import relationship_create, supplier_register

    care = organisation_create(slug="bench-page-care", name="Page Care", kind="care")
    buyer = member_add(organisation=care, email="buyer@page.test", role="procurement")
    link = supplier_register(
        care_org=care, name="Page Supplier", kvk_number="11223344", actor=buyer.user
    )
    owner = member_add(organisation=link.supplier, email="owner@page.test", role="owner")
    rel = relationship_create(
        care_org=care,
        supplier=link.supplier,
        name="Page",
        supplier_types=["cloud"],
        intake={"data": 3, "volume": 2, "continuity": 2, "access": 1, "substitutability": 2},
        actor=buyer.user,
    )
    data = {**parse_questionnaire(yaml_text), "key": "bench-page"}
    template = template_publish(template=template_import(data=data))
    a = svc.assessment_create(relationship=rel, template=template, due_date=None, actor=buyer.user)
    svc.assessment_send(assessment=a, actor=buyer.user)
    first = None
    for i, q in enumerate(svc.applicable_questions(a)):
        if i % 2 == 0 and q.answer_type == "yes_partial_no":
            svc.answer_save(assessment=a, code=q.code, value="yes", actor=owner.user)
            first = first or q.code
    client = Client()
    client.force_login(owner.user, backend="django.contrib.auth.backends.ModelBackend")
    page = f"/assessments/{a.pk}/"
    client.get(page)
    values = itertools.cycle(["no", "yes"])

    def autosave():
        answer = a.answers.get(question__code=first)
        response = client.post(
            f"{page}answers/{first}/",
            {"value": next(values), "version": answer.version},
            HTTP_HX_REQUEST="true",
        )
        if response.status_code != 200:
            raise RuntimeError(f"autosave failed: {response.status_code}")

    def bare():
        if client.get("/bench/bare/").status_code != 200:
            raise RuntimeError("the bare view is missing")

    with override_settings(ROOT_URLCONF="benchmarks.urls_bench"):
        bare_ms = timed(bare, repeat=15)
    return [
        ("bare view, signed in (session, user, membership; 1 query)", bare_ms),
        (
            "supplier questionnaire page, 300 questions, every section (?all=1)",
            timed(lambda: client.get(page + "?all=1"), repeat=9),
        ),
        (
            "supplier questionnaire page, one section (20 of 300 questions)",
            timed(lambda: client.get(page + "?section=S07"), repeat=9),
        ),
        ("one autosave (htmx), 300-question questionnaire", timed(autosave, repeat=15)),
    ]


def bench_rescore() -> float:
    """2,000 relationships, half of them assessed; each run flips the appetite so every
    run really changes tiers and bands (the worst case: every row and a history point written)."""
    from decimal import Decimal

    from portal.core.accounts.models import Organisation
    from suppliers.models import Relationship, SupplierLink
    from suppliers.risk import rescore_relationships

    care = organisation_create(slug="bench-rescore", name="Rescore", kind="care")
    supplier = organisation_create(slug="bench-rescore-sup", name="Sup", kind="supplier")
    SupplierLink.objects.create(care_org=care, supplier=supplier)
    Relationship.objects.bulk_create(
        Relationship(
            care_org=care,
            supplier=supplier,
            name=f"R{i}",
            intake_data=i % 4,
            intake_volume=(i // 4) % 4,
            intake_continuity=(i // 16) % 4,
            intake_access=(i // 64) % 4,
            intake_substitutability=i % 3,
            assessed=i % 2 == 0,
            control_score=Decimal(str(40 + i % 60)) if i % 2 == 0 else None,
            control_band="weak" if i % 2 == 0 else "",
        )
        for i in range(2000)
    )
    strict = {
        "tier_rules": {"high": {"sum_gte": 6}, "medium": {"sum_gte": 3}},
        "band_thresholds": {"strong": 90, "adequate": 75, "weak": 55},
    }
    flip = [0]

    def run():
        flip[0] += 1
        Organisation.objects.filter(pk=care.pk).update(
            settings={"risk_appetite": strict} if flip[0] % 2 else {}
        )
        care.refresh_from_db()
        if rescore_relationships(organisation=care) == 0:
            raise RuntimeError("the benchmark must change every relationship")

    return timed(run, repeat=5)


def bench_rapid_send(n: int = 500) -> list[tuple[str, float]]:
    """Issue 19: find every live relationship behind one fourth party among 2,000, and send
    the rapid questionnaire to 500 of them as one job (Celery eager: the job's own time).
    Ten suppliers of 200 relationships each; half of each supplier's product hosts at the
    fourth party, so 1,000 relationships lie behind it and the job sends to 500 chosen."""
    from portal.core.jobs.models import Job
    from questionnaires.rapid.services import rapid_assessment_start
    from suppliers import reach
    from suppliers.models import Product, Relationship, SubProcessor, SupplierLink

    care = organisation_create(slug="bench-rapid", name="Rapid Care", kind="care")
    ciso = member_add(organisation=care, email="ciso@rapid.test", role="security")
    for s in range(10):
        supplier = organisation_create(slug=f"bench-rapid-{s}", name=f"Sup {s}", kind="supplier")
        member_add(organisation=supplier, email=f"owner{s}@rapid.test", role="owner")
        SupplierLink.objects.create(care_org=care, supplier=supplier)
        hosted = Product.objects.create(supplier=supplier, name=f"Cloud {s}")
        SubProcessor.objects.create(product=hosted, name="HostingCo B.V.", service="IaaS",
                                    country="NL")  # fmt: skip
        other = Product.objects.create(supplier=supplier, name=f"Local {s}")
        rels = Relationship.objects.bulk_create(
            Relationship(
                care_org=care,
                supplier=supplier,
                name=f"R{s}-{i}",
                status="active",
                supplier_types=["cloud"],
                intake_data=2,
                intake_volume=1,
                intake_continuity=2,
                intake_access=1,
                intake_substitutability=1,
            )
            for i in range(200)
        )
        through = Relationship.products.through
        through.objects.bulk_create(
            through(relationship_id=r.pk, product_id=(hosted if i % 2 else other).pk)
            for i, r in enumerate(rels)
        )

    def find():
        found = reach.relationship_ids_behind_fourth_party(care_org=care, name="hostingco")
        if len(found) != 1000:
            raise RuntimeError(f"expected 1,000 behind the fourth party, found {len(found)}")
        return found

    find_ms = timed(find, repeat=9)
    chosen = find()[:n]
    start = time.perf_counter()
    rapid = rapid_assessment_start(care_org=care, actor=ciso.user, relationships=chosen)
    send_ms = (time.perf_counter() - start) * 1000
    job = Job.objects.get(pk=rapid.job_id)
    if job.done != n or rapid.assessments.count() != n:
        raise RuntimeError(f"the job sent {rapid.assessments.count()} of {n}")
    return [
        ("find the relationships behind one fourth party (1,000 of 2,000)", find_ms),
        (f"rapid questionnaire to {n} relationships: the whole job (one run)", send_ms),
    ]


def bench_incident_page(customers: int = 1000) -> list[tuple[str, float]]:
    """Issue 19: a supplier with 1,000 customers reports an incident on its product (delivered
    to every customer), then opens the incident page, which lists who has read it."""
    from django.utils import timezone

    from portal.core.accounts.models import Organisation
    from suppliers.incidents.services import incident_report
    from suppliers.models import Product, Relationship, SupplierLink

    supplier = organisation_create(slug="bench-epd", name="EPD Vendor", kind="supplier")
    owner = member_add(organisation=supplier, email="owner@epd.test", role="owner")
    product = Product.objects.create(supplier=supplier, name="EPD")
    cares = Organisation.objects.bulk_create(
        Organisation(slug=f"bench-care-{i}", name=f"Zorg {i:04d}", kind="care")
        for i in range(customers)
    )
    SupplierLink.objects.bulk_create(SupplierLink(care_org=c, supplier=supplier) for c in cares)
    rels = Relationship.objects.bulk_create(
        Relationship(
            care_org=c,
            supplier=supplier,
            name="EPD",
            status="active",
            supplier_types=["epd"],
            intake_data=3,
            intake_volume=2,
            intake_continuity=3,
            intake_access=2,
            intake_substitutability=2,
        )
        for c in cares
    )
    through = Relationship.products.through
    through.objects.bulk_create(through(relationship_id=r.pk, product_id=product.pk) for r in rels)
    start = time.perf_counter()
    incident = incident_report(
        supplier=supplier,
        actor=owner.user,
        title="Storing",
        description="Benchmark",
        products=[product],
        detected_at=timezone.now(),
    )
    report_ms = (time.perf_counter() - start) * 1000
    if incident.recipients.count() != customers:
        raise RuntimeError(f"delivered to {incident.recipients.count()} of {customers}")
    half = list(incident.recipients.order_by("pk").values_list("pk", flat=True)[: customers // 2])
    incident.recipients.filter(pk__in=half).update(acknowledged_at=timezone.now())
    client = Client()
    client.force_login(owner.user, backend="django.contrib.auth.backends.ModelBackend")

    def page():
        if client.get(f"/incidents/{incident.pk}/").status_code != 200:
            raise RuntimeError("the incident page failed")

    def bare():
        if client.get("/bench/bare/").status_code != 200:
            raise RuntimeError("the bare view is missing")

    with override_settings(ROOT_URLCONF="benchmarks.urls_bench"):
        bare_ms = timed(bare, repeat=15)
    return [
        ("bare view, signed in (the supplier's owner; 1 query)", bare_ms),
        (f"report an incident to {customers:,} customers (delivery, one run)", report_ms),
        (f"supplier's incident page, {customers:,} customers, half acknowledged", timed(page)),
        ("supplier's incident list", timed(lambda: client.get("/incidents/"), repeat=9)),
    ]

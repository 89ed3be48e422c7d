"""A client generated from the OpenAPI schema by a standard generator (openapi-python-client)
parses every answer: it walks the API over real HTTP — register a supplier, create the
relationship with the id it got back, send, answer, submit, review, complete, download the PDF
— and reads every list endpoint, each answer parsed into the generated models. The generator
runs strict (`raise_on_unexpected_status`): a status the schema does not document fails."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.core.accounts.services import api_token_create, member_add
from questionnaires.services import template_import
from suppliers.services import product_save
from tests.access import MINI_TEMPLATE

pytestmark = pytest.mark.django_db(transaction=True)
GENERATOR = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def kw(tmp_path_factory):
    """The client package generated from this project's schema, imported."""
    if GENERATOR is None:
        pytest.skip("openapi-python-client is not installed (pip install -e '.[dev]')")
    folder = tmp_path_factory.mktemp("generated")
    schema = folder / "schema.yml"
    call_command("spectacular", "--file", str(schema))
    # As generated (no formatter afterwards); a PDF answer is read as a binary file.
    config = folder / "generator.yml"
    config.write_text(
        "post_hooks: []\ncontent_type_overrides:\n  application/pdf: application/octet-stream\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    result = subprocess.run(  # noqa: S603 - the generator from the virtual environment
        [GENERATOR, "generate", "--path", str(schema), "--meta", "none", "--config", str(config),
         "--output-path", str(folder / "kwclient")],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("kwclient")
    finally:
        sys.path.remove(str(folder))


def _v(value):
    """An enum member's value, or the plain string the schema gave."""
    return getattr(value, "value", value)


def _call(kw, name: str, *args, **kwargs):
    return importlib.import_module(f"kwclient.api.v1.{name}").sync(*args, **kwargs)


def _client(kw, base, membership):
    key = api_token_create(membership=membership, name="generated")[1]
    return kw.AuthenticatedClient(
        base_url=base, token=key, prefix="Token", raise_on_unexpected_status=True
    )


def test_a_generated_client_walks_the_api_and_parses_every_answer(cast, live_server, kw):
    from kwclient import models as m  # noqa: PLC0415 - generated during the test

    template_import(data=MINI_TEMPLATE, publish=True)
    care = _client(kw, live_server.url, cast.procurement)
    supplier = _call(
        kw, "v1_suppliers_create", client=care,
        body=m.SupplierRequest(name="Wolk B.V.", contact_email="baas@wolk.test"),
    )  # fmt: skip
    assert isinstance(supplier, m.Supplier) and supplier.name == "Wolk B.V."
    owner = member_add(
        organisation=cast.supplier.__class__.objects.get(slug=supplier.slug),
        email="baas@wolk.test", role="owner", password="Lang-genoeg-42",
    )  # fmt: skip
    product = product_save(supplier=owner.organisation, actor=owner.user, name="Zorgportaal")
    products = _call(kw, "v1_suppliers_products_list", supplier.id, client=care)
    assert [p.id for p in products] == [product.pk]
    rel = _call(
        kw, "v1_relationships_create", client=care,
        body=m.RelationshipRequest(
            supplier=supplier.id, name="Zorgportaal", supplier_types=[m.SupplierTypeEnum.CLOUD],
            intake=m.IntakeRequest(data=3, volume=2, continuity=2, access=1, substitutability=2),
            products=[product.pk],
        ),
    )  # fmt: skip
    assert isinstance(rel, m.Relationship) and rel.supplier == supplier.id
    template = next(t for t in _call(kw, "v1_templates_list", client=care).results
                    if t.key == "mini")  # fmt: skip
    due = timezone.localdate() + timedelta(days=14)
    a = _call(
        kw, "v1_assessments_create", client=care,
        body=m.AssessmentRequest(relationship=rel.id, template=template.id, due_date=due),
    )  # fmt: skip
    assert _v(_call(kw, "v1_assessments_send_create", a.id, client=care).status) == "sent"

    answering = _client(kw, live_server.url, owner)
    questions = _call(kw, "v1_assessments_questions_list", a.id, client=answering)
    for q in questions:
        saved = _call(
            kw, "v1_assessments_answers_update", a.id, q.code, client=answering,
            body=m.AnswerInRequest(value=q.choices[0].value),
        )  # fmt: skip
        assert isinstance(saved, m.AnswerSaved)
    submitted = _call(kw, "v1_assessments_submit_create", a.id, client=answering)
    assert _v(submitted.status) == "submitted"

    ciso = _client(kw, live_server.url, cast.ciso)
    for q in questions:
        _call(
            kw, "v1_assessments_answers_review_create", a.id, q.code, client=ciso,
            body=m.ReviewInRequest(verdict=m.ReviewInVerdictEnum.ACCEPTED),
        )  # fmt: skip
    done = _call(kw, "v1_assessments_complete_create", a.id, client=ciso)
    assert _v(done.status) == "completed"
    report = _call(
        kw, "v1_reports_create", m.V1ReportsCreateKind.ASSESSMENT, client=ciso,
        body=m.ReportInRequest(assessment=a.id),
    )  # fmt: skip
    for _attempt in range(50):
        report = _call(
            kw, "v1_reports_retrieve", m.V1ReportsRetrieveKind.ASSESSMENT, report.id, client=ciso
        )
        if _v(report.status) in ("done", "failed"):
            break
        time.sleep(0.1)
    assert _v(report.status) == "done"
    pdf = importlib.import_module("kwclient.api.v1.v1_reports_download_retrieve").sync_detailed(
        m.V1ReportsDownloadRetrieveKind.ASSESSMENT, report.id, client=ciso
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Every list and read endpoint of both sides parses into the generated models.
    for client, names in (
        (ciso, ("v1_relationships_list", "v1_suppliers_list", "v1_findings_list",
                "v1_decisions_list", "v1_notifications_list", "v1_incidents_list",
                "v1_members_list", "v1_invitations_list", "v1_tokens_list", "v1_audit_list",
                "v1_reassessments_list", "v1_fourth_parties_retrieve", "v1_dashboard_retrieve",
                "v1_risk_appetite_retrieve", "v1_me_retrieve")),
        (answering, ("v1_assessments_list", "v1_products_list", "v1_documents_list",
                     "v1_library_list", "v1_findings_list", "v1_incidents_list",
                     "v1_members_list", "v1_tokens_list")),
    ):  # fmt: skip
        for name in names:
            answer = _call(kw, name, client=client)
            assert answer is not None, name
            assert not isinstance(answer, m.Error), (name, answer)
    contracts = _call(kw, "v1_relationships_contracts_list", rel.id, client=ciso)
    assert contracts.count == 0
    risk = _call(kw, "v1_relationships_risk_retrieve", rel.id, client=ciso)
    assert _v(risk.inherent_tier) == "high"

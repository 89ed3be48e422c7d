"""Two care organisations that share one supplier, each with a full engagement."""

from __future__ import annotations

from datetime import date

import pytest

from tests.access import MINI_TEMPLATE, PDF


def tagged_pdf(tag: str) -> bytes:
    """A valid PDF whose bytes carry `tag`, so a file can be traced in an archive."""
    return PDF.replace(b"%%EOF", f"% {tag}\n%%EOF".encode())


def engagement(*, care_org, buyer, ciso, supplier_owner, template, tag: str) -> dict:
    """Relationship, completed assessment (answer, evidence, thread, internal note, finding,
    checklist, exit note) and a contract with a file, all marked with `tag`."""
    from contracts.services import contract_document_add, contract_save
    from questionnaires import assessments as svc
    from suppliers.services import relationship_create, supplier_register

    link = supplier_register(
        care_org=care_org, name="Leverancier B.V.", kvk_number="12345678", actor=buyer.user
    )
    rel = relationship_create(
        care_org=care_org,
        supplier=link.supplier,
        name=f"EPD {tag}",
        supplier_types=["epd"],
        intake={"data": 3, "volume": 3, "continuity": 3, "access": 2, "substitutability": 3},
        actor=buyer.user,
    )
    a = svc.assessment_create(relationship=rel, template=template, due_date=None, actor=buyer.user)
    svc.assessment_send(assessment=a, actor=buyer.user)
    svc.answer_save(assessment=a, code="A-01", value="no", actor=supplier_owner.user)
    evidence = svc.evidence_add(
        assessment=a,
        code="A-01",
        name=f"beleid-{tag}.pdf",
        data=tagged_pdf(f"evidence {tag}"),
        actor=supplier_owner.user,
    )
    svc.answer_message_add(
        assessment=a, code="A-01", body=f"Interne notitie {tag}", membership=ciso, internal=True
    )
    svc.answer_message_add(
        assessment=a, code="A-01", body=f"Toelichting {tag}", membership=supplier_owner
    )
    svc.assessment_submit(assessment=a, actor=supplier_owner.user)
    svc.assessment_complete(assessment=a, actor=ciso.user)
    contract = contract_save(
        relationship=rel,
        actor=buyer.user,
        reference=f"C-{tag}",
        title=f"Overeenkomst {tag}",
        start_date=date(2026, 1, 1),
    )
    document = contract_document_add(
        contract=contract,
        kind="signed",
        name=f"contract-{tag}.pdf",
        data=tagged_pdf(f"contract {tag}"),
        actor=buyer.user,
    )
    return {
        "relationship": rel,
        "assessment": a,
        "evidence": evidence,
        "contract": contract,
        "document": document,
    }


@pytest.fixture
def shared_supplier(cast) -> dict:
    """The hospital and the other care organisation both work with the cast's supplier."""
    from questionnaires.services import template_import
    from suppliers.documents import document_save

    template = template_import(data=MINI_TEMPLATE, publish=True)
    template.questions.update(evidence="optional")
    world = {
        "hospital": engagement(
            care_org=cast.hospital,
            buyer=cast.procurement,
            ciso=cast.ciso,
            supplier_owner=cast.supplier_owner,
            template=template,
            tag="ziekenhuis-eigen",
        ),
        "other": engagement(
            care_org=cast.other_care,
            buyer=cast.other_care_admin,
            ciso=cast.other_care_ciso,
            supplier_owner=cast.supplier_owner,
            template=template,
            tag="andere-zorg-geheim",
        ),
    }
    world["supplier_document"] = document_save(
        supplier=cast.supplier,
        actor=cast.supplier_owner.user,
        title="Intern beleid leverancier",
        kind="policy",
        name="intern.pdf",
        data=tagged_pdf("supplier-private"),
    )
    world["other_supplier_document"] = document_save(
        supplier=cast.other_supplier,
        actor=cast.other_supplier_owner.user,
        title="Beleid andere leverancier",
        kind="policy",
        name="ander.pdf",
        data=tagged_pdf("other-supplier-private"),
    )
    return world

"""What the portal knows about a relationship when it writes the exit note (DESIGN §9): the
rule facts, the clause statuses, the contract, fourth parties, findings, certificates and the
lock-in rating. Reads only."""

from __future__ import annotations

from django.utils import timezone

from suppliers.models import CERTIFICATE_KINDS, SupplierDocument
from suppliers.selectors import EEA

from ..checklist import facts_for
from ..lockin import lock_in
from ..models import ChecklistItem, Contract, ExitTest


def gather(rel) -> dict:
    facts, _texts, shown = facts_for(rel)
    items = {
        i.clause.code: i.status
        for i in ChecklistItem.objects.filter(relationship=rel, triggered=True).select_related(
            "clause"
        )
    }
    facts["checklist.EXIT-ASSIST"] = items.get("EXIT-ASSIST")
    contract = Contract.objects.filter(relationship=rel).order_by("-start_date", "-pk").first()
    today = timezone.localdate()
    if contract is not None:
        if contract.end_date:
            facts["contract.months_left"] = max(
                0,
                (contract.end_date.year - today.year) * 12 + contract.end_date.month - today.month,
            )
        facts["contract.notice_months"] = contract.notice_months
    subs = [s for p in rel.products.all() for s in p.subprocessors.all()]
    facts["fourth_party.non_eu_parent"] = any(
        (s.parent_country and s.parent_country not in EEA) or s.country not in EEA for s in subs
    )
    return {
        "facts": facts,
        "shown": shown,
        "clauses": items,
        "contract": contract,
        "subs": subs,
        "products": list(rel.products.all()),
        "findings": list(
            rel.findings.filter(status__in=("open", "remediation_planned")).order_by("due_date")[
                :15
            ]
        ),
        "tests": list(ExitTest.objects.filter(relationship=rel)[:1]),
        "certificates": list(
            SupplierDocument.objects.filter(
                supplier=rel.supplier, offered=True, kind__in=CERTIFICATE_KINDS
            ).order_by("title")
        ),
        "lock_in": lock_in(facts),
        "today": today,
    }

"""Build small valid CSAF 2.0 advisories for the tests."""

from __future__ import annotations

import copy
import json

BASE = {
    "document": {
        "category": "csaf_security_advisory",
        "csaf_version": "2.0",
        "notes": [{"category": "summary", "text": "Test."}],
        "publisher": {
            "category": "coordinator",
            "name": "Test CERT",
            "namespace": "https://cert.test",
        },
        "title": "Test advisory",
        "tracking": {
            "current_release_date": "2026-11-20T09:00:00.000Z",
            "id": "TEST-2026-001",
            "initial_release_date": "2026-11-20T09:00:00.000Z",
            "revision_history": [
                {"date": "2026-11-20T09:00:00.000Z", "number": "1", "summary": "First."}
            ],
            "status": "final",
            "version": "1",
        },
    },
    "vulnerabilities": [
        {"cve": "CVE-2026-0001", "notes": [{"category": "description", "text": "x"}]}
    ],
}


def advisory(products=(("Leverancier B.V.", "EPD", "1.0"),), tracking_id="TEST-2026-001") -> dict:
    """A valid advisory naming (vendor, product, version) triples through nested branches."""
    doc = copy.deepcopy(BASE)
    doc["document"]["tracking"]["id"] = tracking_id
    branches, n = [], 0
    for vendor, name, version in products:
        n += 1
        leaf = {
            "category": "product_version",
            "name": version,
            "product": {"name": f"{name} {version}", "product_id": f"CSAFPID-{n:04d}"},
        }
        branches.append(
            {
                "category": "vendor",
                "name": vendor,
                "branches": [{"category": "product_name", "name": name, "branches": [leaf]}],
            }
        )
    doc["product_tree"] = {"branches": branches}
    return doc


def advisory_bytes(*args, **kwargs) -> bytes:
    return json.dumps(advisory(*args, **kwargs)).encode()

"""A client written only from API.md, over real HTTP: every id is taken from the previous
answer and every `download_url` is followed with the token — what an outside client meets."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.core.accounts.models import Organisation
from portal.core.accounts.services import api_token_create, member_add
from questionnaires.services import template_import
from suppliers.models import Relationship
from suppliers.services import product_save, supplier_register
from tests.access import MINI_TEMPLATE

pytestmark = pytest.mark.django_db(transaction=True)


class Client:
    def __init__(self, base: str, key: str):
        self.base, self.key = base, key

    def call(self, method: str, path: str, body=None, *, raw: bool = False):
        request = urllib.request.Request(  # noqa: S310 - the live server on loopback
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Authorization": f"Token {self.key}",
                "Content-Type": "application/json",
                "Accept": "application/json, */*",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                data = response.read()
                return response.status, (data if raw else json.loads(data or b"null")), response
        except urllib.error.HTTPError as exc:
            data = exc.read()
            return exc.code, (json.loads(data) if data[:1] in (b"{", b"[") else data), exc


def _token(membership) -> str:
    return api_token_create(membership=membership, name="client")[1]


def test_a_client_written_from_api_md_works_the_first_time(cast, live_server):
    template_import(data=MINI_TEMPLATE, publish=True)
    care = Client(live_server.url, _token(cast.procurement))
    # An unrelated supplier link first, so that link ids and organisation ids differ.
    supplier_register(care_org=cast.hospital, name="Eerder B.V.", actor=cast.procurement.user)

    status, new, _ = care.call(
        "POST", "/api/v1/suppliers/", {"name": "Wolk B.V.", "contact_email": "baas@wolk.test"}
    )
    assert status == 201, new
    supplier_id = new["id"]
    status, one, _ = care.call("GET", f"/api/v1/suppliers/{supplier_id}/")
    assert status == 200 and one["name"] == "Wolk B.V." and one["id"] == supplier_id

    # The supplier's owner (invited by mail; here added as an operator would) adds a product.
    owner = member_add(
        organisation=Organisation.objects.get(pk=supplier_id), email="baas@wolk.test", role="owner"
    )
    product_save(supplier=owner.organisation, actor=owner.user, name="Zorgportaal")
    status, products, _ = care.call("GET", f"/api/v1/suppliers/{supplier_id}/products/")
    assert status == 200 and [p["name"] for p in products] == ["Zorgportaal"]

    status, rel, _ = care.call(
        "POST",
        "/api/v1/relationships/",
        {
            "supplier": supplier_id,
            "name": "Zorgportaal",
            "supplier_types": ["cloud"],
            "intake": {"data": 3, "volume": 2, "continuity": 2, "access": 1, "substitutability": 2},
            "products": [products[0]["id"]],
        },
    )
    assert status == 201, rel
    assert Relationship.objects.get(pk=rel["id"]).supplier_id == supplier_id  # never another
    status, rel_again, _ = care.call("GET", f"/api/v1/relationships/{rel['id']}/")
    assert rel_again["products"] == [products[0]["id"]]

    status, templates, _ = care.call("GET", "/api/v1/templates/")
    template_id = next(t["id"] for t in templates["results"] if t["key"] == "mini")
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    status, assessment, _ = care.call(
        "POST",
        "/api/v1/assessments/",
        {"relationship": rel["id"], "template": template_id, "due_date": due},
    )
    assert status == 201, assessment
    status, sent, _ = care.call("POST", f"/api/v1/assessments/{assessment['id']}/send/")
    assert status == 200 and sent["status"] == "sent"

    supplier = Client(live_server.url, _token(owner))
    status, questions, _ = supplier.call(
        "GET", f"/api/v1/assessments/{assessment['id']}/questions/"
    )
    assert status == 200
    for q in questions if isinstance(questions, list) else questions["results"]:
        status, saved, _ = supplier.call(
            "PUT",
            f"/api/v1/assessments/{assessment['id']}/answers/{q['code']}/",
            {"value": q["choices"][0]["value"]},
        )
        assert status == 200, saved
    status, submitted, _ = supplier.call("POST", f"/api/v1/assessments/{assessment['id']}/submit/")
    assert status == 200 and submitted["status"] == "submitted", submitted

    ciso = Client(live_server.url, _token(cast.ciso))
    status, done, _ = ciso.call("POST", f"/api/v1/assessments/{assessment['id']}/complete/")
    assert status == 200 and done["status"] == "completed", done

    status, report, _ = ciso.call(
        "POST", "/api/v1/reports/assessment/", {"assessment": assessment["id"]}
    )
    assert status == 202, report
    status, report, _ = ciso.call("GET", f"/api/v1/reports/assessment/{report['id']}/")
    assert report["status"] == "done" and report["download_url"]
    status, pdf, response = ciso.call("GET", report["download_url"], raw=True)
    assert status == 200 and pdf.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"

    # Another organisation's token, and a colleague's, get 404; no token gets 401.
    other = Client(live_server.url, _token(cast.other_care_ciso))
    assert other.call("GET", report["download_url"], raw=True)[0] == 404
    assert care.call("GET", report["download_url"], raw=True)[0] == 404  # reports are personal
    assert Client(live_server.url, "nope").call("GET", report["download_url"], raw=True)[0] == 401

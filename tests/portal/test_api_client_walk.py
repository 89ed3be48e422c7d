"""A client written only from API.md, over real HTTP: every id is taken from the previous
answer and every `download_url` is followed with the token — what an outside client meets."""

from __future__ import annotations

import io
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.core.accounts.models import Organisation
from portal.core.accounts.services import api_token_create
from questionnaires.services import template_import
from suppliers.models import Relationship
from suppliers.services import product_save, supplier_register
from tests.access import MINI_TEMPLATE

pytestmark = pytest.mark.django_db(transaction=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A browser's first answer, not where it leads: a redirect is returned as it is."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """An API client that knows only the base URL and its token (or none)."""

    def __init__(self, base: str, key: str | None):
        self.base, self.key = base, key

    def call(self, method: str, path: str, body=None, *, raw: bool = False, accept: str = ""):
        headers = {
            "Content-Type": "application/json",
            "Accept": accept or "application/json, */*",
        }
        if self.key is not None:
            headers["Authorization"] = f"Token {self.key}"
        request = urllib.request.Request(  # noqa: S310 - the live server on loopback
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers=headers,
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                data = response.read()
                return response.status, (data if raw else json.loads(data or b"null")), response
        except urllib.error.HTTPError as exc:
            data = exc.read()
            return exc.code, (json.loads(data) if data[:1] in (b"{", b"[") else data), exc


def _token(membership) -> str:
    return api_token_create(membership=membership, name="client")[1]


def _operator(*args: str) -> str:
    """A management command as the operator runs it (API.md, Operations CLI); its output."""
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def _results(answer):
    return answer["results"] if isinstance(answer, dict) else answer


def test_a_client_written_from_api_md_works_the_first_time(cast, live_server):
    template_import(data=MINI_TEMPLATE, publish=True)
    care = Client(live_server.url, _token(cast.procurement))
    # Unrelated supplier links first, so that link ids and organisation ids differ.
    for name in ("Eerder B.V.", "Ander B.V."):
        supplier_register(care_org=cast.hospital, name=name, actor=cast.procurement.user)

    status, new, _ = care.call(
        "POST", "/api/v1/suppliers/", {"name": "Wolk B.V.", "contact_email": "baas@wolk.test"}
    )
    assert status == 201, new
    supplier_id = new["id"]
    status, one, _ = care.call("GET", f"/api/v1/suppliers/{supplier_id}/")
    assert status == 200, one
    assert (one["id"], one["name"], one["slug"]) == (supplier_id, "Wolk B.V.", new["slug"])
    status, listed, _ = care.call("GET", "/api/v1/suppliers/")
    assert {"id": supplier_id, "name": "Wolk B.V."}.items() <= next(
        s for s in listed["results"] if s["slug"] == new["slug"]
    ).items()

    # The supplier's owner (invited by mail; here added by the operator with the slug the API
    # gave) offers a product and gets a token.
    _operator("add_member", "baas@wolk.test", new["slug"], "owner", "--password", "Lang-genoeg-42")
    supplier_key = _operator("create_api_token", "baas@wolk.test", new["slug"])
    wolk = Organisation.objects.get(slug=new["slug"])
    product_save(supplier=wolk, actor=wolk.memberships.get().user, name="Zorgportaal")
    status, products, _ = care.call("GET", f"/api/v1/suppliers/{supplier_id}/products/")
    assert status == 200, products
    assert [p["name"] for p in _results(products)] == ["Zorgportaal"]
    product_id = _results(products)[0]["id"]

    status, rel, _ = care.call(
        "POST",
        "/api/v1/relationships/",
        {
            "supplier": supplier_id,
            "name": "Zorgportaal",
            "supplier_types": ["cloud"],
            "intake": {"data": 3, "volume": 2, "continuity": 2, "access": 1, "substitutability": 2},
            "products": [product_id],
        },
    )
    assert status == 201, rel
    assert rel["supplier"] == supplier_id
    assert Relationship.objects.get(pk=rel["id"]).supplier.name == "Wolk B.V."  # never another
    status, rel_again, _ = care.call("GET", f"/api/v1/relationships/{rel['id']}/")
    assert (rel_again["supplier"], rel_again["products"]) == (supplier_id, [product_id])

    status, templates, _ = care.call("GET", "/api/v1/templates/")
    template_id = next(t["id"] for t in templates["results"] if t["key"] == "mini")
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    status, assessment, _ = care.call(
        "POST",
        "/api/v1/assessments/",
        {"relationship": rel["id"], "template": template_id, "due_date": due},
    )
    assert status == 201, assessment
    assessment_id = assessment["id"]
    status, sent, _ = care.call("POST", f"/api/v1/assessments/{assessment_id}/send/")
    assert status == 200 and sent["status"] == "sent", sent

    supplier = Client(live_server.url, supplier_key)
    status, inbox, _ = supplier.call("GET", "/api/v1/assessments/")
    assert [a["id"] for a in _results(inbox)] == [assessment_id]
    status, questions, _ = supplier.call("GET", f"/api/v1/assessments/{assessment_id}/questions/")
    assert status == 200, questions
    codes = [q["code"] for q in _results(questions)]
    for q in _results(questions):
        status, saved, _ = supplier.call(
            "PUT",
            f"/api/v1/assessments/{assessment_id}/answers/{q['code']}/",
            {"value": q["choices"][0]["value"]},
        )
        assert status == 200, saved
    status, submitted, _ = supplier.call("POST", f"/api/v1/assessments/{assessment_id}/submit/")
    assert status == 200 and submitted["status"] == "submitted", submitted

    ciso = Client(live_server.url, _token(cast.ciso))
    for code in codes:
        status, verdict, _ = ciso.call(
            "POST",
            f"/api/v1/assessments/{assessment_id}/answers/{code}/review/",
            {"verdict": "accepted"},
        )
        assert status == 200 and verdict["verdict"] == "accepted", verdict
    status, done, _ = ciso.call("POST", f"/api/v1/assessments/{assessment_id}/complete/")
    assert status == 200 and done["status"] == "completed", done

    status, report, _ = ciso.call("POST", "/api/v1/reports/assessment/", {"assessment": done["id"]})
    assert status == 202, report
    for _attempt in range(50):  # poll until done (eager Celery: at once)
        status, report, _ = ciso.call("GET", f"/api/v1/reports/assessment/{report['id']}/")
        if report["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert report["status"] == "done" and report["download_url"], report
    status, pdf, response = ciso.call("GET", report["download_url"], raw=True)
    assert status == 200 and pdf.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"

    # A colleague's token downloads it too (same organisation); the status stays personal.
    status, pdf_again, _ = care.call("GET", report["download_url"], raw=True)
    assert status == 200 and pdf_again == pdf
    assert care.call("GET", f"/api/v1/reports/assessment/{report['id']}/")[0] == 404
    # Another organisation's token, and the supplier's, get nothing; no or a bad token is 401.
    other = Client(live_server.url, _token(cast.other_care_ciso))
    assert other.call("GET", report["download_url"], raw=True)[0] == 404
    assert supplier.call("GET", report["download_url"], raw=True)[0] in (403, 404)
    assert Client(live_server.url, "nope").call("GET", report["download_url"], raw=True)[0] == 401
    assert Client(live_server.url, None).call("GET", report["download_url"], raw=True)[0] == 401
    # A browser without a session is sent to sign in from the page's download link.
    page_link = reverse("report_download", kwargs={"pk": report["id"]})
    status, _body, answer = Client(live_server.url, None).call(
        "GET", page_link, raw=True, accept="text/html"
    )
    assert status == 302 and reverse("account_login") in answer.headers["Location"]

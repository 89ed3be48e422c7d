"""What the schemathesis run (ops/api-fuzz.sh) found, one test per finding: server errors on odd
input, and answers the OpenAPI schema did not describe."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.top.reports.models import Report
from questionnaires.models import Answer
from tests.access import _finding, _report, assessment_at


@pytest.fixture
def schema(db):
    response = Client().get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def _is_json_404(response) -> bool:
    return (
        response.status_code == 404
        and response["Content-Type"] == "application/json"
        and set(response.json()) == {"detail", "errors"}
    )


# --- 500 on an id that is not a number ("null,null", "÷µ»") ---------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/templates/null,null/"),
        ("get", "/api/v1/relationships/abc/risk/"),
        ("get", "/api/v1/relationships/%C3%B7%C2%B5/exit-note/"),
        ("post", "/api/v1/assessments/null,null/send/"),
        ("post", "/api/v1/assessments/1e3/complete/"),
        ("get", "/api/v1/findings/-1/"),
    ],
)
def test_an_id_that_is_not_a_number_is_a_json_404(cast, as_api, method, path):
    response = getattr(as_api(cast.ciso), method)(path)
    assert _is_json_404(response), (response.status_code, response.content[:200])


def test_every_object_in_the_api_is_addressed_by_digits_only():
    """IntegerIdRouter: a new viewset cannot bring back the catch-all lookup `[^/.]+`."""
    loose = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("^api/") or route.startswith("api/"):
                    for name, rx in re.findall(r"\(\?P<(\w*pk)>([^)]*)\)", route):
                        if rx != "[0-9]+":
                            loose.append((route, name, rx))

    walk(get_resolver().url_patterns)
    assert loose == []


def test_a_path_no_api_route_matches_answers_json_and_pages_stay_html(db):
    client = Client()
    assert _is_json_404(client.get("/api/v1/no-such-thing/"))
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


# --- 500 on a NUL byte in a query parameter (PostgreSQL refuses it) --------------------------


def test_findings_filter_refuses_an_unknown_status(cast, as_api):
    _finding(cast)
    api = as_api(cast.ciso)
    for bad in ("\x00", "bogus"):
        response = api.get(reverse("finding-list"), {"status": bad})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["status"]
    assert api.get(reverse("finding-list"), {"status": "open"}).json()["count"] == 1


# --- 500 on a NUL byte or a lone surrogate in a text answer (jsonb refuses both) -------------


@pytest.mark.parametrize("text", ["voor\x00na", "voor\ud800na"])
def test_a_text_answer_with_characters_postgresql_cannot_store_is_refused(cast, as_api, text):
    world = assessment_at(cast, "sent")
    question = world["assessment"].template.questions.get()
    question.answer_type, question.choices = "text", []
    question.save()
    response = as_api(cast.supplier_owner).put(
        f"/api/v1/assessments/{world['assessment'].pk}/answers/{question.code}/",
        data=json.dumps({"value": text}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["value"]
    assert not Answer.objects.filter(assessment=world["assessment"]).exists()


# --- 405 where the schema promised 404: reports/{id}/ and reports/{kind}/ overlapped ---------


def test_reports_are_addressed_by_kind_and_id_as_api_md_says(cast, as_api):
    report = _report(cast)["report"]
    api = as_api(cast.ciso)
    listed = api.get("/api/v1/reports/portfolio/").json()
    assert [r["id"] for r in listed["results"]] == [report.pk]
    assert api.get("/api/v1/reports/clauses/").json()["count"] == 0
    one = api.get(f"/api/v1/reports/portfolio/{report.pk}/").json()
    assert one["status"] == "done" and one["download_url"].endswith(f"/{report.pk}/download/")
    assert _is_json_404(api.get(f"/api/v1/reports/clauses/{report.pk}/"))  # wrong kind
    assert _is_json_404(api.get("/api/v1/reports/AAA/"))
    assert _is_json_404(api.post("/api/v1/reports/0/", {}, content_type="application/json"))
    assert Report.objects.count() == 1


# --- answers the schema did not describe ------------------------------------------------------


def test_every_operation_documents_its_error_answers(schema):
    missing = []
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        expected = {"401", "403"}
        if "{" in path or any(p["name"] == "page" for p in operation.get("parameters", [])):
            expected.add("404")
        if method in ("POST", "PUT", "PATCH"):
            expected |= {"400", "409"}
        if not expected <= codes:
            missing.append((method, path, sorted(expected - codes)))
    assert missing == []
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "errors"}


def test_ids_in_paths_are_integers_in_the_schema(schema):
    loose = [
        (path, p["name"], p["schema"])
        for path, _method, operation in _operations(schema)
        for p in operation.get("parameters", [])
        if p["in"] == "path" and p["name"] in ("id", "relationship_pk")
        if p["schema"] != {"type": "integer"} and p["schema"].get("type") != "integer"
    ]
    assert loose == []


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/assessments/{id}/questions/", "get"),
        ("/api/v1/assessments/{id}/assignments/", "get"),
        ("/api/v1/templates/{id}/sections/", "get"),
    ],
)
def test_plain_list_answers_are_not_described_as_paginated(schema, path, method):
    ok = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["type"] == "array"


def test_a_review_answer_is_described_and_matches(cast, as_api, schema):
    world = assessment_at(cast, "submitted")
    op = schema["paths"]["/api/v1/assessments/{id}/answers/{code}/review/"]["post"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    described = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    response = as_api(cast.ciso).post(
        f"/api/v1/assessments/{world['assessment'].pk}/answers/A-01/review/",
        data=json.dumps({"verdict": "accepted"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert set(response.json()) == set(described) == {"code", "verdict", "score_override"}


def _validate(schema, path: str, method: str, status: str, body) -> None:
    """The answer matches the schema the OpenAPI document gives for it (refs resolved)."""
    import jsonschema  # noqa: PLC0415 - only these tests need it

    described = schema["paths"][path][method]["responses"][status]["content"]["application/json"]
    document = _nullable({**described["schema"], "components": schema["components"]})
    jsonschema.validate(body, document)


def _nullable(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema: that, or null."""
    if isinstance(node, list):
        return [_nullable(x) for x in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def test_joint_assessment_answers_match_their_schema(cast, as_api, schema):
    """Found by the fuzz: `invitable` answered a list described as one object. Every joint
    answer (a product may be null) is checked against the schema."""
    from tests.access_joint import joint_led_by_hospital

    world = joint_led_by_hospital(cast, "submitted", join=True)
    client, pk = as_api(cast.ciso), world["joint"].pk
    base = "/api/v1/joint-assessments/"
    for path, url in (
        (base, base),
        (base + "{id}/", f"{base}{pk}/"),
        (base + "invitable/", base + "invitable/"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        _validate(schema, path, "get", "200", response.json())
    assert client.get(f"{base}{pk}/").json()["product"] is None

"""PDF reports through the Celery task (eager in tests): every kind, progress, privacy."""

from __future__ import annotations

import io
import json

from django.urls import reverse
from pypdf import PdfReader

from portal.top.reports.models import Report
from portal.top.reports.services import report_run
from tests.access import _finding
from tests.conftest import client_for


def _text(response) -> str:
    data = b"".join(response.streaming_content)
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _request(api, kind, body, capture):
    with capture(execute=True):
        r = api.post(
            reverse("report-request", kwargs={"kind": kind}),
            data=json.dumps(body),
            content_type="application/json",
        )
    return r


def test_every_kind_is_made_in_the_background_and_downloaded(
    cast, as_api, django_capture_on_commit_callbacks
):
    world = _finding(cast)
    rel, a = world["relationship"], world["assessment"]
    api = as_api(cast.ciso)
    bodies = {
        "assessment": {"assessment": a.pk},
        "clauses": {"relationship": rel.pk},
        "exit-note": {"relationship": rel.pk},
        "portfolio": {},
    }
    expected = {
        "assessment": "A-01",
        "clauses": "AVG-28-3-A",
        "exit-note": "Lock-in",
        "portfolio": "Ziekenhuis Test",
    }
    client = client_for(cast.ciso)
    for kind, body in bodies.items():
        r = _request(api, kind, body, django_capture_on_commit_callbacks)
        assert r.status_code == 202, (kind, r.content)
        report = Report.objects.get(pk=r.json()["id"])
        assert report.status == "done" and report.progress == 100, (kind, report.error)
        detail = api.get(reverse("report-detail", kwargs={"kind": kind, "pk": report.pk})).json()
        assert detail["download_url"] == reverse(
            "report-file", kwargs={"kind": kind, "pk": report.pk}
        )
        # the download_url answers the same token that asked, and a signed-in browser
        assert expected[kind] in _text(api.get(detail["download_url"])), kind
        assert expected[kind] in _text(client.get(detail["download_url"])), kind
        assert client.get(reverse("report_download", kwargs={"pk": report.pk})).status_code == 200
    page = client.get(reverse("report_list")).content.decode()
    assert page.count('/download/">Download<') == 4
    # The list and the status are the requester's own; the PDF answers the organisation
    # (API.md): a colleague's browser and token download it, another organisation's get 404.
    file_url = reverse("report-file", kwargs={"kind": report.kind, "pk": report.pk})
    colleague = client_for(cast.care_admin)
    assert "/download/" not in colleague.get(reverse("report_list")).content.decode()
    assert colleague.get(reverse("report_download", kwargs={"pk": report.pk})).status_code == 200
    assert "Ziekenhuis Test" in _text(as_api(cast.viewer).get(file_url))
    detail = reverse("report-detail", kwargs={"kind": report.kind, "pk": report.pk})
    assert as_api(cast.viewer).get(detail).status_code == 404
    for outsider in (cast.other_care_ciso, cast.other_care_admin):
        assert as_api(outsider).get(file_url).status_code == 404
        assert client_for(outsider).get(file_url).status_code == 404


def test_bad_requests_are_refused_and_a_finished_report_is_left_alone(
    cast, as_api, django_capture_on_commit_callbacks
):
    world = _finding(cast)
    api = as_api(cast.ciso)
    r = _request(api, "assessment", {"assessment": 999999}, django_capture_on_commit_callbacks)
    assert r.status_code == 404 and not Report.objects.exists()
    r = _request(api, "nonsense", {}, django_capture_on_commit_callbacks)
    assert r.status_code == 404
    other = as_api(cast.other_care_admin)
    r = _request(
        other,
        "clauses",
        {"relationship": world["relationship"].pk},
        django_capture_on_commit_callbacks,
    )
    assert r.status_code == 404 and not Report.objects.exists()  # another organisation's
    r = _request(api, "portfolio", {}, django_capture_on_commit_callbacks)
    report = Report.objects.get(pk=r.json()["id"])
    name = report.file.name
    assert report_run(report).file.name == name  # a redelivered task changes nothing
    assert (
        as_api(cast.supplier_owner)
        .post(reverse("report-request", kwargs={"kind": "portfolio"}))
        .status_code
        == 403
    )


def test_assessment_report_is_in_plain_dutch_with_a_chart(cast, django_capture_on_commit_callbacks):
    world = _finding(cast)
    client = client_for(cast.board, lang="nl")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("report_new"), {"kind": "assessment", "assessment": world["assessment"].pk}
        )
    report = Report.objects.get()
    text = _text(client.get(reverse("report_download", kwargs={"pk": report.pk})))
    assert "Samenvatting voor het bestuur" in text and "risicoklasse kritiek" in text
    assert "Score per onderdeel" in text and "Antwoorden" in text

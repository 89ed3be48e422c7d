"""CSAF provider feeds (DESIGN §13 item 8), against a provider served on loopback by a real
HTTP server thread: the daily step reads provider-metadata.json and the distribution's own
index (changes.csv, index.txt or ROLIE), asks with If-None-Match / If-Modified-Since, fetches
only new advisories, and proposes matches to the security officer — nothing is sent."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from portal.core import events
from portal.core.notifications.models import Notification
from portal.top.daily import daily_run
from questionnaires.csaf.feeds import feeds_poll
from questionnaires.csaf.models import Advisory, CsafProvider, FeedDocument
from questionnaires.models import Assessment, RapidAssessment

from .csaf_doc import advisory
from .csaf_provider import LAST_MODIFIED
from .test_rapid import _supplier


def _directory_provider(provider, entries):
    base = provider.base
    provider.put(
        "/.well-known/csaf/provider-metadata.json",
        {
            "canonical_url": f"{base}/.well-known/csaf/provider-metadata.json",
            "distributions": [{"directory_url": f"{base}/.well-known/csaf/white/"}],
            "metadata_version": "2.0",
            "publisher": {"category": "coordinator", "name": "Loopback CERT", "namespace": base},
            "role": "csaf_trusted_provider",
        },
    )
    lines = "\n".join(f'"{path}","{stamp}"' for path, stamp in entries)
    provider.put("/.well-known/csaf/white/changes.csv", lines.encode())
    return CsafProvider.objects.create(
        name="Loopback CERT", url=f"{base}/.well-known/csaf/provider-metadata.json"
    )


def _recent(days_ago=0):
    return (timezone.now() - timedelta(days=days_ago)).isoformat()


def test_daily_run_proposes_matches_to_the_ciso_and_sends_nothing(
    cast, provider, django_capture_on_commit_callbacks
):
    rel = _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    provider.put(
        "/.well-known/csaf/white/2026/test-2026-001.json",
        advisory([("Microsoft Corporation", "Azure", "1")], tracking_id="TEST-2026-001"),
    )
    provider.put(
        "/.well-known/csaf/white/2026/test-2026-002.json",
        advisory([("Contoso", "Widget", "1")], tracking_id="TEST-2026-002"),
    )
    _directory_provider(
        provider,
        [("2026/test-2026-001.json", _recent()), ("2026/test-2026-002.json", _recent())],
    )
    with django_capture_on_commit_callbacks(execute=True):
        results = daily_run(today=timezone.localdate())
    assert results["csaf_feeds"] == 1
    item = Advisory.objects.get()
    assert item.care_org == cast.hospital and item.source == "feed" and item.status == "proposed"
    assert list(item.matches.values_list("relationship_id", "reason")) == [(rel.pk, "fourth_party")]
    note = Notification.objects.get(kind="csaf.proposed")
    assert note.user == cast.ciso.user and note.organisation == cast.hospital
    assert not Notification.objects.filter(kind="csaf.proposed", organisation=cast.other_care)
    assert not RapidAssessment.objects.exists() and not Assessment.objects.exists()
    assert FeedDocument.objects.count() == 2
    event = next(e for e in events.event_types() if e.name == "advisory.proposed")
    data = event.build_data(advisory=item)
    assert set(data) == set(event.data) and json.loads(json.dumps(data))["relationships"] == 1


def test_second_run_asks_conditionally_and_fetches_only_new_advisories(cast, provider):
    _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    doc1 = "/.well-known/csaf/white/2026/a.json"
    provider.put(doc1, advisory([("Microsoft", "Azure", "1")], tracking_id="A-1"))
    stamp = _recent()
    _directory_provider(provider, [("2026/a.json", stamp)])
    assert feeds_poll() == 1
    index = "/.well-known/csaf/white/changes.csv"
    assert "If-None-Match" not in provider.hits(index)[0]

    # unchanged: the index answers 304 and no advisory is fetched again
    assert feeds_poll() == 0
    second = provider.hits(index)[1]
    assert second["If-None-Match"] == provider.files[index][1]
    assert second["If-Modified-Since"] == LAST_MODIFIED
    assert len(provider.hits(doc1)) == 1

    # a new advisory in the index: only that one is fetched
    doc2 = "/.well-known/csaf/white/2026/b.json"
    provider.put(doc2, advisory([("Leverancier", "Leverancier B.V.", "2")], tracking_id="B-1"))
    provider.put(index, f'"2026/b.json","{_recent()}"\n"2026/a.json","{stamp}"'.encode())
    assert feeds_poll() == 1
    assert len(provider.hits(doc1)) == 1 and len(provider.hits(doc2)) == 1
    assert Advisory.objects.count() == 2
    assert not RapidAssessment.objects.exists()


def test_first_run_takes_only_recent_entries(cast, provider):
    _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    old = "/.well-known/csaf/white/2020/old.json"
    provider.put(old, advisory([("Microsoft", "Azure", "1")], tracking_id="OLD-1"))
    _directory_provider(provider, [("2020/old.json", "2020-01-01T00:00:00+00:00")])
    assert feeds_poll() == 0
    assert provider.hits(old) == []


def test_rolie_feed_and_index_txt_fallback(cast, provider):
    rel = _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    base = provider.base
    provider.put("/rolie/a.json", advisory([("Microsoft", "Azure", "1")], tracking_id="R-1"))
    provider.put(
        "/rolie/feed.json",
        {
            "feed": {
                "id": "x",
                "title": "feed",
                "entry": [
                    {
                        "id": "R-1",
                        "title": "R-1",
                        "updated": _recent(),
                        "link": [{"rel": "self", "href": f"{base}/rolie/a.json"}],
                        "content": {"type": "application/json", "src": f"{base}/rolie/a.json"},
                    }
                ],
            }
        },
    )
    provider.put(
        "/dir/b.json", advisory([("Leverancier", "Leverancier B.V.", "1")], tracking_id="D-1")
    )
    provider.put("/dir/index.txt", b"b.json\n")
    provider.put(
        "/pm.json",
        {
            "distributions": [
                {"rolie": {"feeds": [{"tlp_label": "WHITE", "url": f"{base}/rolie/feed.json"}]}},
                {"directory_url": f"{base}/dir"},
            ]
        },
    )
    CsafProvider.objects.create(name="P", url=f"{base}/pm.json")
    assert feeds_poll() == 2
    assert set(Advisory.objects.values_list("tracking_id", flat=True)) == {"R-1", "D-1"}
    assert set(Advisory.objects.values_list("matches__relationship", flat=True)) == {rel.pk}


def test_bad_documents_and_unreachable_providers_are_recorded_not_fatal(cast, provider):
    _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    provider.put("/.well-known/csaf/white/2026/bad.json", b"[1, 2, 3]")
    provider.put("/.well-known/csaf/white/2026/deep.json", b"[" * 5000 + b"]" * 5000)
    _directory_provider(provider, [("2026/bad.json", _recent()), ("2026/deep.json", _recent())])
    gone = CsafProvider.objects.create(name="Gone", url=f"{provider.base}/nothing-here.json")
    assert feeds_poll() == 0
    errors = dict(FeedDocument.objects.values_list("url", "error"))
    assert all(errors.values()) and len(errors) == 2
    gone.refresh_from_db()
    assert "HTTP 404" in gone.last_error and gone.last_run_at is not None
    assert not Advisory.objects.exists()


def test_documents_on_another_origin_are_not_fetched(cast, provider):
    _directory_provider(provider, [("http://169.254.169.254/latest/a.json", _recent())])
    assert feeds_poll() == 0
    assert not FeedDocument.objects.exists()


def test_distributions_on_another_origin_are_refused(cast, provider):
    provider.put(
        "/pm.json",
        {"distributions": [{"directory_url": "http://169.254.169.254/csaf/"}]},
    )
    item = CsafProvider.objects.create(name="P", url=f"{provider.base}/pm.json")
    assert feeds_poll() == 0
    item.refresh_from_db()
    assert "another origin" in item.last_error
    assert not FeedDocument.objects.exists()

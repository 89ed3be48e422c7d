"""Fetch new advisories from the CSAF providers the operator configured (CSAF 2.0 §7): read
provider-metadata.json, then each distribution's own index — `changes.csv` (or `index.txt`)
of a directory distribution, the ROLIE feeds otherwise — with If-None-Match /
If-Modified-Since, fetch only what is new, validate it, and propose what matches to every care
organisation for confirmation. Nothing is sent from here."""

from __future__ import annotations

import csv
import io
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

from portal.core.accounts.models import Organisation

from .feed_http import FeedError, check_url, http_url, opener
from .models import CsafProvider, FeedDocument, FeedResource
from .parsing import CsafInvalid, max_bytes, parse
from .services import advisory_propose

log = logging.getLogger(__name__)
INDEX_LIMIT = 5 * 1024 * 1024
USER_AGENT = "Ketenwacht-CSAF-feed/1"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def fetch(provider, url: str, *, limit: int, conditional: bool = True):
    """(body, validators) or (None, None) when the server says 304 Not Modified. The
    validators are stored by `remember` only once what the body lists has been handled."""
    check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only, checked above
    state = FeedResource.objects.filter(provider=provider, url=url[:1000]).first()
    if conditional and state is not None:
        if state.etag:
            request.add_header("If-None-Match", state.etag)
        if state.last_modified:
            request.add_header("If-Modified-Since", state.last_modified)
    try:
        with opener().open(request, timeout=_setting("CSAF_FEED_TIMEOUT", 20)) as response:
            body = response.read(limit + 1)
            headers = response.headers
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None, None
        raise FeedError(f"{url[:200]}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FeedError(f"{url[:200]}: {exc}") from exc
    if len(body) > limit:
        raise FeedError(f"{url[:200]}: larger than {limit} bytes")
    validators = {
        "etag": (headers.get("ETag") or "")[:300],
        "last_modified": (headers.get("Last-Modified") or "")[:100],
    }
    return body, validators


def remember(provider, url: str, validators: dict | None) -> None:
    if validators is None:
        return
    FeedResource.objects.update_or_create(
        provider=provider,
        url=url[:1000],
        defaults={**validators, "fetched_at": timezone.now()},
    )


def _stamp_time(stamp: str):
    try:
        moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else timezone.make_aware(moment, timezone.utc)


def _directory_entries(provider, base: str) -> tuple[list[tuple[str, str]], str, dict | None]:
    """(entries of (url, stamp), index URL, validators) from changes.csv, else index.txt."""
    index = urljoin(base, "changes.csv")
    try:
        body, validators = fetch(provider, index, limit=INDEX_LIMIT)
    except FeedError:
        body, validators = b"", None
        index = urljoin(base, "index.txt")
        text, validators = fetch(provider, index, limit=INDEX_LIMIT)
        if text is None:
            return [], index, None
        lines = text.decode("utf-8", "replace").splitlines()
        return (
            [(urljoin(base, line.strip()), "") for line in lines if line.strip()],
            index,
            validators,
        )
    if body is None:
        return [], index, None
    rows = csv.reader(io.StringIO(body.decode("utf-8", "replace")))
    entries = [
        (urljoin(base, row[0].strip()), row[1].strip()[:64]) for row in rows if len(row) >= 2
    ]
    return entries, index, validators


def _rolie_entries(provider, feed_url: str) -> tuple[list[tuple[str, str]], dict | None]:
    body, validators = fetch(provider, feed_url, limit=INDEX_LIMIT)
    if body is None:
        return [], None
    try:
        feed = json.loads(body)["feed"]
        items = feed.get("entry") or []
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FeedError(f"{feed_url[:200]}: not a ROLIE feed") from exc
    entries = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        content = item.get("content") if isinstance(item.get("content"), dict) else {}
        src = content.get("src") or next(
            (
                link.get("href")
                for link in item.get("link") or []
                if isinstance(link, dict) and link.get("rel") == "self"
            ),
            None,
        )
        if isinstance(src, str) and src:
            entries.append((urljoin(feed_url, src), str(item.get("updated") or "")[:64]))
    return entries, validators


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def _new_entries(provider, entries: list[tuple[str, str]], base: str) -> list[tuple[str, str]]:
    """Entries of this provider's origin that were not fetched in this version before; on the
    first run only the recent ones; at most CSAF_FEED_MAX_PER_RUN, newest first."""
    seen = dict(FeedDocument.objects.filter(provider=provider).values_list("url", "stamp"))
    first_run = not seen
    cutoff = timezone.now() - timedelta(days=_setting("CSAF_FEED_FIRST_DAYS", 30))
    fresh = []
    for url, stamp in entries:
        if not url.endswith(".json") or not _same_origin(url, base):
            continue
        if url[:1000] in seen and seen[url[:1000]] == stamp:
            continue
        moment = _stamp_time(stamp) if stamp else None
        if first_run and moment is not None and moment < cutoff:
            continue
        fresh.append((url, stamp, moment))
    fresh.sort(key=lambda e: e[2] or timezone.now(), reverse=True)
    return [(url, stamp) for url, stamp, _m in fresh[: _setting("CSAF_FEED_MAX_PER_RUN", 100)]]


def _take(provider, url: str, stamp: str) -> int:
    """Fetch, validate and propose one advisory to every care organisation it matches."""
    proposed, error, tracking = 0, "", ""
    try:
        body, _validators = fetch(provider, url, limit=max_bytes(), conditional=False)
        parsed = parse(body or b"")
        tracking = parsed.tracking_id
        for care_org in Organisation.objects.filter(kind="care").order_by("pk"):
            advisory = advisory_propose(
                care_org=care_org, parsed=parsed, provider=provider, url=url
            )
            if advisory is not None:
                proposed += 1
    except (FeedError, CsafInvalid) as exc:
        error = str(exc)[:500]
    FeedDocument.objects.update_or_create(
        provider=provider,
        url=url[:1000],
        defaults={"stamp": stamp, "tracking_id": tracking[:200], "error": error},
    )
    return proposed


def provider_poll(provider: CsafProvider) -> int:
    """One provider: the metadata, each distribution's index, each new advisory."""
    body, _validators = fetch(provider, provider.url, limit=INDEX_LIMIT, conditional=False)
    try:
        metadata = json.loads(body)
        distributions = metadata.get("distributions") or []
    except (ValueError, TypeError, AttributeError) as exc:
        raise FeedError("provider-metadata.json is not a JSON object") from exc
    proposed, refused = 0, []
    for dist in distributions if isinstance(distributions, list) else []:
        if not isinstance(dist, dict):
            continue
        indexes = []
        if isinstance(dist.get("directory_url"), str):
            base = http_url(dist["directory_url"].rstrip("/") + "/")
            if _same_origin(base, provider.url):
                entries, index, validators = _directory_entries(provider, base)
                indexes.append((base, entries, index, validators))
            else:
                refused.append(base)
        rolie = dist.get("rolie") if isinstance(dist.get("rolie"), dict) else {}
        for feed in rolie.get("feeds") or []:
            if not (isinstance(feed, dict) and isinstance(feed.get("url"), str)):
                continue
            if not _same_origin(http_url(feed["url"]), provider.url):
                refused.append(feed["url"])
                continue
            entries, validators = _rolie_entries(provider, feed["url"])
            indexes.append((feed["url"], entries, feed["url"], validators))
        for base, entries, index, validators in indexes:
            for url, stamp in _new_entries(provider, entries, base):
                proposed += _take(provider, url, stamp)
            remember(provider, index, validators)
    if refused:
        # only the provider's own origin is read: a metadata file cannot send the portal to
        # another host (or an internal address)
        raise FeedError(f"distribution on another origin not read: {refused[0][:200]}")
    return proposed


def feeds_poll(*, today=None, **_event) -> int:
    """The daily step: every active provider; a failing provider is recorded, never fatal.
    Returns how many advisories were proposed (to all care organisations together)."""
    total = 0
    for provider in CsafProvider.objects.filter(active=True).order_by("pk"):
        error = ""
        try:
            total += provider_poll(provider)
        except FeedError as exc:
            error = str(exc)[:2000]
            log.warning("CSAF feed %s: %s", provider.url, error)
        provider.last_run_at, provider.last_error = timezone.now(), error
        provider.save(update_fields=["last_run_at", "last_error"])
    return total

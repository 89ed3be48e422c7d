"""CSAF feeds follow a redirect only within the provider's own origin (DESIGN §12, SSRF): a
redirect to another origin, from https to plain http, or to a private or loopback address the
operator did not list is refused with a logged error, and its target is never asked. Real
servers on loopback; loopback is allowed only for the host each test lists."""

from __future__ import annotations

import datetime as dt
import logging
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from questionnaires.csaf.feed_http import redirect_refusal
from questionnaires.csaf.feeds import feeds_poll
from questionnaires.csaf.models import Advisory, CsafProvider, FeedDocument

from .csaf_doc import advisory
from .csaf_provider import serve
from .test_csaf_feeds import _directory_provider, _recent
from .test_rapid import _supplier

PM = "/.well-known/csaf/provider-metadata.json"


def _metadata(base: str) -> dict:
    return {"distributions": [{"directory_url": f"{base}/.well-known/csaf/white/"}]}


def _poll_refused(caplog, item) -> str:
    with caplog.at_level(logging.ERROR, logger="questionnaires.csaf.feeds"):
        assert feeds_poll() == 0
    item.refresh_from_db()
    assert item.last_run_at is not None
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert logged and "refused, not fetched" in logged[0]
    assert not Advisory.objects.exists()
    return item.last_error


def test_a_redirect_within_the_providers_origin_is_followed(cast, provider):
    rel = _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    provider.put(
        "/.well-known/csaf/white/2026/a.json",
        advisory([("Microsoft", "Azure", "1")], tracking_id="MOVED-1"),
    )
    _directory_provider(provider, [("2026/a.json", _recent())])
    provider.redirects["/old/pm.json"] = f"{provider.base}{PM}"
    CsafProvider.objects.all().update(url=f"{provider.base}/old/pm.json")
    assert feeds_poll() == 1
    assert Advisory.objects.get().matches.get().relationship_id == rel.pk


def test_a_redirect_to_another_origin_is_refused_and_not_fetched(cast, provider, caplog):
    with serve() as elsewhere:
        elsewhere.put(PM, _metadata(elsewhere.base))
        provider.redirects[PM] = f"{elsewhere.base}{PM}"
        item = CsafProvider.objects.create(name="P", url=f"{provider.base}{PM}")
        error = _poll_refused(caplog, item)
        assert "redirect to another origin refused" in error
        assert elsewhere.requests == []


def test_a_redirect_to_an_unlisted_loopback_address_is_refused(cast, provider, caplog):
    with serve("127.0.0.2") as internal:
        internal.put(PM, _metadata(internal.base))
        provider.redirects[PM] = f"{internal.base}{PM}"
        item = CsafProvider.objects.create(name="P", url=f"{provider.base}{PM}")
        error = _poll_refused(caplog, item)
        assert "redirect to a private or loopback address refused" in error
        assert internal.requests == []


def test_an_advisory_that_redirects_elsewhere_is_recorded_not_fetched(cast, provider, caplog):
    _supplier(cast, cast.hospital, "Leverancier B.V.", "Azure (Microsoft)")
    with serve() as elsewhere:
        elsewhere.put("/a.json", advisory([("Microsoft", "Azure", "1")], tracking_id="X-1"))
        provider.redirects["/.well-known/csaf/white/2026/a.json"] = f"{elsewhere.base}/a.json"
        _directory_provider(provider, [("2026/a.json", _recent())])
        with caplog.at_level(logging.ERROR, logger="questionnaires.csaf.feeds"):
            assert feeds_poll() == 0
        assert "redirect to another origin refused" in FeedDocument.objects.get().error
        assert elsewhere.requests == [] and not Advisory.objects.exists()
        assert any("refused, not fetched" in r.getMessage() for r in caplog.records)


def _self_signed(tmp_path) -> tuple[ssl.SSLContext, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, str(cert_file)


def test_a_redirect_from_https_to_plain_http_is_refused(
    cast, settings, tmp_path, monkeypatch, caplog
):
    settings.CSAF_FEED_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    tls, cert_file = _self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert_file)  # the client trusts this test's certificate
    with serve(tls=tls) as secure, serve() as plain:
        plain.put(PM, _metadata(plain.base))
        secure.redirects[PM] = f"{plain.base}{PM}"
        item = CsafProvider.objects.create(name="P", url=f"{secure.base}{PM}")
        error = _poll_refused(caplog, item)
        assert [path for path, _h in secure.requests] == [PM]
        assert "redirect to plain http refused" in error
        assert plain.requests == []


def test_loopback_is_refused_unless_the_operator_lists_the_host(cast, provider, settings):
    settings.CSAF_FEED_ALLOWED_PRIVATE_HOSTS = []
    provider.put(PM, _metadata(provider.base))
    item = CsafProvider.objects.create(name="P", url=f"{provider.base}{PM}")
    assert feeds_poll() == 0
    item.refresh_from_db()
    assert "private or loopback address" in item.last_error
    assert provider.requests == []


@pytest.mark.parametrize(
    ("current", "target", "why"),
    [
        ("https://csaf.example/a", "https://csaf.example/b", None),
        ("https://csaf.example/a", "https://csaf.example:443/b", None),
        ("https://csaf.example/a", "http://csaf.example/b", "to plain http"),
        ("https://csaf.example/a", "https://cdn.example/b", "to another origin"),
        ("http://csaf.example/a", "https://csaf.example/b", "to another origin"),
        ("https://csaf.example/a", "https://169.254.169.254/b", "to a private or loopback address"),
        ("https://csaf.example/a", "https://[::1]/b", "to a private or loopback address"),
        ("https://csaf.example/a", "file:///etc/passwd", "not an http(s) URL"),
    ],
)
def test_redirect_rules(current, target, why):
    assert redirect_refusal(current, target) == why

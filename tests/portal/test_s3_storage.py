"""S3-compatible file storage for several web nodes: configured from the environment, files
private, stored and served through the permission-checked views (against a real S3 protocol
server on loopback: moto's, no network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.access import _document
from tests.conftest import client_for

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")


def test_s3_settings_come_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "S3_BUCKET": "kw-files",
        "S3_ENDPOINT_URL": "https://objects.example.nl",
        "S3_REGION": "nl-ams",
        "S3_ACCESS_KEY": "AK",
        "S3_SECRET_KEY": "SK",
    }
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps(s.STORAGES['default']))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    default = json.loads(out.strip().splitlines()[-1])
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    opts = default["OPTIONS"]
    assert (
        opts["bucket_name"] == "kw-files" and opts["endpoint_url"] == "https://objects.example.nl"
    )
    assert opts["default_acl"] == "private" and opts["querystring_auth"] is True
    assert opts["file_overwrite"] is False


@pytest.fixture
def s3():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-west-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    client.create_bucket(
        Bucket="kw-files", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "kw-files", "endpoint_url": endpoint, "region_name": "eu-west-1",
                "access_key": "test", "secret_key": "test", "location": "private",
                "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }  # fmt: skip
    with override_settings(STORAGES=storages):
        yield client
    server.stop()


def test_documents_live_in_the_bucket_and_are_served_only_to_members(cast, s3):
    from tests.access import PDF

    doc = _document(cast)["document"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="kw-files")["Contents"]]
    assert keys == [f"private/{doc.file.name}"]
    grants = s3.get_object_acl(Bucket="kw-files", Key=keys[0])["Grants"]
    assert all("AllUsers" not in json.dumps(g) for g in grants)  # never public
    url = reverse("document_download", args=[doc.pk])
    response = client_for(cast.supplier_owner).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client_for(cast.other_supplier_owner).get(url).status_code == 404

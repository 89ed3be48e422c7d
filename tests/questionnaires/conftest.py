from __future__ import annotations

from pathlib import Path

import pytest

from questionnaires.services import template_import
from questionnaires.yaml_io import parse_questionnaire

from .csaf_provider import serve

FILES = Path(__file__).parent / "files"
BANKS = Path(__file__).resolve().parents[2] / "questionnaires" / "banks"


@pytest.fixture
def every_feature_text() -> str:
    return (FILES / "every_feature.yaml").read_text(encoding="utf-8")


@pytest.fixture
def own_template(cast, every_feature_text):
    """A draft template owned by the hospital."""
    data = parse_questionnaire(every_feature_text)
    return template_import(data=data, owner=cast.hospital, actor=cast.ciso.user)


@pytest.fixture
def provider(settings):
    """A provider on 127.0.0.1; loopback is allowed for that host only because the test says
    so (CSAF_FEED_ALLOWED_PRIVATE_HOSTS)."""
    settings.CSAF_FEED_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    with serve() as state:
        yield state

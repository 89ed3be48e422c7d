"""The fixed cast of Ketenwacht tests (STYLE.md) and small helpers.

Two care organisations and two suppliers; one person per role. Everything is created through
the real services, on the real database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from portal.core.accounts.models import Membership, Organisation
from portal.core.accounts.services import api_token_create, member_add, organisation_create

# Property tests judge correctness, not speed: a loaded CI machine must not fail them.
settings.register_profile("ketenwacht", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ketenwacht")

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class Cast:
    hospital: Organisation
    other_care: Organisation
    supplier: Organisation
    other_supplier: Organisation
    care_admin: Membership
    ciso: Membership
    procurement: Membership
    board: Membership
    viewer: Membership
    other_care_admin: Membership
    other_care_ciso: Membership
    supplier_owner: Membership
    respondent: Membership
    other_supplier_owner: Membership

    def membership(self, name: str) -> Membership:
        return getattr(self, name)


@pytest.fixture
def cast(db) -> Cast:
    hospital = organisation_create(slug="ziekenhuis", name="Ziekenhuis Test", kind="care")
    other = organisation_create(slug="andere-zorg", name="Andere Zorg", kind="care")
    supplier = organisation_create(
        slug="leverancier", name="Leverancier B.V.", kind="supplier", kvk_number="12345678"
    )
    other_supplier = organisation_create(
        slug="andere-leverancier", name="Andere Leverancier", kind="supplier"
    )

    def add(org, email, role):
        return member_add(organisation=org, email=email, role=role, password=PASSWORD)

    return Cast(
        hospital=hospital,
        other_care=other,
        supplier=supplier,
        other_supplier=other_supplier,
        care_admin=add(hospital, "admin@zh.test", "admin"),
        ciso=add(hospital, "ciso@zh.test", "security"),
        procurement=add(hospital, "inkoop@zh.test", "procurement"),
        board=add(hospital, "bestuur@zh.test", "board"),
        viewer=add(hospital, "lezer@zh.test", "viewer"),
        other_care_admin=add(other, "admin@andere.test", "admin"),
        other_care_ciso=add(other, "ciso@andere.test", "security"),
        supplier_owner=add(supplier, "eigenaar@lev.test", "owner"),
        respondent=add(supplier, "respondent@lev.test", "respondent"),
        other_supplier_owner=add(other_supplier, "eigenaar@andere-lev.test", "owner"),
    )


def client_for(membership: Membership, lang: str | None = "en") -> Client:
    """A test client signed in as the membership's user, with that organisation active.

    Pages answer in English unless `lang` says otherwise (None: the user's own language).
    """
    client = Client()
    if lang:
        client.cookies["django_language"] = lang
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["active_membership_id"] = membership.pk
    session.save()
    return client


def api_client_for(membership: Membership) -> Client:
    """A client that authenticates with a fresh API token of the membership."""
    _token, key = api_token_create(membership=membership, name="test")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def as_member():
    return client_for


@pytest.fixture
def as_api():
    return api_client_for


@pytest.fixture(autouse=True)
def _fresh_outline_cache():
    """The per-process cache of published questionnaires' outlines: a test's rolled-back
    template can reappear with the same id (and, under a frozen clock, the same publication
    time) in the next test."""
    from questionnaires.assessments.outline import _OUTLINES  # noqa: PLC0415

    _OUTLINES.clear()
    yield
    _OUTLINES.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request (services, tasks) speaks English in every test, whatever
    language an earlier test's request left active in this worker thread: assertions on
    messages must not depend on test order. Requests still choose their own language."""
    from django.utils import translation  # noqa: PLC0415

    translation.activate("en")
    yield
    translation.deactivate()

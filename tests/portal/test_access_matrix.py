"""Generated access-control tests: anonymous, too-low role, other organisation, happy path."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import OUTSIDERS, ROUTES, Route, project_route_names
from tests.conftest import api_client_for, client_for


def test_every_route_is_in_the_matrix():
    missing = project_route_names() - {r.name for r in ROUTES}
    stale = {r.name for r in ROUTES} - project_route_names()
    assert not missing, f"routes without access-control coverage: {sorted(missing)}"
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def _call(client: Client, route: Route, cast, world):
    url = reverse(route.name, kwargs=route.kwargs(cast, world)) + route.query
    method = getattr(client, route.method)
    if route.method == "get":
        return method(url)
    if route.api and not route.multipart:
        return method(
            url, data=json.dumps(route.data(cast, world)), content_type="application/json"
        )
    return method(url, data=route.data(cast, world))


def _cases():
    for route in ROUTES:
        yield pytest.param(route, "anonymous", id=f"{route.name}-anonymous")
        if route.public:
            continue
        for who in route.allowed:
            yield pytest.param(route, f"allowed:{who}", id=f"{route.name}-allowed-{who}")
        for who in route.denied:
            yield pytest.param(route, f"denied:{who}", id=f"{route.name}-denied-{who}")
        for who in route.foreign:
            yield pytest.param(route, f"foreign:{who}", id=f"{route.name}-foreign-{who}")
        if route.api and route.allowed:
            # A token of someone who must still set up two-factor authentication: refused.
            yield pytest.param(route, f"mfa:{route.allowed[0]}", id=f"{route.name}-mfa-pending")
        if route.kwargs_are_objects and route.kwargs(None, _Probe()) != {}:
            for who in OUTSIDERS:
                yield pytest.param(route, f"foreign:{who}", id=f"{route.name}-outsider-{who}")


class _Probe(dict):
    """Lets a kwargs builder run without objects, to learn whether the route takes any."""

    def __missing__(self, key):
        return _ProbeObject()


class _ProbeObject:
    """Stands in for any object chain (world["t"].sections.first().pk) during the probe."""

    pk = 0

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self


def _role_allowed(cast, route: Route, membership) -> bool:
    allowed = {
        (cast.membership(m).organisation.kind, cast.membership(m).role) for m in route.allowed
    }
    return (membership.organisation.kind, membership.role) in allowed


@pytest.mark.parametrize(("route", "case"), list(_cases()))
def test_access(cast, route: Route, case: str):
    world = route.setup(cast)
    if case == "anonymous":
        response = _call(Client(), route, cast, world)
        if route.public:
            assert response.status_code in (200, 302, 404, 410), response.status_code
        elif route.api:
            assert response.status_code == 401
        else:
            assert response.status_code == 302
            assert reverse("account_login") in response["Location"]
        return
    kind, who = case.split(":")
    membership = cast.membership(who)
    if kind == "mfa":
        membership.organisation.mfa_required = True
        membership.organisation.save(update_fields=["mfa_required"])
        response = _call(api_client_for(membership), route, cast, world)
        assert response.status_code == 401, f"{route.name}: token worked without MFA set up"
        detail = response.json()["detail"]
        assert "Two-factor authentication" in detail or "Tweestapsverificatie" in detail
        return
    response = _call(client_for(membership), route, cast, world)
    expected = {"allowed": set(route.ok), "denied": {403}, "foreign": {404}}[kind]
    if kind == "foreign" and not _role_allowed(cast, route, membership):
        # Too low a role for this route anyway: 403 before any lookup, or 404; neither leaks.
        expected = {403, 404}
    assert response.status_code in expected, (
        f"{route.name} as {who}: got {response.status_code}, expected {expected}"
    )


def _json_writes():
    for route in ROUTES:
        if route.api and route.method != "get" and not route.multipart and route.allowed:
            yield pytest.param(route, id=f"{route.name}-{route.method}")


@pytest.mark.parametrize("route", list(_json_writes()))
def test_api_write_with_a_body_that_is_not_an_object(cast, route: Route):
    """A JSON body that is a list, a string, a number or null: a clear 4xx, never a 500.

    Found by the API fuzz on one endpoint; checked here for every JSON write of the API.
    """
    world = route.setup(cast)
    client = client_for(cast.membership(route.allowed[0]))
    url = reverse(route.name, kwargs=route.kwargs(cast, world)) + route.query
    for body in ("[null, null]", "[]", '"text"', "42", "null", "{"):
        response = getattr(client, route.method)(url, data=body, content_type="application/json")
        assert response.status_code < 500, f"{route.name} with body {body}: 500"

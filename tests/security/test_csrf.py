"""Every state change needs POST and a valid CSRF token.

Every URL the resolver knows (ours and the admin's) refuses a POST without a
token, or with a token from another session, with 403 and writes nothing; the
same POST with the session's own token goes through (so the token is what was
refused). POST-only views answer GET with 405, and no GET writes anything.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.security.conftest import snapshot
from tests.security.routes import (
    ANONYMOUS,
    CURATOR,
    GET_POST,
    MANAGER,
    OUTSIDER,
    POST,
    REVIEWER,
    ROUTES,
    STAFF,
)
from tests.security.urlwalk import admin_url, admin_urls, own_urls

PREFERENCE = (REVIEWER, CURATOR, MANAGER, STAFF, OUTSIDER, ANONYMOUS)


def allowed_role(route):
    """Someone the access table lets through, so that a refusal can only be the token's."""
    return next(role for role in PREFERENCE if role in route.allow)


def strict_client(world, role):
    client = Client(enforce_csrf_checks=True)
    if role != ANONYMOUS:
        login(client, world.users[role])
    return client


def token(client):
    """The CSRF token a page served to this client carries."""
    client.get(reverse("login"))
    return client.cookies["csrftoken"].value


def test_every_url_refuses_a_post_without_a_csrf_token(world):
    """Ours as a user allowed to use them, the admin's as staff."""
    unknown = sorted({name for name, _ in own_urls() if name} - ROUTES.keys())
    assert not unknown, f"add these URL names to tests/security/routes.py: {unknown}"
    targets = [
        (name, reverse(name, kwargs=r.kwargs(world)), allowed_role(r), r.body(world))
        for name, r in ROUTES.items()
    ]
    targets += [
        (name or route, admin_url(name, route, p), STAFF, {}) for name, route, p in admin_urls()
    ]
    clients = {role: strict_client(world, role) for _, _, role, _ in targets}
    before = snapshot()
    accepted = []
    for name, url, role, data in targets:
        response = clients[role].post(url, data)
        if response.status_code != 403:
            accepted.append((name, url, response.status_code))
    assert not accepted, f"POSTs without a CSRF token that were not refused: {accepted}"
    assert snapshot() == before


POSTABLE = sorted(name for name, route in ROUTES.items() if route.method in (POST, GET_POST))


@pytest.mark.parametrize("name", POSTABLE)
def test_a_post_with_a_token_from_another_session_is_refused(world, name):
    route = ROUTES[name]
    role = allowed_role(route)
    attacker, victim = Client(enforce_csrf_checks=True), strict_client(world, role)
    token(victim)
    before = snapshot()
    response = victim.post(
        reverse(name, kwargs=route.kwargs(world)),
        {**route.body(world), "csrfmiddlewaretoken": token(attacker)},
    )
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", POSTABLE)
def test_the_same_post_with_the_sessions_own_token_goes_through(world, name):
    route = ROUTES[name]
    client = strict_client(world, allowed_role(route))
    response = client.post(
        reverse(name, kwargs=route.kwargs(world)),
        {**route.body(world), "csrfmiddlewaretoken": token(client)},
    )
    # A page that also takes a POST (login, the annotation form) redirects after a good one.
    assert response.status_code == (302 if route.method == GET_POST else route.status_for_allowed())


@pytest.mark.parametrize(
    "name", sorted(name for name, route in ROUTES.items() if route.method == POST)
)
def test_state_changing_urls_refuse_get(client, world, name):
    route = ROUTES[name]
    role = allowed_role(route)
    if role != ANONYMOUS:
        login(client, world.users[role])
    before = snapshot()
    assert client.get(reverse(name, kwargs=route.kwargs(world))).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize(
    "name", sorted(name for name, route in ROUTES.items() if route.method != POST)
)
def test_a_get_writes_nothing(client, world, name):
    route = ROUTES[name]
    role = allowed_role(route)
    if role != ANONYMOUS:
        login(client, world.users[role])
    before = snapshot()
    assert client.get(reverse(name, kwargs=route.kwargs(world))).status_code == 200
    assert snapshot() == before

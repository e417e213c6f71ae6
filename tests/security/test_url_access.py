"""Walk every URL the project serves, as every kind of visitor.

The URL names come from the resolver, so a new view cannot be forgotten: a
name missing from tests/security/routes.py fails the first test with its name.
Our own views: anonymous visitors go to the login page, a reviewer of another
campaign gets 404, members get the page or 404 according to their role, and a
refused request writes nothing. The admin: every admin URL sends anonymous
visitors and non-staff users to the admin login, and staff reach it.
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import login
from tests.security.conftest import snapshot
from tests.security.routes import ANONYMOUS, OUTSIDER, POST, ROLES, ROUTES
from tests.security.urlwalk import admin_model, admin_url, admin_urls, own_urls


def test_every_url_of_ours_has_a_name():
    unnamed = [route for name, route in own_urls() if name is None]
    assert not unnamed, (
        f"give these URL patterns a name (and a line in tests/security/routes.py): {unnamed}"
    )


def test_every_url_name_is_in_the_access_table():
    served = {name for name, _ in own_urls() if name}
    missing = sorted(served - ROUTES.keys())
    assert not missing, (
        "URL names with no access rule: add one line each to tests/security/routes.py "
        f"saying who may reach them: {missing}"
    )


def test_the_access_table_lists_no_url_that_is_not_served():
    served = {name for name, _ in own_urls() if name}
    stale = sorted(ROUTES.keys() - served)
    assert not stale, f"tests/security/routes.py lists URL names nobody serves: {stale}"


def visitor(client, world, role):
    if role != ANONYMOUS:
        login(client, world.users[role])
    return client


def call(client, route, url, world):
    if route.method == POST:
        return client.post(url, route.body(world))
    return client.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_visitor_gets_what_the_access_table_says(client, world, name, role):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))
    visitor(client, world, role)
    before = snapshot()
    response = call(client, route, url, world)

    if role == ANONYMOUS and route.anonymous:
        assert response.status_code == route.anonymous, (name, response.status_code)
    elif role == ANONYMOUS and not route.public:
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]
    elif role in route.allow:
        assert response.status_code == route.status_for_allowed(), (
            name,
            role,
            response.status_code,
        )
        if response.status_code == 302:
            challenge = reverse("login") + "?next="
            assert not response["Location"].startswith(challenge), (
                "an allowed user was sent to log in"
            )
        return
    else:
        assert response.status_code == 404, (name, role, response.status_code)
    assert snapshot() == before, f"{role} was refused {name} but something was written"


@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROUTES.items() if r.method == POST and OUTSIDER not in r.allow)
)
def test_a_refused_post_by_a_reviewer_of_another_campaign_writes_nothing_even_with_valid_data(
    client, world, name
):
    route = ROUTES[name]
    login(client, world.users["olga"])
    before = snapshot()
    assert (
        client.post(reverse(name, kwargs=route.kwargs(world)), route.body(world)).status_code == 404
    )
    assert snapshot() == before


# ---- the admin -------------------------------------------------------------


def can_add(model, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return admin.site._registry[model].has_add_permission(request)


def can_delete(model, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return admin.site._registry[model].has_delete_permission(request)


def test_the_walk_finds_the_admin_pages_of_our_models():
    names = {name for name, _, _ in admin_urls()}
    for expected in (
        "admin:index",
        "admin:login",
        "admin:corpus_document_changelist",
        "admin:corpus_document_import",
        "admin:annotate_campaign_change",
    ):
        assert expected in names


@pytest.mark.parametrize("who", [ANONYMOUS, "alice"])
def test_every_admin_url_sends_anonymous_and_non_staff_users_to_the_admin_login(client, world, who):
    visitor(client, world, who)
    login_url = reverse("admin:login")
    wrong = []
    for name, route, pattern in admin_urls():
        url = admin_url(name, route, pattern)
        response = client.get(url)
        if name == "admin:login":
            ok = response.status_code == 200
        elif name == "admin:logout":
            # Logging out of the admin without being logged in to it leads to its index.
            ok = response.status_code == 302 and response["Location"] == reverse("admin:index")
        else:
            ok = response.status_code == 302 and response["Location"].startswith(
                login_url + "?next="
            )
        if not ok:
            wrong.append((name, url, response.status_code, response.get("Location")))
    assert not wrong, f"admin URLs reachable without staff rights: {wrong}"


def test_staff_reach_every_admin_page(client, world):
    login(client, world.users["staff"])
    wrong = []
    for name, route, pattern in admin_urls():
        url = admin_url(name, route, pattern)
        response = client.get(url)
        if name == "admin:logout":
            expected = {405}  # logging out takes a POST
        elif name == "admin:autocomplete":
            expected = {403}  # refuses a request that names no autocomplete field
        elif name == "admin:view_on_site":
            expected = {404}  # documents have no public page
        elif name is None and route.endswith("(?P<url>.*)$"):
            expected = {404}  # the catch-all for unknown admin pages
        elif (
            name
            and name.endswith("_add")
            and not can_add(admin_model(name=name), world.users["staff"])
        ):
            expected = {403}  # models filled by importers and services, never typed in
        elif (
            name
            and name.endswith("_delete")
            and not can_delete(admin_model(name=name), world.users["staff"])
        ):
            expected = {403}  # work and its history: deleted only with their campaign
        else:
            expected = {200, 302}
        if response.status_code not in expected or response.get("Location", "").startswith(
            reverse("admin:login")
        ):
            wrong.append((name, url, response.status_code))
    assert not wrong, f"admin pages staff cannot use: {wrong}"

"""Login rate limiting: failures count per user name and client address, in the
database (so every worker process sees them); the limit-th failure locks that
pair out for the cool-off with a clear message and HTTP 429; other accounts and
other addresses are not affected; X-Forwarded-For counts only behind a trusted proxy.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from credence.login_limits import client_ip
from tests.conftest import PASSWORD

LOCKED = "Too many failed log-in attempts"
WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def limits_on(settings):
    # The rate-limit tests must run with the limiter on whatever the environment says.
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.TRUSTED_PROXIES = 0


def attempt(username, password=WRONG, address="127.0.0.1", path=None, **headers):
    """One login attempt from a fresh browser (no cookies shared with any other attempt,
    as if every request went to a different worker process)."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        path or reverse("login"), {"username": username, "password": password}, headers=headers
    )
    return response, client


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(times, username="alice", **kwargs):
    return [attempt(username, **kwargs)[0].status_code for _ in range(times)]


def test_four_failures_show_the_usual_error_and_the_fifth_locks_the_account_from_that_address(
    users,
):
    statuses = fail(4)
    assert statuses == [200] * 4
    response, _ = attempt("alice")
    assert response.status_code == 429
    text = response.content.decode()
    assert LOCKED in text and "15 minutes" in text
    # The page is the login form again, so the person knows where they are.
    assert 'name="username"' in text


def test_while_locked_even_the_right_password_is_refused(users):
    fail(5)
    response, client = attempt("alice", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_failures_are_counted_in_the_database(users):
    fail(3)
    row = AccessAttempt.objects.get(username="alice")
    assert (row.ip_address, row.failures_since_start) == ("127.0.0.1", 3)


def test_another_account_from_the_same_address_still_logs_in(users):
    fail(5)
    response, client = attempt("bob", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_same_account_from_another_address_still_logs_in(users):
    fail(5)
    response, client = attempt("alice", PASSWORD, address="10.0.0.9")
    assert response.status_code == 302
    assert logged_in(client)


def test_after_the_cool_off_the_account_logs_in_again(users):
    fail(5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response, client = attempt("alice", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_count(users):
    fail(4)
    assert attempt("alice", PASSWORD)[0].status_code == 302
    assert fail(4) == [200] * 4


def test_spaces_around_the_user_name_do_not_start_a_fresh_count(users):
    for name in ("alice", " alice", "alice ", " alice ", "  alice"):
        response, _ = attempt(name)
    assert response.status_code == 429
    assert attempt("alice", PASSWORD)[0].status_code == 429


def test_an_over_long_user_name_is_refused_and_counted_not_a_server_error(users):
    name = "x" * 400  # the login form does not stop it; axes' column holds 255
    statuses = fail(5, username=name)
    assert statuses == [200] * 4 + [429]
    stored = AccessAttempt.objects.get().username
    assert stored == name[:255]


def test_the_admin_login_is_limited_too(users):
    admin_login = reverse("admin:login")
    statuses = [attempt("staff", path=admin_login)[0].status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]
    assert attempt("staff", PASSWORD, path=admin_login)[0].status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_a_lock_without_a_trusted_proxy(users):
    fail(5)
    response, client = attempt("alice", PASSWORD, **{"X-Forwarded-For": "203.0.113.77"})
    assert response.status_code == 429
    assert not logged_in(client)


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_one_counted(users, settings):
    settings.TRUSTED_PROXIES = 1
    # Entries left of the proxy's own are the client's invention: changing them changes nothing.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        attempt("alice", **{"X-Forwarded-For": f"{forged}, 203.0.113.5"})
    locked, _ = attempt("alice", PASSWORD, **{"X-Forwarded-For": "203.0.113.5"})
    assert locked.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    # Another client behind the same proxy is a different address.
    other, client = attempt("alice", PASSWORD, **{"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 302
    assert logged_in(client)


def request_from(remote, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # no proxy: the header is the client's word
        (1, "192.0.2.1", "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1", "198.51.100.1, 203.0.113.5, 192.0.2.9", "203.0.113.5"),
        (2, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # fewer hops than proxies: count the proxy
        (1, "192.0.2.1", "", "192.0.2.1"),
        (1, "192.0.2.1", None, "192.0.2.1"),
        (1, "192.0.2.1", "not-an-address", "192.0.2.1"),
        (1, "192.0.2.1", " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request_from(remote, forwarded)) == expected


def test_the_limiter_is_on_by_default():
    # Guard against a settings change that turns the limiter off for everyone.
    from credence import settings as project_settings

    assert project_settings.AXES_ENABLED is True
    assert project_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert project_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_a_missing_password_is_said_on_the_login_page(client, users):
    response = client.post(reverse("login"), {"username": "alice", "password": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()

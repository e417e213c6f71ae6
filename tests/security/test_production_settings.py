"""Production mode: `check --deploy` passes, and the settings it turns on reach
the responses (HSTS, secure cookie flags, SSL redirect, proxy headers only when
trusted). The production settings are read in a subprocess, since settings are
fixed once Django starts, then applied here to check real responses.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
SECURITY_SETTINGS = (
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXIES",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
)
ONE_YEAR = 365 * 24 * 3600


def production_env(**extra):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_", "TRUSTED_"))
    }
    env.update(
        {
            "CREDENCE_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),  # 67 characters, as check --deploy wants 50+
            "ALLOWED_HOSTS": "credence.example.org",
            "DJANGO_SETTINGS_MODULE": "credence.settings",
        }
    )
    env.pop("DEBUG", None)
    env.update(extra)
    return env


def run(args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(**env):
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(SECURITY_SETTINGS)!r}}}))"
    )
    result = run(["-c", script], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_in_production_mode_at_warning_level():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_notices_when_an_operator_turns_hsts_preload_off():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], SECURE_HSTS_PRELOAD="false"
    )
    assert result.returncode != 0
    assert "security.W021" in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret_key_or_allowed_hosts(missing):
    result = run(["manage.py", "check"], **{missing: ""})
    assert result.returncode != 0
    assert f"{missing} must be set when CREDENCE_ENV=production" in result.stderr


def test_production_settings_are_https_only():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True


def test_proxy_headers_are_trusted_only_when_a_proxy_is_configured():
    assert production_settings()["SECURE_PROXY_SSL_HEADER"] is None
    behind = production_settings(TRUSTED_PROXIES="1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize(
    "name, value",
    [
        ("TRUSTED_PROXIES", "-1"),
        ("TRUSTED_PROXIES", "one"),
        ("SECURE_HSTS_PRELOAD", "maybe"),
        ("LOGIN_FAILURE_LIMIT", "0"),
    ],
)
def test_a_bad_security_setting_stops_the_app_with_its_name(name, value):
    result = run(["manage.py", "check"], **{name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name}" in result.stderr


@pytest.fixture(scope="module")
def prod_values():
    return production_settings()


@pytest.fixture
def production(settings, prod_values):
    """This process's settings switched to the production values that matter for responses."""
    for name, value in prod_values.items():
        if name not in ("DEBUG", "TRUSTED_PROXIES"):
            setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    settings.ALLOWED_HOSTS = ["testserver"]
    return settings


def test_plain_http_is_redirected_to_https(client, db, production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + reverse("login")


def test_a_forged_forwarded_proto_header_does_not_count_as_https_without_a_proxy(
    client, db, production
):
    response = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 301


def test_behind_a_trusted_proxy_its_forwarded_proto_header_counts_as_https(client, db, production):
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=")


def test_https_responses_carry_hsts_for_a_year_with_subdomains_and_preload(client, db, production):
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    directives = [d.strip() for d in response["Strict-Transport-Security"].split(";")]
    max_age = int(directives[0].removeprefix("max-age="))
    assert max_age >= ONE_YEAR
    assert {"includeSubDomains", "preload"} <= set(directives[1:])


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(client, users, production):
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"

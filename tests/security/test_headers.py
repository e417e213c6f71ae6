"""Every response carries the Content-Security-Policy and the other protective
headers, in development mode too, and no template needs an exception to the
policy (no inline script, style attribute or event handler)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from credence.csp import policy_header
from tests.conftest import login
from tests.security.routes import ANONYMOUS, GET_POST, POST, ROUTES
from tests.security.test_csrf import allowed_role

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_policy(header):
    directives = {}
    for part in header.split(";"):
        name, _, sources = part.strip().partition(" ")
        assert name not in directives, f"{name} given twice"
        directives[name] = sources
    return directives


def assert_protected(response):
    policy = parse_policy(response["Content-Security-Policy"])
    for directive, sources in POLICY.items():
        assert policy.get(directive) == sources, (directive, policy.get(directive))
    # Nothing anywhere that would re-open inline code.
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_policy_header_joins_directives_in_order():
    assert policy_header({"a": ["x", "y"], "b": ["z"]}) == "a x y; b z"


def test_every_page_of_ours_carries_the_policy(client, world):
    """Each URL of the access table, as someone allowed to use it."""
    for name, route in ROUTES.items():
        role = allowed_role(route)
        client.logout()
        if role != ANONYMOUS:
            login(client, world.users[role])
        url = reverse(name, kwargs=route.kwargs(world))
        response = client.post(url, route.body(world)) if route.method == POST else client.get(url)
        assert_protected(response)
        if route.method == GET_POST:
            assert_protected(client.post(url, route.body(world)))


@pytest.mark.parametrize(
    "path", ["/login/", "/no/such/page/", "/c/no-such-campaign/", "/admin/", "/admin/login/"]
)
def test_anonymous_responses_carry_the_policy_too(client, db, path):
    assert_protected(client.get(path))


def test_the_admin_carries_the_policy_for_staff(client, world):
    login(client, world.users["staff"])
    for name in ("admin:index", "admin:corpus_document_changelist", "admin:corpus_document_import"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert_protected(response)


def test_a_lockout_page_carries_the_policy(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 429
    assert_protected(response)


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTR = re.compile(r"<[^>]*\sstyle\s*=", re.I)
HANDLER_ATTR = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"javascript:", re.I)


def offending(text):
    return [
        kind
        for kind, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("<style> block", STYLE_BLOCK),
            ("style= attribute", STYLE_ATTR),
            ("on*= handler", HANDLER_ATTR),
            ("javascript: URL", JS_URL),
        )
        if pattern.search(text)
    ]


def test_the_template_scan_recognises_what_the_policy_blocks():
    assert offending('<td style="color: red">') == ["style= attribute"]
    assert offending("<script>alert(1)</script>") == ["inline <script>"]
    assert offending('<button onclick="go()">') == ["on*= handler"]
    assert offending('<script src="/static/js/annotate.js" defer></script>') == []
    assert offending('<meta name="viewport" content="width=device-width">') == []


def test_no_template_needs_inline_script_or_style():
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        problems = offending(path.read_text(encoding="utf-8"))
        if problems:
            found[str(path.relative_to(TEMPLATES))] = problems
    assert not found, (
        "the Content-Security-Policy blocks these; move the code to static/js and the styles "
        f"to static/css/credence.css: {found}"
    )

"""Personal API tokens: made on a page and shown once, stored hashed, revocable mid-session."""

import hashlib

import pytest
from django.urls import reverse

from annotate.api import services, tokens
from annotate.models import ApiToken
from tests.conftest import login

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_is_stored_only_as_its_sha256_digest(users):
    token, raw = services.create_token(users["alice"], "notebook")
    assert raw.startswith("cred_") and len(raw) > 40
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert raw not in {str(v) for v in stored.values()}
    assert token.prefix == raw[: tokens.SHOWN]


def test_the_tokens_page_shows_a_new_token_once_and_lists_it_by_prefix(client, users):
    login(client, users["alice"])
    response = client.post(reverse("annotate:api_token_create"), {"name": "My notebook"})
    assert response.status_code == 201
    html = response.content.decode()
    raw = html.split('<code id="token-value">')[1].split("</code>")[0]
    assert tokens.looks_like_token(raw)
    later = client.get(reverse("annotate:api_tokens")).content.decode()
    assert "My notebook" in later and raw not in later and raw[: tokens.SHOWN] in later


def test_a_token_without_a_name_is_refused_with_a_message(client, users):
    login(client, users["alice"])
    response = client.post(reverse("annotate:api_token_create"), {"name": "  "})
    assert response.status_code == 400
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_works_until_revoked_mid_session(client, campaign, users):
    token, raw = services.create_token(users["carol"], "pipeline")
    url = reverse("annotate:api_campaign", args=[campaign.slug])
    assert client.get(url, **bearer(raw)).status_code == 200
    login(client, users["carol"])
    response = client.post(reverse("annotate:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    refused = client.get(url, **bearer(raw))
    assert refused.status_code == 401
    assert refused.json()["error"].startswith("Unknown or revoked token")
    assert refused["WWW-Authenticate"] == "Bearer"


def test_someone_elses_token_cannot_be_revoked(client, users):
    token, raw = services.create_token(users["bob"], "bob's")
    login(client, users["alice"])
    response = client.post(reverse("annotate:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_malformed_or_unknown_token_is_a_clear_401(client, campaign):
    url = reverse("annotate:api_campaigns")
    for header in ("Bearer", "Bearer a b", "Bearer cred_not-a-real-token-at-all-xxxxxx"):
        response = client.get(url, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["error"]


def test_last_use_is_recorded_at_most_once_a_minute(client, campaign, users):
    token, raw = services.create_token(users["alice"], "n")
    url = reverse("annotate:api_campaigns")
    client.get(url, **bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(url, **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first


def test_a_token_of_a_deactivated_user_stops_working(client, campaign, users):
    token, raw = services.create_token(users["alice"], "n")
    users["alice"].is_active = False
    users["alice"].save()
    assert client.get(reverse("annotate:api_campaigns"), **bearer(raw)).status_code == 401


def test_staff_see_tokens_in_the_admin_but_never_their_secret(client, users):
    token, raw = services.create_token(users["alice"], "n")
    login(client, users["staff"])
    page = client.get(reverse("admin:annotate_apitoken_changelist")).content.decode()
    assert token.prefix in page and raw not in page

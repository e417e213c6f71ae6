"""Writes for API tokens: make one (shown once), revoke one."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from annotate.api import tokens
from annotate.models import ApiToken

# last_used_at is written at most this often per token, so a script making many requests
# does not turn every read into a write.
TOUCH_EVERY = timedelta(minutes=1)
MAX_TOKENS = 50


class TokenError(Exception):
    """A token request that cannot be honoured; the message says why."""


def create_token(user, name):
    """A new token for `user`: (ApiToken, the raw token to show once)."""
    name = " ".join((name or "").split())
    if not name:
        raise TokenError("Give the token a name, e.g. the notebook or pipeline that uses it.")
    with transaction.atomic():
        live = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if live >= MAX_TOKENS:
            raise TokenError(f"You have {live} live tokens; revoke one you no longer use.")
        raw = tokens.new_token()
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=tokens.shown_prefix(raw),
            digest=tokens.digest(raw),
        )
    return token, raw


def revoke_token(user, token_id):
    """Revoke one of the user's tokens; requests with it fail from now on. None if not theirs."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            return None
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        return token


def touch(token, now=None):
    """Record that the token was used (at most once per TOUCH_EVERY)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

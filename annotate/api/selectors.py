"""Reads for API tokens."""

from annotate.api import tokens
from annotate.models import ApiToken


def tokens_of(user):
    """The user's tokens, newest first, revoked ones included (shown as revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def active_token(raw):
    """The live token whose digest matches `raw`, with its user, or None."""
    if not raw or not tokens.looks_like_token(raw):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=tokens.digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )

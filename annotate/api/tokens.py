"""Personal API tokens (pure): how a token looks, and what is stored of it.

A token is ``cred_`` followed by 43 URL-safe characters (32 random bytes). Only its SHA-256
digest is stored, with the first characters (the ``prefix``) so a user can tell their tokens
apart; the token itself is shown once, when it is made. SHA-256 without a salt or stretching
is enough here (as for GitHub's and Django REST Knox's tokens): a token is 256 random bits,
not a password a person chose, so there is nothing to guess from a leaked digest.
"""

import hashlib
import secrets

PREFIX = "cred_"
SHOWN = 12  # characters kept in clear: "cred_" and 7 of the random part


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def shown_prefix(raw: str) -> str:
    return raw[:SHOWN]


def looks_like_token(raw: str) -> bool:
    return raw.startswith(PREFIX) and 20 <= len(raw) <= 100

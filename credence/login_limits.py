"""Login rate limiting glue for django-axes: the client's address and the lockout page.

Axes counts failed logins per (user name, client address) in the database; see
the AXES_* settings for the limit and cool-off.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The address the request came from, as far as we can trust it.

    Without trusted proxies (settings.TRUSTED_PROXIES = 0) that is REMOTE_ADDR:
    X-Forwarded-For is then written by the client and would let an attacker pick
    a fresh address for every guess. With N trusted proxies, each appends the
    address it received from to X-Forwarded-For, so the client is the N-th entry
    from the right; anything further left was supplied by the client itself.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        # The request skipped a proxy we expect; count it against the proxy's address.
        return remote
    return _valid_ip(forwarded[-proxies]) or remote


def username_key(request, credentials=None):
    """The user name failures are counted under: the one the login form cleaned.

    Django's login form lets a user name of any length through to authenticate()
    (its max_length only sizes the input box), and axes stores it in a 255-character
    column: PostgreSQL refused longer ones with a server error. No account has a
    name that long, so cutting it costs nothing.
    """
    from axes.models import AccessAttempt

    field = get_user_model().USERNAME_FIELD
    name = credentials.get(field) if credentials else request.POST.get(field)
    if name is None:
        return None
    return str(name).replace("\x00", "\ufffd")[
        : AccessAttempt._meta.get_field("username").max_length
    ]


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the reason and HTTP 429, instead of a bare error text."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        "Too many failed log-in attempts for this user name from your address. "
        f"Logging in is blocked for {minutes} minutes; try again later or ask an administrator."
    )
    context = {
        "form": AuthenticationForm(request),
        "lockout": message,
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )

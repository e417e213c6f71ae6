"""DRF authentication by personal token: ``Authorization: Bearer cred_…`` (or ``Token``).

Looked up by digest on every request, so a token revoked on the tokens page stops working at
the next request, even mid-session."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from annotate.api import selectors, services

SCHEMES = ("bearer", "token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Give the token after the word Bearer: 'Authorization: Bearer cred_…'."
            )
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("That token is not valid text.") from None
        token = selectors.active_token(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "Unknown or revoked token: make a new one on your API tokens page."
            )
        services.touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular finds it by class)."""

    target_class = "annotate.api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from your API tokens page: 'Bearer cred_…'.",
        }

"""Content-Security-Policy header on every response.

Django 5.2 has no CSP support of its own (it arrives in 6.0 as SECURE_CSP); the
policy here is one fixed header, so a dozen lines serve better than a package.
The policy is settings.CREDENCE_CSP: a mapping of directive to sources.
"""

from django.conf import settings


def policy_header(policy):
    """`{"default-src": ["'self'"], ...}` as `default-src 'self'; ...` (CSP Level 3 syntax)."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that needs a narrower or wider policy sets its own header; keep it.
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = policy_header(settings.CREDENCE_CSP)
        return response

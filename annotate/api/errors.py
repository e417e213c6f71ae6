"""Every API error is JSON with a message a person can act on: {"error": "...", "status": N}."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        # The same answer a page gives: nothing says whether the thing exists.
        exc = exceptions.NotFound("Not found, or not yours to see.")
    response = drf_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        message = str(detail["detail"])
        body = {"error": message, "status": response.status_code}
    else:
        body = {"error": "The request has errors.", "status": response.status_code}
        body["fields"] = detail
    response.data = body
    return response

"""The API tokens page: make a token (shown once), revoke one; plus the API's docs page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotate.api import selectors, services
from annotate.api.forms import TokenForm
from annotate.api.tables import TokenTable
from annotate.paging import RequestConfig


def _page(request, form, raw=None, status=200):
    table = TokenTable(selectors.tokens_of(request.user))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "annotate/api/tokens.html",
        {"form": form, "table": table, "raw": raw},
        status=status,
    )


@login_required
def tokens(request):
    return _page(request, TokenForm())


@login_required
@require_POST
def create_token(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, raw = services.create_token(request.user, form.cleaned_data["name"])
    except services.TokenError as exc:
        form.add_error("name", str(exc))
        return _page(request, form, status=400)
    # Shown on this response only: the token is stored as a digest and cannot be shown again.
    return _page(request, TokenForm(), raw=raw, status=201)


@login_required
@require_POST
def revoke_token(request, token_id):
    token = services.revoke_token(request.user, token_id)
    if token is None:
        raise Http404("No such token.")
    messages.success(request, f"“{token.name}” is revoked; requests with it now fail.")
    return redirect("annotate:api_tokens")

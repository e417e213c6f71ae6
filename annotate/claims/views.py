"""Claim pages: claims list, claim detail, suggestions, CSV; the reviewers' "propose a link".

Curators and managers (and staff) work on claims; reviewers only propose links from
the annotation page and see claim statements, never the links or others' labels.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotate.access import CURATORS, campaign_for
from annotate.claims import selectors, services
from annotate.claims.forms import (
    AcceptSuggestionForm,
    ClaimForm,
    DecisionForm,
    LinkForm,
    PassagePickForm,
    ProposeForm,
)
from annotate.claims.tables import (
    ClaimTable,
    OutletLinkTable,
    ProposedLinkTable,
    SearchResultTable,
    SuggestionTable,
)
from annotate.display import plain_number
from annotate.downloads import csv_download
from annotate.jobs import services as jobs
from annotate.models import Job, Membership
from annotate.paging import RequestConfig
from annotate.queue.selectors import redact_outlet

SUGGESTIONS_PER_PAGE = 20


def _form_errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _claim_or_404(campaign, pk):
    claim = selectors.claim_in(campaign, pk)
    if claim is None:
        raise Http404("No such claim.")
    return claim


@login_required
def claim_list(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    table = ClaimTable(selectors.claims_overview(campaign))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    open_count = selectors.open_suggestions(campaign).count()
    return render(
        request,
        "annotate/claims/list.html",
        {
            "campaign": campaign,
            "table": table,
            "form": ClaimForm(),
            "open_suggestions": open_count,
        },
    )


@login_required
@require_POST
def claim_create(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The claim was not created: {_form_errors(form)}")
        return redirect("annotate:claims", slug=slug)
    try:
        claim = services.create_claim(campaign, request.user, **form.cleaned_data)
    except services.ClaimError as exc:
        messages.error(request, str(exc))
        return redirect("annotate:claims", slug=slug)
    return redirect("annotate:claim", slug=slug, pk=claim.pk)


@login_required
def claim_detail(request, slug, pk):
    campaign, role = campaign_for(request, slug, *CURATORS)
    claim = _claim_or_404(campaign, pk)
    accepted, proposed = selectors.claim_links(claim)
    table = OutletLinkTable(accepted, request=request, claim=claim)
    query = request.GET.get("q", "")
    results = None
    if query.strip():
        found = selectors.search_passages(campaign, query)
        results = SearchResultTable(
            found, request=request, claim=claim, linked=[r.passage_id for r in accepted]
        )
    form = ClaimForm(
        initial={
            "statement": claim.statement,
            "kind": claim.kind,
            "unit": claim.unit,
            "currency": claim.currency,
            "primary_value": selectors.plain(claim.primary_value),
            "primary_qualifier": claim.primary_qualifier,
            "primary_source": claim.primary_source,
        }
    )
    return render(
        request,
        "annotate/claims/detail.html",
        {
            "campaign": campaign,
            "claim": claim,
            "table": table,
            "form": form,
            "query": query,
            "results": results,
            "diverging": any(r.diverges for r in accepted),
            "primary_value": plain_number(claim.primary_value),
            "proposed": ProposedLinkTable(proposed, request=request, claim=claim)
            if proposed
            else None,
        },
    )


@login_required
@require_POST
def claim_update(request, slug, pk):
    campaign, role = campaign_for(request, slug, *CURATORS)
    claim = _claim_or_404(campaign, pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The claim was not changed: {_form_errors(form)}")
    else:
        try:
            services.update_claim(campaign, request.user, claim.pk, **form.cleaned_data)
            messages.success(request, "Claim saved.")
        except services.ClaimError as exc:
            messages.error(request, str(exc))
    return redirect("annotate:claim", slug=slug, pk=claim.pk)


@login_required
@require_POST
def claim_delete(request, slug, pk):
    campaign, role = campaign_for(request, slug, *CURATORS)
    claim = _claim_or_404(campaign, pk)
    services.delete_claim(campaign, request.user, claim.pk)
    messages.success(request, f"Claim “{claim.statement}” deleted with its links.")
    return redirect("annotate:claims", slug=slug)


@login_required
@require_POST
def claim_link(request, slug, pk):
    campaign, role = campaign_for(request, slug, *CURATORS)
    claim = _claim_or_404(campaign, pk)
    form = PassagePickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.link_passage(campaign, request.user, claim.pk, form.cleaned_data["passage"])
            messages.success(
                request, "Passage linked; check the value and attribution filled in from it."
            )
        except services.ClaimError as exc:
            messages.error(request, str(exc))
    return redirect("annotate:claim", slug=slug, pk=claim.pk)


def _link_claim(campaign, link_id):
    claim = selectors.claim_of_link(campaign, link_id)
    if claim is None:
        raise Http404("No such link.")
    return claim


@login_required
@require_POST
def claim_link_edit(request, slug, link_id):
    campaign, role = campaign_for(request, slug, *CURATORS)
    claim = _link_claim(campaign, link_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The link was not changed: {_form_errors(form)}")
    else:
        services.update_link(campaign, request.user, link_id, form.cleaned_data)
        messages.success(request, "Link saved.")
    return redirect("annotate:claim", slug=slug, pk=claim.pk)


@login_required
@require_POST
def claim_link_remove(request, slug, link_id):
    campaign, role = campaign_for(request, slug, *CURATORS)
    claim = _link_claim(campaign, link_id)
    services.remove_link(campaign, request.user, link_id)
    messages.success(request, "Link removed.")
    return redirect("annotate:claim", slug=slug, pk=claim.pk)


@login_required
@require_POST
def claim_link_decide(request, slug, link_id):
    campaign, role = campaign_for(request, slug, *CURATORS)
    claim = _link_claim(campaign, link_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        accept = form.cleaned_data["decision"] == "accept"
        services.decide_link(campaign, request.user, link_id, accept)
        messages.success(request, "Link accepted." if accept else "Link rejected.")
    return redirect("annotate:claim", slug=slug, pk=claim.pk)


@login_required
def suggestions(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    queryset = selectors.open_suggestions(campaign).select_related(
        "passage_a__document__source", "passage_b__document__source"
    )
    claim_choices = selectors.statements_for_reviewers(campaign)
    table = SuggestionTable(queryset, request=request, campaign=campaign, claims=claim_choices)
    RequestConfig(request, paginate={"per_page": SUGGESTIONS_PER_PAGE}).configure(table)
    return render(
        request, "annotate/claims/suggestions.html", {"campaign": campaign, "table": table}
    )


@login_required
@require_POST
def suggestions_refresh(request, slug):
    """Queue a background job that recomputes the suggestions (one per campaign at a time)
    and show its page, which links back to the suggestions once they are ready."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    job = jobs.enqueue_once(Job.Kind.SUGGESTIONS, campaign, request.user)
    return redirect(job)


@login_required
@require_POST
def suggestion_accept(request, slug, suggestion_id):
    campaign, role = campaign_for(request, slug, *CURATORS)
    form = AcceptSuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was linked: {_form_errors(form)}")
        return redirect("annotate:claim_suggestions", slug=slug)
    try:
        claim = services.accept_suggestion(
            campaign,
            request.user,
            suggestion_id,
            form.cleaned_data["statement"],
            form.cleaned_data["claim"],
        )
    except services.ClaimError as exc:
        messages.error(request, f"Nothing was linked: {exc}")
        return redirect("annotate:claim_suggestions", slug=slug)
    messages.success(request, "Both passages are linked to the claim.")
    return redirect("annotate:claim", slug=slug, pk=claim.pk)


@login_required
@require_POST
def suggestion_reject(request, slug, suggestion_id):
    campaign, role = campaign_for(request, slug, *CURATORS)
    try:
        services.reject_suggestion(campaign, request.user, suggestion_id)
        messages.success(request, "Suggestion rejected; it will not come back.")
    except services.ClaimError as exc:
        messages.error(request, str(exc))
    return redirect("annotate:claim_suggestions", slug=slug)


@login_required
def claims_csv(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    return csv_download(
        f"{campaign.slug}-claims.csv", selectors.CSV_COLUMNS, selectors.csv_rows(campaign)
    )


@login_required
def claim_propose(request, slug, pk):
    """A reviewer proposes that the passage of their own place `pk` asserts a claim.

    The page lists claim statements only: reviewers never see links or others' labels.
    """
    campaign, role = campaign_for(request, slug, Membership.Role.REVIEWER)
    assignment = selectors.own_place(campaign, pk, request.user)
    if assignment is None:
        raise Http404("No such passage.")
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect("annotate:claim_propose", slug=slug, pk=pk)
        try:
            _link, created = services.propose_link(
                campaign, request.user, form.cleaned_data["claim"], assignment.passage_id
            )
        except services.ClaimError as exc:
            messages.error(request, str(exc))
            return redirect("annotate:claim_propose", slug=slug, pk=pk)
        messages.success(
            request,
            "Thank you: a curator will check the link."
            if created
            else "This passage is already proposed for that claim.",
        )
        return redirect("annotate:passage", slug=slug, pk=pk)
    text = assignment.passage.text
    if campaign.blind_outlet:
        document = assignment.passage.document
        text = redact_outlet(text, document.source, document)
    return render(
        request,
        "annotate/claims/propose.html",
        {
            "campaign": campaign,
            "assignment": assignment,
            "text": text,
            "statements": selectors.statements_for_reviewers(campaign),
        },
    )

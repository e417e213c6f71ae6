"""Agreement dashboard (curators and managers) and its CSV downloads.

Cached against the campaign's data version for campaigns above
CREDENCE_INLINE_ANNOTATIONS annotations (annotate.jobs.cache.cached_result).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from annotate.access import CURATORS, campaign_for
from annotate.agreement import BABE_RANGE, RELIABLE, TENTATIVE
from annotate.agreement.selectors import TABLES, agreement_tables
from annotate.agreement.span_selectors import SPAN_TABLES, span_tables
from annotate.agreement.tables import (
    frame_table,
    heatmap,
    overall_summary,
    span_layer_table,
    version_table,
)
from annotate.downloads import attachment, csv_chunks, frame_rows
from annotate.jobs import cache as jobs
from annotate.jobs.results import agreement_parts
from annotate.jobs.selectors import status as job_state
from annotate.models import Job
from annotate.paging import RequestConfig
from annotate.spans.layers import LAYERS

PER_PAGE = 50
EXPLAIN = {
    "alpha": "Krippendorff's alpha (nominal): 1 is perfect agreement, 0 is chance.",
    "percent_agreement": "Share of agreeing reviewer pairs per passage (Fleiss' P-bar).",
    "ac1": "Gwet's AC1: like kappa, but stable when one label dominates.",
    "agreement_with_final": "Per reviewer: share of their labels on passages with a final label "
    "(a curator's decision or a unanimous label) that match it.",
}
SPAN_EXPLAIN = {
    "token_alpha": "Krippendorff's alpha over tokens: every word and mark of a passage is "
    "coded, for each reviewer who answered the passage, with the type of that reviewer's span "
    "covering it, or “none”; 1 is perfect agreement, 0 is chance.",
    "f1_exact": "F1, exact match: for every two reviewers on the passages both answered, "
    "2 × spans they marked alike ÷ (spans of one + spans of the other), summed over all pairs; "
    "alike means the same start, end and type.",
    "f1_overlap": "F1, overlap: the same, counting as alike two spans of the same type that "
    "share at least one character (each span paired at most once).",
    "coders": "A reviewer who answered a passage and marked nothing in a layer says that "
    "the passage has no span of that layer.",
}


def _live(campaign):
    """The page's tables computed in this request (a small campaign)."""
    return agreement_tables(campaign), span_tables(campaign, names=("spans", "versions"))


@login_required
def agreement(request, slug):
    """The dashboard. A small campaign's tables are computed here; a larger one's come from
    the cache (annotate.jobs), kept at the campaign's data version: when a write has made
    them out of date the page shows them so marked and one background job recomputes
    them (a POST asks again after that job failed)."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    if request.method == "POST":
        job = jobs.recompute(campaign, Job.Kind.AGREEMENT, request.user)
        return redirect(job) if job else redirect("annotate:agreement", slug=slug)
    cached = jobs.cached_result(campaign, Job.Kind.AGREEMENT, request.user)
    if cached.inline:
        data, spans = _live(campaign)
    elif cached.payload is None:
        return render(
            request,
            "annotate/jobs/computing.html",
            {
                "campaign": campaign,
                "title": "Agreement",
                "cached": cached,
                "job_state": job_state(cached.job) if cached.job else None,
            },
        )
    else:
        data, spans = agreement_parts(cached.payload)
    # Passage types by their display names in the per-label table and the coincidence matrix:
    # the selector's, when it hands them over (it reads them anyway; a query here would cost
    # one more per page), else the codes written as words (frame_table).
    names = getattr(data, "label_names", None) or {}
    shown = {
        name: frame_table(name, frame, names) for name, frame in data.items() if name != "pairs"
    }
    for table in shown.values():
        # A campaign can span thousands of documents: page the long tables (the CSVs hold all).
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    layers = spans["spans"]
    span_table = span_layer_table(layers, LAYERS) if layers["spans"].sum() else None
    versions = version_table(spans["versions"]) if spans.versions_recorded > 1 else None
    for table in (span_table, versions):
        if table is not None:  # a row per layer or version: never paged
            RequestConfig(request, paginate=False).configure(table)
    return render(
        request,
        "annotate/agreement/dashboard.html",
        {
            "campaign": campaign,
            "overall": overall_summary(data["overall"]),
            "tables": [(name, TABLES[name], table) for name, table in shown.items()],
            "heatmap": heatmap(data["pairs"]),
            "reliable": RELIABLE,
            "tentative": TENTATIVE,
            "babe": BABE_RANGE,
            "explain": EXPLAIN,
            "span_table": span_table,
            "span_explain": SPAN_EXPLAIN,
            "version_table": versions,
            "mixed_passages": spans.mixed_passages,
            "cached": None if cached.inline else cached,
            "job_state": job_state(cached.job) if cached.job else None,
        },
    )


@login_required
def agreement_csv(request, slug, table):
    """One table as CSV: computed here for a small campaign, else from the cache while it is
    current; out of date, the Agreement page shows the recomputation in progress."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    if table not in TABLES and table not in SPAN_TABLES:
        raise Http404("No such table.")
    cached = jobs.cached_result(campaign, Job.Kind.AGREEMENT, request.user)
    if cached.inline:
        if table in TABLES:
            # The bootstrap interval only appears in the overall table; the others skip its cost.
            frame = agreement_tables(campaign, n_boot=1000 if table == "overall" else 0)[table]
        else:
            frame = span_tables(campaign, names=(table,))[table]
    elif cached.fresh:
        data, spans = agreement_parts(cached.payload)
        frame = data[table] if table in TABLES else spans[table]
    else:
        messages.info(
            request,
            "The agreement tables are being computed again after recent changes; download "
            "the CSV once this page shows them up to date.",
        )
        return redirect("annotate:agreement", slug=slug)
    chunks = csv_chunks(list(frame.columns), frame_rows(frame))
    return attachment(chunks, f"{campaign.slug}-agreement-{table}.csv")

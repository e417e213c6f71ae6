"""Agreement dashboard (curators and managers) and its CSV downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

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


@login_required
def agreement(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = agreement_tables(campaign)
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
    spans = span_tables(campaign, names=("spans", "versions"))
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
        },
    )


@login_required
def agreement_csv(request, slug, table):
    campaign, role = campaign_for(request, slug, *CURATORS)
    if table in TABLES:
        # The bootstrap interval only appears in the overall table; the others skip its cost.
        frame = agreement_tables(campaign, n_boot=1000 if table == "overall" else 0)[table]
    elif table in SPAN_TABLES:
        frame = span_tables(campaign, names=(table,))[table]
    else:
        raise Http404("No such table.")
    chunks = csv_chunks(list(frame.columns), frame_rows(frame))
    return attachment(chunks, f"{campaign.slug}-agreement-{table}.csv")

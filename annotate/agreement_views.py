"""Agreement dashboard (curators and managers), its CSV downloads."""

import csv
import math

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from annotate.access import CURATORS, campaign_for
from annotate.agreement_report import BABE_RANGE, RELIABLE, TENTATIVE
from annotate.csvsafe import safe_cell
from annotate.frames import agreement_tables
from annotate.paging import RequestConfig

TABLES = {
    "overall": "Agreement by dimension",
    "outlets": "Per outlet (passage type)",
    "documents": "Per document (passage type)",
    "labels": "Per label (each label against the rest)",
    "reviewers": "Per reviewer, against the others",
    "pairs": "Pairwise Cohen's kappa",
    "coincidences": "Coincidence matrix (passage type)",
}
PER_PAGE = 50
EXPLAIN = {
    "alpha": "Krippendorff's alpha (nominal): 1 is perfect agreement, 0 is chance.",
    "percent_agreement": "Share of agreeing reviewer pairs per passage (Fleiss' P-bar).",
    "ac1": "Gwet's AC1: like kappa, but stable when one label dominates.",
    "agreement_with_final": "Per reviewer: share of their labels on passages with a final label "
    "(a curator's decision or a unanimous label) that match it.",
}


def shown(value, places=3):
    """A number as the dashboard shows it: 3 decimals, or "undefined" for NaN, never "nan"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "undefined"
    if isinstance(value, float):
        return f"{value:.{places}f}"
    return value


class NumberColumn(tables.Column):
    def render(self, value):
        return shown(value)


def overall_summary(frame):
    """The passage-type row of the overall table, formatted for the page; None when no
    annotations exist yet."""
    if frame.empty or not frame.iloc[0]["annotations"]:
        return None
    row = frame.iloc[0].to_dict()
    interval = not (math.isnan(row["alpha_low"]) or math.isnan(row["alpha_high"]))
    return {
        "alpha": shown(row["alpha"]),
        "note": row["note"],
        "interval": f"{shown(row['alpha_low'])} – {shown(row['alpha_high'])}" if interval else None,
        "percent_agreement": shown(row["percent_agreement"]),
        "ac1": shown(row["ac1"]),
        "fleiss_kappa": shown(row["fleiss_kappa"]),
        "reading": row["reading"],
        "items": int(row["items"]),
        "annotations": int(row["annotations"]),
        "reviewers": int(row["reviewers"]),
    }


def frame_table(name, frame):
    """A sortable django-tables2 table for a DataFrame; NaN shows as 'undefined', never 'nan'."""
    attrs = {c: NumberColumn(verbose_name=str(c).replace("_", " ")) for c in frame.columns}
    attrs["Meta"] = type("Meta", (), {"attrs": {"class": "table", "id": f"table-{name}"}})
    table_class = type(f"{name.title()}Table", (tables.Table,), attrs)
    return table_class(frame.to_dict("records"), prefix=f"{name}-")


def heatmap(pairs):
    """Reviewers x reviewers kappa grid with shared-item counts, for a colour-coded table."""
    if pairs.empty:
        return None
    names = sorted(set(pairs["annotator_a"]) | set(pairs["annotator_b"]))
    cell = {}
    for row in pairs.itertuples():
        for a, b in ((row.annotator_a, row.annotator_b), (row.annotator_b, row.annotator_a)):
            cell[a, b] = (row.kappa, row.shared_items)
    rows = []
    for a in names:
        cells = []
        for b in names:
            kappa, shared = cell.get((a, b), (math.nan, 0))
            defined = not math.isnan(kappa)
            # Red (0) through yellow to green (1); grey where undefined.
            hue = round(120 * max(0.0, min(1.0, kappa))) if defined else None
            cells.append(
                {
                    "kappa": f"{kappa:.2f}" if defined else "–",
                    "shared": shared,
                    "hue": hue,
                    "self": a == b,
                }
            )
        rows.append({"name": a, "cells": cells})
    return {"names": names, "rows": rows}


@login_required
def agreement(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = agreement_tables(campaign)
    overall = overall_summary(data["overall"])
    shown = {name: frame_table(name, frame) for name, frame in data.items() if name != "pairs"}
    for table in shown.values():
        # A campaign can span thousands of documents: page the long tables (the CSVs hold all).
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "annotate/agreement.html",
        {
            "campaign": campaign,
            "overall": overall,
            "tables": [(name, TABLES[name], table) for name, table in shown.items()],
            "heatmap": heatmap(data["pairs"]),
            "reliable": RELIABLE,
            "tentative": TENTATIVE,
            "babe": BABE_RANGE,
            "explain": EXPLAIN,
        },
    )


@login_required
def agreement_csv(request, slug, table):
    campaign, role = campaign_for(request, slug, *CURATORS)
    if table not in TABLES:
        raise Http404("No such table.")
    # The bootstrap interval only appears in the overall table; the others skip its cost.
    frame = agreement_tables(campaign, n_boot=1000 if table == "overall" else 0)[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{campaign.slug}-agreement-{table}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([safe_cell(v) for v in row])
    return response

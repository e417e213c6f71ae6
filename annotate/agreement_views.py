"""Agreement dashboard (curators and managers), its CSV downloads."""

import csv
import math

import django_tables2 as tables
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from annotate.access import CURATORS, campaign_for
from annotate.agreement_report import BABE_RANGE, RELIABLE, TENTATIVE
from annotate.csvsafe import safe_cell
from annotate.frames import agreement_tables

TABLES = {
    "overall": "Agreement by dimension",
    "outlets": "Per outlet (passage type)",
    "documents": "Per document (passage type)",
    "labels": "Per label (each label against the rest)",
    "reviewers": "Per reviewer, against the others",
    "pairs": "Pairwise Cohen's kappa",
    "coincidences": "Coincidence matrix (passage type)",
}
EXPLAIN = {
    "alpha": "Krippendorff's alpha (nominal): 1 is perfect agreement, 0 is chance.",
    "percent_agreement": "Share of agreeing reviewer pairs per passage (Fleiss' P-bar).",
    "ac1": "Gwet's AC1: like kappa, but stable when one label dominates.",
}


class NumberColumn(tables.Column):
    def render(self, value):
        if isinstance(value, float):
            return "undefined" if math.isnan(value) else f"{value:.3f}"
        return value


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
            cells.append({"kappa": f"{kappa:.2f}" if defined else "–", "shared": shared, "hue": hue, "self": a == b})
        rows.append({"name": a, "cells": cells})
    return {"names": names, "rows": rows}


@login_required
def agreement(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = agreement_tables(campaign)
    overall = data["overall"].iloc[0].to_dict() if len(data["overall"]) else None
    shown = {name: frame_table(name, frame) for name, frame in data.items() if name != "pairs"}
    for table in shown.values():
        RequestConfig(request, paginate=False).configure(table)
    return render(request, "annotate/agreement.html", {
        "campaign": campaign,
        "overall": overall,
        "tables": [(name, TABLES[name], table) for name, table in shown.items()],
        "heatmap": heatmap(data["pairs"]),
        "reliable": RELIABLE,
        "tentative": TENTATIVE,
        "babe": BABE_RANGE,
        "explain": EXPLAIN,
    })


@login_required
def agreement_csv(request, slug, table):
    campaign, role = campaign_for(request, slug, *CURATORS)
    if table not in TABLES:
        raise Http404("No such table.")
    frame = agreement_tables(campaign)[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-agreement-{table}.csv"'
    writer = csv.writer(response)
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([safe_cell(v) for v in row])
    return response

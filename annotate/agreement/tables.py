"""Tables of the agreement dashboard (django-tables2) and its kappa heat map."""

import math

import django_tables2 as tables

from annotate.display import number


class NumberColumn(tables.Column):
    def render(self, value):
        return number(value)


def frame_table(name, frame):
    """A sortable django-tables2 table for a DataFrame; NaN shows as 'undefined', never 'nan'."""
    attrs = {c: NumberColumn(verbose_name=str(c).replace("_", " ")) for c in frame.columns}
    attrs["Meta"] = type("Meta", (), {"attrs": {"class": "table", "id": f"table-{name}"}})
    table_class = type(f"{name.title()}Table", (tables.Table,), attrs)
    return table_class(frame.to_dict("records"), prefix=f"{name}-")


def overall_summary(frame):
    """The passage-type row of the overall table, formatted for the page; None when no
    annotations exist yet."""
    if frame.empty or not frame.iloc[0]["annotations"]:
        return None
    row = frame.iloc[0].to_dict()
    interval = not (math.isnan(row["alpha_low"]) or math.isnan(row["alpha_high"]))
    return {
        "alpha": number(row["alpha"]),
        "note": row["note"],
        "interval_note": row["interval_note"],
        "interval": f"{number(row['alpha_low'])} – {number(row['alpha_high'])}"
        if interval
        else None,
        "percent_agreement": number(row["percent_agreement"]),
        "ac1": number(row["ac1"]),
        "fleiss_kappa": number(row["fleiss_kappa"]),
        "reading": row["reading"],
        "items": int(row["items"]),
        "annotations": int(row["annotations"]),
        "reviewers": int(row["reviewers"]),
    }


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

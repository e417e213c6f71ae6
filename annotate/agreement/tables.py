"""Tables of the agreement dashboard (django-tables2) and its kappa heat map.

Every frame of annotate.agreement.selectors.agreement_tables gets a table that reads: counts
as integers, coefficients to three decimals, alpha with its 95% interval and the reason it is
undefined in one cell, passage types by their display names, never "nan". The CSVs keep the
frames' full precision and every column. The span layers' and the guidelines versions'
tables (annotate.agreement.span_selectors) read the same way; a row per layer or version,
so they are neither sorted nor paged.
"""

import math

import django_tables2 as tables
from django.utils.html import format_html

from annotate.display import (
    UNDEFINED,
    code_words,
    count,
    display_name,
    number,
    number_range,
    undefined,
    weight,
)


def _cell(main, line="", note=""):
    """A figure over its interval (kept on one line) and a note (which may wrap)."""
    html = format_html("{}", main)
    if line:
        html = format_html('{}<span class="detail range">{}</span>', html, line)
    if note:
        html = format_html('{}<span class="detail">{}</span>', html, note)
    return html


class CountColumn(tables.Column):
    kind = "count"

    def render(self, value):
        return count(value)


class WeightColumn(tables.Column):
    """Pairable values and coincidences: whole with two reviewers a passage, fractional
    with more (Krippendorff 2011)."""

    kind = "figure"

    def render(self, value):
        return weight(value)


class NumberColumn(tables.Column):
    kind = "figure"

    def render(self, value):
        return number(value)


class TextColumn(tables.Column):
    kind = "text"

    def render(self, value):
        return UNDEFINED if undefined(value) else value


class AlphaColumn(tables.Column):
    """Alpha to three decimals, or "undefined" and why (``note`` or ``alpha_note``); in the
    overall table also its document-resampled 95% interval, or why that is undefined."""

    kind = "figure"
    empty = ""

    def render(self, value, record):
        note = record.get("note", record.get("alpha_note")) or ""
        if undefined(value):
            return _cell(UNDEFINED, note=note or self.empty)
        if "alpha_low" not in record:
            return _cell(number(value), note=note)
        if undefined(record["alpha_low"]) or undefined(record["alpha_high"]):
            reason = record.get("interval_note") or "no resample gave a defined alpha"
            return _cell(number(value), note=f"interval undefined: {reason}")
        return _cell(number(value), number_range(record["alpha_low"], record["alpha_high"]), note)


class LabelAlphaColumn(AlphaColumn):
    empty = "the type is used on every paired passage or on none"


# Columns shown inside another one (alpha's interval and reasons): the CSV has them apart.
FOLDED = {"alpha_low", "alpha_high", "interval_note", "note", "alpha_note"}
ALPHA = ("Krippendorff's alpha", AlphaColumn)
AGREEMENT = ("observed agreement", NumberColumn)
PASSAGES = ("paired passages", CountColumn)
ANNOTATIONS = ("annotations", CountColumn)
# {table: {frame column: (header, column class)}}, in the order they are shown.
COLUMNS = {
    "overall": {
        "dimension": ("dimension", TextColumn),
        "items": PASSAGES,
        "annotations": ANNOTATIONS,
        "reviewers": ("reviewers", CountColumn),
        "alpha": ("Krippendorff's alpha (95% interval)", AlphaColumn),
        "percent_agreement": AGREEMENT,
        "ac1": ("Gwet's AC1", NumberColumn),
        "fleiss_kappa": ("Fleiss' kappa", NumberColumn),
        "reading": ("reading", TextColumn),
    },
    "outlets": {
        "outlet": ("outlet", TextColumn),
        "items": PASSAGES,
        "annotations": ANNOTATIONS,
        "alpha": ALPHA,
        "percent_agreement": AGREEMENT,
    },
    "documents": {
        "document": ("#", TextColumn),
        "title": ("title", TextColumn),
        "items": PASSAGES,
        "annotations": ANNOTATIONS,
        "alpha": ALPHA,
        "percent_agreement": AGREEMENT,
    },
    "labels": {
        "label": ("passage type", TextColumn),
        "alpha": ("alpha against the rest", LabelAlphaColumn),
        "n_values": ("paired values", WeightColumn),
        "n_items": ("passages where used", CountColumn),
    },
    "reviewers": {
        "annotator": ("reviewer", TextColumn),
        "annotations": ANNOTATIONS,
        "paired_items": PASSAGES,
        "agreement_with_others": ("agreement with others", NumberColumn),
        "mean_kappa": ("mean Cohen's kappa", NumberColumn),
        "agreement_with_final": ("agreement with final label", NumberColumn),
    },
}


def _label(value, names):
    """A passage type's display name; its code as words if the names were not handed over."""
    return display_name(value, names) if value in names else code_words(value)


def _attrs(kind):
    return {"th": {"class": kind}, "td": {"class": kind}}


def frame_table(name, frame, names=None):
    """A sortable table for one of the dashboard's frames. ``names``: {passage-type value:
    display name}, for the per-label table and the coincidence matrix (a code it lacks reads
    as words: "attributed_claim" as "Attributed claim"). Columns the table does not know are
    shown as numbers under their own name."""
    names = names or {}
    known = COLUMNS.get(name, {})
    attrs = {}
    for column in [c for c in known if c in frame.columns] + [
        c for c in frame.columns if c not in known and c not in FOLDED
    ]:
        if column in known:
            header, column_class = known[column]
        elif name == "coincidences" and column == "label":
            header, column_class = "passage type", TextColumn
        elif name == "coincidences":
            header, column_class = _label(column, names), WeightColumn
        else:
            header, column_class = str(column).replace("_", " "), NumberColumn
        attrs[column] = column_class(verbose_name=header, attrs=_attrs(column_class.kind))
    attrs["Meta"] = type("Meta", (), {"attrs": {"class": "table report", "id": f"table-{name}"}})
    table_class = type(f"{name.title()}Table", (tables.Table,), attrs)
    rows = frame.to_dict("records")
    if name in ("labels", "coincidences"):
        rows = [{**row, "label": _label(row["label"], names)} for row in rows]
    return table_class(rows, prefix=f"{name}-")


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
                    "kappa": number(kappa) if defined else UNDEFINED,
                    "shared": count(shared),
                    "hue": hue,
                    "self": a == b,
                }
            )
        rows.append({"name": a, "cells": cells})
    return {"names": names, "rows": rows}


# ------------------------------------------------------------------ span agreement, versions


class NotedColumn(tables.Column):
    """A coefficient to three decimals, or "undefined" and why (the record's ``note_field``)."""

    kind = "figure"

    def __init__(self, *args, note_field, **kwargs):
        self.note_field = note_field
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        if undefined(value):
            return _cell(UNDEFINED, note=record.get(self.note_field) or "")
        return _cell(number(value))


def _column(column_class, header, **kwargs):
    return column_class(verbose_name=header, attrs=_attrs(column_class.kind), **kwargs)


class SpanLayerTable(tables.Table):
    """One row per span layer (annotate.agreement.span_selectors.layer_agreement)."""

    layer = _column(TextColumn, "layer")
    token_alpha = _column(
        NotedColumn, "Krippendorff's alpha over tokens", note_field="token_alpha_note"
    )
    f1_exact = _column(NotedColumn, "F1, exact match", note_field="f1_note")
    f1_overlap = _column(NotedColumn, "F1, overlap", note_field="f1_note")
    spans = _column(CountColumn, "spans")
    passages = _column(CountColumn, "passages with spans")

    class Meta:
        orderable = False
        attrs = {"class": "table report", "id": "table-spans"}


class VersionTable(tables.Table):
    """Passage-type agreement per guidelines version (span_selectors.version_agreement)."""

    version = _column(TextColumn, "guidelines version")
    annotations = _column(CountColumn, "annotations made under it")
    passages = _column(CountColumn, "passages answered only under it")
    paired_passages = _column(CountColumn, "paired passages")
    alpha = _column(AlphaColumn, "Krippendorff's alpha")
    percent_agreement = _column(NumberColumn, "observed agreement")

    class Meta:
        orderable = False
        attrs = {"class": "table report", "id": "table-versions"}


def span_layer_table(frame, layer_names):
    """The span layers' table; ``layer_names``: {layer: display name}."""
    rows = [
        {**row, "layer": layer_names.get(row["layer"], row["layer"])}
        for row in frame.to_dict("records")
    ]
    return SpanLayerTable(rows, prefix="spans-")


def version_table(frame):
    return VersionTable(frame.to_dict("records"), prefix="versions-")

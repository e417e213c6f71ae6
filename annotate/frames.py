"""Turn campaign querysets into the long frames the pure agreement and report modules take.

This is the only module that knows both the ORM and pandas. Rows are fetched
with one raw cursor over the queryset's own SQL: building a million model
instances (or dicts) would cost more than all of the maths downstream.
"""

import json

import numpy as np
import pandas as pd
from django.db import connection

from annotate.models import Annotation, CitedSourceType

NO_SOURCE = "none"
CITED_TYPES = [NO_SOURCE] + [value for value, _ in CitedSourceType.choices if value]
MARKER_LABELS = [False, True]

ANNOTATION_COLUMNS = {
    "annotation": "pk",
    "item": "assignment__passage_id",
    "annotator_id": "assignment__reviewer_id",
    "annotator": "assignment__reviewer__username",
    "label": "label",
    "cited_type": "cited_type",
    "markers": "markers",
    "confidence": "confidence",
    "document": "assignment__passage__document_id",
    "outlet": "assignment__passage__document__source__name",
}


def _fetch(queryset, columns):
    sql, params = queryset.values_list(*columns.values()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=list(columns), coerce_float=False)


def _marker_codes(values: pd.Series):
    """Factorise the markers column: (code per row, tuple of marker values per code).

    SQLite hands JSON back as text, PostgreSQL's driver as text or as decoded lists. A
    campaign has a few distinct marker sets but a million rows, so each distinct value is
    decoded once instead of running json.loads per row.
    """
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    except TypeError:  # already-decoded lists are unhashable
        codes, uniques = pd.factorize(values.map(_as_tuple), use_na_sentinel=False)
    decoded = [_as_tuple(json.loads(u) if isinstance(u, str) else u) for u in uniques]
    return codes, decoded


def _as_tuple(value):
    return tuple(value) if isinstance(value, list | tuple) else ()


def annotation_frame(campaign):
    """One row per annotation of the campaign: item (passage id), annotator, label and context.

    Rows come in annotation id order, so everything computed from the frame (bootstrap
    intervals included) is the same on every load. ``markers`` holds a tuple of marker values
    per row; rows with the same markers share one tuple. ``label``, ``cited_type`` (``"none"``
    when no one is cited), ``confidence``, ``annotator`` and ``outlet`` are categorical.
    """
    frame = _fetch(
        Annotation.objects.filter(assignment__campaign=campaign).order_by(), ANNOTATION_COLUMNS
    )
    order = np.argsort(frame["annotation"].to_numpy(dtype=np.int64), kind="stable")
    frame = frame.take(order).reset_index(drop=True)
    codes, decoded = _marker_codes(frame["markers"])
    sets = np.empty(len(decoded), dtype=object)
    sets[:] = decoded
    frame["markers"] = sets[codes]
    frame["cited_type"] = frame["cited_type"].replace("", NO_SOURCE).astype("object")
    for column in ("label", "cited_type", "confidence", "annotator", "outlet"):
        frame[column] = frame[column].astype("category") if len(frame) else frame[column]
    return frame


def dimension_frames(frame, markers):
    """The frames agreement is measured on: passage type, cited-source type, each bias marker.

    Returns {name: long frame with item, annotator, label (+ document, outlet)}. A marker's
    frame has label True/False for every annotation, so "nobody ticked it" is agreement too.
    """
    base = frame[["item", "annotator", "document", "outlet"]]
    dims = {
        "passage type": base.assign(label=frame["label"]),
        "cited-source type": base.assign(label=frame["cited_type"]),
    }
    if len(markers):
        codes, sets = _marker_codes(frame["markers"])
        for marker in markers:
            ticked = np.fromiter((marker.value in s for s in sets), dtype=bool, count=len(sets))
            dims[f"marker: {marker.name}"] = base.assign(label=ticked[codes])
    return dims


def dimension_labels(scheme_labels, dims):
    """Each dimension's full category set, for Gwet's AC1 (see campaign_agreement)."""
    labels = {"passage type": list(scheme_labels), "cited-source type": CITED_TYPES}
    labels.update({name: MARKER_LABELS for name in dims if name.startswith("marker: ")})
    return labels


def agreement_tables(campaign, n_boot=1000, seed=0):
    """The agreement dashboard's tables for a campaign (see annotate.agreement_report)."""
    from annotate.agreement_report import campaign_agreement
    from corpus.models import Document

    frame = annotation_frame(campaign)
    scheme = campaign.scheme
    dims = dimension_frames(frame, list(scheme.markers.all()))
    labels = dimension_labels(scheme.labels.values_list("value", flat=True), dims)
    tables = campaign_agreement(dims, labels, n_boot, seed)
    # Titles of the campaign's documents: one query, however many documents it has (a list
    # of ids could exceed SQLite's limit on query parameters).
    titles = dict(Document.objects.filter(campaigndocument__campaign=campaign).values_list("pk", "title"))
    tables["documents"].insert(1, "title", tables["documents"]["document"].map(titles))
    return tables

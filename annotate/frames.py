"""Turn campaign querysets into the long frames the pure agreement and report modules take.

This is the only module that knows both the ORM and pandas. Rows are fetched
with one raw cursor over the queryset's own SQL: building a million model
instances (or dicts) would cost more than all of the maths downstream.
"""

import json

import pandas as pd
from django.db import connection

from annotate.models import Annotation, CitedSourceType

NO_SOURCE = "none"

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


def annotation_frame(campaign):
    """One row per annotation of the campaign: item (passage id), annotator, label and context."""
    frame = _fetch(
        Annotation.objects.filter(assignment__campaign=campaign).order_by(), ANNOTATION_COLUMNS
    )
    if len(frame) and isinstance(frame["markers"].iloc[0], str):
        # SQLite hands JSON back as text; PostgreSQL's driver may already decode it.
        frame["markers"] = [json.loads(m) if isinstance(m, str) else m for m in frame["markers"]]
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
        ticked = frame["markers"]
        for marker in markers:
            dims[f"marker: {marker.name}"] = base.assign(
                label=[marker.value in (m or ()) for m in ticked]
            )
    return dims


CITED_TYPES = [NO_SOURCE] + [value for value, _ in CitedSourceType.choices if value]


def agreement_tables(campaign, n_boot=1000, seed=0):
    """The agreement dashboard's tables for a campaign (see annotate.agreement_report)."""
    from annotate.agreement_report import campaign_agreement
    from corpus.models import Document

    frame = annotation_frame(campaign)
    scheme = campaign.scheme
    labels = list(scheme.labels.values_list("value", flat=True))
    tables = campaign_agreement(dimension_frames(frame, list(scheme.markers.all())), labels, n_boot, seed)
    titles = dict(Document.objects.filter(pk__in=tables["documents"]["document"].tolist()).values_list("pk", "title"))
    tables["documents"].insert(1, "title", tables["documents"]["document"].map(titles))
    return tables

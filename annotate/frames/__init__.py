"""Turn campaign querysets into the long frames the pure agreement and report modules take.

This is the only module that knows both the ORM and pandas. Rows are fetched
with one raw cursor over the queryset's own SQL: building a million model
instances (or dicts) would cost more than all of the maths downstream.
"""

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, FloatField, Func, Value

from annotate.models import (
    Adjudication,
    Annotation,
    Assignment,
    BiasMarker,
    CitedSourceType,
    Label,
)
from corpus.models import Document, Source

NO_SOURCE = "none"
CITED_TYPES = [NO_SOURCE] + [value for value, _ in CitedSourceType.choices if value]
MARKER_LABELS = [False, True]

# Fetched per annotation; names of reviewers and outlets come from two small queries, which
# spares a million strings and two joins.
ANNOTATION_COLUMNS = {
    "annotation": "pk",
    "item": "assignment__passage_id",
    "annotator_id": "assignment__reviewer_id",
    "label": "label",
    "cited_type": "cited_type",
    "markers": "markers",
    "confidence": "confidence",
    "document": "assignment__passage__document_id",
    "outlet_id": "assignment__passage__document__source_id",
}
INTEGER_COLUMNS = {
    "annotation",
    "item",
    "annotator_id",
    "document",
    "outlet_id",
    "sequence",
    "decided_by",
}
FRAME_COLUMNS = [
    "annotation",
    "item",
    "annotator_id",
    "annotator",
    "label",
    "cited_type",
    "markers",
    "confidence",
    "document",
    "outlet",
]


def _fetch(queryset, columns):
    """Run the queryset's SQL on a raw cursor; return {column: ndarray}.

    The rows go through one NumPy structured array (integer columns as int64, the rest as
    objects), several times faster than DataFrame.from_records on a million tuples.
    """
    sql, params = queryset.values_list(*columns.values()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = list(columns)
    dtype = np.dtype([(n, np.int64 if n in INTEGER_COLUMNS else object) for n in names])
    try:
        table = np.array(rows, dtype=dtype)
    except (TypeError, ValueError):  # a NULL in an integer column: keep it as a missing value
        table = np.array(rows, dtype=[(n, object) for n in names])
    return {n: table[n] for n in names}


def _categorical(values, rename=None):
    """A Categorical with sorted categories, factorising once; ``rename`` turns each distinct
    raw value (an id, "") into what the frame shows (a name, "none"), None when unknown."""
    codes, uniques = pd.factorize(values)
    shown = [rename(u) for u in uniques] if rename is not None else list(uniques)
    if len(set(shown)) < len(shown) or any(v is None for v in shown):
        return pd.Categorical(np.asarray(shown + [None], dtype=object)[codes])
    return pd.Categorical.from_codes(codes, categories=shown).reorder_categories(sorted(shown))


def _marker_codes(values: pd.Series):
    """Factorise the markers column: (code per row, tuple of marker values per code).

    SQLite hands JSON back as text, PostgreSQL's driver as text or as decoded lists. A
    campaign has a few distinct marker sets but a million rows, so each distinct value is
    decoded once instead of running json.loads per row.
    """
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    except TypeError:  # already-decoded lists are unhashable
        codes, uniques = pd.factorize(pd.Series(values).map(_as_tuple), use_na_sentinel=False)
    decoded = [_as_tuple(json.loads(u) if isinstance(u, str) else u) for u in uniques]
    return codes, decoded


def _as_tuple(value):
    return tuple(value) if isinstance(value, list | tuple) else ()


def reviewer_names(campaign):
    """{user id: user name} of everyone holding a place in the campaign: one query."""
    reviewers = Assignment.objects.filter(campaign=campaign).values("reviewer_id")
    return dict(get_user_model().objects.filter(pk__in=reviewers).values_list("pk", "username"))


def annotation_frame(campaign):
    """One row per annotation of the campaign: item (passage id), annotator, label and context.

    Rows come in annotation id order, so everything computed from the frame (bootstrap
    intervals included) is the same on every load. ``markers`` holds a tuple of marker values
    per row; rows with the same markers share one tuple. ``label``, ``cited_type`` (``"none"``
    when no one is cited), ``confidence``, ``annotator`` (user name) and ``outlet`` (source
    name) are categorical. Three queries, whatever the number of annotations.
    """

    data = _fetch(
        Annotation.objects.filter(assignment__campaign=campaign).order_by(), ANNOTATION_COLUMNS
    )
    order = np.argsort(data["annotation"], kind="stable")
    if len(order) and (order != np.arange(len(order))).any():
        data = {name: column[order] for name, column in data.items()}
    usernames = reviewer_names(campaign)
    outlets = dict(Source.objects.values_list("pk", "name"))
    codes, decoded = _marker_codes(data["markers"])
    sets = np.empty(len(decoded), dtype=object)
    sets[:] = decoded
    columns = {
        **data,
        "annotator": _categorical(data["annotator_id"], usernames.get),
        "label": _categorical(data["label"]),
        "cited_type": _categorical(data["cited_type"], lambda v: NO_SOURCE if v == "" else v),
        "markers": sets[codes],
        "confidence": _categorical(data["confidence"]),
        "outlet": _categorical(data["outlet_id"], outlets.get),
    }
    return pd.DataFrame({name: columns[name] for name in FRAME_COLUMNS})


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
            name = f"marker: {marker.name}"
            if name in dims:  # two markers share a display name: tell them apart by value
                name = f"marker: {marker.name} ({marker.value})"
            dims[name] = base.assign(label=ticked[codes])
    return dims


def dimension_labels(scheme_labels, dims):
    """Each dimension's full category set, for Gwet's AC1 (see campaign_agreement)."""
    labels = {"passage type": list(scheme_labels), "cited-source type": CITED_TYPES}
    labels.update({name: MARKER_LABELS for name in dims if name.startswith("marker: ")})
    return labels


def document_titles(campaign):
    """{document id: title} of the campaign's documents: one query, however many documents it
    has (a list of ids could exceed SQLite's limit on query parameters)."""

    return dict(
        Document.objects.filter(campaigndocument__campaign=campaign).values_list("pk", "title")
    )


def scheme_parts(scheme, names=False):
    """The scheme's passage-type values and its bias markers (value, name), in the admin's
    order, from one query (a UNION of the two tables) instead of two; with ``names`` also
    {passage-type value: display name}."""

    def part(model, kind):
        return (
            model.objects.filter(scheme=scheme)
            .order_by()
            .values_list(Value(kind, output_field=CharField()), "value", "name", "position", "id")
        )

    rows = sorted(
        part(Label, "label").union(part(BiasMarker, "marker"), all=True), key=lambda r: (r[3], r[4])
    )
    labels = [value for kind, value, *_ in rows if kind == "label"]
    markers = [
        SimpleNamespace(value=value, name=name)
        for kind, value, name, *_ in rows
        if kind == "marker"
    ]
    if names:
        return labels, markers, {value: name for kind, value, name, *_ in rows if kind == "label"}
    return labels, markers


# ------------------------------------------------------------------------------ reports


class SecondsBetween(Func):
    """end - start in whole seconds (a float; NULL if either is NULL): both times are cut to
    the second, then subtracted, so sums carry no julianday() rounding noise on SQLite
    (35728.0001565814). SQLite: the text's first 19 characters ("YYYY-MM-DD HH:MM:SS", UTC),
    whose julianday difference ROUND makes exact; PostgreSQL: the floor of each epoch. A
    reader gets the same from the export's claimed_at and done_at without their fractions."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(substr(%(expressions)s, 1, 19))) * 86400.0)",
            arg_joiner=", 1, 19)) - julianday(substr(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)))::float8",
            arg_joiner=")) - FLOOR(EXTRACT(EPOCH FROM ",
            **extra,
        )


PASSAGE_COLUMNS = {
    "item": "passage_id",
    "document": "passage__document_id",
    "outlet_id": "passage__document__source_id",
    "sequence": "sequence",
}


def passage_frame(campaign):
    """item, document, outlet, sequence for every passage with reviewer places in the campaign
    (the passages reports count, whether or not anyone labelled them), in reading order.

    Read off each passage's first place, which every such passage has (the queue keeps places
    1..overlap); annotation_rows adds any annotated passage missing here. Two queries."""

    data = _fetch(Assignment.objects.filter(campaign=campaign, slot=1).order_by(), PASSAGE_COLUMNS)
    order = np.argsort(data["sequence"], kind="stable")
    outlets = dict(Source.objects.values_list("pk", "name"))
    return pd.DataFrame(
        {
            "item": data["item"][order],
            "document": data["document"][order],
            "outlet": _categorical(data["outlet_id"][order], outlets.get),
            "sequence": data["sequence"][order],
        }
    )


REPORT_COLUMNS = {
    "item": "assignment__passage_id",
    "annotator_id": "assignment__reviewer_id",
    "label": "label",
    "cited_type": "cited_type",
    "markers": "markers",
}


def annotation_rows(campaign, passages, seconds=False):
    """The reports' lean annotation frame and the passages it covers: (frame, passages).

    One row per annotation with item, annotator (the reviewer's user id: names are looked
    up only where shown), label, cited_type ("none" when no one is cited), markers (tuples),
    document and outlet (from ``passages``, a passage_frame, instead of two joins per row),
    and with ``seconds`` how long the place was held before its first save (NaN when the
    claim time is unknown, e.g. imported annotations). Rows are sorted by item and
    annotator, so results never depend on the database's row order. One query, plus one
    if annotated passages are missing from ``passages`` (never through the app), whose
    rows are then appended to the returned passages.
    """

    columns = dict(REPORT_COLUMNS)
    queryset = Annotation.objects.filter(assignment__campaign=campaign).order_by()
    if seconds:
        queryset = queryset.annotate(
            seconds=SecondsBetween("assignment__done_at", "assignment__claimed_at")
        )
        columns["seconds"] = "seconds"
    data = _fetch(queryset, columns)
    order = np.lexsort((data["annotator_id"], data["item"]))
    data = {name: column[order] for name, column in data.items()}
    known = pd.Index(passages["item"])
    if not known.is_unique:
        raise ValueError("passage frame lists a passage twice")
    where = known.get_indexer(data["item"])
    if (where < 0).any():
        # Every place of the passages without a first place; the first row of each passage wins.
        firsts = Assignment.objects.filter(campaign=campaign, slot=1).values("passage_id")
        extra = _fetch(
            Assignment.objects.filter(campaign=campaign)
            .exclude(passage_id__in=firsts)
            .order_by("passage_id", "slot"),
            PASSAGE_COLUMNS,
        )
        _, first = np.unique(extra["item"], return_index=True)
        extra = {name: column[first] for name, column in extra.items()}
        outlets = dict(Source.objects.values_list("pk", "name"))
        stray = pd.DataFrame(
            {
                "item": extra["item"],
                "document": extra["document"],
                "outlet": [outlets.get(o) for o in extra["outlet_id"]],
                "sequence": extra["sequence"],
            }
        )
        passages = pd.concat([passages.astype({"outlet": object}), stray], ignore_index=True)
        passages["outlet"] = pd.Categorical(passages["outlet"])
        where = pd.Index(passages["item"]).get_indexer(data["item"])
    codes, decoded = _marker_codes(data["markers"])
    sets = np.empty(len(decoded), dtype=object)
    sets[:] = decoded
    frame = pd.DataFrame(
        {
            "item": data["item"],
            "annotator": data["annotator_id"],
            "label": _categorical(data["label"]),
            "cited_type": _categorical(data["cited_type"], lambda v: NO_SOURCE if v == "" else v),
            "markers": sets[codes],
            "document": passages["document"].to_numpy()[where],
            "outlet": passages["outlet"].take(where).reset_index(drop=True),
        }
    )
    if seconds:
        frame["seconds"] = pd.to_numeric(data["seconds"]).astype(float)
    return frame, passages


def adjudication_frame(campaign):
    """One row per curator's decision: item, label, cited_type ("none" when no one is cited,
    as in annotation_frame), cited_source, markers (tuples), method (chosen or majority),
    decided_by (user id)."""

    columns = {
        "item": "passage_id",
        "label": "label",
        "cited_type": "cited_type",
        "cited_source": "cited_source",
        "markers": "markers",
        "method": "method",
        "decided_by": "decided_by_id",
    }
    data = _fetch(Adjudication.objects.filter(campaign=campaign).order_by(), columns)
    codes, decoded = _marker_codes(data["markers"])
    sets = np.empty(len(decoded), dtype=object)
    sets[:] = decoded
    cited = np.asarray(data["cited_type"], dtype=object)
    return pd.DataFrame(
        {
            "item": data["item"].astype(np.int64),
            "label": np.asarray(data["label"], dtype=object),
            "cited_type": np.where(cited == "", NO_SOURCE, cited),
            "cited_source": np.asarray(data["cited_source"], dtype=object),
            "markers": sets[codes],
            "method": np.asarray(data["method"], dtype=object),
            "decided_by": data["decided_by"],
        }
    )


def seconds_frame(campaign):
    """annotation, seconds: how long each annotated place was held before its first save
    (assignment done_at - claimed_at); NaN when the claim time is unknown (imports)."""
    columns = {"annotation": "pk", "seconds": "seconds"}
    queryset = (
        Annotation.objects.filter(assignment__campaign=campaign)
        .order_by()
        .annotate(seconds=SecondsBetween("assignment__done_at", "assignment__claimed_at"))
    )
    data = _fetch(queryset, columns)
    return pd.DataFrame(
        {"annotation": data["annotation"], "seconds": pd.to_numeric(data["seconds"]).astype(float)}
    )

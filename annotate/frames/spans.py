"""Evidence spans as long frames (see annotate.frames): one row per span.

Spans live in a JSON list on each annotation and decision. They are read with the same raw
cursor as the other frames and unpacked once per row that has any (an empty list is
skipped without decoding), so a campaign where a third of the answers carry spans costs one
query and one ``json.loads`` per such answer.
"""

import json

import numpy as np
import pandas as pd

from annotate.frames import _fetch, reviewer_names
from annotate.models import Adjudication, Annotation

SPAN_COLUMNS = ["item", "annotator", "layer", "label", "start", "end", "text"]
ANSWER_COLUMNS = ["annotation", "item", "annotator", "guidelines_version", "label"]
EMPTY = ("[]", "", None)


def _unpack(spans_column) -> list[tuple]:
    """(row index, span dict) for every span of every row."""
    rows = []
    for i, raw in enumerate(spans_column):
        if isinstance(raw, str | type(None)) and raw in EMPTY:
            continue
        for span in json.loads(raw) if isinstance(raw, str) else raw:
            rows.append((i, span))
    return rows


def _versions(values):
    """Guidelines versions as nullable integers (<NA>: saved before versions were recorded)."""
    return pd.array(np.asarray(values, dtype=object), dtype="Int64")


def _answers(campaign, columns):
    """The campaign's annotations in id order ({column: ndarray}) and {reviewer id: user
    name}. Two queries."""
    data = _fetch(
        Annotation.objects.filter(assignment__campaign=campaign).order_by("pk"),
        {
            "annotation": "pk",
            "item": "assignment__passage_id",
            "annotator_id": "assignment__reviewer_id",
            **columns,
        },
    )
    return data, reviewer_names(campaign)


def _spans_of(data, names):
    rows = _unpack(data["spans"])
    index = np.array([i for i, _ in rows], dtype=np.int64)
    return pd.DataFrame(
        {
            "item": data["item"][index].astype(np.int64),
            "annotator": [names.get(a) for a in data["annotator_id"][index]],
            "annotation": data["annotation"][index].astype(np.int64),
            "guidelines_version": _versions(data["guidelines_version"][index]),
            **_span_columns(rows),
        }
    )


def span_frames(campaign):
    """(spans, answers) from one read of the campaign's annotations. Two queries.

    spans: span_frame's rows. answers: one row per annotation (annotation, item, annotator,
    guidelines_version, label), which is who answered each passage (coders_frame), under which
    guidelines version and with which passage type."""
    data, names = _answers(
        campaign, {"guidelines_version": "guidelines_version", "label": "label", "spans": "spans"}
    )
    answers = pd.DataFrame(
        {
            "annotation": data["annotation"].astype(np.int64),
            "item": data["item"].astype(np.int64),
            "annotator": [names.get(a) for a in data["annotator_id"]],
            "guidelines_version": _versions(data["guidelines_version"]),
            "label": np.asarray(data["label"], dtype=object),
        },
        columns=ANSWER_COLUMNS,
    )
    return _spans_of(data, names), answers


def span_frame(campaign):
    """One row per reviewer's span: item (passage id), annotator (user name), annotation,
    guidelines_version (nullable integer), layer, label, start, end (document offsets),
    text. Two queries."""
    data, names = _answers(campaign, {"guidelines_version": "guidelines_version", "spans": "spans"})
    return _spans_of(data, names)


def coders_frame(campaign):
    """item, annotator: every reviewer who answered each passage (a reviewer who saw a
    passage and marked nothing agrees that it has no span). One query plus the names."""
    data, names = _answers(campaign, {})
    return pd.DataFrame(
        {
            "item": data["item"].astype(np.int64),
            "annotator": [names.get(a) for a in data["annotator_id"]],
        }
    )


def final_span_frame(campaign):
    """One row per span of a curator's decision: item, layer, label, start, end, text."""
    data = _fetch(
        Adjudication.objects.filter(campaign=campaign).order_by("pk"),
        {"item": "passage_id", "spans": "spans"},
    )
    rows = _unpack(data["spans"])
    index = np.array([i for i, _ in rows], dtype=np.int64)
    return pd.DataFrame({"item": data["item"][index].astype(np.int64), **_span_columns(rows)})


def _span_columns(rows):
    return {
        "layer": pd.Series([s["layer"] for _, s in rows], dtype=object),
        "label": pd.Series([s["label"] for _, s in rows], dtype=object),
        "start": np.array([s["start"] for _, s in rows], dtype=np.int64),
        "end": np.array([s["end"] for _, s in rows], dtype=np.int64),
        "text": pd.Series([s["text"] for _, s in rows], dtype=object),
    }

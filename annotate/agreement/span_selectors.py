"""Reads for the agreement dashboard's span agreement and agreement per guidelines version.

Span agreement, per span layer (cited source, loaded language), comes from the pure
measures of annotate.agreement.spans: Krippendorff's alpha over tokens and pairwise span F1,
exact and overlapping. Every reviewer who answered a passage counts as having seen it, so a
reviewer who marked nothing there says "no span" (annotate.frames.spans.coders_frame).

Agreement per guidelines version is the dashboard's passage-type alpha (nominal,
annotate.agreement.dashboard.grouped_agreement) on the passages whose answers were all made
under one version; a passage answered under several versions counts for none. Answers saved
before versions were recorded (NULL) form their own group, "unrecorded", and do not count
as a version when deciding whether a campaign has more than one.

Three queries for everything: the annotations with their spans, the reviewers' names and
the annotated passages' texts (annotate.frames.spans.span_frames, annotated_passages).
"""

import numpy as np
import pandas as pd

from annotate.agreement import grouped_agreement
from annotate.agreement.spans import pairwise_span_f1, span_f1, token_alpha, token_frame
from annotate.frames import _fetch
from annotate.frames.spans import span_frames
from annotate.models import Annotation
from annotate.spans.layers import LAYERS
from corpus.models import Passage

# The span tables, in page order: {name (also the CSV's name): title}.
SPAN_TABLES = {
    "spans": "Span agreement",
    "span_pairs": "Span agreement per pair of reviewers",
    "versions": "Passage-type agreement per guidelines version",
}
UNRECORDED = "unrecorded"
NO_SPANS = "no spans marked in this layer"
LAYER_COLUMNS = [
    "layer",
    "spans",
    "passages",
    "token_alpha",
    "tokens",
    "token_alpha_note",
    "f1_exact",
    "f1_overlap",
    "compared_spans",
    "f1_note",
]
PAIR_COLUMNS = [
    "layer",
    "reviewer_a",
    "reviewer_b",
    "passages",
    "spans_a",
    "spans_b",
    "matched_exact",
    "precision_exact",
    "recall_exact",
    "f1_exact",
    "matched_overlap",
    "precision_overlap",
    "recall_overlap",
    "f1_overlap",
]
VERSION_COLUMNS = [
    "version",
    "annotations",
    "passages",
    "paired_passages",
    "alpha",
    "percent_agreement",
    "alpha_note",
]
SPAN_FIELDS = ["item", "annotator", "start", "end", "label"]


class SpanTables(dict):
    """The span tables by name; ``versions_recorded``: distinct recorded guidelines versions
    among the answers; ``mixed_passages``: passages answered under more than one version
    (unrecorded included), which count for no version."""

    versions_recorded = 0
    mixed_passages = 0


def annotated_passages(campaign):
    """item, offset (the passage's start in its document), text of every passage with an
    annotation in the campaign. One query."""
    answered = Annotation.objects.filter(assignment__campaign=campaign).values(
        "assignment__passage_id"
    )
    data = _fetch(
        Passage.objects.filter(pk__in=answered).order_by("pk"),
        {"item": "pk", "offset": "start", "text": "text"},
    )
    return pd.DataFrame(
        {
            "item": data["item"].astype(np.int64),
            "offset": data["offset"].astype(np.int64),
            "text": np.asarray(data["text"], dtype=object),
        }
    )


def _layer_spans(spans, layer):
    return spans.loc[spans["layer"] == layer, SPAN_FIELDS]


def layer_agreement(spans, coders, tokens):
    """One row per span layer (LAYER_COLUMNS): token alpha (annotate.agreement.spans.
    token_alpha, with the paired tokens and why it is undefined) and micro-averaged span F1,
    exact and overlapping (span_f1, with the spans compared and why F1 is undefined)."""
    rows = []
    for layer in LAYERS:
        s = _layer_spans(spans, layer)
        row = {"layer": layer, "spans": len(s), "passages": int(s["item"].nunique())}
        if s.empty:
            rows.append(
                {
                    **row,
                    "token_alpha": np.nan,
                    "tokens": 0,
                    "token_alpha_note": NO_SPANS,
                    "f1_exact": np.nan,
                    "f1_overlap": np.nan,
                    "compared_spans": 0,
                    "f1_note": NO_SPANS,
                }
            )
            continue
        alpha = token_alpha(s, tokens, coders)
        exact, overlap = span_f1(s, coders, "exact"), span_f1(s, coders, "overlap")
        rows.append(
            {
                **row,
                "token_alpha": alpha.value,
                "tokens": alpha.n_items,
                "token_alpha_note": alpha.reason or "",
                "f1_exact": exact.value,
                "f1_overlap": overlap.value,
                "compared_spans": exact.n_items,
                "f1_note": exact.reason or "",
            }
        )
    return pd.DataFrame(rows, columns=LAYER_COLUMNS)


def pair_agreement(spans, coders):
    """One row per span layer and two reviewers who answered a common passage
    (PAIR_COLUMNS): precision, recall and F1 of a's spans against b's, exact and
    overlapping (annotate.agreement.spans.pairwise_span_f1)."""
    parts = []
    shared = ["annotator_a", "annotator_b", "items", "spans_a", "spans_b"]
    for layer in LAYERS:
        s = _layer_spans(spans, layer)
        exact = pairwise_span_f1(s, coders, "exact")
        if exact.empty:
            continue
        overlap = pairwise_span_f1(s, coders, "overlap")
        both = exact.merge(overlap, on=shared, suffixes=("_exact", "_overlap"), validate="1:1")
        parts.append(both.assign(layer=layer))
    if not parts:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    out = pd.concat(parts, ignore_index=True).rename(
        columns={"annotator_a": "reviewer_a", "annotator_b": "reviewer_b", "items": "passages"}
    )
    for column in ("passages", "spans_a", "spans_b", "matched_exact", "matched_overlap"):
        out[column] = out[column].astype(np.int64)
    return out[PAIR_COLUMNS]


def _version_keys(answers):
    """Each answer's version as an integer, -1 where it was not recorded."""
    return answers["guidelines_version"].astype("Int64").fillna(-1).astype(np.int64).to_numpy()


def version_agreement(answers):
    """Passage-type agreement per guidelines version (VERSION_COLUMNS), from answers
    (item, annotator, label, guidelines_version): every version some answer was made under,
    "unrecorded" first, with the answers made under it (annotations), the passages whose
    answers were all made under it (passages; paired_passages: those with two or more) and
    nominal alpha and observed agreement on those passages (grouped_agreement)."""
    if answers.empty:
        return pd.DataFrame(columns=VERSION_COLUMNS)
    a = answers[["item", "annotator", "label"]].assign(version=_version_keys(answers))
    whole = a.groupby("item")["version"].transform("nunique") == 1
    kept = a[whole]
    versions = np.unique(a["version"])
    grouped = grouped_agreement(kept, "version").set_index("group").reindex(versions)
    out = pd.DataFrame(
        {
            "version": [UNRECORDED if v < 0 else int(v) for v in versions],
            "annotations": a.groupby("version").size().reindex(versions).to_numpy(),
            "passages": kept.groupby("version")["item"]
            .nunique()
            .reindex(versions, fill_value=0)
            .to_numpy(),
            "paired_passages": grouped["items"].fillna(0).astype(np.int64).to_numpy(),
            "alpha": grouped["alpha"].astype(float).to_numpy(),
            "percent_agreement": grouped["percent_agreement"].astype(float).to_numpy(),
            "alpha_note": grouped["alpha_note"]
            .fillna("no passage answered only under this version")
            .to_numpy(),
        },
        columns=VERSION_COLUMNS,
    )
    return out


def mixed_passages(answers):
    """How many passages were answered under more than one version (unrecorded included)."""
    if answers.empty:
        return 0
    versions = pd.Series(_version_keys(answers), index=answers.index)
    return int((versions.groupby(answers["item"]).nunique() > 1).sum())


def span_tables(campaign, names=tuple(SPAN_TABLES)):
    """The span tables named in ``names`` (SPAN_TABLES) for a campaign, as a SpanTables.
    Two queries, three with "spans" (which needs the passages' texts for the tokens)."""
    spans, answers = span_frames(campaign)
    coders = answers[["item", "annotator"]]
    tables = SpanTables()
    if "spans" in names:
        tokens = token_frame(annotated_passages(campaign))
        tables["spans"] = layer_agreement(spans, coders, tokens)
    if "span_pairs" in names:
        tables["span_pairs"] = pair_agreement(spans, coders)
    if "versions" in names:
        tables["versions"] = version_agreement(answers)
    tables.versions_recorded = int(answers["guidelines_version"].dropna().nunique())
    tables.mixed_passages = mixed_passages(answers)
    return tables

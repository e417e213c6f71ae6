"""Reads for evidence spans downstream: every span with its passage (spans.csv, spans.jsonl)
and the loaded terms per outlet (the per-outlet page and loaded_terms.csv).

Spans come from annotate.frames.spans (span_frame, final_span_frame); the passages, outlets,
decisions and names beside them are a fixed number of queries, whatever the campaign's size.
The figures come from the pure annotate.reports.span_status and annotate.reports.loaded_terms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery

from annotate.frames.spans import final_span_frame, span_frame
from annotate.models import Adjudication, Annotation, Assignment, BiasMarker, CitedSourceType
from annotate.reports import selectors
from annotate.reports.loaded_terms import TERM_COLUMNS, loaded_terms, words_per_outlet
from annotate.reports.span_status import final_status
from annotate.spans.layers import LAYERS, LOADED, SOURCE
from corpus.models import Passage

TOP_TERMS = 10  # loaded terms per outlet on the page; loaded_terms.csv has them all
REVIEWER, FINAL = "reviewer", "final"

SPAN_COLUMNS = [
    "outlet",
    "document_id",
    "document_title",
    "passage_id",
    "position",
    "start",
    "end",
    "text",
    "layer",
    "layer_name",
    "type",
    "type_name",
    "kind",
    "reviewer",
    "annotation_id",
    "guidelines_version",
    "final_status",
]
LOADED_TERM_COLUMNS = [*TERM_COLUMNS, "label_names"]

# One line per column, for the data card.
SPAN_EXPLAIN = {
    "outlet": "The outlet (news source) of the document.",
    "document_id": "Document id.",
    "document_title": "The document's title.",
    "passage_id": "Passage id (as in the annotations file).",
    "position": "The passage's position in its document, from 0.",
    "start": "Where the span starts: a character offset into the document's text, from 0.",
    "end": "Where it ends (exclusive): document text [start:end] is the span's text.",
    "text": "The marked words, as published.",
    "layer": "`source` (who is cited) or `loaded` (a loaded word or phrase).",
    "layer_name": "The layer's name.",
    "type": "The span's label: a cited-source type (source layer) or a bias-marker value "
    "(loaded layer).",
    "type_name": "The label's name.",
    "kind": "`reviewer`: a reviewer's span; `final`: a span of the curator's decision.",
    "reviewer": "The reviewer who marked it, or on a final row the curator who decided "
    "(user name, or a stable pseudonym in anonymised exports).",
    "annotation_id": "The reviewer's annotation (empty on final rows).",
    "guidelines_version": "The campaign's guidelines version when the annotation was last "
    "saved (empty on final rows and on annotations from before versions were recorded).",
    "final_status": "On reviewer rows: `kept` when the curator's decision on the passage "
    "has a span with the same layer, start, end and type; `dropped` when the passage has a "
    "decision without it; `undecided` when no curator has decided the passage. Empty on "
    "final rows.",
}
TERM_EXPLAIN = {
    "outlet": "The outlet (news source).",
    "rank": "1 for the outlet's most frequent loaded term; ties in alphabetical order.",
    "term": "A loaded-language span's text, lower-cased, white space made single spaces.",
    "count": "The outlet's passages where the term counts: on a passage a curator decided, "
    "when the decision marks it; on any other passage, when more than half of the reviewers "
    "who answered it marked it.",
    "per_1000_words": "1000 × count / words.",
    "words": "Word tokens in the outlet's annotated passages (passages with at least one "
    "annotation): the span-agreement tokens that start with a letter, digit or underscore.",
    "labels": "The bias-marker values the term is counted with, `;`-separated, most used first.",
    "label_names": "Their names, in the same order.",
}


def _type_names(campaign):
    """{layer: {label: name}}: the cited-source types and the scheme's markers (one query)."""
    markers = BiasMarker.objects.filter(scheme_id=campaign.scheme_id).values_list("value", "name")
    return {
        SOURCE: {value: name for value, name in CitedSourceType.choices if value},
        LOADED: dict(markers),
    }


def _passages(campaign):
    """{passage id: (sequence, outlet, document id, title, position)} for every passage with a
    reviewer place or a decision in the campaign (one query)."""
    places = Assignment.objects.filter(campaign=campaign)
    first = places.filter(passage=OuterRef("pk")).order_by("sequence", "pk").values("sequence")
    rows = (
        Passage.objects.filter(
            Q(pk__in=places.values("passage_id"))
            | Q(pk__in=Adjudication.objects.filter(campaign=campaign).values("passage_id"))
        )
        .annotate(sequence=Subquery(first[:1]))
        .order_by()
        .values_list(
            "pk", "sequence", "document__source__name", "document_id", "document__title", "position"
        )
    )
    return {pk: rest for pk, *rest in rows}


def _python(value):
    """A cell as a plain Python value: NumPy integers as int, NaN and pandas' NA as None."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        value = float(value)
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value


def span_export_frame(campaign, anonymise: bool = False) -> pd.DataFrame:
    """One row per span (columns SPAN_COLUMNS): every reviewer's span with its final status
    (annotate.reports.span_status), then the curator's spans (kind ``final``), passages in
    the campaign's reading order, a passage's reviewers in the order they answered.

    Reviewers and curators are named by user name, or by pseudonym when ``anonymise``; span
    text is article text and is never altered. Six queries (seven anonymised).
    """
    reviewed = span_frame(campaign)
    finals = final_span_frame(campaign)
    decisions = list(
        Adjudication.objects.filter(campaign=campaign).values_list(
            "passage_id", "decided_by_id", "decided_by__username"
        )
    )
    decided = {item for item, _, _ in decisions}
    if anonymise:
        ids = dict(
            get_user_model()
            .objects.filter(
                pk__in=Assignment.objects.filter(campaign=campaign).values("reviewer_id")
            )
            .values_list("username", "pk")
        )
        reviewer_names = {name: selectors.pseudonym(pk) for name, pk in ids.items()}
        deciders = {item: selectors.pseudonym(pk) for item, pk, _ in decisions}
    else:
        reviewer_names = None
        deciders = {item: name for item, _, name in decisions}
    status = final_status(reviewed, finals, decided)
    reviewer_rows = pd.DataFrame(
        {
            "item": reviewed["item"].to_numpy(dtype=np.int64),
            "layer": reviewed["layer"].astype(object),
            "label": reviewed["label"].astype(object),
            "start": reviewed["start"].to_numpy(dtype=np.int64),
            "end": reviewed["end"].to_numpy(dtype=np.int64),
            "text": reviewed["text"].astype(object),
            "kind": REVIEWER,
            "reviewer": reviewed["annotator"].map(reviewer_names).astype(object)
            if anonymise
            else reviewed["annotator"].astype(object),
            "annotation_id": reviewed["annotation"].astype(object),
            "guidelines_version": reviewed["guidelines_version"].astype(object),
            "final_status": pd.Series(status, dtype=object),
            "order": reviewed["annotation"].to_numpy(dtype=np.int64),
        }
    )
    final_rows = pd.DataFrame(
        {
            "item": finals["item"].to_numpy(dtype=np.int64),
            "layer": finals["layer"].astype(object),
            "label": finals["label"].astype(object),
            "start": finals["start"].to_numpy(dtype=np.int64),
            "end": finals["end"].to_numpy(dtype=np.int64),
            "text": finals["text"].astype(object),
            "kind": FINAL,
            "reviewer": finals["item"].map(deciders).astype(object),
            "annotation_id": None,
            "guidelines_version": None,
            "final_status": None,
            "order": np.iinfo(np.int64).max,  # after every reviewer of the passage
        }
    )
    rows = pd.concat([reviewer_rows, final_rows], ignore_index=True)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SPAN_COLUMNS})
    context = _passages(campaign)
    names = _type_names(campaign)
    found = [context.get(item, (None,) * 5) for item in rows["item"]]
    sequence = np.array([c[0] if c[0] is not None else np.iinfo(np.int64).max for c in found])
    rows["outlet"] = [c[1] for c in found]
    rows["document_id"] = [c[2] for c in found]
    rows["document_title"] = [c[3] for c in found]
    rows["position"] = [c[4] for c in found]
    rows["layer_name"] = rows["layer"].map(LAYERS).fillna(rows["layer"]).astype(object)
    rows["type_name"] = [
        names.get(layer, {}).get(label, label)
        for layer, label in zip(rows["layer"], rows["label"], strict=True)
    ]
    order = np.lexsort(
        (
            rows["label"].to_numpy(dtype=str),
            rows["layer"].to_numpy(dtype=str),
            rows["end"].to_numpy(),
            rows["start"].to_numpy(),
            rows["order"].to_numpy(),
            rows["item"].to_numpy(),
            sequence,
        )
    )
    rows = rows.iloc[order].reset_index(drop=True)
    return rows.rename(columns={"item": "passage_id", "label": "type"})[SPAN_COLUMNS]


def span_records(frame: pd.DataFrame):
    """The frame's rows as lists of plain Python values (ints, str, None), for CSV and JSON."""
    for row in frame.itertuples(index=False, name=None):
        yield [_python(v) for v in row]


def _annotated_texts(campaign):
    """(passage id, text) of every passage with at least one annotation (one query)."""
    annotated = Annotation.objects.filter(assignment__campaign=campaign).values(
        "assignment__passage_id"
    )
    return Passage.objects.filter(pk__in=annotated).order_by().values_list("pk", "text")


def loaded_term_frame(campaign, data=None, top: int | None = None) -> pd.DataFrame:
    """The loaded terms of each outlet (annotate.reports.loaded_terms, columns
    LOADED_TERM_COLUMNS), the first ``top`` of each outlet or all of them.

    ``data``: the reports' ReportData (selectors.load), read when not given. Four queries
    beyond it (the spans, the decisions' spans, the names of the markers), plus one for the
    annotated passages' text when the campaign has any loaded-language span: the word
    counts are only made then.
    """
    data = data or selectors.load(campaign)
    reviewed = span_frame(campaign)
    finals = final_span_frame(campaign)
    names = _type_names(campaign)[LOADED]
    outlet = data.passages.drop_duplicates("item").set_index("item")["outlet"].astype(object)
    reviewed = reviewed[reviewed["layer"] == LOADED]
    finals = finals[finals["layer"] == LOADED]
    spans = pd.concat(
        [
            pd.DataFrame(
                {
                    "item": reviewed["item"],
                    "annotator": reviewed["annotation"],  # one annotation per reviewer and passage
                    "text": reviewed["text"],
                    "label": reviewed["label"],
                    "final": False,
                }
            ),
            pd.DataFrame(
                {
                    "item": finals["item"],
                    "annotator": -1,
                    "text": finals["text"],
                    "label": finals["label"],
                    "final": True,
                }
            ),
        ],
        ignore_index=True,
    )
    spans["outlet"] = spans["item"].map(outlet)
    coders = data.annotations.groupby("item")["annotator"].nunique()
    passages = pd.DataFrame({"item": data.passages["item"].drop_duplicates()})
    passages["coders"] = passages["item"].map(coders).fillna(0).astype("int64")
    passages["decided"] = passages["item"].isin(set(data.adjudications["item"]))
    if spans.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LOADED_TERM_COLUMNS})
    texts = pd.DataFrame(list(_annotated_texts(campaign)), columns=["item", "text"])
    texts["outlet"] = texts["item"].map(outlet)
    words = words_per_outlet(texts.dropna(subset=["outlet"]))
    terms = loaded_terms(spans, passages, words, top)
    terms["label_names"] = [
        ";".join(names.get(code, code) for code in labels.split(";")) for labels in terms["labels"]
    ]
    return terms[LOADED_TERM_COLUMNS]

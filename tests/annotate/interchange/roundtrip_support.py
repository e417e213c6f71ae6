"""Campaigns labelled through the queue, and what a round trip must keep: the answers,
agreement (Krippendorff's alpha on passage and cited-source type, span agreement per layer)
and the final labels."""

import math
import re

from annotate.agreement import krippendorff_alpha
from annotate.agreement.span_selectors import span_tables
from annotate.frames import annotation_frame
from annotate.models import Annotation
from annotate.queue import services
from annotate.reports.selectors import load

WORD = re.compile(r"\w+")
LABELS = ["sourced_fact", "attributed_claim", "opinion"]


def word_span(passage, n, layer="loaded", label="loaded_language"):
    """A span over the passage's n-th word (its last, when it has fewer), in document
    offsets."""
    words = list(WORD.finditer(passage.text))
    match = words[min(n, len(words) - 1)]
    return {
        "layer": layer,
        "label": label,
        "start": passage.start + match.start(),
        "end": passage.start + match.end(),
        "text": match.group(),
    }


def answer(reviewer, passage, i):
    """A reviewer's answer on the i-th passage they label: most passages unanimous, some
    not; sources, markers, spans and notes on some."""
    r = ["alice", "bob", "dave"].index(reviewer)
    label = LABELS[i % 3] if i % 4 else LABELS[(i + r) % 3]
    data = {"label": label, "confidence": ["low", "medium", "high"][(i + r) % 3], "note": ""}
    spans = []
    if i % 3 == 0:
        data["cited_type"] = "named_person"
        data["cited_source"] = "Officials"
        spans.append(word_span(passage, 0, "source", "named_person"))
    if (i + r) % 2 == 0:
        data["markers"] = ["loaded_language"]
        spans.append(word_span(passage, 2 if r else 1))
    if i % 5 == 1:
        data["note"] = f"note by {reviewer}"
    data["spans"] = spans
    return data


def label_campaign(campaign, users, n, reviewers=("alice", "bob", "dave")):
    """Each reviewer labels their next ``n`` passages through the queue; returns the
    passages answered."""
    answered = set()
    for name in reviewers:
        for i in range(n):
            place = services.claim_next(campaign, users[name])
            assert place is not None
            services.save_annotation(
                campaign, users[name], place.pk, answer(name, place.passage, i)
            )
            answered.add(place.passage_id)
    return answered


def answers(campaign):
    """Every annotation as comparable tuples."""
    return sorted(
        (
            a.assignment.passage_id,
            a.assignment.reviewer.username,
            a.label,
            a.cited_type,
            a.cited_source,
            tuple(a.markers),
            tuple((s["layer"], s["label"], s["start"], s["end"], s["text"]) for s in a.spans),
            a.confidence,
            a.note,
        )
        for a in Annotation.objects.filter(assignment__campaign=campaign).select_related(
            "assignment__reviewer"
        )
    )


def measures(campaign):
    """Agreement on the passage type and the cited-source type, span agreement per layer and
    the final labels."""
    frame = annotation_frame(campaign)
    spans = span_tables(campaign, names=("spans",))["spans"]
    finals = load(campaign).finals
    return {
        "alpha": krippendorff_alpha(frame[["item", "annotator", "label"]]),
        "alpha_cited": krippendorff_alpha(
            frame[["item", "annotator", "cited_type"]].rename(columns={"cited_type": "label"})
        ),
        "spans": spans[["layer", "spans", "passages", "token_alpha", "f1_exact"]]
        .round(12)
        .to_dict("records"),
        "finals": sorted(
            (int(r.item), r.final_label if isinstance(r.final_label, str) else None, r.status)
            for r in finals.itertuples(index=False)
        ),
    }


def same_number(a, b):
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=0, abs_tol=1e-12)

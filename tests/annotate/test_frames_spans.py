"""annotate.frames.spans: reviewers' and curators' evidence spans as long frames."""

import re

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotate.frames.spans import (
    ANSWER_COLUMNS,
    coders_frame,
    final_span_frame,
    span_frame,
    span_frames,
)
from annotate.models import Adjudication, Annotation
from annotate.queue import services
from corpus.models import Passage

WORD = re.compile(r"\w+")


def words(passage):
    """(start, end, text) of the passage's words, in document offsets."""
    return [
        (passage.start + m.start(), passage.start + m.end(), m.group())
        for m in WORD.finditer(passage.text)
    ]


def span(passage, layer, label, first, last=None):
    """A span over words first..last (inclusive) of the passage."""
    w = words(passage)
    start, end = w[first][0], w[last if last is not None else first][1]
    return {
        "layer": layer,
        "label": label,
        "start": start,
        "end": end,
        "text": passage.text[start - passage.start : end - passage.start],
    }


def answer(label="opinion", spans=(), cited_type="", markers=()):
    return {
        "label": label,
        "cited_source": "",
        "cited_type": cited_type,
        "markers": list(markers),
        "confidence": "medium",
        "note": "",
        "spans": list(spans),
    }


def answer_next(campaign, reviewer, make_spans=lambda passage: []):
    """Claim the reviewer's next passage and save an answer with the spans made for it."""
    assignment = services.claim_next(campaign, reviewer)
    passage = Passage.objects.get(pk=assignment.passage_id)
    spans = make_spans(passage)
    cited = "named_person" if any(s["layer"] == "source" for s in spans) else ""
    markers = sorted({s["label"] for s in spans if s["layer"] == "loaded"})
    annotation, _ = services.save_annotation(
        campaign, reviewer, assignment.pk, answer(spans=spans, cited_type=cited, markers=markers)
    )
    return passage, annotation


@pytest.fixture
def marked(campaign, users):
    """alice and bob answer the first two passages; alice marks a source and a loaded phrase
    on the first, bob the same source on the first and nothing on the second."""
    alice, bob = users["alice"], users["bob"]
    first, a1 = answer_next(
        campaign,
        alice,
        lambda p: [
            span(p, "source", "named_person", 0),
            span(p, "loaded", "loaded_language", 1, 2),
        ],
    )
    second, a2 = answer_next(campaign, alice)
    again, b1 = answer_next(campaign, bob, lambda p: [span(p, "source", "named_person", 0)])
    assert again == first
    _, b2 = answer_next(campaign, bob)
    return {"passages": (first, second), "alice": (a1, a2), "bob": (b1, b2)}


def test_span_frame_has_one_row_per_span_with_its_reviewer_annotation_version_and_text(
    campaign, marked
):
    frame = span_frame(campaign)
    first, _ = marked["passages"]
    a1, b1 = marked["alice"][0], marked["bob"][0]
    assert list(frame.columns) == [
        "item",
        "annotator",
        "annotation",
        "guidelines_version",
        "layer",
        "label",
        "start",
        "end",
        "text",
    ]
    rows = sorted(
        frame.assign(guidelines_version=frame["guidelines_version"].astype(int)).itertuples(
            index=False, name=None
        ),
        key=lambda r: (r[2], r[6]),
    )
    expected = []
    for annotation, name in ((a1, "alice"), (b1, "bob")):
        for s in sorted(Annotation.objects.get(pk=annotation.pk).spans, key=lambda s: s["start"]):
            expected.append(
                (
                    first.pk,
                    name,
                    annotation.pk,
                    1,
                    s["layer"],
                    s["label"],
                    s["start"],
                    s["end"],
                    s["text"],
                )
            )
    assert rows == expected
    assert len(rows) == 3
    doc = first.document.text
    assert all(doc[start:end] == text for *_, start, end, text in rows)


def test_coders_frame_lists_every_reviewer_who_answered_a_passage_even_without_spans(
    campaign, marked
):
    first, second = marked["passages"]
    coders = coders_frame(campaign)
    assert list(coders.columns) == ["item", "annotator"]
    assert sorted(coders.itertuples(index=False, name=None)) == sorted(
        [(first.pk, "alice"), (second.pk, "alice"), (first.pk, "bob"), (second.pk, "bob")]
    )
    # The second passage has no span at all, yet both reviewers saw it.
    assert second.pk not in set(span_frame(campaign)["item"])


def test_span_frames_reads_spans_and_answers_with_versions_and_labels_in_two_queries(
    campaign, marked
):
    with CaptureQueriesContext(connection) as captured:
        spans, answers = span_frames(campaign)
    assert len(captured.captured_queries) == 2
    pd.testing.assert_frame_equal(spans, span_frame(campaign))
    assert list(answers.columns) == ANSWER_COLUMNS
    assert len(answers) == 4 and set(answers["label"]) == {"opinion"}
    assert answers["guidelines_version"].tolist() == [1, 1, 1, 1]


def test_answers_saved_before_versions_were_recorded_have_a_missing_version(campaign, marked):
    a1 = marked["alice"][0]
    Annotation.objects.filter(pk=a1.pk).update(guidelines_version=None)
    campaign.guidelines_version = 2
    campaign.save(update_fields=["guidelines_version"])
    spans, answers = span_frames(campaign)
    by_annotation = dict(zip(answers["annotation"], answers["guidelines_version"], strict=True))
    assert by_annotation[a1.pk] is pd.NA and by_annotation[marked["bob"][0].pk] == 1
    assert spans.loc[spans["annotation"] == a1.pk, "guidelines_version"].isna().all()
    assert spans["guidelines_version"].dtype == "Int64"


def test_campaign_without_spans_gives_empty_frames_with_the_columns(campaign, users):
    answer_next(campaign, users["alice"])
    frame = span_frame(campaign)
    assert frame.empty and "text" in frame.columns and "annotation" in frame.columns
    assert len(coders_frame(campaign)) == 1
    assert final_span_frame(campaign).empty


def test_final_span_frame_has_the_curators_spans(campaign, marked, users):
    first, second = marked["passages"]
    final = [span(first, "source", "official_body", 0)]
    Adjudication.objects.create(
        campaign=campaign,
        passage=first,
        label="opinion",
        spans=final,
        rationale="Read it.",
        decided_by=users["carol"],
    )
    Adjudication.objects.create(
        campaign=campaign, passage=second, label="opinion", rationale="-", decided_by=users["carol"]
    )
    frame = final_span_frame(campaign)
    assert list(frame.columns) == ["item", "layer", "label", "start", "end", "text"]
    assert frame.to_dict("records") == [{"item": first.pk, **{k: final[0][k] for k in final[0]}}]

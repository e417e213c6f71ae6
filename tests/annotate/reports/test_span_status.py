"""annotate.reports.span_status: what became of each reviewer's span once a curator decided."""

import pandas as pd

from annotate.reports.span_status import final_status

COLUMNS = ["item", "layer", "start", "end", "label"]


def frame(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


def test_a_span_is_kept_only_when_the_decision_has_the_same_layer_offsets_and_label():
    spans = frame(
        [
            (1, "loaded", 10, 17, "loaded_language"),  # the same span: kept
            (1, "loaded", 20, 25, "loaded_language"),  # the decision marks it otherwise: dropped
            (1, "loaded", 10, 16, "loaded_language"),  # other offsets: dropped
            (1, "source", 10, 17, "loaded_language"),  # other layer: dropped
            (2, "loaded", 10, 17, "loaded_language"),  # decided with no spans: dropped
            (3, "loaded", 10, 17, "loaded_language"),  # no decision: undecided
        ]
    )
    finals = frame(
        [(1, "loaded", 10, 17, "loaded_language"), (1, "loaded", 20, 25, "emotional_appeal")]
    )
    assert final_status(spans, finals, {1, 2}).tolist() == [
        "kept",
        "dropped",
        "dropped",
        "dropped",
        "dropped",
        "undecided",
    ]


def test_no_final_spans_and_no_spans_are_handled():
    spans = frame([(1, "loaded", 0, 4, "loaded_language")])
    assert final_status(spans, frame([]), set()).tolist() == ["undecided"]
    assert final_status(spans, frame([]), [1]).tolist() == ["dropped"]
    assert final_status(frame([]), frame([]), {1}).tolist() == []

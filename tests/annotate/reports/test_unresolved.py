"""Worst-case bounds for unresolved passages and Dawid-Skene shares, checked by enumeration."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from annotate.reports.clustered import document_counts
from annotate.reports.dawid_skene import dawid_skene
from annotate.reports.unresolved import (
    ALL_RESOLVED,
    ANY_SHARE,
    BOUND_COLUMNS,
    model_shares,
    unresolved_bounds,
)

LABELS = ["sourced_fact", "attributed_claim", "opinion"]
# What an unresolved passage could turn out to be, for the anonymous-claim share too.
OUTCOMES = [
    ("sourced_fact", None),
    ("attributed_claim", "anonymous"),
    ("attributed_claim", "named"),
    ("opinion", None),
]


def frames(resolved, unresolved, outlet="A"):
    """Passages and finals: ``resolved`` is a list of (label, cited_type); ``unresolved`` a count.
    Two passages per document."""
    n = len(resolved) + unresolved
    passages = pd.DataFrame(
        {"item": range(n), "document": [i // 2 for i in range(n)], "outlet": outlet}
    )
    finals = pd.DataFrame(
        {
            "item": range(n),
            "final_label": [r[0] for r in resolved] + [None] * unresolved,
            "final_cited_type": [r[1] for r in resolved] + [None] * unresolved,
            "final_markers": [[]] * len(resolved) + [None] * unresolved,
            "status": ["unanimous"] * len(resolved) + ["unresolved"] * unresolved,
        }
    )
    return passages, finals


def share_of(outcomes, measure):
    labels = [o[0] for o in outcomes]
    if measure == "anonymous_claim_share":
        claims = [o for o in outcomes if o[0] == "attributed_claim"]
        return sum(o[1] == "anonymous" for o in claims) / len(claims) if claims else math.nan
    return labels.count(measure.removeprefix("share_")) / len(labels)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bounds_are_the_extremes_over_every_way_the_unresolved_could_go(seed):
    rng = np.random.default_rng(seed)
    resolved = [OUTCOMES[i] for i in rng.integers(0, 4, 6)]
    resolved.append(("attributed_claim", "named"))  # at least one claim: the share is defined
    passages, finals = frames(resolved, unresolved=3)
    bounds = unresolved_bounds(document_counts(passages, finals, LABELS), LABELS)
    for _, row in bounds.iterrows():
        shares = [
            share_of(resolved + list(extra), row["measure"])
            for extra in itertools.product(OUTCOMES, repeat=3)
        ]
        assert row["lower"] == pytest.approx(min(shares)), row["measure"]
        assert row["upper"] == pytest.approx(max(shares)), row["measure"]
        assert row["lower"] <= row["share"] <= row["upper"]
        assert row["share"] == pytest.approx(share_of(resolved, row["measure"]))


def test_bounds_by_hand_width_is_the_unresolved_share():
    resolved = [("opinion", None)] * 3 + [("sourced_fact", None)] * 3
    passages, finals = frames(resolved, unresolved=4)
    bounds = unresolved_bounds(document_counts(passages, finals, LABELS), LABELS)
    opinion = bounds.set_index("measure").loc["share_opinion"]
    assert (opinion["share"], opinion["lower"], opinion["upper"]) == (0.5, 0.3, 0.7)
    assert (opinion["numerator"], opinion["denominator"], opinion["unresolved"]) == (3, 6, 4)
    assert opinion["note"] is None
    assert list(bounds.columns) == BOUND_COLUMNS


def test_all_unresolved_gives_bounds_from_zero_to_one():
    passages, finals = frames([], unresolved=5)
    bounds = unresolved_bounds(document_counts(passages, finals, LABELS), LABELS)
    assert (bounds["lower"] == 0).all() and (bounds["upper"] == 1).all()
    assert bounds["share"].isna().all()
    assert bounds["note"].str.endswith(ANY_SHARE).all()


def test_all_resolved_bounds_meet_at_the_share_and_say_why():
    passages, finals = frames([("opinion", None), ("sourced_fact", None)], unresolved=0)
    bounds = unresolved_bounds(document_counts(passages, finals, LABELS), LABELS)
    shares = bounds[bounds["measure"] != "anonymous_claim_share"]
    assert (shares["lower"] == shares["share"]).all() and (shares["upper"] == shares["share"]).all()
    assert (shares["note"] == ALL_RESOLVED).all()
    claim = bounds.set_index("measure").loc["anonymous_claim_share"]
    assert math.isnan(claim["lower"]) and claim["note"] == "no attributed claim"


def test_model_shares_average_the_posteriors_per_outlet():
    passages = pd.DataFrame(
        {"item": [1, 2, 3, 4], "document": [1, 1, 2, 3], "outlet": ["A", "A", "A", "B"]}
    )
    posteriors = pd.DataFrame(
        [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]],
        index=pd.Index([1, 2, 4], name="item"),
        columns=["x", "y"],
    )
    out = model_shares(passages, posteriors).set_index(["outlet", "measure"])
    # Item 3 has no annotation, so no posterior: outlet A counts its two annotated passages.
    assert out.loc[("A", "share_x"), "expected"] == pytest.approx((0.9 + 0.2) / 2)
    assert out.loc[("A", "share_x"), "most_probable"] == 0.5
    assert out.loc[("A", "share_x"), "passages"] == 2
    assert out.loc[("B", "share_y"), "expected"] == pytest.approx(0.4)
    assert out.loc[("B", "share_y"), "most_probable"] == 0


def test_model_shares_from_a_fit_cover_unresolved_passages_too():
    annotations = pd.DataFrame(
        [(i, r, "opinion" if i < 6 else "sourced_fact") for i in range(8) for r in "abc"]
        + [(8, "a", "opinion"), (8, "b", "sourced_fact")],
        columns=["item", "annotator", "label"],
    )
    passages = pd.DataFrame({"item": range(9), "document": range(9), "outlet": "A"})
    fit = dawid_skene(annotations, labels=LABELS)
    out = model_shares(passages, fit.posteriors).set_index("measure")
    assert out["passages"].tolist() == [9, 9, 9]
    assert out["expected"].sum() == pytest.approx(1.0)
    assert out.loc["share_attributed_claim", "expected"] == 0
    assert 6 / 9 <= out.loc["share_opinion", "expected"] <= 7 / 9

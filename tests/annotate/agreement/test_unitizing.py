"""Unitizing alpha against Krippendorff's published worked examples.

Data and figures: Krippendorff (2004), Content Analysis, 2nd ed., p. 254 (two observers,
categories c and k on [150, 450)) and Krippendorff (1995), Sociological Methodology 25, p. 57
(four pairs of observers A-D on [0, 24)), as transcribed in the test suite of DKPro Statistics
(Krippendorff2004Test, Krippendorff1995Test). The 1995 paper treats the continuum as
continuous; the discrete formula approaches its figures when the example is stretched, so
those are checked on the example stretched 50,000 times, with DKPro's tolerance of 0.02.
"""

import pandas as pd
import pytest

from annotate.agreement.spans import ONE_ANNOTATOR
from annotate.agreement.unitizing import NO_UNITS, unitizing_alpha, unitizing_disagreements

COLUMNS = ["annotator", "start", "end", "label"]


def units(rows, stretch=1):
    """(annotator, begin, length, label) rows as spans, optionally stretched."""
    return pd.DataFrame(
        [(a, int(b * stretch), int(b * stretch) + int(n * stretch), c) for a, b, n, c in rows],
        columns=COLUMNS,
    )


KRIPPENDORFF_2004 = [
    (0, 225, 70, "c"), (0, 370, 30, "c"), (1, 220, 80, "c"), (1, 355, 20, "c"),
    (1, 400, 20, "c"), (0, 180, 60, "k"), (0, 300, 50, "k"), (1, 180, 60, "k"),
    (1, 300, 50, "k"),
]  # fmt: skip

KRIPPENDORFF_1995 = [
    (0, 2, 8, "A"), (0, 14, 6, "A"), (1, 4, 4, "A"), (1, 15, 2, "A"),
    (0, 0, 18, "B"), (1, 0, 2, "B"), (1, 2, 1, "B"), (1, 3, 1, "B"), (1, 4, 1, "B"),
    (1, 5, 1, "B"), (1, 6, 3, "B"), (1, 9, 1, "B"),
    (0, 2, 6, "C"), (0, 10, 2, "C"), (0, 14, 4, "C"), (0, 20, 2, "C"), (1, 0, 2, "C"),
    (1, 4, 4, "C"), (1, 10, 4, "C"), (1, 16, 2, "C"), (1, 20, 2, "C"),
    (0, 0, 2, "D"), (0, 2, 8, "D"), (0, 10, 4, "D"), (0, 14, 6, "D"), (0, 20, 4, "D"),
    (1, 0, 4, "D"), (1, 4, 4, "D"), (1, 8, 7, "D"), (1, 15, 2, "D"), (1, 17, 7, "D"),
]  # fmt: skip


def test_the_2004_example_gives_the_published_disagreements_and_alphas():
    got = unitizing_disagreements(units(KRIPPENDORFF_2004), [0, 1], 150, 300).set_index("label")
    assert got.loc["c", "observed"] == pytest.approx(0.0144, abs=1e-4)
    assert got.loc["c", "expected"] == pytest.approx(0.0532, abs=1e-4)
    assert got.loc["c", "alpha"] == pytest.approx(0.7286, abs=1e-4)
    assert got.loc["k", "observed"] == 0
    assert got.loc["k", "expected"] == pytest.approx(0.0490, abs=1e-4)
    assert got.loc["k", "alpha"] == pytest.approx(1.0)
    assert unitizing_alpha(units(KRIPPENDORFF_2004), [0, 1], 150, 300).value == pytest.approx(
        0.8591, abs=5e-4
    )


def test_the_1995_example_gives_the_published_observed_disagreements():
    got = unitizing_disagreements(units(KRIPPENDORFF_1995), [0, 1], 0, 24).set_index("label")
    assert got["observed"].tolist() == pytest.approx([0.03125, 2.26736, 0.02777, 0.38715], abs=1e-5)


def test_the_1995_example_approaches_the_published_alphas_when_stretched():
    stretch = 50_000
    spans = units(KRIPPENDORFF_1995, stretch)
    got = unitizing_disagreements(spans, [0, 1], 0, 24 * stretch).set_index("label")
    assert got["alpha"].tolist() == pytest.approx([0.553, -0.926, 0.679, 0.066], abs=0.02)
    assert got.loc[["A", "B", "D"], "expected"].tolist() == pytest.approx(
        [0.06990, 1.17731, 0.41445], abs=0.005
    )


def test_identical_unitizations_agree_perfectly_and_overlaps_within_one_observer_merge():
    same = units([(0, 5, 10, "x"), (1, 5, 10, "x"), (0, 30, 5, "y"), (1, 30, 5, "y")])
    assert unitizing_alpha(same, [0, 1], 0, 50).value == pytest.approx(1.0)
    split = units([(0, 5, 6, "x"), (0, 8, 7, "x"), (1, 5, 10, "x")])  # [5,11) + [8,15) = [5,15)
    assert unitizing_disagreements(split, [0, 1], 0, 50)["observed"].tolist() == [0]


def test_a_reviewer_who_marked_nothing_still_counts_as_an_observer():
    one_marks = units([(0, 5, 10, "x"), (1, 5, 10, "x")])
    with_silent = unitizing_alpha(one_marks, [0, 1, 2], 0, 50)
    assert with_silent.value < unitizing_alpha(one_marks, [0, 1], 0, 50).value


def test_unitizing_alpha_is_undefined_with_a_reason():
    assert unitizing_alpha(units([(0, 1, 2, "x")]), [0], 0, 10).reason == ONE_ANNOTATOR
    empty = unitizing_alpha(pd.DataFrame(columns=COLUMNS), [0, 1], 0, 10)
    assert (empty.defined, empty.reason) == (False, NO_UNITS)

"""Divergence read with units and qualifiers, ranges, shares and changes (pure, no database).

Expected intervals are worked out by hand from the rules in annotate.claims.divergence's
docstring (rounding to half a unit of the last significant digit, "about" 10% either way).
"""

import math
from decimal import Decimal

import pandas as pd
import pytest

from annotate.claims.divergence import (
    FIGURE_COLUMNS,
    LINK_COLUMNS,
    claim_divergence,
    comparable,
    comparison_key,
    interval,
)


def links(*rows):
    """Links from (outlet, value, qualifier, currency, kind, unit, low, high, change)."""
    return pd.DataFrame(
        [
            (i, outlet, None if v is None else Decimal(str(v)), q, cur, kind, unit, lo, hi, ch)
            for i, (outlet, v, q, cur, kind, unit, lo, hi, ch) in enumerate(rows)
        ],
        columns=[*LINK_COLUMNS, *FIGURE_COLUMNS],
    )


def level(outlet, value, qualifier="", kind="count", unit="", currency=""):
    return (outlet, value, qualifier, currency, kind, unit, None, None, "")


def change(outlet, value, direction, kind="percent", qualifier="", unit=""):
    return (outlet, value, qualifier, "", kind, unit, None, None, direction)


def ranged(outlet, value, low, high, qualifier="", kind="money", currency="USD"):
    return (outlet, value, qualifier, currency, kind, "", Decimal(low), Decimal(high), "")


def flags(frame, primary=None):
    result = claim_divergence(frame, primary)
    return list(result["diverges_from_others"]), list(result["compared"])


# Intervals --------------------------------------------------------------------------


def test_a_range_allows_both_of_its_ends_and_what_lies_between_without_rounding():
    assert interval(Decimal(500), "", Decimal(500), Decimal(1000)) == (500, 1000)
    assert interval(Decimal(1000), "", Decimal(500), Decimal(1000)) == (500, 1000)


def test_a_vague_count_allows_its_whole_range():
    # "hundreds of thousands": 200,000 to 999,999 (corpus.figures)
    assert interval(Decimal(200_000), "", Decimal(200_000), Decimal(999_999)) == (200_000, 999_999)


def test_qualifiers_open_or_widen_a_range():
    assert interval(Decimal(10), "more_than", Decimal(10), Decimal(15)) == (10, math.inf)
    assert interval(Decimal(10), "up_to", Decimal(10), Decimal(15)) == (-math.inf, 15)
    assert interval(Decimal(10), "about", Decimal(10), Decimal(20)) == (9, 22)
    assert interval(Decimal(10), "nearly", Decimal(10), Decimal(20)) == (9, 20)


def test_a_share_in_words_is_read_as_about():
    assert interval(Decimal(25), "", kind="share") == (22.5, 27.5)  # "one in four"
    assert interval(Decimal(25), "exactly", kind="share") == (24.5, 25.5)
    assert interval(Decimal(25), "", kind="percent") == (24.5, 25.5)  # "25%" is rounded


def test_a_range_whose_ends_are_equal_is_a_single_value():
    assert interval(Decimal(300), "", Decimal(300), Decimal(300)) == (250, 350)


# What is compared with what ------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (("percent", "", "", ""), ("share", "voters", "", ""), True),
        (("percent", "", "", "up"), ("percent", "", "", ""), False),
        (("percent", "", "", "up"), ("percent", "", "", "down"), False),
        (("percent", "points", "", "up"), ("percent", "", "", "up"), False),
        (("money", "", "USD", ""), ("money", "", "EUR", ""), False),
        (("count", "weapons", "", ""), ("count", "arms", "", ""), True),
        (("count", "", "", ""), ("factor", "", "", ""), False),
        (("", "", "USD", ""), ("money", "", "USD", ""), True),  # a value a curator typed
    ],
)
def test_only_like_is_compared_with_like(a, b, expected):
    assert comparable(comparison_key(*a), comparison_key(*b)) is expected


# Flags ---------------------------------------------------------------------------------


def test_a_rise_of_three_percent_neither_agrees_nor_disagrees_with_a_level_of_three_percent():
    others, compared = flags(
        links(change("A", 3, "up"), level("B", 3, kind="percent"), level("C", 9, kind="percent"))
    )
    assert compared == [0, 1, 1]  # the rise is compared with nothing
    assert others == [False, True, True]  # the two levels disagree with each other


def test_changes_are_compared_only_with_changes_in_the_same_direction():
    others, compared = flags(
        links(change("A", 4.99, "up"), change("B", 3, "up"), change("C", 3, "down"))
    )
    assert compared == [1, 1, 0]
    assert others == [True, True, False]


def test_a_range_agrees_with_a_value_inside_it_that_its_first_end_alone_would_not():
    inside = level("B", 800, kind="money", currency="USD")  # 750 to 850
    others, _ = flags(links(ranged("A", 500, 500, 1000), inside))
    assert others == [False, False]
    alone = level("A", 500, kind="money", currency="USD")  # 450 to 550
    others, _ = flags(links(alone, inside))
    assert others == [True, True]


def test_a_share_in_words_is_compared_with_a_percentage():
    three_quarters = level("A", 75, kind="share", unit="residents")  # 67.5 to 82.5
    others, compared = flags(links(three_quarters, level("B", 58, kind="percent")))
    assert (others, compared) == ([True, True], [1, 1])
    others, _ = flags(links(three_quarters, level("B", 72, kind="percent")))
    assert others == [False, False]


def test_percentage_points_are_not_compared_with_percentages():
    others, compared = flags(
        links(change("A", 2, "up", unit="points"), change("B", 9, "up"), change("C", 2, "up"))
    )
    assert compared == [0, 1, 1]
    assert others == [False, True, True]


def test_links_without_figure_columns_are_read_as_before():
    frame = pd.DataFrame(
        [(1, "A", Decimal(4200), "over", "USD"), (2, "B", Decimal(2400), "up_to", "USD")],
        columns=LINK_COLUMNS,
    )
    result = claim_divergence(frame)
    assert list(result["diverges_from_others"]) == [True, True]


def test_the_primary_value_of_a_claim_about_a_rise_is_compared_with_the_rises():
    frame = links(change("A", 4.99, "up"), change("B", 3, "up"), level("C", 3, kind="percent"))
    primary = (Decimal(3), "", "", "percent")
    result = claim_divergence(frame, primary)
    # Most links are rises, so the primary 3 is a rise: A's 4.99 differs, B's 3 agrees,
    # and C's level of 3% is not compared with it.
    assert list(result["diverges_from_primary"]) == [True, False, False]


def test_the_primary_value_is_a_level_when_the_links_are_split():
    frame = links(change("A", 3, "up"), level("B", 5, kind="percent"))
    result = claim_divergence(frame, (Decimal(3), "", "", "percent"))
    assert list(result["diverges_from_primary"]) == [False, True]

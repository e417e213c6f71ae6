"""Claim suggestions, pure (annotate.claims.suggest and its figure and name helpers).

Passages and figures are written out by hand here, as the selector would read them from
the database, so each test shows one rule; the stories test runs the real extractor.
"""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from annotate.claims import suggest_figures as figs
from annotate.claims.suggest import suggest_pairs
from annotate.claims.suggest_text import names

FIGURE_COLUMNS = ["passage", "kind", "unit", "currency", "value", "qualifier", "change", "entity"]


def frames(*passages):
    """(passages, figures) from (id, outlet, text, [(kind, unit, currency, value, ...)])."""
    rows, figures = [], []
    for passage, outlet, text, stated in passages:
        rows.append((passage, outlet, text))
        for kind, unit, currency, value, qualifier, change, entity in stated:
            figures.append(
                (passage, kind, unit, currency, Decimal(value), qualifier, change, entity)
            )
    return (
        pd.DataFrame(rows, columns=["passage", "outlet", "text"]),
        pd.DataFrame(figures, columns=FIGURE_COLUMNS),
    )


def count(value, unit, qualifier="", change="", entity=""):
    return ("count", unit, "", value, qualifier, change, entity)


def money(value, currency="USD", qualifier="", entity=""):
    return ("money", "", currency, value, qualifier, "", entity)


def percent(value, change="", unit=""):
    return ("percent", unit, "", value, "", change, "")


def pairs_of(result):
    return {(row.passage_a, row.passage_b) for row in result.itertuples()}


def test_figures_of_one_thing_in_other_words_are_proposed_without_shared_wording():
    passages, figures = frames(
        (1, "A", "Some 316,260 small arms were in the inventory.", [count(316260, "arms")]),
        (
            2,
            "B",
            "Roughly 600,000 weapons of all calibres went missing.",
            [count(600000, "weapons")],
        ),
    )
    result = suggest_pairs(passages, figures)
    assert pairs_of(result) == {(1, 2)}
    assert result.loc[0, "similarity"] == 0  # no word in common: the figures proposed it
    assert result.loc[0, "shared"].split(", ")[0] == "count arms/weapons"


def test_a_price_of_one_model_is_not_paired_with_a_price_of_another():
    passages, figures = frames(
        (1, "A", "An M16 costs around $1,400 in Khost.", [money(1400, "USD", "about", "M16")]),
        (2, "B", "An M4 can fetch up to $2,400 in Khost.", [money(2400, "USD", "up_to", "M4")]),
        (3, "C", "An M4 sells for over $4,200 in Khost.", [money(4200, "USD", "over", "M4")]),
    )
    assert pairs_of(suggest_pairs(passages, figures)) == {(2, 3)}


def test_a_rise_is_not_paired_with_a_level_nor_with_a_fall():
    passages, figures = frames(
        (1, "A", "Council tax will rise by 3% in April.", [percent(3, "up")]),
        (2, "B", "Council tax stands at 3% of income.", [percent(3)]),
        (3, "C", "Council tax will fall by 3% in April.", [percent(3, "down")]),
        (4, "D", "Council tax will go up 4% in April.", [percent(4, "up")]),
    )
    assert pairs_of(suggest_pairs(passages, figures)) == {(1, 4)}


def test_a_passage_with_many_figures_is_scored_by_the_one_that_matches():
    one = [count(300000, "weapons", "more_than")]
    many = [count(78, "aircraft"), count(40000, "vehicles", "over"), *one]
    text = "The report listed aircraft, vehicles and weapons left behind."
    alone = frames((1, "A", text, one), (2, "B", text, [count(600000, "weapons", "about")]))
    listed = frames((1, "A", text, many), (2, "B", text, [count(600000, "weapons", "about")]))
    scores = [suggest_pairs(*f).loc[0, "score"] for f in (alone, listed)]
    assert scores[0] == pytest.approx(scores[1])


def test_closeness_is_one_for_overlapping_statements_and_falls_to_zero_at_tenfold():
    passages, figures = frames(
        (1, "A", "a", [count(300000, "weapons", "more_than")]),
        (2, "B", "b", [count(316260, "weapons")]),
        (3, "C", "c", [count(100, "weapons")]),
        (4, "D", "d", [count(1000, "weapons")]),
    )
    position = pd.Series(np.arange(4), index=[1, 2, 3, 4])
    table = figs.figure_table(figures, position, np.arange(4))
    near = figs.closeness(table, np.array([0, 2]), np.array([1, 3]))
    # "more than 300,000" allows 316,260: the mean of 1 and 1 - log10(316260 / 300000).
    said = 1 - np.log10(316260 / 300000)
    assert near[0] == pytest.approx((1 + said) / 2)
    # "100" allows 50 to 150 and "1,000" 500 to 1,500 (rounded to the hundred, the
    # thousand): the nearer ends are 150 and 500; the values themselves tenfold apart.
    assert near[1] == pytest.approx((1 - np.log10(500 / 150) + 0) / 2)


def test_decided_pairs_are_never_returned():
    passages, figures = frames(
        (1, "A", "Twelve soldiers died near Kidal.", [count(12, "soldiers")]),
        (2, "B", "At least 14 soldiers died near Kidal.", [count(14, "soldiers", "at_least")]),
        (3, "C", "Twelve soldiers were killed near Kidal.", [count(12, "soldiers")]),
    )
    assert pairs_of(suggest_pairs(passages, figures)) == {(1, 2), (1, 3), (2, 3)}
    assert pairs_of(suggest_pairs(passages, figures, exclude={(1, 2)})) == {(1, 3), (2, 3)}


def test_passages_of_one_outlet_are_never_paired():
    passages, figures = frames(
        (1, "A", "Twelve soldiers died near Kidal.", [count(12, "soldiers")]),
        (2, "A", "Twelve soldiers died near Kidal.", [count(12, "soldiers")]),
    )
    assert suggest_pairs(passages, figures).empty


def test_a_signature_names_the_unit_in_a_form_a_claim_can_take():
    passages, figures = frames(
        (1, "A", "Council tax will rise by 4.99% in April.", [percent(4.99, "up")]),
        (2, "B", "Council tax will go up by 3% in April.", [percent(3, "up")]),
    )
    shared = suggest_pairs(passages, figures).loc[0, "shared"]
    assert shared.split(", ")[0] == "percent %"


def test_names_are_capitalised_runs_the_text_never_writes_in_lower_case():
    texts = [
        "Nine Pakistani soldiers were killed in July in North Balochistan.",
        "Officials said two Pakistani soldiers died in North Waziristan.",
        "The officials said nine militants died; an M4 and an AK-47 were found.",
    ]
    matrix, vocabulary = names(texts)
    given = [set(vocabulary[matrix[i].indices]) for i in range(len(texts))]
    assert given[0] == {"Pakistani", "July", "North Balochistan"}
    assert given[1] == {"Pakistani", "North Waziristan"}
    assert given[2] == {"M4", "AK-47"}
    shared = matrix[0].multiply(matrix[1]).sum()
    # One name of three passages shared by two: log(4 / 3) / log(4).
    assert shared == pytest.approx(np.log(4 / 3) / np.log(4), rel=1e-6)

"""Where outlets disagree on a claim's figure, and per-outlet claim counts. Pure: no Django.

Each stated value is read as the interval of true values it allows:

- a plain or "exactly" value allows its rounding: +/- half a unit of its last
  significant digit (corpus.figures.precision: "7.2 billion" is 7.15-7.25 billion,
  "316,260" is 316,255-316,265, "300,000" is 250,000-350,000);
- "about" (roughly, some, around) allows 10% either way (or the rounding, if wider),
  "nearly" (almost) as much below and nothing above;
- "over", "more than", "at least" allow anything from the value up; "up to",
  "less than" anything up to it.

Two statements agree when their intervals overlap, so "more than 300,000" agrees
with "316,260", while "over $4,200" and "up to $2,400" do not, nor "$7.2 billion"
and "$7.12 billion". Only values in the same currency are compared.

A link **diverges from the others** when its interval is disjoint from the values of
more than half of the other outlets that state a comparable value (leave-one-out
majority: with two outlets that disagree both are flagged; with three where one
stands apart, only that one). It **diverges from the primary** value when the claim
records the value a primary document gives and the two intervals are disjoint.
"""

import math
from decimal import Decimal

import pandas as pd

from corpus.figures import ABOUT, AT_LEAST, LESS_THAN, MORE_THAN, NEARLY, OVER, UP_TO, precision

APPROXIMATE_SHARE = Decimal("0.1")
FROM_VALUE_UP = {OVER, MORE_THAN, AT_LEAST}
UP_TO_VALUE = {UP_TO, LESS_THAN}
LINK_COLUMNS = ["link", "outlet", "value", "qualifier", "currency"]
FLAG_COLUMNS = ["diverges_from_others", "diverges_from_primary", "disagreeing", "compared"]


def interval(value, qualifier=""):
    """(low, high) as floats: the values a statement allows (see the module docstring)."""
    v = Decimal(value)
    half = precision(v)
    if qualifier in FROM_VALUE_UP:
        return float(v), math.inf
    if qualifier in UP_TO_VALUE:
        return -math.inf, float(v)
    if qualifier == ABOUT:
        width = max(half, abs(v) * APPROXIMATE_SHARE)
        return float(v - width), float(v + width)
    if qualifier == NEARLY:
        return float(v - max(half, abs(v) * APPROXIMATE_SHARE)), float(v)
    return float(v - half), float(v + half)


def disjoint(a, b):
    return a[1] < b[0] or b[1] < a[0]


def claim_divergence(links: pd.DataFrame, primary=None) -> pd.DataFrame:
    """Flags for each link of one claim.

    `links` has LINK_COLUMNS (value may be None: the passage gives no figure);
    `primary` is None or (value, qualifier, currency). Returns a frame indexed by
    link with FLAG_COLUMNS: the two flags, how many other outlets' values this
    one is disjoint from and how many it was compared with.
    """
    rows = []
    stated = [
        (r.link, r.outlet, interval(r.value, r.qualifier or ""), r.currency or "")
        for r in links.itertuples(index=False)
        if r.value is not None and not (isinstance(r.value, float) and math.isnan(r.value))
    ]
    primary_interval = None
    if primary is not None and primary[0] is not None:
        primary_interval = (interval(primary[0], primary[1] or ""), primary[2] or "")
    by_link = {link: (outlet, span, currency) for link, outlet, span, currency in stated}
    for link in links["link"]:
        if link not in by_link:
            rows.append((link, False, False, 0, 0))
            continue
        outlet, span, currency = by_link[link]
        # One verdict per other outlet: disjoint from every value that outlet states.
        verdicts = {}
        for _other, other_outlet, other_span, other_currency in stated:
            if other_outlet == outlet or other_currency != currency:
                continue
            verdicts[other_outlet] = verdicts.get(other_outlet, True) and disjoint(span, other_span)
        disagreeing = sum(verdicts.values())
        from_others = bool(verdicts) and disagreeing * 2 > len(verdicts)
        from_primary = bool(
            primary_interval is not None
            and primary_interval[1] == currency
            and disjoint(span, primary_interval[0])
        )
        rows.append((link, from_others, from_primary, disagreeing, len(verdicts)))
    return pd.DataFrame(rows, columns=["link", *FLAG_COLUMNS]).set_index("link")


OUTLET_COLUMNS = ["claims_covered", "claims_diverging", "claims_unattributed"]


def outlet_claim_counts(links: pd.DataFrame, outlets=None) -> pd.DataFrame:
    """Per outlet: claims it covers, claims where its figure diverges, claims where it gives
    a figure with no attribution.

    `links` has one row per accepted link: claim, outlet, has_value (bool), attributed
    (bool), diverges (bool: from the others or from the primary value). A claim counts
    once per outlet however many of its passages are linked. `outlets` (optional)
    lists outlets to include with zeros.
    """
    if links.empty:
        frame = pd.DataFrame(columns=OUTLET_COLUMNS, dtype=int)
    else:
        grouped = links.assign(
            diverging_claim=links["claim"].where(links["diverges"]),
            unattributed_claim=links["claim"].where(links["has_value"] & ~links["attributed"]),
        ).groupby("outlet")
        frame = pd.DataFrame(
            {
                "claims_covered": grouped["claim"].nunique(),
                "claims_diverging": grouped["diverging_claim"].nunique(),
                "claims_unattributed": grouped["unattributed_claim"].nunique(),
            }
        )
    if outlets is not None:
        frame = frame.reindex(list(outlets), fill_value=0)
    frame.index.name = "outlet"
    return frame.astype(int)

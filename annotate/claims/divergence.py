"""Where outlets disagree on a claim's figure, and per-outlet claim counts. Pure: no Django.

Each stated value is read as the interval of true values it allows:

- a plain or "exactly" value allows its rounding: +/- half a unit of its last
  significant digit (corpus.figures.precision: "7.2 billion" is 7.15-7.25 billion,
  "316,260" is 316,255-316,265, "300,000" is 250,000-350,000);
- "about" (roughly, some, around) allows 10% either way (or the rounding, if wider),
  "nearly" (almost) as much below and nothing above;
- "over", "more than", "at least" allow anything from the value up; "up to",
  "less than" anything up to it;
- a range the statement gives (corpus.figures: "$500 to $1,000", "between 10 and 15",
  a vague count such as "hundreds of thousands", 200,000-999,999) allows its two ends
  and what lies between, with no rounding added (the ends are the statement's own
  bounds); a qualifier opens or widens it as above ("more than 10 to 15" is 10 up);
- a share in words ("one in four", "three-quarters", "half of") is a rounding of a
  proportion by its nature, so it is read as "about" unless a qualifier says otherwise.

Two statements agree when their intervals overlap, so "more than 300,000" agrees
with "316,260", while "over $4,200" and "up to $2,400" do not, nor "$7.2 billion"
and "$7.12 billion".

Only like is compared with like (``comparable``): values in the same currency; of the
same kind, where percentages and shares are one kind (both are proportions, stored as a
percentage) and a figure whose kind is not known (a value a curator typed) is compared
with any; percentage points only with percentage points; and a change only with a
change in the same direction, a level only with a level: "rose by 3%" neither agrees
nor disagrees with "stands at 3%", nor with "fell by 3%".

A link **diverges from the others** when its interval is disjoint from the values of
more than half of the other outlets that state a comparable value (leave-one-out
majority: with two outlets that disagree both are flagged; with three where one
stands apart, only that one). It **diverges from the primary** value when the claim
records the value a primary document gives and the two intervals are disjoint. The
primary value is a level or a change as the claim's links mostly are (a claim about a
rise records the primary document's rise).
"""

import math
from collections import Counter
from decimal import Decimal

import pandas as pd

from corpus.figures import ABOUT, AT_LEAST, LESS_THAN, MORE_THAN, NEARLY, OVER, UP_TO, precision

APPROXIMATE_SHARE = Decimal("0.1")
FROM_VALUE_UP = {OVER, MORE_THAN, AT_LEAST}
UP_TO_VALUE = {UP_TO, LESS_THAN}
# Kinds compared with each other: a percentage and a share are both proportions.
KIND_GROUPS = {"money": "money", "count": "count", "percent": "share", "share": "share"}
POINTS = "points"  # the unit corpus.figures gives "percentage points"
LINK_COLUMNS = ["link", "outlet", "value", "qualifier", "currency"]
# Optional: what the linked passage's figure says beyond the link's own fields.
FIGURE_COLUMNS = ["kind", "unit", "low", "high", "change"]
FLAG_COLUMNS = ["diverges_from_others", "diverges_from_primary", "disagreeing", "compared"]


def _given(value):
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def interval(value, qualifier="", low=None, high=None, kind=""):
    """(low, high) as floats: the values a statement allows (see the module docstring).

    `low` and `high` are the range the statement gives (None for a single value);
    `kind` "share" reads an unqualified value as approximate.
    """
    qualifier = qualifier or ""
    if _given(low) and _given(high) and Decimal(low) != Decimal(high):
        return _range(Decimal(low), Decimal(high), qualifier)
    v = Decimal(value)
    half = precision(v)
    if qualifier in FROM_VALUE_UP:
        return float(v), math.inf
    if qualifier in UP_TO_VALUE:
        return -math.inf, float(v)
    if qualifier == ABOUT or (kind == "share" and not qualifier):
        width = max(half, abs(v) * APPROXIMATE_SHARE)
        return float(v - width), float(v + width)
    if qualifier == NEARLY:
        return float(v - max(half, abs(v) * APPROXIMATE_SHARE)), float(v)
    return float(v - half), float(v + half)


def _range(low, high, qualifier):
    low, high = min(low, high), max(low, high)
    if qualifier in FROM_VALUE_UP:
        return float(low), math.inf
    if qualifier in UP_TO_VALUE:
        return -math.inf, float(high)
    if qualifier == ABOUT:
        return float(low - abs(low) * APPROXIMATE_SHARE), float(
            high + abs(high) * APPROXIMATE_SHARE
        )
    if qualifier == NEARLY:
        return float(low - abs(low) * APPROXIMATE_SHARE), float(high)
    return float(low), float(high)


def disjoint(a, b):
    return a[1] < b[0] or b[1] < a[0]


def comparison_key(kind="", unit="", currency="", change=""):
    """What a value is compared on: (kind group or "" if unknown, currency, points, change).

    Two keys are comparable (``comparable``) when they match, a "" kind group matching any.
    """
    group = KIND_GROUPS.get(kind or "", kind or "")
    points = group in ("share", "") and unit == POINTS
    return group, currency or "", points, change or ""


def comparable(a, b):
    """Whether two comparison keys may be compared (see the module docstring)."""
    same_group = a[0] == b[0] or not a[0] or not b[0]
    return same_group and a[1:] == b[1:]


def claim_divergence(links: pd.DataFrame, primary=None) -> pd.DataFrame:
    """Flags for each link of one claim.

    `links` has LINK_COLUMNS (value may be None: the passage gives no figure) and may have
    FIGURE_COLUMNS (missing ones read as a level of unknown kind without a range).
    `primary` is None or (value, qualifier, currency) or (value, qualifier, currency,
    kind). Returns a frame indexed by link with FLAG_COLUMNS: the two flags, how many
    other outlets' values this one is disjoint from and how many it was compared with.
    """
    links = links.copy()
    for column in FIGURE_COLUMNS:
        if column not in links:
            links[column] = None
    stated = []
    for r in links.itertuples(index=False):
        if not _given(r.value):
            continue
        span = interval(r.value, r.qualifier or "", r.low, r.high, r.kind or "")
        key = comparison_key(r.kind or "", r.unit or "", r.currency or "", r.change or "")
        stated.append((r.link, r.outlet, span, key))
    primary_stated = _primary(primary, stated)
    by_link = {link: (outlet, span, key) for link, outlet, span, key in stated}
    rows = []
    for link in links["link"]:
        if link not in by_link:
            rows.append((link, False, False, 0, 0))
            continue
        outlet, span, key = by_link[link]
        # One verdict per other outlet: disjoint from every comparable value it states.
        verdicts = {}
        for _other, other_outlet, other_span, other_key in stated:
            if other_outlet == outlet or not comparable(key, other_key):
                continue
            verdicts[other_outlet] = verdicts.get(other_outlet, True) and disjoint(span, other_span)
        disagreeing = sum(verdicts.values())
        from_others = bool(verdicts) and disagreeing * 2 > len(verdicts)
        from_primary = bool(
            primary_stated is not None
            and comparable(key, primary_stated[1])
            and disjoint(span, primary_stated[0])
        )
        rows.append((link, from_others, from_primary, disagreeing, len(verdicts)))
    return pd.DataFrame(rows, columns=["link", *FLAG_COLUMNS]).set_index("link")


def _primary(primary, stated):
    """(interval, comparison key) of the primary value, or None.

    The primary value is a level or a change as most of the claim's stated links are
    (ties read as a level): the claim records one quantity, and its links say which."""
    if primary is None or not _given(primary[0]):
        return None
    value, qualifier, currency = primary[0], primary[1] or "", primary[2] or ""
    kind = primary[3] if len(primary) > 3 else ""
    changes = Counter(key[3] for _link, _outlet, _span, key in stated).most_common()
    change = (
        changes[0][0] if changes and (len(changes) == 1 or changes[0][1] > changes[1][1]) else ""
    )
    return interval(value, qualifier, kind=kind or ""), comparison_key(kind, "", currency, change)


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

"""Cleaning and coding of agreement frames, shared by every agreement module (pure, no Django).

Input: a long frame with columns ``item``, ``annotator``, ``label`` (one row per annotation;
missing annotations are absent; labels are hashable: str, int). ``code`` cleans it the same way
for every coefficient: rows with a missing item/annotator/label are dropped; when an annotator
labelled an item more than once only the **last** row (frame order) counts, a re-annotation
superseding the earlier one. The result is a ``Coded``: integer codes per kept annotation, so
the coefficients are bincounts and matrix products, never loops over items.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVELS = ("nominal", "ordinal", "interval")
NO_DATA = "no annotations"
ONE_ANNOTATOR = "only one annotator"
NO_PAIRS = "no item was labelled by two or more annotators"
ONE_LABEL = "every paired annotation uses the same label, so chance agreement is total"


@dataclass(frozen=True)
class AgreementResult:
    """A coefficient together with why it is undefined (``reason``) when ``value`` is NaN.

    The one way results are summarised for people: ``str(result)`` is ``"0.743"`` or
    ``"undefined (reason)"``; pages and CSVs show the reason, never ``nan``.
    """

    value: float
    reason: str | None = None
    n_items: int = 0  # items that contributed to observed agreement

    @property
    def defined(self) -> bool:
        return self.reason is None

    def __str__(self) -> str:
        return f"{self.value:.3f}" if self.defined else f"undefined ({self.reason})"

    @classmethod
    def undefined(cls, reason: str, n_items: int = 0) -> AgreementResult:
        return cls(math.nan, reason, n_items)


@dataclass(frozen=True)
class Coded:
    item: np.ndarray  # int64 codes 0..n_items-1, one per kept annotation; every item is used
    annotator: np.ndarray  # int64 codes into ``annotators``
    label: np.ndarray  # int64 codes into ``labels``
    labels: np.ndarray  # label value per code (object array), in order for ordinal alpha
    annotators: np.ndarray
    n_items: int
    rows: np.ndarray  # positions in the caller's frame of the kept rows

    def undefined_reason(self) -> str | None:
        if len(self.item) == 0:
            return NO_DATA
        return ONE_ANNOTATOR if len(self.annotators) < 2 else None

    @property
    def dense(self) -> bool:
        """Whether an items x labels grid is cheap: not much larger than the data.

        Dense grids are faster than sorting; huge free-text label sets fall back to sparse cells.
        """
        return self.n_items * max(len(self.labels), 1) <= 4 * len(self.item) + 4096


def factorize(values: pd.Series, sort: bool = False):
    """pd.factorize with fast paths; missing values get code -1."""
    arr = values.to_numpy()
    if arr.dtype.kind == "i" and len(arr) and arr.min() >= 0 and arr.max() < 4 * len(arr) + 1024:
        # Database ids are small non-negative ints: a bincount remap beats hashing 3-5x.
        present = np.bincount(arr) > 0
        return (np.cumsum(present) - 1)[arr], np.flatnonzero(present)
    if isinstance(values.dtype, pd.StringDtype):
        values = values.to_numpy(dtype=object)  # hashing the object array is ~2.5x faster
    return pd.factorize(values, sort=sort)


def _compact(codes: np.ndarray, uniques) -> tuple[np.ndarray, np.ndarray]:
    new, used = pd.factorize(codes, sort=True)
    return new, np.asarray(uniques, dtype=object)[used]


def code(df: pd.DataFrame, order=None, level: str = "nominal") -> Coded:
    """Clean ``df`` (see the module docstring) and code it as integers."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if len(df) == 0:
        empty = np.zeros(0, dtype=np.int64)
        labels = np.asarray(list(order) if order is not None else [], dtype=object)
        return Coded(empty, empty, empty, labels, np.asarray([], dtype=object), 0, empty)
    missing = {"item", "annotator", "label"} - set(df.columns)
    if missing:
        raise ValueError(f"agreement frame lacks columns {sorted(missing)}")
    item, items = factorize(df["item"])
    annotator, annotators = factorize(df["annotator"])
    label, labels = _code_labels(df["label"], order, level)
    rows = np.arange(len(df))
    valid = (item >= 0) & (annotator >= 0) & (label >= 0)
    if not valid.all():  # a missing label never supersedes an earlier real one
        rows, item, annotator, label = rows[valid], item[valid], annotator[valid], label[valid]
    # Hashing (item, annotator) finds re-annotations in O(n); keep="last" lets the newest win.
    fresh = ~pd.Series(item.astype(np.int64) * len(annotators) + annotator).duplicated(keep="last")
    fresh = fresh.to_numpy()
    if not fresh.all():
        rows, item, annotator, label = rows[fresh], item[fresh], annotator[fresh], label[fresh]
    if len(rows) < len(df):  # renumber so values only seen in dropped rows disappear
        item, items = _compact(item, items)
        annotator, annotators = _compact(annotator, annotators)
        if order is None:  # an explicit order= is the full label set; keep unused labels
            label, labels = _compact(label, labels)
    as_int = {"dtype": np.int64, "copy": False}
    return Coded(
        item.astype(**as_int),
        annotator.astype(**as_int),
        label.astype(**as_int),
        np.asarray(labels, dtype=object),
        np.asarray(annotators, dtype=object),
        len(items),
        rows,
    )


def _code_labels(values: pd.Series, order, level: str):
    if order is not None:
        labels = pd.Index(list(order))
        if not labels.is_unique:
            raise ValueError("order= lists a label twice")
        codes = labels.get_indexer(values)
        stray = (codes < 0) & values.notna().to_numpy()
        if stray.any():
            raise ValueError(
                f"labels not in the given label list: {sorted(map(str, set(values[stray])))}"
            )
    else:
        try:
            codes, labels = factorize(values, sort=True)
        except TypeError:  # mixed label types cannot be sorted; fine unless order matters
            if level != "nominal":
                raise ValueError(f"{level} alpha needs orderable labels or order=") from None
            codes, labels = factorize(values)
    labels = np.asarray(labels, dtype=object)
    if level == "interval":
        try:
            labels.astype(float)
        except (TypeError, ValueError):
            raise ValueError("interval alpha needs numeric labels") from None
    return np.asarray(codes), labels


def label_cells(c: Coded, min_annotations: int = 1):
    """(item, label) cells of items with >= min_annotations: item, label, count; m per item."""
    m = np.bincount(c.item, minlength=c.n_items)
    use = m[c.item] >= min_annotations
    k = max(len(c.labels), 1)
    key = c.item[use] * k + c.label[use]
    if c.dense:
        flat = np.bincount(key, minlength=c.n_items * k)
        cell = np.flatnonzero(flat)
        count = flat[cell]
    else:
        cell, count = np.unique(key, return_counts=True)
    return cell // k, cell % k, count.astype(np.float64), m


def same_label_counts(c: Coded) -> np.ndarray:
    """Per kept annotation: how many annotations of its item carry its label (itself included)."""
    k = max(len(c.labels), 1)
    key = c.item * k + c.label
    if c.dense:
        return np.bincount(key, minlength=c.n_items * k)[key]
    _, inverse, count = np.unique(key, return_inverse=True, return_counts=True)
    return count[inverse]


def pairs_within(group: np.ndarray, distinct: bool):
    """Index pairs (a, b) of elements in the same group; ``group`` must be sorted.

    All ordered pairs including (a, a) when not ``distinct``, else only b > a. Enumerated by
    repeating each element once per partner and walking its group's contiguous block, which
    avoids a Python loop over items.
    """
    size = np.bincount(group)
    start = np.cumsum(size) - size
    after = size[group] - (np.arange(len(group)) - start[group]) - 1  # partners later in block
    rep = after if distinct else size[group]
    a = np.repeat(np.arange(len(group)), rep)
    offset = np.arange(len(a)) - np.repeat(np.cumsum(rep) - rep, rep)
    return a, (a + 1 + offset if distinct else start[group[a]] + offset)


def item_groups(df: pd.DataFrame, c: Coded, by: str):
    """Each item's group (code into the sorted values of column ``by``) and the group values.

    An item belongs to the group of its first row; -1 where its rows have no group value.
    """
    row_group, groups = pd.factorize(df[by], sort=True)
    per_item = np.full(c.n_items, -1)
    per_item[c.item[::-1]] = row_group[c.rows][::-1]  # the first row of each item wins
    return per_item, groups, row_group

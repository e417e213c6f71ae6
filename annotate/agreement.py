"""Inter-annotator agreement for Credence campaigns (pure pandas + NumPy, no Django).

Input: a long frame with columns ``item``, ``annotator``, ``label`` (one row per annotation;
missing annotations are absent; labels are hashable: str, int). Every function cleans it alike:
rows with a missing item/annotator/label are dropped; when an annotator labelled an item more
than once only the **last** row (frame order) counts, a re-annotation superseding the earlier
one; items with fewer than two annotations add nothing to observed agreement (Fleiss' kappa and
AC1 still count them in the label shares, as irrCAC does).

Undefined values: the scalar functions return a plain ``float``, ``math.nan`` when undefined
(empty frame, one annotator, no item with two annotations, a single label so chance agreement
is total); they never raise or warn for such data, so they compare directly with reference
libraries. For the UI, ``agreement_summary`` / ``alpha_summary`` return an ``AgreementResult``
with the same value plus a ``reason``; ``str(result)`` is ``"0.743"`` or ``"undefined (...)"``.
``bootstrap_alpha`` / ``BootstrapResult`` live in ``annotate.agreement_bootstrap``, Cohen's
kappa (``cohen_kappa``, ``pairwise_cohen_kappa``) in ``annotate.agreement_pairwise``; both are
re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "AgreementResult",
    "agreement_summary",
    "alpha_summary",
    "coincidence_matrix",
    "cohen_kappa",  # noqa: F822 (lazy re-export, see __getattr__)
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "pairwise_cohen_kappa",  # noqa: F822
    "per_label_alpha",
    "percent_agreement",
    "BootstrapResult",  # noqa: F822 (lazy re-export, see __getattr__)
    "bootstrap_alpha",  # noqa: F822 (lazy re-export, see __getattr__)
]

LEVELS = ("nominal", "ordinal", "interval")
NO_DATA = "no annotations"
ONE_ANNOTATOR = "only one annotator"
NO_PAIRS = "no item was labelled by two or more annotators"
ONE_LABEL = "every paired annotation uses the same label, so chance agreement is total"


@dataclass(frozen=True)
class AgreementResult:
    """A coefficient together with why it is undefined (``reason``) when ``value`` is NaN."""

    value: float
    reason: str | None = None
    n_items: int = 0  # items that contributed to observed agreement

    @property
    def defined(self) -> bool:
        return self.reason is None

    def __str__(self) -> str:
        return f"{self.value:.3f}" if self.defined else f"undefined ({self.reason})"


@dataclass(frozen=True)
class _Coded:
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


def _factorize(values: pd.Series, sort: bool = False):
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


def _prepare(df: pd.DataFrame, order=None, level: str = "nominal") -> _Coded:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if len(df) == 0:
        empty = np.zeros(0, dtype=np.int64)
        labels = np.asarray(list(order) if order is not None else [], dtype=object)
        return _Coded(empty, empty, empty, labels, np.asarray([], dtype=object), 0, empty)
    missing = {"item", "annotator", "label"} - set(df.columns)
    if missing:
        raise ValueError(f"agreement frame lacks columns {sorted(missing)}")
    item, items = _factorize(df["item"])
    annotator, annotators = _factorize(df["annotator"])
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
    return _Coded(
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
            codes, labels = _factorize(values, sort=True)
        except TypeError:  # mixed label types cannot be sorted; fine unless order matters
            if level != "nominal":
                raise ValueError(f"{level} alpha needs orderable labels or order=") from None
            codes, labels = _factorize(values)
    labels = np.asarray(labels, dtype=object)
    if level == "interval":
        try:
            labels.astype(float)
        except (TypeError, ValueError):
            raise ValueError("interval alpha needs numeric labels") from None
    return np.asarray(codes), labels


def _dense_ok(c: _Coded) -> bool:
    # Dense item x label grids are faster than sorting whenever they are not much larger than
    # the data; huge free-text label sets fall back to sparse cells.
    return c.n_items * max(len(c.labels), 1) <= 4 * len(c.item) + 4096


def _cells(c: _Coded, min_annotations: int):
    """(item, label) cells of items with >= min_annotations: item, label, count; m per item."""
    m = np.bincount(c.item, minlength=c.n_items)
    use = m[c.item] >= min_annotations
    k = max(len(c.labels), 1)
    key = c.item[use] * k + c.label[use]
    if _dense_ok(c):
        flat = np.bincount(key, minlength=c.n_items * k)
        cell = np.flatnonzero(flat)
        count = flat[cell]
    else:
        cell, count = np.unique(key, return_counts=True)
    return cell // k, cell % k, count.astype(np.float64), m


def _unit_coincidences(c: _Coded):
    """Per-unit contributions to Krippendorff's coincidence matrix, as sparse triplets.

    o_ck = sum_u n_uc (n_uk - [c == k]) / (m_u - 1) over units u with m_u >= 2 values
    (Krippendorff 2011, section C). Returns (unit, flat index c*K+k, value, n_units); units
    are the items with m_u >= 2, numbered in item-code order.
    """
    cell_item, cell_label, count, m = _cells(c, 2)
    if len(cell_item) == 0:
        return (np.zeros(0, np.int64),) * 2 + (np.zeros(0),) + (0,)
    unit = np.cumsum(np.r_[True, cell_item[1:] != cell_item[:-1]]) - 1
    a, b = _pairs_within(unit, distinct=False)
    value = count[a] * (count[b] - (a == b)) / (m[cell_item[a]] - 1)
    k = len(c.labels)
    return unit[a], cell_label[a] * k + cell_label[b], value, int(unit[-1]) + 1


def _pairs_within(group: np.ndarray, distinct: bool):
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


def _coincidences(c: _Coded) -> tuple[np.ndarray, int]:
    """Coincidence matrix o (K x K) and the number of units with two or more values."""
    k = len(c.labels)
    if not _dense_ok(c):
        _, flat, value, n_units = _unit_coincidences(c)
        return np.bincount(flat, weights=value, minlength=k * k).reshape(k, k), n_units
    counts = np.bincount(c.item * k + c.label, minlength=c.n_items * k).reshape(c.n_items, k)
    m = counts.sum(axis=1)
    w = np.zeros(c.n_items)
    np.divide(1.0, m - 1, out=w, where=m >= 2)
    # Same formula as _unit_coincidences, as one matrix product: C^T diag(w) C - diag(C^T w).
    weighted = counts.T * w
    o = weighted @ counts - np.diag(weighted.sum(axis=1))
    return o, int((m >= 2).sum())


def _delta(n_c: np.ndarray, level: str, labels: np.ndarray) -> np.ndarray:
    """Squared difference function delta^2_ck (Krippendorff 2011, section E); batched on axis 0."""
    k = n_c.shape[-1]
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "interval":
        v = labels.astype(float)
        return np.subtract.outer(v, v) ** 2
    idx = np.arange(k)
    lo, hi = np.minimum.outer(idx, idx), np.maximum.outer(idx, idx)
    cum = np.cumsum(n_c, axis=-1)
    between = cum[..., hi] - cum[..., lo] + n_c[..., lo]  # sum of n_g for g from c to k
    return (between - (n_c[..., :, None] + n_c[..., None, :]) / 2) ** 2


def _alpha_from_coincidences(o: np.ndarray, level: str, labels: np.ndarray) -> np.ndarray:
    """alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck for a stack of matrices (B, K, K)."""
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    d = _delta(n_c, level, labels)
    observed = (o * d).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * d).sum(axis=(1, 2))
    ok = expected > 0
    out = np.full(len(o), np.nan)
    out[ok] = 1.0 - (n[ok] - 1) * observed[ok] / expected[ok]
    return out


def _alpha_result(df, level="nominal", order=None) -> AgreementResult:
    c = _prepare(df, order, level)
    if reason := c.undefined_reason():
        return AgreementResult(math.nan, reason)
    o, n_units = _coincidences(c)
    if n_units == 0:
        return AgreementResult(math.nan, NO_PAIRS)
    value = float(_alpha_from_coincidences(o[None], level, c.labels)[0])
    if math.isnan(value):
        return AgreementResult(math.nan, ONE_LABEL, n_units)
    return AgreementResult(value, None, n_units)


def krippendorff_alpha(df: pd.DataFrame, level: str = "nominal", order=None) -> float:
    """Krippendorff's alpha, ``1 - D_o / D_e = 1 - (n - 1) sum_ck o_ck d_ck / sum_ck n_c n_k d_ck``.

    Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    Communication, University of Pennsylvania. ``o`` is the coincidence matrix over units with
    two or more values, ``n_c`` its margins; ``d`` is the nominal (``c != k``), ordinal
    (``(sum_{g=c..k} n_g - (n_c + n_k)/2)^2``) or interval (``(c - k)^2``) difference.
    For ``level="ordinal"`` the label order is ``order`` if given, else the sorted labels.
    Computed from factorised codes with bincounts (no loop over items). NaN when undefined.
    """
    return _alpha_result(df, level, order).value


def alpha_summary(df: pd.DataFrame, level: str = "nominal", order=None) -> AgreementResult:
    """``krippendorff_alpha`` with the reason it is undefined and the number of paired items."""
    return _alpha_result(df, level, order)


def coincidence_matrix(df: pd.DataFrame, order=None) -> pd.DataFrame:
    """Krippendorff's coincidence matrix ``o_ck = sum_u n_uc (n_uk - [c=k]) / (m_u - 1)``.

    Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C. Square frame
    indexed by label (rows c, columns k); symmetric; its total is the number of pairable values.
    """
    c = _prepare(df, order)
    o, _ = _coincidences(c)
    index = pd.Index(c.labels, name="label")
    return pd.DataFrame(o, index=index, columns=index.rename(None))


def per_label_alpha(df: pd.DataFrame, order=None) -> pd.DataFrame:
    """Nominal alpha of each label against all the others merged (binary recoding).

    Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": merging categories adds
    their coincidences, so each binary alpha comes straight from the full matrix:
    ``alpha_c = 1 - (n - 1) o_c,notc / (n_c (n - n_c))``. Columns: ``label``, ``alpha`` (NaN when
    the label is never or always used in paired items), ``n_values`` (paired values with that
    label, n_c) and ``n_items`` (items with >= 2 annotations where someone used the label).
    """
    c = _prepare(df, order)
    o, _ = _coincidences(c)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    off = n_c - np.diag(o)
    den = n_c * (n - n_c)
    alpha = np.full(len(n_c), np.nan)
    alpha[den > 0] = 1.0 - (n - 1) * off[den > 0] / den[den > 0]
    _, cell_label, _, _ = _cells(c, 2)
    items = np.bincount(cell_label, minlength=len(c.labels))
    return pd.DataFrame({"label": c.labels, "alpha": alpha, "n_values": n_c, "n_items": items})


def _pairing_stats(c: _Coded):
    """Per-item observed agreement and label shares shared by Fleiss, Gwet and Pa (irrCAC)."""
    cell_item, cell_label, count, m = _cells(c, 1)
    rated = m > 0
    paired = m >= 2
    same = np.bincount(cell_item, weights=count * (count - 1), minlength=c.n_items)
    pa = float((same[paired] / (m[paired] * (m[paired] - 1))).mean()) if paired.any() else math.nan
    share = count / m[cell_item]
    pi = np.bincount(cell_label, weights=share, minlength=len(c.labels)) / rated.sum()
    return pa, pi, int(paired.sum())


def _share_result(df, measure: str, labels=None) -> AgreementResult:
    """Percent agreement, Fleiss' kappa or AC1, which differ only in chance agreement P_e."""
    c = _prepare(df, labels)
    if reason := c.undefined_reason():
        return AgreementResult(math.nan, reason)
    pa, pi, n_items = _pairing_stats(c)
    if not n_items:
        return AgreementResult(math.nan, NO_PAIRS)
    if measure == "percent_agreement":
        return AgreementResult(pa, None, n_items)
    if measure == "fleiss_kappa":
        if (pi > 0).sum() < 2:
            return AgreementResult(math.nan, ONE_LABEL, n_items)
        pe = float((pi**2).sum())
    else:
        q = len(c.labels)
        if q < 2:
            return AgreementResult(math.nan, "fewer than two categories; pass labels=", n_items)
        pe = float((pi * (1 - pi)).sum()) / (q - 1)
    return AgreementResult((pa - pe) / (1 - pe), None, n_items)


def percent_agreement(df: pd.DataFrame) -> float:
    """Fleiss' P-bar: mean over items with r_i >= 2 of ``sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))``.

    The share of agreeing annotator pairs per item, averaged over items. Fleiss, J. L. (1971)
    "Measuring nominal scale agreement among many raters", Psychological Bulletin 76(5);
    irrCAC ``pa_coeff_raw``. Not chance-corrected. NaN when no item has two annotations.
    """
    return _share_result(df, "percent_agreement").value


def fleiss_kappa(df: pd.DataFrame) -> float:
    """Fleiss' kappa ``(P_a - P_e) / (1 - P_e)``, generalised to varying raters per item.

    Fleiss, J. L. (1971) "Measuring nominal scale agreement among many raters", Psychological
    Bulletin 76(5), in Gwet's generalisation as irrCAC's ``fleiss_kappa_raw`` computes it:
    ``P_a`` = mean over items with r_i >= 2 of ``sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))``;
    ``P_e = sum_k pi_k^2`` with ``pi_k`` = mean over all rated items of ``r_ik / r_i``. With the
    same number of raters on every item this is exactly Fleiss' 1971 statistic. NaN when undefined
    (including one label used by everyone, where irrCAC substitutes P_e = 1e-15).
    """
    return _share_result(df, "fleiss_kappa").value


def gwet_ac1(df: pd.DataFrame, labels=None) -> float:
    """Gwet's AC1 ``(P_a - P_e) / (1 - P_e)`` with ``P_e = sum_k pi_k (1 - pi_k) / (Q - 1)``.

    Gwet, K. L. (2008) "Computing inter-rater reliability and its variance in the presence of
    high agreement", British Journal of Mathematical and Statistical Psychology 61(1); P_a and
    pi_k as in ``fleiss_kappa`` (irrCAC ``gwet_ac1_raw``). ``Q = len(labels)`` when the category
    set is given (labels outside it raise ValueError), else the number of labels present.
    Unlike irrCAC, which substitutes P_e = 1e-15 when Q = 1, this returns NaN for Q < 2.
    """
    return _share_result(df, "gwet_ac1", labels).value


_SUMMARIES = {
    "alpha": _alpha_result,
    "fleiss_kappa": lambda df: _share_result(df, "fleiss_kappa"),
    "gwet_ac1": lambda df, labels=None: _share_result(df, "gwet_ac1", labels),
    "percent_agreement": lambda df: _share_result(df, "percent_agreement"),
    "cohen_kappa": lambda df, a, b: _pairwise()._cohen_result(df, a, b),
}


def agreement_summary(df: pd.DataFrame, measure: str = "alpha", *args, **kwargs) -> AgreementResult:
    """Value plus reason for UI display; ``measure`` is one of ``alpha``, ``fleiss_kappa``,
    ``gwet_ac1``, ``percent_agreement``, ``cohen_kappa``; extra arguments go to that measure."""
    try:
        summarise = _SUMMARIES[measure]
    except KeyError:
        raise ValueError(f"measure must be one of {sorted(_SUMMARIES)}") from None
    return summarise(df, *args, **kwargs)


def _pairwise():
    from annotate import agreement_pairwise

    return agreement_pairwise


def __getattr__(name: str):
    # Lazy re-exports: agreement_bootstrap and agreement_pairwise import this module, so an
    # eager import would be circular.
    if name in ("bootstrap_alpha", "BootstrapResult"):
        from annotate import agreement_bootstrap

        return getattr(agreement_bootstrap, name)
    if name in ("cohen_kappa", "pairwise_cohen_kappa"):
        return getattr(_pairwise(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Dawid-Skene (1979) latent-class estimates of passage labels and reviewer confusion matrices.

Dawid, A. P. & Skene, A. M. (1979) "Maximum likelihood estimation of observer error-rates
using the EM algorithm", JRSS C (Applied Statistics) 28(1):20-28. Each item i has an unknown
true class k with prior pi_k; annotator j, shown an item of class k, answers l with
probability theta_jkl (the annotator's confusion matrix). With n_ijl the number of times j
answered l on i, EM alternates:

* E-step (paper eq. 2.5): T_ik proportional to pi_k prod_j prod_l theta_jkl^n_ijl, the
  posterior probability that item i is of class k, computed in logs;
* M-step (eqs. 2.3, 2.4): pi_k = sum_i T_ik / I and
  theta_jkl = (sum_i T_ik n_ijl + a) / (sum_l sum_i T_ik n_ijl + L a).

``smoothing`` is the pseudo-count a added to every cell of a confusion matrix (additive, or
Lidstone, smoothing: a Dirichlet(1 + a) prior, which makes the M-step a MAP step). It keeps
every theta above 0, so one odd answer cannot rule a class out for good, and it gives a
true class no item is expected in a uniform row instead of 0 / 0. ``smoothing=0`` is the
paper's maximum-likelihood EM. Priors are not smoothed: a class nobody ever answered keeps
prior 0 (EM cannot move it) and posterior 0.

Start: T from each item's vote shares, the paper's own start (section 3, eq. 3.1), a soft
majority vote, then one M-step and one E-step; each iteration is one more M-step and E-step.
Stop: when the log-likelihood log P(data | pi, theta) = sum_i log sum_k pi_k prod theta^n
changes by at most ``tol`` times its size, or after ``max_iter`` iterations (``converged`` says
which). The returned posteriors, priors, confusion matrices and log-likelihood all belong to
the last E-step. Items with a known label (``known``: a curator's decision) have T fixed to
that label, as crowd-kit's DawidSkene does with ``true_labels``.

Vectorised: the counts n_ijl are one sparse matrix C (items x annotator-label pairs), so the
E-step is C @ log(theta) and the M-step C^T @ T, two sparse products per iteration.

With a single annotator the model is not identifiable (nothing to compare the answers with,
and EM would drift along a ridge of equal likelihood): no iteration is run, the posteriors
follow that annotator's answers, and ``note`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

NO_DATA = "no annotations"
ONE_ANNOTATOR = (
    "one annotator: the model cannot tell errors from true classes; "
    "posteriors follow that annotator's labels"
)


@dataclass(frozen=True)
class DawidSkeneResult:
    posteriors: pd.DataFrame  # index item, one column per class: P(true class | data)
    labels: pd.Series  # index item: the class of highest posterior (ties: first class)
    priors: pd.Series  # index class: estimated class shares pi_k
    confusion: pd.DataFrame  # annotator, true_label, label, probability (theta_jkl)
    accuracy: pd.DataFrame  # annotator, annotations, accuracy = sum_k pi_k theta_jkk
    iterations: int
    converged: bool
    log_likelihood: float
    note: str | None = None  # why the estimates say little (no data, one annotator)


def _empty(classes, note) -> DawidSkeneResult:
    return DawidSkeneResult(
        posteriors=pd.DataFrame(columns=list(classes)).rename_axis("item"),
        labels=pd.Series(dtype=object, name="label").rename_axis("item"),
        priors=pd.Series(np.nan, index=list(classes), name="prior", dtype=float),
        confusion=pd.DataFrame(columns=["annotator", "true_label", "label", "probability"]),
        accuracy=pd.DataFrame(columns=["annotator", "annotations", "accuracy"]),
        iterations=0,
        converged=False,
        log_likelihood=np.nan,
        note=note,
    )


def _confusion(counts, smoothing):
    """theta[j, k, l] from expected counts[j, k, l] = sum_i T_ik n_ijl (M-step, eq. 2.3)."""
    counts = counts + smoothing
    total = counts.sum(axis=2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A class with no expected item (possible only without smoothing): uniform row.
        return np.where(total > 0, counts / total, 1.0 / counts.shape[2])


def dawid_skene(
    annotations: pd.DataFrame,
    labels=None,
    known: pd.Series | None = None,
    smoothing: float = 0.01,
    tol: float = 1e-8,
    max_iter: int = 200,
) -> DawidSkeneResult:
    """Fit the Dawid-Skene model by EM (formulas in the module docstring).

    ``annotations``: long frame with item, annotator, label, one row per answer; rows with a
    missing value are dropped; repeated answers of one annotator on one item all count (the
    paper's observer 1 answered three times), so callers that let a re-annotation supersede
    the earlier one drop duplicates first. ``labels``: the classes, in order (default: the
    labels used, sorted); classes nobody used get prior 0. ``known``: item -> label for items
    whose label is settled (they are fixed, not estimated).
    """
    if smoothing < 0:
        raise ValueError("smoothing must be >= 0")
    df = annotations[["item", "annotator", "label"]].dropna()
    classes = list(labels) if labels is not None else sorted(df["label"].unique())
    if df.empty:
        return _empty(classes, NO_DATA)
    item, items = pd.factorize(df["item"], sort=True)
    annotator, annotators = pd.factorize(df["annotator"], sort=True)
    label = pd.Index(classes).get_indexer(df["label"])
    if (label < 0).any():
        unknown = sorted(set(df["label"][label < 0]))
        raise ValueError(f"labels not in the class list: {unknown}")
    n_items, n_annotators, n_classes = len(items), len(annotators), len(classes)
    # C[i, j * K + l] = n_ijl; duplicates are summed on conversion.
    counts = sparse.csr_matrix(
        (np.ones(len(df)), (item, annotator * n_classes + label)),
        shape=(n_items, n_annotators * n_classes),
    )
    counts_t = counts.T.tocsr()
    votes = np.bincount(item * n_classes + label, minlength=n_items * n_classes)
    votes = votes.reshape(n_items, n_classes).astype(float)
    posterior = votes / votes.sum(axis=1, keepdims=True)
    fixed_rows, fixed = _known(known, items, classes)
    posterior[fixed_rows] = fixed

    def m_step(posterior):
        """Priors pi_k and confusion matrices theta[j, k, l] from the posteriors (eqs. 2.3-2.4)."""
        expected = np.asarray(counts_t @ posterior)  # (J * L, K): sum_i n_ijl T_ik
        expected = expected.reshape(n_annotators, n_classes, n_classes).transpose(0, 2, 1)
        return posterior.mean(axis=0), _confusion(expected, smoothing)

    def e_step(prior, theta):
        """Posteriors (eq. 2.5) and the log-likelihood of (prior, theta)."""
        with np.errstate(divide="ignore"):
            log_theta = np.log(theta).transpose(0, 2, 1).reshape(-1, n_classes)
            log_joint = np.asarray(counts @ log_theta) + np.log(prior)
        top = log_joint.max(axis=1, keepdims=True)
        weights = np.exp(log_joint - top)
        total = weights.sum(axis=1, keepdims=True)
        posterior = weights / total
        posterior[fixed_rows] = fixed
        return posterior, float((top[:, 0] + np.log(total[:, 0])).sum())

    prior, theta = m_step(posterior)
    posterior, log_likelihood = e_step(prior, theta)
    converged, iterations = False, 0
    # One annotator: every answer pattern fits equally well, and EM would only drift along
    # that ridge of equal likelihood; one round from the start (their own answers) is kept.
    rounds = max_iter if n_annotators > 1 else 0
    while iterations < rounds:
        iterations += 1
        prior, theta = m_step(posterior)
        posterior, new = e_step(prior, theta)
        if abs(new - log_likelihood) <= tol * abs(new):
            log_likelihood, converged = new, True
            break
        log_likelihood = new
    return _result(
        posterior,
        prior,
        theta,
        items,
        annotators,
        classes,
        annotator,
        iterations,
        converged,
        log_likelihood,
    )


def _known(known, items, classes):
    """Rows of the items with a settled label and their one-hot posteriors."""
    if known is None or not len(known):
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(classes)))
    known = known.dropna()
    rows = pd.Index(items).get_indexer(known.index)
    cls = pd.Index(classes).get_indexer(known.to_numpy())
    if (cls < 0).any():
        raise ValueError(f"known labels not in the class list: {sorted(set(known[cls < 0]))}")
    keep = rows >= 0  # settled items nobody annotated carry no information about annotators
    rows, cls = rows[keep], cls[keep]
    return rows, np.eye(len(classes))[cls]


def _result(
    posterior, prior, theta, items, annotators, classes, annotator, iterations, converged, ll
):
    n_annotators, n_classes = len(annotators), len(classes)
    best = posterior.argmax(axis=1)
    confusion = pd.DataFrame(
        {
            "annotator": np.repeat(np.asarray(annotators, dtype=object), n_classes * n_classes),
            "true_label": np.tile(
                np.repeat(np.asarray(classes, dtype=object), n_classes), n_annotators
            ),
            "label": np.tile(np.asarray(classes, dtype=object), n_annotators * n_classes),
            "probability": theta.reshape(-1),
        }
    )
    diagonal = theta[:, np.arange(n_classes), np.arange(n_classes)]
    accuracy = pd.DataFrame(
        {
            "annotator": np.asarray(annotators, dtype=object),
            "annotations": np.bincount(annotator, minlength=n_annotators).astype(np.int64),
            "accuracy": diagonal @ prior,
        }
    )
    index = pd.Index(items, name="item")
    return DawidSkeneResult(
        posteriors=pd.DataFrame(posterior, index=index, columns=list(classes)),
        labels=pd.Series(np.asarray(classes, dtype=object)[best], index=index, name="label"),
        priors=pd.Series(prior, index=list(classes), name="prior"),
        confusion=confusion,
        accuracy=accuracy,
        iterations=iterations,
        converged=converged,
        log_likelihood=ll,
        note=ONE_ANNOTATOR if n_annotators == 1 else None,
    )

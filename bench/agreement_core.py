"""Benchmark annotate.agreement.krippendorff_alpha against the ``krippendorff`` package.

Run: ``.venv/bin/python bench/agreement_core.py [n_items] [seed]``. Generates synthetic
annotations (default 300,000 items, 3-4 annotators each from a pool of 50, three labels, ~1M
rows), times alpha from the long frame, times the ``krippendorff`` package on an annotator x
item pandas pivot of the same data (building the pivot, and the call alone), checks both agree
to 1e-9 and prints a ``RESULT`` line. Timings are the best of a few runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotate.agreement import krippendorff_alpha  # noqa: E402

LABELS = np.array(["sourced_fact", "attributed_claim", "opinion"], dtype=object)
PRIOR = np.array([0.5, 0.3, 0.2])
N_ANNOTATORS = 50
PASSAGES_PER_DOCUMENT = 20
N_OUTLETS = 40


def synthetic_annotations(n_items: int = 300_000, seed: int = 0) -> pd.DataFrame:
    """Long frame ``item, annotator, label, document, outlet`` with realistic agreement.

    Each item has a latent true label (50/30/20 %); each of 3 or 4 distinct annotators (mean
    ~3.33, drawn from 50) reproduces it with a personal accuracy of 70-95 % and otherwise picks
    one of the two other labels. Items are grouped 20 to a document, documents into 40 outlets.
    """
    rng = np.random.default_rng(seed)
    per_item = np.where(rng.random(n_items) < 1 / 3, 4, 3)
    # The first k columns of a random permutation of the pool give k distinct annotators.
    pool = np.argsort(rng.random((n_items, N_ANNOTATORS)), axis=1)[:, :4]
    take = np.arange(4)[None, :] < per_item[:, None]
    item = np.repeat(np.arange(n_items), per_item)
    annotator = pool[take]
    truth = rng.choice(len(LABELS), size=n_items, p=PRIOR)[item]
    accuracy = rng.uniform(0.70, 0.95, size=N_ANNOTATORS)[annotator]
    wrong = (truth + rng.integers(1, len(LABELS), size=len(item))) % len(LABELS)
    label = np.where(rng.random(len(item)) < accuracy, truth, wrong)
    document = item // PASSAGES_PER_DOCUMENT
    outlet = rng.integers(0, N_OUTLETS, size=document.max() + 1)[document]
    return pd.DataFrame(
        {
            "item": item.astype(np.int64),
            "annotator": annotator.astype(np.int64),
            "label": pd.array(LABELS[label], dtype="str"),
            "document": document.astype(np.int64),
            "outlet": outlet.astype(np.int64),
        }
    )


def best_of(fn, repeat: int):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main(n_items: int = 300_000, seed: int = 0) -> None:
    import krippendorff

    df = synthetic_annotations(n_items, seed)
    alpha_s, ours = best_of(lambda: krippendorff_alpha(df), repeat=7)

    def pivot():
        # The package needs numbers (NaN = missing), so labels are coded before pivoting.
        codes = df["label"].map({v: i for i, v in enumerate(LABELS)}).astype(float)
        frame = df.assign(code=codes).pivot(index="annotator", columns="item", values="code")
        return frame.to_numpy()

    pivot_s, table = best_of(pivot, repeat=2)
    call_s, reference = best_of(
        lambda: krippendorff.alpha(reliability_data=table, level_of_measurement="nominal"),
        repeat=5,
    )
    if abs(ours - reference) > 1e-9:
        raise SystemExit(f"MISMATCH ours={ours!r} krippendorff={reference!r}")
    # krippendorff_pivot_s is the package's whole path from the same frame (pivot + call);
    # the call alone on a ready pivot is reported separately as krippendorff_call_s.
    pipeline_s = pivot_s + call_s
    print(f"alpha={ours:.6f} (krippendorff package {reference:.6f})")
    print(
        f"RESULT annotations={len(df)} alpha_s={alpha_s:.3f} "
        f"krippendorff_pivot_s={pipeline_s:.3f} speedup={pipeline_s / alpha_s:.1f} "
        f"pivot_build_s={pivot_s:.3f} krippendorff_call_s={call_s:.3f} "
        f"speedup_vs_call={call_s / alpha_s:.1f}"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))

"""Benchmark annotate.agreement.krippendorff_alpha against the ``krippendorff`` package.

Run from the repository root: ``.venv/bin/python -m bench.agreement_core [n_items] [seed]``.
Draws the synthetic annotations of bench.agreement in memory, without a database (default
300,000 items, 3-4 annotators each from a pool of 50, three labels, 1,000,000 rows), times
alpha from the long frame, times the ``krippendorff`` package on an annotator x item pandas
pivot of the same data (building the pivot, and the call alone), checks both agree
to 1e-9 and prints a ``RESULT`` line. Timings are the best of a few runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

if __package__ in (None, ""):  # run as a file (python bench/agreement_core.py): find `bench`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotate.agreement import krippendorff_alpha  # noqa: E402
from bench.labelled_campaign import draw  # noqa: E402
from bench.measure import best_of  # noqa: E402
from bench.scheme import LABELS  # noqa: E402


def synthetic_annotations(n_items: int = 300_000, seed: int = 0) -> pd.DataFrame:
    """Long frame ``item, annotator, label, document, outlet``: the annotations of
    bench.labelled_campaign (3 or 4 of 50 annotators per item, each reproducing a latent
    true label with a personal accuracy of 70-95 %), without a database."""
    data = draw(n_items, seed)
    document = np.repeat(np.arange(len(data["sizes"])), data["sizes"])[data["passage"]]
    return pd.DataFrame(
        {
            "item": data["passage"].astype(np.int64),
            "annotator": data["reviewer"].astype(np.int64),
            "label": pd.array(np.array(LABELS, dtype=object)[data["label"]], dtype="str"),
            "document": document.astype(np.int64),
            "outlet": data["outlet_of_document"][document].astype(np.int64),
        }
    )


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

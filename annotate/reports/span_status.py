"""What became of each reviewer's evidence span once a curator decided (pure pandas, no Django).

A reviewer's span is

- ``kept`` when the curator's decision on its passage holds a span with the same layer,
  start, end and label (exact match: the unit span agreement's F1 counts as a hit,
  annotate.agreement.spans.span_f1);
- ``dropped`` when the passage has a decision without such a span (including a decision
  with no spans at all: the curator marked nothing there);
- ``undecided`` when no curator has decided the passage yet (a unanimous final label has no
  spans of its own: spans are settled by curators only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEPT, DROPPED, UNDECIDED = "kept", "dropped", "undecided"
KEY = ["item", "layer", "start", "end", "label"]


def final_status(spans: pd.DataFrame, finals: pd.DataFrame, decided) -> np.ndarray:
    """kept / dropped / undecided for each row of ``spans`` (reviewers' spans: item, layer,
    start, end, label), given ``finals`` (the curators' spans, the same columns) and
    ``decided`` (the items a curator decided, with or without spans)."""
    if spans.empty:
        return np.array([], dtype=object)
    final_keys = pd.MultiIndex.from_frame(finals[KEY].astype({"start": "int64", "end": "int64"}))
    keys = pd.MultiIndex.from_frame(spans[KEY].astype({"start": "int64", "end": "int64"}))
    kept = keys.isin(final_keys)
    is_decided = spans["item"].isin(pd.Index(list(decided))).to_numpy()
    return np.where(~is_decided, UNDECIDED, np.where(kept, KEPT, DROPPED)).astype(object)

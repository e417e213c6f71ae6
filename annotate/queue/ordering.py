"""The order a campaign's queue hands passages out in (pure: no Django).

``queue_sequence(passages, order, block, seed)`` takes one row per passage and returns each
passage's place in the queue, 0 first. Three orders:

- ``reading``: the campaign's reading order (documents in the campaign's order, each
  document's passages in order). Simple, but the queue then works outlet by outlet, so a
  campaign stopped halfway has data on some outlets only, and order effects and reviewer
  fatigue fall on whichever outlet comes last.
- ``interleaved``: the queue moves between outlets in blocks of ``block`` consecutive
  passages of one document. Round r hands out the r-th block of every outlet that still has
  one, outlets always in the same (seeded random) order; each outlet's documents come in a
  seeded random order and each document's passages in reading order. Any prefix of the
  queue then holds about the same number of passages from every outlet (equal allocation
  across strata: Cochran, *Sampling Techniques*, 3rd ed., Wiley 1977, ch. 5), and within an
  outlet a prefix is a simple random sample of whole documents, the sampling unit the
  reports' intervals resample (cluster sampling, ibid., ch. 9). A reviewer still reads a few
  consecutive passages of one article. Blocks never span two documents, and an outlet that
  runs out of blocks drops out of later rounds.
- ``random_document``: whole documents in a seeded random order across outlets, each
  document's passages in reading order.

Random orders come from NumPy's ``Generator.permutation`` (PCG64 with the campaign's seed:
the same seed always gives the same queue, so an export can state it and anyone can rebuild
the order). Documents and outlets are ranked by their sorted ids before permuting, so the
result does not depend on the order of the input rows.
"""

import numpy as np
import pandas as pd

READING = "reading"
INTERLEAVED = "interleaved"
RANDOM_DOCUMENT = "random_document"
ORDERS = (READING, INTERLEAVED, RANDOM_DOCUMENT)
COLUMNS = ("passage", "outlet", "document", "reading")
DEFAULT_BLOCK = 3


def queue_sequence(
    passages: pd.DataFrame, order: str, block: int = DEFAULT_BLOCK, seed: int = 0
) -> pd.Series:
    """Each passage's place in the queue: a Series of 0..n-1 indexed by passage id.

    ``passages`` has one row per passage: ``passage`` (id), ``outlet``, ``document`` (ids)
    and ``reading`` (its position in the campaign's reading order, unique). Every document
    must belong to one outlet. ``block`` (interleaved only) is how many consecutive passages
    of a document the queue hands out before moving to the next outlet; ``seed`` fixes the
    random orders (ignored by ``reading``).
    """
    _check(passages, order, block)
    n = len(passages)
    reading = passages["reading"].to_numpy(dtype=np.int64)
    if order == READING or n == 0:
        queue = np.argsort(reading, kind="stable")
    else:
        rng = np.random.default_rng(seed)
        document_ids, document = np.unique(passages["document"].to_numpy(), return_inverse=True)
        document_rank = rng.permutation(len(document_ids))[document]
        if order == RANDOM_DOCUMENT:
            queue = np.lexsort((reading, document_rank))
        else:
            queue = _interleave(passages, reading, document, document_rank, block, rng)
    sequence = np.empty(n, dtype=np.int64)
    sequence[queue] = np.arange(n)
    return pd.Series(sequence, index=pd.Index(passages["passage"], name="passage"), name="sequence")


def _interleave(passages, reading, document, document_rank, block, rng):
    """Row order of the interleaved queue: sort by (round, outlet rank, place in document)."""
    outlet_ids, outlet = np.unique(passages["outlet"].to_numpy(), return_inverse=True)
    outlet_rank = rng.permutation(len(outlet_ids))[outlet]
    # Place of each passage within its document, in reading order.
    by_document = np.lexsort((reading, document))
    sorted_documents = document[by_document]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_documents)) + 1]
    sizes = np.diff(np.r_[starts, len(by_document)])
    within = np.empty(len(reading), dtype=np.int64)
    within[by_document] = np.arange(len(by_document)) - np.repeat(starts, sizes)
    # Blocks of each document, numbered on from the blocks of the outlet's earlier documents.
    documents = pd.DataFrame(
        {
            "outlet": outlet[by_document][starts],
            "rank": document_rank[by_document][starts],
            "blocks": -(-sizes // block),  # ceil
        },
        index=sorted_documents[starts],
    ).sort_values(["outlet", "rank"])
    documents["first"] = documents.groupby("outlet")["blocks"].cumsum() - documents["blocks"]
    first_block = np.zeros(document.max() + 1, dtype=np.int64)
    first_block[documents.index.to_numpy()] = documents["first"].to_numpy()
    rounds = first_block[document] + within // block
    return np.lexsort((within, outlet_rank, rounds))


def _check(passages, order, block):
    missing = [c for c in COLUMNS if c not in passages.columns]
    if missing:
        raise ValueError(f"passages lack column(s) {', '.join(missing)}")
    if order not in ORDERS:
        raise ValueError(f"unknown queue order {order!r}; expected one of {', '.join(ORDERS)}")
    if isinstance(block, bool) or not isinstance(block, int | np.integer) or block < 1:
        raise ValueError(f"block must be a whole number of at least 1, not {block!r}")
    if passages["passage"].duplicated().any():
        raise ValueError("a passage appears twice")
    if passages["reading"].duplicated().any():
        raise ValueError("two passages share a reading position")
    if passages.groupby("document")["outlet"].nunique().gt(1).any():
        raise ValueError("a document belongs to more than one outlet")

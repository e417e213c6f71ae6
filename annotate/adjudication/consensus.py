"""Where a passage's reviewers agree, and what their majority says (pure Python, no Django).

The curator's queue and the bulk "accept the majority" action both rest on
these rules, so they live here, apart from the database code:

- A dimension (passage type, cited-source type, bias markers) is unanimous
  when every reviewer gave the same answer; bias markers compare as sets.
- The majority of a dimension is the answer given by more than half of the
  reviewers (a strict majority, as in majority-vote label aggregation; see
  Snow et al. 2008, "Cheap and fast - but is it good?", EMNLP). A tie or a
  plurality is no majority: the curator has to decide.
- A bias marker belongs to the majority decision when more than half of the
  reviewers ticked it.
- Accepting the majority in bulk needs at least MIN_AGREEING reviewers agreeing on the
  passage type as well: one reviewer alone is "more than half" of one, but not a majority
  anyone could defend, so such a passage stays with the curator.
- Evidence spans (annotate.spans.layers) are unanimous when every reviewer marked the same
  set of (layer, start, end, label). A decision made without a curator keeps the spans at
  least MIN_AGREEING reviewers marked identically (same layer, offsets and type): exact
  match, as in span-level F1 (Tjong Kim Sang & De Meulder 2003, CoNLL-2003 shared task),
  because a curator has not looked at near misses. Where agreeing reviewers gave the same
  words different types, the type with the most reviewers is kept, and a tie keeps neither
  (no agreement on what the words are).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

PASSAGE_TYPE = "passage type"
CITED_TYPE = "cited-source type"
MARKERS = "bias markers"
SPANS = "evidence spans"
MIN_AGREEING = 2


@dataclass(frozen=True)
class Vote:
    """One reviewer's answer on one passage."""

    label: str
    cited_type: str = ""
    cited_source: str = ""
    markers: tuple[str, ...] = ()
    spans: tuple[dict, ...] = ()  # {"layer", "label", "start", "end", "text"} each


@dataclass
class Consensus:
    reviewers: int
    disagreements: list[str] = field(default_factory=list)
    label: str | None = None
    cited_type: str | None = None
    cited_source: str = ""
    markers: list[str] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    label_votes: int = 0

    @property
    def unanimous(self) -> bool:
        return self.reviewers > 0 and not self.disagreements

    @property
    def has_majority(self) -> bool:
        """A majority decision exists: more than half of the reviewers, and at least
        MIN_AGREEING of them, agree on the type, and more than half on the source type."""
        return (
            self.label is not None
            and self.label_votes >= MIN_AGREEING
            and self.cited_type is not None
        )


def strict_majority(values):
    """The value held by more than half of `values`, else None."""
    if not values:
        return None
    value, count = Counter(values).most_common(1)[0]
    return value if count * 2 > len(values) else None


def span_key(span: dict) -> tuple:
    """What makes two marked spans the same: layer, offsets and type (not the text, which
    the offsets fix)."""
    return (span["layer"], span["start"], span["end"], span["label"])


def agreed_spans(span_lists, min_agreeing: int = MIN_AGREEING) -> list[dict]:
    """The spans at least `min_agreeing` of the reviewers marked identically.

    `span_lists` holds one list of spans per reviewer (a reviewer's repeated span counts
    once). Identical means the same (layer, start, end, label). When the same words in the
    same layer reach `min_agreeing` with different labels, the label with the most
    reviewers is kept; a tie keeps none of them. Returned in the order the services store
    spans: (start, end, layer, label).
    """
    votes, first = Counter(), {}
    for spans in span_lists:
        for span in {span_key(s): s for s in spans}.values():
            key = span_key(span)
            votes[key] += 1
            first.setdefault(key, span)
    by_place = {}
    for key, count in votes.items():
        if count >= min_agreeing:
            by_place.setdefault(key[:3], []).append((count, key))
    kept = []
    for candidates in by_place.values():
        candidates.sort(reverse=True)
        if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
            continue
        layer, start, end, label = key = candidates[0][1]
        text = first[key].get("text", "")
        kept.append({"layer": layer, "label": label, "start": start, "end": end, "text": text})
    return sorted(kept, key=lambda s: (s["start"], s["end"], s["layer"], s["label"]))


def consensus(votes: list[Vote]) -> Consensus:
    """Disagreements and majority answers of one passage's votes."""
    n = len(votes)
    result = Consensus(reviewers=n)
    if not n:
        return result
    labels = [v.label for v in votes]
    types = [v.cited_type for v in votes]
    marker_sets = [frozenset(v.markers) for v in votes]
    span_sets = [frozenset(span_key(s) for s in v.spans) for v in votes]
    for name, values in (
        (PASSAGE_TYPE, labels),
        (CITED_TYPE, types),
        (MARKERS, marker_sets),
        (SPANS, span_sets),
    ):
        if len(set(values)) > 1:
            result.disagreements.append(name)
    result.label = strict_majority(labels)
    result.label_votes = Counter(labels).most_common(1)[0][1]
    result.cited_type = strict_majority(types)
    ticks = Counter(m for s in marker_sets for m in s)
    result.markers = sorted(m for m, k in ticks.items() if k * 2 > n)
    result.spans = agreed_spans([v.spans for v in votes])
    if result.cited_type:
        # Whom the majority cite: the most common wording among the reviewers who chose the
        # majority source type (ties go to the first given, so the answer is reproducible).
        names = [v.cited_source.strip() for v in votes if v.cited_type == result.cited_type]
        names = [s for s in names if s]
        if names:
            result.cited_source = Counter(names).most_common(1)[0][0]
    return result


def majority_rationale(c: Consensus) -> str:
    """The rationale recorded when a curator accepts the majority in bulk."""
    return f"Majority accepted: {c.label_votes} of {c.reviewers} reviewers chose this passage type."

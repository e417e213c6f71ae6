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
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

PASSAGE_TYPE = "passage type"
CITED_TYPE = "cited-source type"
MARKERS = "bias markers"
MIN_AGREEING = 2


@dataclass(frozen=True)
class Vote:
    """One reviewer's answer on one passage."""

    label: str
    cited_type: str = ""
    cited_source: str = ""
    markers: tuple[str, ...] = ()


@dataclass
class Consensus:
    reviewers: int
    disagreements: list[str] = field(default_factory=list)
    label: str | None = None
    cited_type: str | None = None
    cited_source: str = ""
    markers: list[str] = field(default_factory=list)
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


def consensus(votes: list[Vote]) -> Consensus:
    """Disagreements and majority answers of one passage's votes."""
    n = len(votes)
    result = Consensus(reviewers=n)
    if not n:
        return result
    labels = [v.label for v in votes]
    types = [v.cited_type for v in votes]
    marker_sets = [frozenset(v.markers) for v in votes]
    for name, values in ((PASSAGE_TYPE, labels), (CITED_TYPE, types), (MARKERS, marker_sets)):
        if len(set(values)) > 1:
            result.disagreements.append(name)
    result.label = strict_majority(labels)
    result.label_votes = Counter(labels).most_common(1)[0][1]
    result.cited_type = strict_majority(types)
    ticks = Counter(m for s in marker_sets for m in s)
    result.markers = sorted(m for m, k in ticks.items() if k * 2 > n)
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

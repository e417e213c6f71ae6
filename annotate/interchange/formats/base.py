"""What every interchange format shares (pure, no Django): the campaign's vocabulary, its
passages' texts, the rows an import produces and the records an export writes.

Rows are what the CSV import has always taken (annotate.interchange.annotation_import):
``(where, cells)`` with ``where`` naming the place in the file ("line 3", "task 2 (id 17),
annotation 1") and ``cells`` a dict of ``annotator``, ``passage`` (a passage id) or
``document`` and ``position``, ``label``, ``cited_source``, ``cited_type``, ``markers``
(values separated by ``;``), ``confidence``, ``note`` and ``spans`` (a JSON text, or an
already decoded list, of spans in document offsets; see annotate.spans.layers). Every
format turns into such rows, so one importer checks them and does the writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

CONFIDENCES = {"low": "Low", "medium": "Medium", "high": "High"}
NO_SOURCE_NAME = "No one cited"

# The kinds of answer a label can be, for messages.
LABEL, CITED_TYPE, MARKER, CONFIDENCE = (
    "passage type",
    "cited-source type",
    "bias marker",
    "confidence",
)


def normalise(text) -> str:
    """Case, spaces, hyphens and underscores do not tell two labels apart: "Named person",
    "named_person" and "named-person" are the same."""
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().casefold()


class PassageText(NamedTuple):
    id: int
    start: int  # where the passage starts in its document's text
    text: str


@dataclass
class Passages:
    """The campaign's passages, found by id or by (document id, position)."""

    by_id: dict[str, PassageText] = field(default_factory=dict)
    by_position: dict[tuple[str, str], PassageText] = field(default_factory=dict)

    @classmethod
    def of(cls, rows) -> Passages:
        """From (id, document id, position, start, text) rows."""
        found = cls()
        for pk, document, position, start, text in rows:
            passage = PassageText(pk, start, text)
            found.by_id[str(pk)] = passage
            found.by_position[(str(document), str(position))] = passage
        return found

    def locate(self, passage=None, document=None, position=None):
        """(PassageText, None) or (None, the reason it cannot be found)."""
        if _given(passage):
            found = self.by_id.get(_key(passage))
            return (
                (found, None) if found else (None, f"passage {passage!r} is not in this campaign")
            )
        if _given(document) and _given(position):
            found = self.by_position.get((_key(document), _key(position)))
            if found:
                return found, None
            return None, (
                f"document {document!r} has no passage at position {position!r} in this campaign"
            )
        return None, "does not say which passage it is (a passage id, or document and position)"


def _given(value) -> bool:
    return value is not None and not isinstance(value, bool) and str(value).strip() != ""


def _key(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class Vocabulary:
    """What a campaign's answers can be, by stored value and display name: passage types
    (labels), bias markers, cited-source types (``""`` is "No one cited") and confidences.

    ``find`` matches a value or a display name whatever its case, spacing, hyphens or
    underscores (``normalise``), so "Opinion", "opinion" and "OPINION" are one label.
    """

    labels: dict[str, str]
    markers: dict[str, str]
    cited_types: dict[str, str]
    confidences: dict[str, str] = field(default_factory=lambda: dict(CONFIDENCES))

    def __post_init__(self):
        self._lookup = {}
        for kind, values in self._kinds().items():
            table = {}
            for value, name in values.items():
                table.setdefault(normalise(name), value)
            for value in values:  # a stored value wins over another entry's display name
                table[normalise(value)] = value
            if kind == CITED_TYPE:
                table.setdefault("none", "")
            self._lookup[kind] = table

    def _kinds(self):
        return {
            LABEL: self.labels,
            MARKER: self.markers,
            CITED_TYPE: {"": NO_SOURCE_NAME, **self.cited_types},
            CONFIDENCE: self.confidences,
        }

    def find(self, kind: str, text) -> str | None:
        """The stored value ``text`` names in ``kind`` (LABEL, MARKER, CITED_TYPE,
        CONFIDENCE), or None."""
        if not isinstance(text, str | int) or isinstance(text, bool):
            return None
        return self._lookup[kind].get(normalise(text))

    def name(self, kind: str, value: str) -> str:
        return self._kinds()[kind].get(value, value)

    def expected(self, kind: str) -> str:
        """The display names of ``kind``, for a message."""
        names = [n for v, n in self._kinds()[kind].items() if v or kind != CITED_TYPE]
        return ", ".join(names)


@dataclass
class ReadContext:
    """What a reader may need besides the file: the campaign's passages with their texts
    (formats whose offsets are relative to the passage), its vocabulary (formats that
    name labels), and the annotator every record of the file belongs to, when given."""

    passages: Passages | None = None
    vocabulary: Vocabulary | None = None
    annotator: str | None = None


@dataclass
class Parsed:
    rows: list[tuple[str, dict]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def row_cells(
    annotator,
    passage: PassageText,
    label,
    *,
    cited_type="",
    cited_source="",
    markers=(),
    confidence="",
    note="",
    spans=(),
) -> dict:
    """The cells of one imported row, as the CSV import reads them."""
    return {
        "annotator": annotator or "",
        "passage": str(passage.id),
        "label": label or "",
        "cited_source": cited_source,
        "cited_type": cited_type,
        "markers": ";".join(sorted(set(markers))),
        "confidence": confidence,
        "note": note,
        "spans": list(spans),
    }


def text_difference(given: str, expected: str) -> str:
    """Where two texts part: 'they differ from character 41 ("…said" against "…says")'."""
    if len(given) != len(expected) and (given.startswith(expected) or expected.startswith(given)):
        return f"the file's text has {len(given)} characters, the passage {len(expected)}"
    at = next(i for i, (a, b) in enumerate(zip(given, expected, strict=False)) if a != b)
    return (
        f"they differ from character {at + 1}: the file has {given[at : at + 20]!r}, "
        f"the passage {expected[at : at + 20]!r}"
    )


# ---------------------------------------------------------------------------- exports


@dataclass
class Answer:
    """One answer on a passage: a reviewer's, or the final one. Spans are in document
    offsets, as stored (annotate.spans.layers)."""

    label: str
    cited_type: str = ""
    cited_source: str = ""
    markers: list[str] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    confidence: str = ""
    note: str = ""
    annotator: str = ""  # user name; empty on a final answer
    annotator_id: int | None = None
    email: str = ""


@dataclass
class PassageRecord:
    """A passage with its final answer (None when unresolved) and its reviewers' answers."""

    passage: int
    document: int
    position: int
    start: int
    text: str
    outlet: str = ""
    title: str = ""
    final_status: str = ""
    final: Answer | None = None
    answers: list[Answer] = field(default_factory=list)

    def relative(self, span: dict) -> tuple[int, int]:
        """The span's offsets in the passage text."""
        return span["start"] - self.start, span["end"] - self.start

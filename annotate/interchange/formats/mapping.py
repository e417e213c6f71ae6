"""How another tool's label names become Credence's answers (pure, no Django).

Label Studio and doccano know labels only by the text of a choice or a span label. The
mapping, the same for both:

- A choice (Label Studio ``choices``, a doccano category) names a passage type, a
  cited-source type, a bias marker or a confidence, by stored value or display name in
  any case (annotate.interchange.formats.base.Vocabulary.find). Label Studio also gives
  the name of the control (``from_name``), which decides first: a control named like
  ``marker`` or ``bias`` holds passage-level bias markers, ``confidence`` the confidence,
  ``cited`` or ``source`` the cited-source type; any other control (``type``,
  ``sentiment``, ``label``…) and every doccano category is read by what it names,
  passage types first, then cited-source types, then bias markers. Exactly one passage
  type is needed per answer; at most one cited-source type and confidence.
- A span label (Label Studio ``labels``, a doccano entity) becomes a span of layer
  ``source`` when it names a cited-source type ("Named person" → ``named_person``) and of
  layer ``loaded`` when it names a bias marker ("Loaded language" → ``loaded_language``).
  A control named like ``loaded``, ``marker`` or ``bias`` looks among the markers only,
  one named like ``source`` or ``cited`` among the cited-source types only.
- Free text (Label Studio ``textarea``) in a control named like ``source`` or ``cited``
  is the cited source's name; in one named like ``note`` or ``comment``, the note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotate.interchange.formats.base import (
    CITED_TYPE,
    CONFIDENCE,
    LABEL,
    MARKER,
    Vocabulary,
    normalise,
)
from annotate.spans.layers import LOADED, SOURCE

# Which words in a control's name say what it holds (checked in this order).
CHOICE_ROLES = (
    (("marker", "bias"), MARKER),
    (("confidence",), CONFIDENCE),
    (("cited", "source"), CITED_TYPE),
)
SPAN_ROLES = ((("loaded", "marker", "bias"), LOADED), (("source", "cited"), SOURCE))
SOURCE_TEXT = ("source", "cited")
NOTE_TEXT = ("note", "comment")


def _role(control, roles):
    words = normalise(control or "")
    for hints, role in roles:
        if any(h in words for h in hints):
            return role
    return None


@dataclass
class Choices:
    """The passage-level answer built from choices, with what was wrong with them."""

    label: str | None = None
    cited_type: str | None = None
    markers: set[str] = field(default_factory=set)
    confidence: str | None = None
    problems: list[str] = field(default_factory=list)

    def add(self, vocabulary: Vocabulary, names, control=None):
        """Read the chosen ``names`` of one control (None: no control name to go by)."""
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list | tuple):
            self.problems.append(f"choices must be a list of names, not {names!r}")
            return
        role = _role(control, CHOICE_ROLES)
        for name in names:
            kind, value = _classify(vocabulary, name, role)
            if kind is None:
                self.problems.append(unknown_choice(vocabulary, name, role))
            elif kind == MARKER:
                self.markers.add(value)
            else:
                attribute = {LABEL: "label", CITED_TYPE: "cited_type", CONFIDENCE: "confidence"}[
                    kind
                ]
                previous = getattr(self, attribute)
                if previous is not None and previous != value:
                    self.problems.append(
                        f"gives two {kind}s ({vocabulary.name(kind, previous)!r} and "
                        f"{vocabulary.name(kind, value)!r}); choose one"
                    )
                setattr(self, attribute, value)

    def finish(self, vocabulary: Vocabulary):
        if self.label is None and not self.problems:
            self.problems.append(
                f"no passage type chosen (expected one of {vocabulary.expected(LABEL)})"
            )


def unknown_choice(vocabulary: Vocabulary, name, role=None) -> str:
    if role:
        return f"unknown {role} {name!r} (expected one of {vocabulary.expected(role)})"
    return (
        f"unknown label {name!r} (expected a passage type: {vocabulary.expected(LABEL)}; "
        f"a cited-source type: {vocabulary.expected(CITED_TYPE)}; or a bias marker: "
        f"{vocabulary.expected(MARKER)})"
    )


def _classify(vocabulary, name, role):
    """(kind, stored value), or (None, None) when the name is unknown."""
    for kind in [role] if role else [LABEL, CITED_TYPE, MARKER]:
        value = vocabulary.find(kind, name)
        if value is not None:
            return kind, value
    return None, None


def span_label(vocabulary: Vocabulary, name, control=None):
    """(layer, stored value) of a span label, or None when it names no cited-source type
    or bias marker (see the module docstring)."""
    role = _role(control, SPAN_ROLES)
    for layer, kind in ((SOURCE, CITED_TYPE), (LOADED, MARKER)):
        if role and role != layer:
            continue
        value = vocabulary.find(kind, name)
        if value:  # "" (no one cited) is no span label
            return layer, value
    return None


def span_problem(vocabulary: Vocabulary, name, control=None) -> str:
    role = _role(control, SPAN_ROLES)
    expected = [
        vocabulary.expected(kind)
        for layer, kind in ((SOURCE, CITED_TYPE), (LOADED, MARKER))
        if not role or role == layer
    ]
    return f"unknown span label {name!r} (expected one of {', '.join(expected)})"


def text_role(control) -> str | None:
    """'cited_source', 'note' or None for a free-text control's name."""
    words = normalise(control or "")
    if any(h in words for h in SOURCE_TEXT):
        return "cited_source"
    if any(h in words for h in NOTE_TEXT):
        return "note"
    return None

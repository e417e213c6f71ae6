"""Evidence spans: the cited source and loaded words, marked inside a passage (pure, no Django).

A span is a dict ``{"layer", "label", "start", "end", "text"}``:

- ``layer``: ``source`` (who is cited; label = a cited-source type such as
  ``named_person``) or ``loaded`` (a loaded word or phrase; label = a bias-marker value
  of the campaign's scheme);
- ``start`` / ``end``: character offsets into the *document*, end exclusive, with the
  same invariant as passages: ``document.text[start:end] == text``. Because a passage
  keeps ``passage.text == document.text[passage.start:passage.end]``, a span can be
  checked against the passage alone.

``clean_spans`` is the one gate every write goes through (the annotation page, the
curator's decision, the annotation import, restore): it refuses, with a message a
reviewer can act on, a span outside the passage, an empty one, one whose text does not
match, a label the layer does not have, and a duplicate (the same layer and offsets
twice); nothing is saved then. It trims surrounding white space, so a selection that
took a trailing space stores the word alone.
"""

from __future__ import annotations

SOURCE = "source"
LOADED = "loaded"
LAYERS = {SOURCE: "Cited source", LOADED: "Loaded language"}
MAX_SPANS = 200  # per passage: far beyond any real passage, small enough to check at once

# How the scheme uses spans.
OFF, OPTIONAL, REQUIRED = "off", "optional", "required"


class SpanError(ValueError):
    """Spans that cannot be stored; the message says which one and why."""


def _describe(span: dict) -> str:
    text = span.get("text")
    return f"“{text}”" if isinstance(text, str) and text else f"at {span.get('start')}"


def clean_spans(
    raw, *, passage_text: str, passage_start: int, labels: dict[str, dict[str, str]]
) -> list[dict]:
    """The spans to store, checked and in order (start, end, layer, label).

    ``labels`` maps each layer that may be used to its labels ({value: display name});
    a layer missing from it is off. Raises SpanError on the first problem found.
    """
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise SpanError("Spans must be a list.")
    if len(raw) > MAX_SPANS:
        raise SpanError(f"At most {MAX_SPANS} spans per passage.")
    passage_end = passage_start + len(passage_text)
    seen, cleaned = set(), []
    for span in raw:
        if not isinstance(span, dict):
            raise SpanError("Each span needs a layer, a label, a start and an end.")
        layer, label = span.get("layer"), span.get("label")
        if not isinstance(layer, str) or not isinstance(label, str):
            raise SpanError("Each span's layer and label must be text.")
        if layer not in LAYERS:
            raise SpanError(f"“{layer}” is not a span layer (use {' or '.join(LAYERS)}).")
        if layer not in labels:
            raise SpanError(f"This campaign does not mark {LAYERS[layer].lower()} spans.")
        if label not in labels[layer]:
            raise SpanError(
                f"“{label}” is not a {LAYERS[layer].lower()} type of this campaign "
                f"(span {_describe(span)})."
            )
        start, end = span.get("start"), span.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise SpanError(f"Span {_describe(span)} needs whole-number offsets.")
        if start < passage_start or end > passage_end:
            raise SpanError(
                f"Span {_describe(span)} ({start}–{end}) lies outside this passage "
                f"({passage_start}–{passage_end})."
            )
        text = passage_text[start - passage_start : max(start, end) - passage_start]
        given = span.get("text")
        if given is not None and given != text:
            raise SpanError(
                f"Span {_describe(span)} does not match the passage: offsets "
                f"{start}–{end} read “{text}”."
            )
        stripped = text.strip()
        if end <= start or not stripped:
            raise SpanError(f"Span {_describe(span)} is empty: select at least one word.")
        start += len(text) - len(text.lstrip())
        end = start + len(stripped)
        key = (layer, start, end)
        if key in seen:
            raise SpanError(
                f"“{stripped}” is marked twice as {LAYERS[layer].lower()}; keep one of them."
            )
        seen.add(key)
        cleaned.append(
            {"layer": layer, "label": label, "start": start, "end": end, "text": stripped}
        )
    cleaned.sort(key=lambda s: (s["start"], s["end"], s["layer"], s["label"]))
    return cleaned


def missing_spans(spans: list[dict], cited_type: str, markers) -> list[str]:
    """When the scheme requires spans: what the passage-level answer claims but the text
    does not show. A cited source needs a source span; each ticked bias marker needs a
    loaded span of that marker. Returns the messages (empty when nothing is missing)."""
    missing = []
    if cited_type and not any(s["layer"] == SOURCE for s in spans):
        missing.append("Mark who is cited in the text (select the words, then a source key).")
    marked = {s["label"] for s in spans if s["layer"] == LOADED}
    for marker in sorted(set(markers or ())):
        if marker not in marked:
            missing.append(f"Mark the words that show the “{marker}” bias marker.")
    return missing


def summary(spans: list[dict]) -> str:
    """A short readable account of spans, for history and tables: 'source: “officials” …'."""
    return "; ".join(f"{s['layer']} {s['label']}: “{s['text']}”" for s in spans)

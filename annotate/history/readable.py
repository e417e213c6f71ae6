"""An annotation's revisions in words (pure, no Django).

A revision keeps the reviewer's answer before and after a save as JSON snapshots
(``Annotation.snapshot()``: label, cited_source, cited_type, markers, spans, confidence,
note). ``changes(before, after, names)`` turns one revision into short sentences a
reviewer can read, with display names instead of codes:

    changed passage type from Opinion to Attributed claim
    added loaded-language span “staggering” (Loaded language)
    confidence Medium → High

``names`` maps each kind of code to its display name: ``names["labels"]`` (passage types),
``["markers"]`` (bias markers), ``["source_types"]`` (cited-source types, "" included),
``["confidence"]`` and ``["layers"]`` (span layers). A code with no name is written as
words ("attributed_claim" reads "Attributed claim"). Snapshots written before a field
existed (spans, for older revisions) read that field as empty, so they show no change.
"""

from annotate.display import code_words, excerpt

LABELS = "labels"
MARKERS = "markers"
SOURCE_TYPES = "source_types"
CONFIDENCE = "confidence"
LAYERS = "layers"

EMPTY = {
    "label": "",
    "cited_source": "",
    "cited_type": "",
    "markers": [],
    "spans": [],
    "confidence": "",
    "note": "",
}
NOTE_EXCERPT = 80


def changes(before: dict | None, after: dict, names: dict) -> list[str]:
    """What one save changed, one sentence each; a first save (``before`` None) says
    what the reviewer answered. Empty when the snapshots hold the same answer."""
    new = {**EMPTY, **(after or {})}
    if before is None:
        return _first(new, names)
    old = {**EMPTY, **before}
    return [
        *_label(old, new, names),
        *_cited(old, new, names),
        *_markers(old, new, names),
        *_spans(old, new, names),
        *_confidence(old, new, names),
        *_note(old, new),
    ]


def line(who: str, sentences: list[str]) -> str:
    """One revision as a line: "alice changed passage type from …; confidence Low → High"."""
    if not sentences:
        return f"{who} saved the same answer again"
    return f"{who} " + "; ".join(sentences)


def _name(names: dict, kind: str, code) -> str:
    found = names.get(kind, {}).get(code)
    return found if found is not None else code_words(code)


def _quote(text) -> str:
    return f"“{text}”"


def _first(new: dict, names: dict) -> list[str]:
    said = []
    if new["label"]:
        said.append(f"labelled the passage {_name(names, LABELS, new['label'])}")
    if new["cited_source"] and new["cited_type"]:
        said.append(
            f"cited {_quote(new['cited_source'])} ({_name(names, SOURCE_TYPES, new['cited_type'])})"
        )
    elif new["cited_source"]:
        said.append(f"cited {_quote(new['cited_source'])}")
    elif new["cited_type"]:
        said.append(f"set source type to {_name(names, SOURCE_TYPES, new['cited_type'])}")
    if new["markers"]:
        said.append("ticked " + ", ".join(_marker_names(new["markers"], names)))
    said += [f"marked {_span(s, names)}" for s in _ordered(new["spans"])]
    if new["confidence"]:
        said.append(f"confidence {_name(names, CONFIDENCE, new['confidence'])}")
    if new["note"]:
        said.append(f"noted {_quote(excerpt(new['note'], NOTE_EXCERPT))}")
    return said


def _label(old: dict, new: dict, names: dict) -> list[str]:
    a, b = old["label"], new["label"]
    if a == b:
        return []
    if not a:
        return [f"set passage type to {_name(names, LABELS, b)}"]
    return [f"changed passage type from {_name(names, LABELS, a)} to {_name(names, LABELS, b)}"]


def _cited(old: dict, new: dict, names: dict) -> list[str]:
    said = []
    a, b = old["cited_source"], new["cited_source"]
    if a != b:
        if not a:
            said.append(f"added cited source {_quote(b)}")
        elif not b:
            said.append(f"removed cited source {_quote(a)}")
        else:
            said.append(f"changed cited source from {_quote(a)} to {_quote(b)}")
    a, b = old["cited_type"], new["cited_type"]
    if a != b:
        if not a:
            said.append(f"set source type to {_name(names, SOURCE_TYPES, b)}")
        else:
            said.append(
                f"changed source type from {_name(names, SOURCE_TYPES, a)} "
                f"to {_name(names, SOURCE_TYPES, b)}"
            )
    return said


def _marker_names(codes, names: dict) -> list[str]:
    return sorted(_name(names, MARKERS, code) for code in codes)


def _markers(old: dict, new: dict, names: dict) -> list[str]:
    a, b = set(old["markers"] or ()), set(new["markers"] or ())
    said = []
    if b - a:
        said.append("ticked " + ", ".join(_marker_names(b - a, names)))
    if a - b:
        said.append("unticked " + ", ".join(_marker_names(a - b, names)))
    return said


def _ordered(spans) -> list[dict]:
    return sorted(spans or (), key=lambda s: (s.get("start", 0), s.get("end", 0)))


def _layer(span: dict, names: dict) -> str:
    """ "loaded-language span", "cited-source span"."""
    layer = _name(names, LAYERS, span.get("layer", "")).lower().replace(" ", "-")
    return f"{layer} span"


def _span_label(span: dict, names: dict, label=None) -> str:
    kind = SOURCE_TYPES if span.get("layer") == "source" else MARKERS
    return _name(names, kind, span.get("label", "") if label is None else label)


def _span(span: dict, names: dict) -> str:
    return f"{_layer(span, names)} {_quote(span.get('text', ''))} ({_span_label(span, names)})"


def _spans(old: dict, new: dict, names: dict) -> list[str]:
    """Spans are matched by layer and offsets: the same words under another label read as
    a relabelling, not as one span removed and another added."""

    def keyed(spans):
        return {(s.get("layer"), s.get("start"), s.get("end")): s for s in _ordered(spans)}

    a, b = keyed(old["spans"]), keyed(new["spans"])
    said = []
    for key, span in a.items():
        if key not in b:
            said.append(f"removed {_span(span, names)}")
        elif b[key].get("label") != span.get("label"):
            said.append(
                f"changed {_layer(span, names)} {_quote(span.get('text', ''))} "
                f"from {_span_label(span, names)} to {_span_label(b[key], names)}"
            )
    said += [f"added {_span(span, names)}" for key, span in b.items() if key not in a]
    return said


def _confidence(old: dict, new: dict, names: dict) -> list[str]:
    a, b = old["confidence"], new["confidence"]
    if a == b:
        return []
    if not a:
        return [f"confidence {_name(names, CONFIDENCE, b)}"]
    return [f"confidence {_name(names, CONFIDENCE, a)} → {_name(names, CONFIDENCE, b)}"]


def _note(old: dict, new: dict) -> list[str]:
    a, b = old["note"], new["note"]
    if a == b:
        return []
    if not a:
        return [f"added note {_quote(excerpt(b, NOTE_EXCERPT))}"]
    if not b:
        return ["removed the note"]
    return [f"changed note to {_quote(excerpt(b, NOTE_EXCERPT))}"]

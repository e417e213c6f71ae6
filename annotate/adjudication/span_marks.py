"""Evidence spans laid over a passage, as pieces to highlight (pure Python, no Django).

Spans carry document offsets (annotate.spans.layers); a passage starts at document offset
``offset``, so a span covers ``text[start - offset:end - offset]``. Two views are built
from the same spans:

- ``segments``: the passage cut at every span boundary, each piece with the spans that
  cover it; spans may overlap (a loaded word inside a cited source), so a piece can be
  covered by several, of either layer.
- ``tokens``: the passage as words and punctuation marks (``annotate.agreement.spans.TOKEN``,
  the units token-level span agreement counts), each with its document offsets and the
  layers of the spans touching it: the curator's final passage, where a mouse selection
  snaps to whole tokens.

Spans are never trusted: one that is malformed, empty or not inside the passage is left
out rather than drawn in the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotate.agreement.spans import TOKEN


@dataclass(frozen=True)
class Segment:
    start: int  # document offsets, end exclusive
    end: int
    text: str
    spans: tuple[dict, ...] = ()  # the spans covering the whole segment, in given order


@dataclass(frozen=True)
class Token:
    start: int  # document offsets, end exclusive
    end: int
    text: str
    gap: str  # the text between the previous token and this one (white space)
    spans: tuple[dict, ...] = ()  # the spans overlapping the token


def usable(spans, text: str, offset: int) -> list[dict]:
    """The spans that can be drawn: whole-number offsets, non-empty, inside the passage."""
    end_of_text = offset + len(text)
    kept = []
    for span in spans or ():
        if not isinstance(span, dict):
            continue
        start, end = span.get("start"), span.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            continue
        if offset <= start < end <= end_of_text:
            kept.append(span)
    return kept


def segments(text: str, offset: int, spans) -> list[Segment]:
    """``text`` cut at every boundary of the usable spans; the segments cover it exactly."""
    spans = usable(spans, text, offset)
    cuts = sorted(
        {0, len(text)} | {s["start"] - offset for s in spans} | {s["end"] - offset for s in spans}
    )
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b <= a:
            continue
        covering = tuple(s for s in spans if s["start"] <= a + offset and b + offset <= s["end"])
        pieces.append(Segment(a + offset, b + offset, text[a:b], covering))
    return pieces


def tokens(text: str, offset: int, spans=()) -> list[Token]:
    """The tokens of ``text``, each with the usable spans that overlap it. Text after the
    last token (trailing white space) is not a token and is dropped."""
    spans = usable(spans, text, offset)
    found, position = [], 0
    for match in TOKEN.finditer(text):
        a, b = match.span()
        touching = tuple(s for s in spans if s["start"] < b + offset and a + offset < s["end"])
        found.append(Token(a + offset, b + offset, text[a:b], text[position:a], touching))
        position = b
    return found


def layers_of(spans) -> list[str]:
    """The distinct layers of ``spans``, in first-seen order."""
    return list(dict.fromkeys(s.get("layer", "") for s in spans))

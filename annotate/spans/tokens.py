"""The words of a passage as the annotation page lays them out for marking spans (no Django).

Spans snap to whole words: the page shows the current passage as a row of tokens, each
carrying its document offsets, and a selection (by mouse or keyboard) runs from the first
token it touches to the last. Offsets never come from the text the browser shows, which may
be redacted for a blinded campaign: a redacted stretch is one token, shown as the redaction
mark, whose offsets cover the hidden words.

Tokens are the words and punctuation marks of ``annotate.agreement.spans.TOKEN`` (the same
units token-level span agreement counts), so a span a reviewer marks covers exactly the
tokens agreement compares.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotate.agreement.spans import TOKEN


@dataclass(frozen=True)
class Token:
    start: int  # document offsets, end exclusive
    end: int
    text: str  # what the page shows
    gap: str  # the white space before it, as in the text
    hidden: bool = False


def passage_tokens(text: str, offset: int, hidden=(), mark: str = "[outlet]") -> list[Token]:
    """The tokens of ``text`` (a passage starting at document offset ``offset``).

    ``hidden`` holds (start, end) stretches of ``text`` to redact: the tokens they touch
    become one token shown as ``mark``.
    """
    spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    regions = sorted((s, e) for s, e in hidden if e > s)
    tokens, position, i = [], 0, 0
    while i < len(spans):
        start, end = spans[i]
        region = next((r for r in regions if r[0] < end and start < r[1]), None)
        shown, is_hidden = text[start:end], False
        if region is not None:
            # Swallow every token the redaction touches, and the region itself.
            start = min(start, region[0])
            while i + 1 < len(spans) and spans[i + 1][0] < region[1]:
                i += 1
            end = max(spans[i][1], region[1])
            shown, is_hidden = mark, True
        tokens.append(Token(start + offset, end + offset, shown, text[position:start], is_hidden))
        position = end
        i += 1
    return tokens

"""Split a news article into passages: pure functions, no Django.

Sentence boundaries come from syntok (segtok v2). On the seed articles it was
the best of the libraries we tried (pysbd, blingfire, syntok): it keeps
"U.S.", "Gen.", "a.m.", "$7.2 billion" and "316,260" whole, separates a photo
credit from its caption, and splits run-on sentences such as "sights.The
night vision ...", where blingfire and pysbd do not (see
tests/corpus/test_segmentation.py). It is also five times faster than pysbd.

News text is not prose from top to bottom, so before sentence splitting every
line is classified: headlines, bullets, photo captions and site boilerplate
each become one passage of their own kind, and only body lines are split into
sentences. A quotation that runs over several sentences is kept in one
passage so that the attribution ("..., she said.") stays with the words it
attributes.

Every span satisfies text[start:end] == passage text, spans are in order,
never overlap, and never start or end with white space.
"""

import re
from dataclasses import dataclass

from syntok import segmenter

SENTENCE = "sentence"
PARAGRAPH = "paragraph"
MODES = (SENTENCE, PARAGRAPH)

# Passage kinds (mirrored by corpus.models.Passage.Kind).
HEADLINE = "headline"
BODY = "body"
BULLET = "bullet"
CAPTION = "caption"
BOILERPLATE = "boilerplate"

# A quotation left open after this many sentences is a stray quote mark, not a
# long quotation: stop merging so one typo cannot swallow a paragraph.
MAX_QUOTE_SENTENCES = 6

_SPACE = " \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2009\u200a\u202f\u3000\ufeff"
_LINE = re.compile(r"[^\n]+")
_BULLET = re.compile(r"[ \t\u00a0]*(?:[•●▪‣◦·*]|[-–—](?=\s+\S)|\d{1,2}[.)](?=\s))[ \t\u00a0]+")
_BOILERPLATE = re.compile(
    r"""^(?:
        comments?\s*\(\d+\).* | add\s+comment.* | leave\s+a\s+(?:comment|reply).*
      | related\s+(?:articles?|stories|posts?) | back\s+to\s+top(?:\s+button)?
      | you\s+may\s+(?:also\s+)?(?:be\s+interested\s+in|like) | other\s+news | more\s+stories
      | [-–—\s]*advert(?:i?se?ment)?[-–—\s]* | sponsored(?:\s+content)?
      | share\s+(?:this|on)\b.* | read\s+more\b.* | subscribe\b.* | sign\s+up\b.*newsletter.*
      | for\s+more\s+stories\s+from\b.* | the\s+views\s+expressed\s+in\s+this\s+article\b.*
      | home(?=[A-Z]).* | (?:\#\w+\s*)+ | advertisement | click\s+here\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPTION = re.compile(
    r"\((?:photo\s+)?credit:|\bvia\s+(?:getty\s+images|reuters|ap|afp)\b|^(?:photo|image|file\s+photo):",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_HEADLINE_MAX_WORDS = 20


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


def segment(text: str, mode: str = SENTENCE) -> list[Span]:
    """Return the passages of `text` as character spans, in order."""
    if mode not in MODES:
        raise ValueError(f"unknown segmentation mode {mode!r}; use one of {', '.join(MODES)}")
    spans: list[Span] = []
    first = True
    for line in _LINE.finditer(text):
        start, end = _trim(text, line.start(), line.end())
        if start >= end:
            continue
        kind, start = _classify(text, start, end, first)
        first = False
        if start >= end:
            continue
        if mode == SENTENCE and kind in (BODY, CAPTION):
            spans.extend(Span(s, e, kind) for s, e in _sentences(text, start, end))
        else:
            spans.append(Span(start, end, kind))
    return spans


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Raise ValueError unless spans are in order, inside text and non-overlapping."""
    previous_end = 0
    for start, end in spans:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}-{end} lies outside the text (length {len(text)})")
        if start < previous_end:
            raise ValueError(f"span {start}-{end} overlaps or precedes the span before it")
        previous_end = end


def _trim(text, start, end):
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _classify(text, start, end, first):
    line = text[start:end]
    if _BOILERPLATE.match(line):
        return BOILERPLATE, start
    bullet = _BULLET.match(line)
    if bullet:
        return BULLET, start + bullet.end()
    if _CAPTION.search(line):
        return CAPTION, start
    words = len(line.split())
    if first or (words <= _HEADLINE_MAX_WORDS and not _SENTENCE_END.search(line)):
        return HEADLINE, start
    return BODY, start


def _sentences(text, start, end):
    """Sentence spans of one line, merged where a quotation is still open."""
    line = text[start:end]
    starts = []
    for paragraph in segmenter.analyze(line):
        for sentence in paragraph:
            tokens = [t for t in sentence if t.value]
            if tokens:
                starts.append(tokens[0].offset)
    if not starts:
        return [(start, end)]
    # Each sentence runs to the start of the next one: syntok may rewrite a
    # token's value, so its offsets are trusted but its lengths are not.
    starts[0] = 0
    bounds = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(line)
        bounds.append(_trim(line, s, e))
    merged = []
    open_for = 0
    for s, e in bounds:
        if merged and open_for and open_for < MAX_QUOTE_SENTENCES:
            merged[-1] = (merged[-1][0], e)
            open_for += 1
        else:
            merged.append((s, e))
            open_for = 1
        if not _quote_open(line[merged[-1][0] : merged[-1][1]]):
            open_for = 0
    return [(start + s, start + e) for s, e in merged if s < e]


def _quote_open(sentence):
    curly = sentence.count("“") - sentence.count("”")
    if curly > 0:
        return True
    if curly == 0 and "“" not in sentence and "”" not in sentence:
        return sentence.count('"') % 2 == 1
    return False

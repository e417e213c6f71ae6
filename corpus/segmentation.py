"""Split a news article into passages: pure functions, no Django.

Sentence boundaries come from syntok (segtok v2). On the seed articles it was
the best of the libraries we tried (pysbd, blingfire, syntok): it keeps
"U.S.", "Gen.", "a.m.", "$7.2 billion" and "316,260" whole, separates a photo
credit from its caption, and splits run-on sentences such as "sights.The
night vision ...", where blingfire and pysbd do not (see
tests/corpus/test_segmentation.py). It is also five times faster than pysbd.

News text is not prose from top to bottom, so before sentence splitting every
line is classified: headlines, bullets and site boilerplate each become one
passage of their own kind; body lines and photo captions are split into
sentences (so a photo credit is a passage of its own). A short credit line
("AFP via Getty Images") makes the lines just above it in the same block
captions too. Lines end wherever str.splitlines() ends them. A quotation that runs over several sentences is kept in one
passage so that the attribution ("..., she said.") stays with the words it
attributes.

Every span satisfies text[start:end] == passage text, spans are in order,
never overlap, and never start or end with white space.
"""

import ctypes
import multiprocessing
import os
import re
import signal
import sys
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from typing import NamedTuple

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

# A line ends where str.splitlines() would end it (\n, \r\n, \r, \u2028, ...).
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
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
_PERIOD_END = re.compile(r"\.[\"'”’)\]]*$")
_HEADLINE_MAX_WORDS = 20
# The first line is the headline even when it ends in "?" or runs a little
# long, but not when it is plainly a paragraph (a CSV text without its title).
_FIRST_HEADLINE_MAX_WORDS = 30
# A caption-credit line this short is a credit on its own line; up to this many
# lines of at most this many words just above it (no blank line between) are
# its caption.
_CREDIT_MAX_WORDS = 12
_CAPTION_MAX_LINES = 2
_CAPTION_MAX_WORDS = 60

# segment_many() uses worker processes from this much text on (about a second
# of work), handing each worker this many texts at a time.
PARALLEL_MIN_CHARS = 1_000_000
PARALLEL_CHUNK = 64


class Span(NamedTuple):
    start: int
    end: int
    kind: str


def segment(text: str, mode: str = SENTENCE) -> list[Span]:
    """Return the passages of `text` as character spans, in order."""
    if mode not in MODES:
        raise ValueError(f"unknown segmentation mode {mode!r}; use one of {', '.join(MODES)}")
    lines = _lines(text)
    spans: list[Span] = []
    for start, end, kind in lines:
        if mode == SENTENCE and kind in (BODY, CAPTION):
            spans.extend(Span(s, e, kind) for s, e in _sentences(text, start, end))
        else:
            spans.append(Span(start, end, kind))
    return spans


def segment_many(texts, mode: str = SENTENCE, workers: int | None = None):
    """Yield segment(text, mode) for each of `texts`, in order.

    syntok is pure Python (about 1.2 MB of text a second), so a large import
    is split over `workers` processes (default: one per available CPU) when
    the texts add up to at least PARALLEL_MIN_CHARS characters; the results
    are exactly those of segment().

    The workers are started with "spawn", not "fork": a forked worker would
    inherit the caller's sockets (its PostgreSQL connection among them) and
    signal handlers (gunicorn's, which ignore SIGTERM), so a caller killed
    mid-import left workers behind that kept its database session, and the
    import's locks, alive. A spawned worker is a fresh interpreter that holds
    no inherited socket and imports only this module and the caller's main
    script (see below), not Django. Each worker also asks
    Linux to SIGKILL it when its parent dies (PR_SET_PDEATHSIG); where that
    is not available the work stays in this process, so no worker can ever
    outlive the caller. Starting the workers costs about 0.1 s each, small
    beside the second of work that PARALLEL_MIN_CHARS stands for.

    Like every "spawn" worker, each one imports the caller's main script, so
    a script that calls this must keep its work under
    `if __name__ == "__main__":` (manage.py, gunicorn and bench/ do); a
    script read from standard input, which cannot be imported again, gets
    the work done in its own process.
    """
    if mode not in MODES:
        raise ValueError(f"unknown segmentation mode {mode!r}; use one of {', '.join(MODES)}")
    texts = list(texts)
    if workers is None:
        workers = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1
        )
    if (
        workers < 2
        or len(texts) < 2
        or not CHILDREN_DIE_WITH_PARENT
        or not _main_reloadable()
        or multiprocessing.current_process().daemon  # may not have children
        or sum(map(len, texts)) < PARALLEL_MIN_CHARS
    ):
        for text in texts:
            yield segment(text, mode)
        return
    chunk = max(1, min(PARALLEL_CHUNK, len(texts) // (workers * 4)))
    batches = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    executor = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        for found in executor.map(_segment_batch, batches, [mode] * len(batches)):
            for spans in found:
                yield [Span._make(span) for span in spans]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


# prctl(2): PR_SET_PDEATHSIG delivers a signal to this process when its parent
# (strictly, the parent thread that started it) exits, however it exits.
PR_SET_PDEATHSIG = 1
CHILDREN_DIE_WITH_PARENT = sys.platform.startswith("linux")


def _main_reloadable():
    """Whether a spawned worker can import the caller's __main__ again (not `python - <x.py`)."""
    main = sys.modules.get("__main__")
    if getattr(main, "__spec__", None) is not None:  # python -m: imported by name
        return True
    path = getattr(main, "__file__", None)
    return path is None or os.path.isfile(path)  # no file: python -c, a REPL


def _die_with_parent(parent_pid):
    """Worker initializer: be SIGKILLed when the parent dies, and leave if it already has."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(errno)}")
    # The parent may have died between starting this process and the call above,
    # in which case no signal will come: this process then belongs to init.
    if os.getppid() != parent_pid:
        os._exit(1)


def _segment_batch(texts, mode):
    # Plain tuples pickle smaller than Span objects on the way back.
    return [[tuple(span) for span in segment(text, mode)] for text in texts]


def _lines(text):
    """Non-blank lines as [start, end, kind], trimmed, bullet glyphs left out."""
    lines = []
    block = 0  # lines not separated by a blank line share a block
    previous_end = 0
    for match in _LINE.finditer(text):
        gap = text[previous_end : match.start()]
        previous_end = match.end()
        if len(gap.replace("\r\n", "\n")) > 1:
            block += 1
        start, end = _trim(text, match.start(), match.end())
        if start >= end:
            block += 1
            continue
        kind, start = _classify(text, start, end, not lines)
        start, end = _trim(text, start, end)
        if start < end:
            lines.append([start, end, kind, block])
    # A photo credit on a line of its own ends a caption block: the lines just
    # above it in the same block are the caption ("Los Angeles Times via Getty
    # Images" under "US military equipment Afghanistan" and its caption text).
    for i, (start, end, kind, block) in enumerate(lines):
        if kind != CAPTION or len(text[start:end].split()) > _CREDIT_MAX_WORDS:
            continue
        for above in lines[max(1, i - _CAPTION_MAX_LINES) : i]:  # the first line stays a headline
            if (
                above[3] == block
                and above[2] in (HEADLINE, BODY)
                and len(text[above[0] : above[1]].split()) <= _CAPTION_MAX_WORDS
            ):
                above[2] = CAPTION
    return [(start, end, kind) for start, end, kind, _ in lines]


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    """Raise ValueError unless spans are in order, inside text and non-overlapping."""
    previous_end = 0
    for start, end in spans:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}-{end} lies outside the text (length {len(text)})")
        if start < previous_end:
            raise ValueError(f"span {start}-{end} overlaps or precedes the span before it")
        previous_end = end


def _blank(char):
    """White space, or an invisible format character (zero-width space, BOM, RTL mark)."""
    return char.isspace() or unicodedata.category(char) == "Cf"


def _trim(text, start, end):
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
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
    if first and words <= _FIRST_HEADLINE_MAX_WORDS and not _PERIOD_END.search(line):
        return HEADLINE, start
    if words <= _HEADLINE_MAX_WORDS and not _SENTENCE_END.search(line):
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

"""Helpers for the adjudication span tests: spans over a passage's words, in document offsets."""

from annotate.agreement.spans import TOKEN


def words(passage):
    """(start, end, text) of the passage's word tokens, in document offsets."""
    return [
        (passage.start + m.start(), passage.start + m.end(), m.group())
        for m in TOKEN.finditer(passage.text)
        if m.group()[0].isalnum()
    ]


def span(passage, first, layer, label, last=None):
    """A span from word `first` to word `last` (inclusive; default: the same word)."""
    found = words(passage)
    start, end = found[first][0], found[first if last is None else last][1]
    return {
        "layer": layer,
        "label": label,
        "start": start,
        "end": end,
        "text": passage.text[start - passage.start : end - passage.start],
    }


def source(passage, first, label="named_person", last=None):
    return span(passage, first, "source", label, last)


def loaded(passage, first, label="loaded_language", last=None):
    return span(passage, first, "loaded", label, last)


def ordered(spans):
    """Spans in the order the services store them."""
    return sorted(spans, key=lambda s: (s["start"], s["end"], s["layer"], s["label"]))


def with_spans(answer, spans):
    return {**answer, "spans": spans}


def marks(passage, *makers):
    """The spans `makers` build on a passage long enough for them (four words), else none."""
    return [make(passage) for make in makers] if len(words(passage)) >= 4 else []


def answering(answer, *makers):
    """An `answer(passage, reviewer)` for label_everything: `answer` plus the spans of `makers`."""
    return lambda p, r: with_spans(answer, marks(p, *makers))


def first_long(passages):
    """The first passage long enough for the helpers' spans."""
    return next(p for p in passages if len(words(p)) >= 4)

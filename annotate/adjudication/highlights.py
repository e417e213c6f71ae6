"""Evidence spans as safe HTML for the decision page: each reviewer's highlighted passage,
the curator's markable final passage, and readable span lists.

The pieces come from span_marks (pure); every piece of text is escaped by format_html.
"""

from django.utils.html import format_html, format_html_join

from annotate.adjudication.span_marks import segments, tokens
from annotate.spans.layers import LAYERS


def describe(span, names):
    """'Cited source: Named person' for a span; unknown types show their code."""
    layer, label = span.get("layer"), span.get("label")
    return f"{LAYERS.get(layer, layer)}: {names.get(layer, {}).get(label, label)}"


def _classes(base, spans):
    layers = sorted({s.get("layer") for s in spans} & set(LAYERS))
    return " ".join([base, *(f"layer-{layer}" for layer in layers)])


def _title(spans, names):
    return "; ".join(dict.fromkeys(describe(s, names) for s in spans))


def marked_html(text, offset, spans, names):
    """The passage with each stretch covered by spans in <mark class="span-mark layer-…">,
    titled with the layers and types covering it."""
    rows = [
        (
            format_html(
                '<mark class="{}" title="{}">{}</mark>',
                _classes("span-mark", s.spans),
                _title(s.spans, names),
                s.text,
            )
            if s.spans
            else format_html("{}", s.text)
        )
        for s in segments(text, offset, spans)
    ]
    return format_html_join("", "{}", ((row,) for row in rows))


def token_html(text, offset, spans, names):
    """The passage as <span class="adj-tok" data-start data-end> tokens (document offsets)
    with the white space between them kept; tokens under a span carry its layer's class."""
    rows = (
        (t.gap, _classes("adj-tok", t.spans), t.start, t.end, _title(t.spans, names), t.text)
        for t in tokens(text, offset, spans)
    )
    return format_html_join(
        "", '{}<span class="{}" data-start="{}" data-end="{}" title="{}">{}</span>', rows
    )


def span_items(spans, names):
    """Spans as rows for a list on the page: layer, its name, the type's name and the text."""
    return [
        {
            "layer": s.get("layer"),
            "layer_name": LAYERS.get(s.get("layer"), s.get("layer")),
            "type_name": names.get(s.get("layer"), {}).get(s.get("label"), s.get("label")),
            "text": s.get("text", ""),
            "start": s.get("start"),
            "end": s.get("end"),
        }
        for s in spans
    ]

"""Reads for evidence spans: what a campaign lets reviewers mark."""

from annotate.models import CitedSourceType, LabelScheme
from annotate.spans import layers


def span_labels(scheme):
    """{layer: {value: display name}} for the layers the scheme uses; {} when spans are off.

    Source spans take the cited-source types; loaded-language spans take the scheme's
    bias markers (one query)."""
    if scheme.spans == LabelScheme.Spans.OFF:
        return {}
    return {
        layers.SOURCE: {value: name for value, name in CitedSourceType.choices if value},
        layers.LOADED: dict(scheme.markers.order_by("position", "id").values_list("value", "name")),
    }


def check_spans(scheme, passage_text, passage_start, raw, cited_type="", markers=()):
    """The spans of one answer, cleaned (annotate.spans.layers.clean_spans) and, when the
    scheme requires spans, complete; raises layers.SpanError with the reason."""
    spans = layers.clean_spans(
        raw, passage_text=passage_text, passage_start=passage_start, labels=span_labels(scheme)
    )
    if scheme.spans == LabelScheme.Spans.REQUIRED:
        missing = layers.missing_spans(spans, cited_type, markers)
        if missing:
            raise layers.SpanError(" ".join(missing))
    return spans

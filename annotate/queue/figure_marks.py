"""Figures highlighted in passage text on the annotation page, with the text kept escaped."""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from corpus.models import Figure


def mark_figures(text, figures, redact=None):
    """`text` as HTML with each figure in <mark class="figure">; every segment escaped.

    `figures` are (start, end, title) spans relative to `text`; `redact` (optional)
    is applied to the plain segments between figures (numbers never name an outlet).
    Overlapping or out-of-range spans are skipped rather than trusted.
    """
    parts, position = [], 0
    for start, end, title in sorted(figures):
        if start < position or end > len(text) or end <= start:
            continue
        plain = text[position:start]
        parts.append(conditional_escape(redact(plain) if redact else plain))
        parts.append(
            format_html('<mark class="figure" title="{}">{}</mark>', title, text[start:end])
        )
        position = end
    tail = text[position:]
    parts.append(conditional_escape(redact(tail) if redact else tail))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped


def _title(figure):
    bits = [figure.get_kind_display()]
    if figure.qualifier:
        bits.append(figure.get_qualifier_display())
    value = format(figure.value.normalize(), "f")
    bits.append(f"{value} {figure.currency or figure.unit}".strip())
    return " · ".join(bits)


def attach(passages, redact=None):
    """Set `marked` (safe HTML) and `figure_spans` ((start, end, title) in the passage's
    text) on each passage: one query for all their figures."""
    by_passage = {}
    for figure in Figure.objects.filter(passage_id__in=[p.pk for p in passages]).order_by(
        "passage_id", "start"
    ):
        by_passage.setdefault(figure.passage_id, []).append(
            (figure.start, figure.end, _title(figure))
        )
    for p in passages:
        p.figure_spans = by_passage.get(p.pk, [])
        p.marked = mark_figures(p.text, p.figure_spans, redact)
    return passages

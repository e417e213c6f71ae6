"""The current passage as markable tokens on the annotation page, with the text kept escaped."""

from django.utils.html import format_html, format_html_join

from annotate.spans.tokens import passage_tokens


def token_html(passage, hidden=(), figures=()):
    """Safe HTML: each token a <span class="tok" data-s data-e> carrying document offsets.

    ``hidden``: (start, end) stretches of the passage text to redact; ``figures``:
    (start, end, title) relative to the passage text, whose tokens get the figure style."""
    tokens = passage_tokens(passage.text, passage.start, hidden)
    base = passage.start
    rows = []
    for t in tokens:
        figure = next(
            (title for s, e, title in figures if s < t.end - base and t.start - base < e), None
        )
        classes = "tok" + (" redacted" if t.hidden else "") + (" figure" if figure else "")
        rows.append((t.gap, classes, t.start, t.end, figure or "", t.text))
    return format_html_join(
        "", '{}<span class="{}" data-s="{}" data-e="{}" title="{}">{}</span>', rows
    ) or format_html("")

"""Spans laid over a passage (pure pieces) and their HTML on the decision page."""

from annotate.adjudication.highlights import marked_html, span_items, token_html
from annotate.adjudication.span_marks import segments, tokens

TEXT = "Officials said <b>losses</b> were staggering."
OFFSET = 100  # the passage starts at document offset 100


def at(phrase, layer="loaded", label="loaded_language"):
    start = OFFSET + TEXT.index(phrase)
    return {
        "layer": layer,
        "label": label,
        "start": start,
        "end": start + len(phrase),
        "text": phrase,
    }


NAMES = {
    "source": {"official_body": "Official body"},
    "loaded": {"loaded_language": "Loaded language"},
}


def test_segments_cover_the_text_exactly_and_know_which_spans_cover_them():
    source = at("Officials said", "source", "official_body")
    word = at("said", "loaded")
    pieces = segments(TEXT, OFFSET, [source, word])
    assert "".join(p.text for p in pieces) == TEXT
    assert [(p.text, len(p.spans)) for p in pieces] == [
        ("Officials ", 1),
        ("said", 2),
        (" <b>losses</b> were staggering.", 0),
    ]
    assert pieces[1].start == OFFSET + 10 and pieces[1].end == OFFSET + 14


def test_spans_that_cannot_be_drawn_are_left_out():
    bad = [
        {"layer": "loaded", "start": 0, "end": 5},  # before the passage
        {"layer": "loaded", "start": OFFSET + 3, "end": OFFSET + 3},  # empty
        {"layer": "loaded", "start": "1", "end": 5},  # not numbers
        {"layer": "loaded", "start": True, "end": OFFSET + 2},
        "not a span",
    ]
    pieces = segments(TEXT, OFFSET, bad)
    assert [p.text for p in pieces] == [TEXT] and pieces[0].spans == ()


def test_tokens_are_words_and_punctuation_with_document_offsets_and_the_gap_before():
    found = tokens(TEXT, OFFSET, [at("losses")])
    assert [t.text for t in found][:4] == ["Officials", "said", "<", "b"]
    assert "".join(t.gap + t.text for t in found) == TEXT
    losses = next(t for t in found if t.text == "losses")
    assert (losses.start, losses.end) == (OFFSET + 18, OFFSET + 24) and len(losses.spans) == 1
    assert all(not t.spans for t in found if t.text != "losses")


def test_highlighted_passage_escapes_the_text_and_titles_each_mark():
    html = str(
        marked_html(TEXT, OFFSET, [at("losses"), at("Officials", "source", "official_body")], NAMES)
    )
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert (
        '<mark class="span-mark layer-source" title="Cited source: Official body">Officials</mark>'
        in html
    )
    assert (
        '<mark class="span-mark layer-loaded" title="Loaded language: Loaded language">losses</mark>'
        in html
    )


def test_overlapping_layers_share_one_mark_with_both_classes_and_titles_in_given_order():
    spans = [at("said"), at("Officials said", "source", "official_body")]
    html = str(marked_html(TEXT, OFFSET, spans, NAMES))
    assert (
        '<mark class="span-mark layer-loaded layer-source" '
        'title="Loaded language: Loaded language; Cited source: Official body">said</mark>'
    ) in html
    assert (
        '<mark class="span-mark layer-source" title="Cited source: Official body">Officials '
        in html
    )


def test_token_html_carries_offsets_and_escapes():
    html = str(token_html(TEXT, OFFSET, [at("were")], NAMES))
    assert (
        f'<span class="adj-tok" data-start="{OFFSET}" data-end="{OFFSET + 9}" title="">Officials</span>'
        in html
    )
    assert '<span class="adj-tok" data-start="115" data-end="116" title="">&lt;</span>' in html
    assert 'class="adj-tok layer-loaded"' in html and ">were</span>" in html
    assert "<b>" not in html


def test_span_items_name_layers_and_types_and_fall_back_to_codes():
    items = span_items([at("said"), at("were", "loaded", "mystery")], NAMES)
    assert [(i["layer_name"], i["type_name"], i["text"]) for i in items] == [
        ("Loaded language", "Loaded language", "said"),
        ("Loaded language", "mystery", "were"),
    ]

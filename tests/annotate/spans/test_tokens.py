"""annotate.spans.tokens: the words a reviewer can select, with document offsets."""

from hypothesis import given
from hypothesis import strategies as st

from annotate.spans.tokens import passage_tokens

DOC = "Intro. Reuters reported that officials said “it’s over”, 78 aircraft."


def test_tokens_carry_document_offsets_and_the_white_space_before_them():
    start = DOC.index("Reuters")
    text = DOC[start:]
    tokens = passage_tokens(text, start)
    assert [t.text for t in tokens[:5]] == ["Reuters", "reported", "that", "officials", "said"]
    for t in tokens:
        assert DOC[t.start : t.end] == t.text
    assert "".join(t.gap + t.text for t in tokens) == text
    assert tokens[1].gap == " " and tokens[0].gap == ""


def test_a_redacted_stretch_is_one_token_covering_the_hidden_words():
    text = "New York Times staff said the cost rose."
    tokens = passage_tokens(text, 10, hidden=[(0, 14)])
    assert tokens[0].text == "[outlet]" and tokens[0].hidden
    assert (tokens[0].start, tokens[0].end) == (10, 24)
    assert tokens[1].text == "staff" and tokens[1].gap == " "
    assert not any("York" in t.text for t in tokens)


def test_a_redaction_inside_a_word_hides_the_whole_word():
    tokens = passage_tokens("via CNN-owned sites", 0, hidden=[(4, 7)])
    assert [t.text for t in tokens] == ["via", "[outlet]", "sites"]
    assert (tokens[1].start, tokens[1].end) == (4, 13)


@given(st.text(alphabet=st.sampled_from(list("ab ,.’-\n")), max_size=40), st.integers(0, 50))
def test_tokens_and_gaps_rebuild_any_text(text, offset):
    tokens = passage_tokens(text, offset)
    rebuilt = "".join(t.gap + t.text for t in tokens)
    assert text.startswith(rebuilt) and not text[len(rebuilt) :].strip()
    assert all(text[t.start - offset : t.end - offset] == t.text for t in tokens)

"""Segmentation of the seed articles and of synthetic news text (no database).

Sentences quoted here are copied from seeds/*.txt.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from syntok import segmenter

from corpus import segmentation
from corpus.segmentation import (
    BODY,
    BOILERPLATE,
    BULLET,
    CAPTION,
    HEADLINE,
    PARAGRAPH,
    SENTENCE,
    Span,
    check_spans,
    segment,
    segment_many,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_text(prefix):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def passages(text, mode=SENTENCE):
    return [(span.kind, text[span.start : span.end]) for span in segment(text, mode)]


def texts_of_kind(text, kind, mode=SENTENCE):
    return [t for k, t in passages(text, mode) if k == kind]


# Abbreviations and figures -----------------------------------------------------


def test_us_and_us_made_in_seed_sentences_do_not_end_a_sentence():
    found = passages(seed_text("004"))
    assert (
        BODY,
        "The U.S. military retreated from Afghanistan two years ago, leaving behind weapons "
        "that are now turning up in far-flung trouble spots where terrorists are fighting and "
        "killing America’s allies.",
    ) in found
    assert (
        BODY,
        "In markets, merchants with Taliban permits are offering U.S.-made automatic assault "
        "rifles and handguns for sale.",
    ) in found
    assert (
        BODY,
        "In the face of the Taliban sweep, the U.S.-backed and trained Afghan military crumbled.",
    ) in found


def test_aug_abbreviation_in_seed_sentence_does_not_end_it():
    assert (
        BODY,
        "He was sworn in on Aug. 14 to lead a national government that would supervise "
        "legislative general elections amid one of the Islamic nation’s greatest economic "
        "crises.",
    ) in passages(seed_text("002"))


def test_titles_and_times_do_not_end_a_synthetic_sentence():
    text = (
        "The talks were moved. Gen. Asim Munir met Dr. Sara Lee at 9 a.m. on Monday in Islamabad. "
        "Sen. Warren and Mr. Kakar spoke at the U.N. on Jan. 5. The U.S.-made rifles were shown."
    )
    assert [t for _, t in passages(text)] == [
        "The talks were moved.",
        "Gen. Asim Munir met Dr. Sara Lee at 9 a.m. on Monday in Islamabad.",
        "Sen. Warren and Mr. Kakar spoke at the U.N. on Jan. 5.",
        "The U.S.-made rifles were shown.",
    ]


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        (
            "001",
            "According to a March 2022 report presented by the US Department of Defense (DOD) to "
            "Congress, nearly $7.2 billion worth of military assets were left behind, including 78 "
            "aircraft, over 40,000 vehicles, more than 300,000 weapons, and specialized equipment such as "
            "night vision goggles, surveillance technology, communication devices, and biometric tools.",
        ),
        (
            "003",
            "Some 316,260 small arms — including rifles, sniper rifles, pistols, machine guns, grenade "
            "launchers and howitzers — along with communications, explosives detection, night vision and "
            "other surveillance equipment were also in the Kabul government’s inventory when the Taliban "
            "retook control of Afghanistan.",
        ),
        (
            "000",
            "In 2024 alone, terrorist attacks surged by over 45%, underscoring the severity of this "
            "security crisis.",
        ),
        (
            "004",
            "The U.S. Department of Defense estimated that left-behind stockpiles of arms and vehicles "
            "were worth $7.12 billion of the $18.6 billion spent in 2002 on arming the Afghan security forces.",
        ),
    ],
)
def test_figures_in_seed_sentences_stay_inside_one_passage(prefix, sentence):
    assert (BODY, sentence) in passages(seed_text(prefix))


def test_synthetic_figures_do_not_split_sentences():
    text = "Officials said $7.2 billion was spent. Some 316,260 rifles, 45% of the stock, cost $4,200 each."
    assert [t for _, t in passages(text)] == [
        "Officials said $7.2 billion was spent.",
        "Some 316,260 rifles, 45% of the stock, cost $4,200 each.",
    ]


# Quotations ----------------------------------------------------------------------


def test_seed_quotation_over_two_sentences_stays_with_its_attribution():
    found = passages(seed_text("002"))
    assert (
        BODY,
        "“The buying back technique must be undertaken in Pakistan through a variety of "
        "avenues, both official and unofficial. The response, however, must not be limited to the "
        "buyback option,” Shah said.",
    ) in found
    assert not any(
        t == "The response, however, must not be limited to the buyback option,” Shah said."
        for _, t in found
    )


def test_straight_quotes_over_sentences_are_merged_too():
    text = 'Background first. "We will win. They will lose," he said. Then he left.'
    assert [t for _, t in passages(text)] == [
        "Background first.",
        '"We will win. They will lose," he said.',
        "Then he left.",
    ]


def test_a_stray_opening_quote_does_not_swallow_the_paragraph():
    sentences = [f"Sentence number {i} is here." for i in range(12)]
    text = "Lead sentence opens “a quote. " + " ".join(sentences)
    found = [t for _, t in passages(text)]
    assert len(found) > 2
    assert found[-1] == "Sentence number 11 is here."


# Line kinds ----------------------------------------------------------------------


def test_each_seed_bullet_is_its_own_passage_without_the_glyph():
    assert texts_of_kind(seed_text("000"), BULLET) == [
        "An M4 rifle now sells for over $4,200,",
        "An M16 costs around $1,400,",
        "While Chinese rifles, though cheaper, are reportedly considered inferior in performance by "
        "militants, making US models highly coveted.",
    ]


def test_synthetic_bullets_with_dashes_stars_and_numbers():
    text = "Prices:\n- Rifles cost $4,200.\n* Pistols cost $900.\n2) Drones cost $7,000.\n3. Goggles too."
    assert passages(text)[1:] == [
        (BULLET, "Rifles cost $4,200."),
        (BULLET, "Pistols cost $900."),
        (BULLET, "Drones cost $7,000."),
        (BULLET, "Goggles too."),
    ]


def test_seed_headlines_and_subheads_are_headline_passages():
    headlines = texts_of_kind(seed_text("000"), HEADLINE)
    assert headlines[0] == (
        "Pakistan Urges US to Reclaim Weapons Abandoned in Afghanistan, as Militants "
        "Use Them Against Its Forces – A Taste of Its Own Medicine?"
    )
    assert "US Weapons Now Fueling Pakistan’s Insurgencies" in headlines
    assert "Global Implications" in headlines
    assert "Conclusion: A Dangerous Cycle of Blowback" in headlines
    assert texts_of_kind(seed_text("002"), HEADLINE)[:2] == [
        "The Jerusalem Post",
        "Pakistani PM: Terrorists Using Weapons Left in Afghanistan by US-Led Forces",
    ]


def test_a_first_line_that_is_a_paragraph_is_split_into_sentences():
    text = "The U.S. spent $7.2 billion. Officials in Kabul disagreed.\n\nSecond paragraph here."
    assert passages(text) == [
        (BODY, "The U.S. spent $7.2 billion."),
        (BODY, "Officials in Kabul disagreed."),
        (BODY, "Second paragraph here."),
    ]


def test_seed_dateline_stays_in_its_sentence():
    assert (
        BODY,
        "[Islamabad] Pakistan’s caretaker Prime Minister said on Monday that weapons left behind "
        "by US forces during the withdrawal from Afghanistan were now in the hands of "
        "“insurgents.”",
    ) in passages(seed_text("002"))


def test_seed_photo_captions_and_credits_are_caption_passages():
    captions = texts_of_kind(seed_text("002"), CAPTION)
    caption = (
        "Pakistan's caretaker Prime Minister Anwaar-ul-Haq Kakar awards appreciation certificate "
        "to rescuer Mohammad Ali, zipline rescuer of Battagram chairlift incident, during a "
        "ceremony at Prime Minister House in Islamabad, Pakistan, August 24, 2023."
    )
    credit = "(photo credit: Press Information Department (PID)/Handout via REUTERS)"
    # The caption with its credit, then the caption alone and the credit on its own line.
    assert captions[:4] == [caption, credit, caption, credit]
    assert "(credit: ALI KHARA/REUTERS)" in captions
    assert caption not in texts_of_kind(seed_text("002"), BODY)


def test_seed_caption_blocks_above_a_getty_credit_are_captions():
    text = seed_text("003")
    captions = texts_of_kind(text, CAPTION)
    assert captions.count("Los Angeles Times via Getty Images") == 2
    assert "AFP via Getty Images" in captions
    assert (
        "$7 billion worth of military equipment was in the hands of the Western-backed Afghan "
        "government before its collapse."
    ) in captions
    assert (
        "The Pakistani Taliban may have bought some equipment from the Afghan Taliban." in captions
    )
    # The article sentence after the block is body again.
    assert (
        BODY,
        "The Pakistani Taliban are allies but not affiliated with the Afghan Taliban.",
    ) in passages(text)


@pytest.mark.parametrize(
    ("prefix", "line"),
    [
        ("000", "Comments (0)"),
        ("000", "Add Comment"),
        ("001", "- Advertisment -"),
        ("001", "YOU MAY BE INTERESTED IN"),
        ("001", "Other News"),
        ("001", "HomeAsiaAfghanistanPakistan Alarmed Over US Weapons in Afghanistan"),
        (
            "001",
            "The views expressed in this article are the author’s own and do not necessarily reflect "
            "Coverpage’s editorial stance.",
        ),
        ("002", "For more stories from The Media Line go to"),
        ("003", "Related Articles"),
        ("003", "Back to top button"),
    ],
)
def test_seed_site_boilerplate_lines_are_boilerplate(prefix, line):
    assert (BOILERPLATE, line) in passages(seed_text(prefix))


def test_seed_hashtag_line_is_one_boilerplate_passage():
    boilerplate = texts_of_kind(seed_text("000"), BOILERPLATE)
    assert boilerplate[0].startswith("#Pakistan #Afghanistan #Taliban")
    assert boilerplate[0].endswith("#Terrorism")


def test_seed_run_on_sights_dot_the_is_split():
    found = passages(seed_text("004"))
    assert (BODY, "They are using night vision and thermal sights.") in found
    assert (
        BODY,
        "The night vision equipment, in particular, is used to target Pakistani security "
        "personnel and police on a daily basis.",
    ) in found


def test_syntok_is_the_library_that_splits_the_run_on_and_the_credit():
    """Why syntok: on these seed lines it gives the boundaries we want.

    (pysbd and blingfire keep "sights.The" together; they are not dependencies.)
    """
    run_on = (
        "They are using night vision and thermal sights.The night vision equipment, in "
        "particular, is used to target Pakistani security personnel and police on a daily basis."
    )
    caption = (
        "TALIBAN SOLDIERS celebrate on the second anniversary of the fall of Kabul, on a street "
        "near the US embassy in the Afghan capital, last month. (credit: ALI KHARA/REUTERS)"
    )

    def syntok_sentences(line):
        return [len(sentence) for paragraph in segmenter.analyze(line) for sentence in paragraph]

    assert len(syntok_sentences(run_on)) == 2
    assert len(syntok_sentences(caption)) == 2
    assert [t for _, t in passages("Lead.\n\n" + run_on)][1:] == [
        "They are using night vision and thermal sights.",
        "The night vision equipment, in particular, is used to target Pakistani security personnel "
        "and police on a daily basis.",
    ]
    assert passages("Lead.\n\n" + caption)[1:] == [
        (CAPTION, caption[: caption.index(" (credit")]),
        (CAPTION, "(credit: ALI KHARA/REUTERS)"),
    ]


# Paragraph mode and line breaks -------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_paragraph_mode_gives_one_passage_per_non_empty_line(prefix):
    text = seed_text(prefix)
    lines = [line.strip(" \t\u00a0").lstrip("•").strip(" \t\u00a0") for line in text.splitlines()]
    assert [t for _, t in passages(text, PARAGRAPH)] == [line for line in lines if line]


def test_paragraph_mode_keeps_kinds():
    text = seed_text("000")
    kinds = {t: k for k, t in passages(text, PARAGRAPH)}
    assert kinds["Global Implications"] == HEADLINE
    assert kinds["An M16 costs around $1,400,"] == BULLET
    assert kinds["Comments (0)"] == BOILERPLATE


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\n"])
def test_every_kind_of_line_break_ends_a_line(newline):
    text = newline.join(["Headline Here", "", "First sentence. Second one.", "Third line."])
    assert [t for _, t in passages(text, PARAGRAPH)] == [
        "Headline Here",
        "First sentence. Second one.",
        "Third line.",
    ]
    assert [t for _, t in passages(text)] == [
        "Headline Here",
        "First sentence.",
        "Second one.",
        "Third line.",
    ]


def test_zero_width_and_bom_are_not_passages_or_edges():
    text = "\ufeffHeadline\u200b\n\u200b\n\u200fMain text goes here.\u200e\n"
    assert passages(text) == [(HEADLINE, "Headline"), (BODY, "Main text goes here.")]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown segmentation mode"):
        segment("Text.", "words")


def test_check_spans_rejects_overlap_and_out_of_range():
    check_spans("abcdef", [(0, 2), (2, 4)])
    with pytest.raises(ValueError, match="overlaps"):
        check_spans("abcdef", [(0, 3), (2, 4)])
    with pytest.raises(ValueError, match="outside"):
        check_spans("abc", [(1, 4)])
    with pytest.raises(ValueError, match="outside"):
        check_spans("abc", [(2, 2)])


# Worker processes ---------------------------------------------------------------


def test_segment_many_in_worker_processes_matches_segment(monkeypatch):
    texts = [seed_text(p) for p in ("000", "001", "002", "003", "004")] * 3
    monkeypatch.setattr(segmentation, "PARALLEL_MIN_CHARS", 0)
    for mode in (SENTENCE, PARAGRAPH):
        assert list(segment_many(texts, mode, workers=2)) == [segment(t, mode) for t in texts]


def test_segment_many_yields_spans_in_order_without_workers():
    found = list(segment_many(["One. Two.", "Three."], workers=1))
    assert found == [segment("One. Two."), segment("Three.")]
    assert isinstance(found[0][0], Span)


# Properties on arbitrary text -----------------------------------------------------

NEWS_BITS = [
    "The U.S. spent $7.2 billion. ",
    "Gen. Lee said at 9 a.m. ",
    "“We will win. They lose,” he said. ",
    "sights.The night ",
    "  • A bullet, ",
    "(photo credit: X/REUTERS)",
    "Comments (0)",
    "#Tag #More",
    "316,260 ",
    "45% ",
    "\r\n",
    "\n",
    "\n\n",
    "\r",
    "\u2028",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202b",
    "\u202c",
    "\ufeff",
    "\u00a0",
    "\t",
    "😀",
    "👍🏽",
    "👨‍👩‍👧",
    "שלום עולם. ",
    "مرحبا. ",
    "日本語の文。",
    "é",
    "e\u0301",
    "\x00",
    "\x0b",
    "\x0c",
    "\x85",
    '"',
    "'",
    ".",
    "?",
    "!",
    "…",
]
news_text = st.lists(st.sampled_from(NEWS_BITS) | st.text(max_size=12), max_size=60).map("".join)
long_line = st.builds(
    lambda bit, n: bit * n,
    st.sampled_from(["The U.S. spent $7.2 billion in Kabul. ", "word ", "“Quote. ", "a.b.c"]),
    st.integers(200, 2000),
)
any_text = st.one_of(st.text(), news_text, long_line)


def assert_valid_spans(text, spans):
    check_spans(text, [(s.start, s.end) for s in spans])
    for span in spans:
        passage = text[span.start : span.end]
        assert passage and passage == passage.strip(), (text, span)
        assert span.kind in (HEADLINE, BODY, BULLET, CAPTION, BOILERPLATE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_any_text_yields_ordered_non_overlapping_stripped_spans(text):
    sentences, paragraphs = segment(text, SENTENCE), segment(text, PARAGRAPH)
    assert_valid_spans(text, sentences)
    assert_valid_spans(text, paragraphs)
    # Each sentence lies inside one paragraph passage, and no paragraph passage
    # holds a line break.
    for span in sentences:
        assert any(p.start <= span.start and span.end <= p.end for p in paragraphs)
    for span in paragraphs:
        assert len(text[span.start : span.end].splitlines()) == 1


@settings(max_examples=100, deadline=None)
@given(any_text)
def test_text_with_visible_characters_has_at_least_one_passage(text):
    visible = any(not segmentation._blank(c) for c in text)
    assert bool(segment(text)) == visible

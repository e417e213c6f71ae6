"""The extractor on general news (issue 16): shares, vague counts, ranges, changes,
currencies, qualifiers, nouns from the clause, entities, and what is never a figure."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.figures import extract


def one(text):
    (figure,) = extract(text)
    assert text[figure.start : figure.end] == figure.text
    return figure


def reading(figure):
    low = None if figure.low is None else float(figure.low)
    high = None if figure.high is None else float(figure.high)
    return (figure.kind, round(float(figure.value), 4), low, high)


@pytest.mark.parametrize(
    "text,surface,value,unit",
    [
        ("Three-quarters of firms expect to raise prices.", "Three-quarters", 75, "firms"),
        ("One in four adults smokes.", "One in four", 25, "adults"),
        ("7 out of 10 voters agreed.", "7 out of 10", 70, "voters"),
        ("Half of the 12 schools closed.", "Half", 50, "schools"),
        ("A third of the county's roads need repair.", "A third", 33.3333, "roads"),
        ("Nine in 10 victims were women.", "Nine in 10", 90, "victims"),
    ],
)
def test_fractions_and_proportions_are_shares_in_percent(text, surface, value, unit):
    share = next(f for f in extract(text) if f.kind == "share")
    assert (share.text, round(float(share.value), 4), share.unit) == (surface, value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "A third man was arrested later.",
        "Profits rose in the second quarter.",
        "In the first half of the year sales slowed.",
        "The quarters were cramped.",
    ],
)
def test_ordinals_and_periods_are_not_shares(text):
    assert [f for f in extract(text) if f.kind == "share"] == []


@pytest.mark.parametrize(
    "text,low,high,unit",
    [
        ("Scores of protesters gathered.", 40, 199, "protesters"),
        ("Hundreds of thousands of workers went on strike.", 200_000, 999_999, "workers"),
        ("Tens of thousands of reservists were called up.", 20_000, 99_999, "reservists"),
        ("Dozens of surgeries have closed.", 24, 119, "surgeries"),
        ("Thousands marched through the capital.", 2000, 9999, ""),
    ],
)
def test_vague_counts_carry_their_range_and_value_their_low_end(text, low, high, unit):
    f = one(text)
    assert (f.kind, f.value, f.low, f.high, f.unit) == ("count", low, low, high, unit)


def test_vague_amounts_of_money_are_money():
    f = one("The coalition abandoned billions of dollars in weapons.")
    assert (f.kind, f.currency, f.low, f.high) == ("money", "USD", 2 * 10**9, 10**10 - 1)


@pytest.mark.parametrize(
    "text,value,unit",
    [
        ("A hundred people came.", 100, "people"),
        ("Two hundred and fifty homes flooded.", 250, "homes"),
        ("Half a million people fled.", 500_000, "people"),
        ("A dozen officers were hurt.", 12, "officers"),
        ("Twenty-five nurses quit.", 25, "nurses"),
        ("Three million people voted.", 3_000_000, "people"),
    ],
)
def test_numbers_in_words(text, value, unit):
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("count", value, unit)


@pytest.mark.parametrize(
    "text,readings",
    [
        (
            "selling these items for $500 to $1,000.",
            [("money", 500, 500, 1000), ("money", 1000, 500, 1000)],
        ),
        (
            "Between 10 and 15 people were hurt.",
            [("count", 10, 10, 15), ("count", 15, 10, 15)],
        ),
        (
            "from 20 to 25 million people",
            [("count", 20_000_000, 20_000_000, 25_000_000)] * 1
            + [("count", 25_000_000, 20_000_000, 25_000_000)],
        ),
        (
            "The price rose from £1.05 to £1.40.",
            [("money", 1.05, None, None), ("money", 1.4, None, None)],
        ),
        ("Councillors voted 31 to 17.", [("count", 31, None, None), ("count", 17, None, None)]),
    ],
)
def test_ranges_give_both_ends_their_low_and_high(text, readings):
    assert [reading(f) for f in extract(text)] == readings


def test_a_range_end_without_a_noun_takes_the_other_ends():
    assert [f.unit for f in extract("Between 10 and 15 people were hurt.")] == ["people"] * 2


@pytest.mark.parametrize(
    "text,kind,value,change",
    [
        ("Sales rose by 3% last year.", "percent", 3, "up"),
        ("It reported a 12 per cent fall in profits.", "percent", 12, "down"),
        ("Obesity rates have doubled.", "factor", 2, "up"),
        ("Smoking rates halved.", "factor", 0.5, "down"),
        ("The plan cuts emissions by 30% by 2030.", "percent", 30, "down"),
        ("Inflation rose to 5%.", "percent", 5, ""),
        ("Oil fell below $70 a barrel.", "money", 70, ""),
        ("The plan cut the civil service by 10,000 jobs.", "count", 10_000, "down"),
        ("an increase of 4.7% over the year", "percent", 4.7, "up"),
        ("The battery stores 40% more energy.", "percent", 40, "up"),
        ("Turnout was 67 per cent, up 2 percentage points.", "percent", 2, "up"),
    ],
)
def test_changes_say_their_direction_and_levels_none(text, kind, value, change):
    f = extract(text)[-1]
    assert (f.kind, float(f.value), f.change) == (kind, value, change)


@pytest.mark.parametrize(
    "text,value,currency",
    [
        ("a budget of €3.5bn", 3_500_000_000, "EUR"),
        ("a ¥13.9 trillion package", 13_900_000_000_000, "JPY"),
        ("a loan of £120,000", 120_000, "GBP"),
        ("Rs 500 crore for the plant", 5_000_000_000, "INR"),
        ("a budget of ₹6.21 lakh crore", 6_210_000_000_000, "INR"),
        ("it raised $40mn", 40_000_000, "USD"),
        ("a fund of £1.5tn", 1_500_000_000_000, "GBP"),
        ("exports of 2.1 trillion yuan", 2_100_000_000_000, "CNY"),
        ("fares rise to 15p", Decimal("0.15"), "GBP"),
        ("it paid US$17bn", 17_000_000_000, "USD"),
    ],
)
def test_currencies_and_scale_words(text, value, currency):
    f = one(text)
    assert (f.kind, f.value, f.currency) == ("money", value, currency)


@pytest.mark.parametrize(
    "text,qualifier",
    [
        ("a valuation north of $1bn", "more_than"),
        ("upwards of 3,000 people", "more_than"),
        ("just shy of 40,000 signatures", "nearly"),
        ("the best part of £2m", "nearly"),
        ("well over 500 homes", "over"),
        ("in excess of $50 million", "more_than"),
        ("families with three or more children", "at_least"),
        ("200-odd shell companies", "about"),
        ("within 32,000km of Earth", "up_to"),
        ("as little as $130", "at_least"),
    ],
)
def test_qualifiers_before_and_after_the_number(text, qualifier):
    assert one(text).qualifier == qualifier


@pytest.mark.parametrize(
    "text,units",
    [
        ("It played in front of a crowd of 60,260 on Sunday.", ["crowd"]),
        ("Deaths from heart disease fell to 96,000 last year.", ["deaths"]),
        ("The bill passed by 312 votes to 287.", ["votes", "votes"]),
        ("Verstappen won 19 of the 22 races.", ["races", "races"]),
        ("Police recorded 1,067 homicides, of which 244 involved a knife.", ["homicides"] * 2),
        ("a 3,000-strong workforce", ["workforce"]),
        ("The death toll rose to 57.", ["deaths"]),
    ],
)
def test_a_count_takes_its_noun_from_the_clause(text, units):
    assert [f.unit for f in extract(text)] == units


@pytest.mark.parametrize(
    "text",
    [
        "The troops left three years ago.",
        "He was jailed for 12 years.",
        "The 34-year-old man, aged 34, was arrested.",
        "Smith, 34, said the trial lasted 90 days.",
        "The meeting is on 3 March at 9pm.",
        "In 2019 the law changed.",
        "The iPhone 15 and the Boeing 737 were shown.",
        "He lives at 10 Downing Street.",
        "Leeds won 3-1 and the match ended 24–17.",
        "Call 020 7946 0321 or 0800 555 111.",
        "The rate is counted per 100,000 people.",
        "Victims were over 65; children under five were spared.",
        "The 44 bus runs along Route 9 to junction 12.",
        "A 1-in-100-year flood hit in the 2nd week of June.",
        "Covid-19 and the G7 met in Room 101.",
        "The Investment of Billions is now benefiting the Taliban.",
    ],
)
def test_relative_time_ages_durations_dates_names_and_scores_are_not_figures(text):
    assert extract(text) == []


@pytest.mark.parametrize(
    "text,entity",
    [
        ("An M4 rifle now sells for over $4,200.", "M4"),
        ("The AK-47 can go for as little as $130.", "AK-47"),
        ("At least 80 Pakistani soldiers were killed.", "Pakistani"),
        ("Tesla delivered 1.81 million vehicles last year.", "Tesla"),
        ("Police arrested 17 people.", ""),
    ],
)
def test_the_entity_a_figure_is_about(text, entity):
    assert extract(text)[0].entity == entity


FRAGMENTS = [
    "rose by",
    "more than",
    "$",
    "£",
    "€",
    "between",
    "and",
    "to",
    "of",
    "the",
    "people",
    "3",
    "12",
    "300,000",
    "4.5",
    "2024",
    "bn",
    "m",
    "million",
    "%",
    "per cent",
    "one in",
    "four",
    "half",
    "scores of",
    "doubled",
    "aged",
    "years ago",
    "-",
    "–",
    ",",
    ".",
    "\n",
    "İ",
    "M4",
    "north of",
    "or more",
    "-odd",
    "p",
    "C",
    "km",
    "a",
    "third",
    "times as many",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14), st.sampled_from(["", " "]))
def test_any_text_gives_figures_whose_offsets_slice_their_text(parts, joiner):
    text = joiner.join(parts)
    figures = extract(text)
    starts = [f.start for f in figures]
    assert starts == sorted(set(starts))
    for f in figures:
        assert text[f.start : f.end] == f.text and f.start < f.end
        assert (f.low is None) == (f.high is None)
        assert f.low is None or f.low <= f.high
        assert f.change in ("", "up", "down") and len(f.unit) <= 50 and len(f.entity) <= 100

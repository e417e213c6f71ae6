"""Figures in passages: the extractor on the seed articles and on traps, storage at import."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from corpus.figures import extract, precision
from corpus.importer import import_path
from corpus.models import Figure, Passage

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


def seed_text(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def found(text):
    return {(f.text, f.kind, f.value, f.currency, f.unit, f.qualifier) for f in extract(text)}


# The figures the issue names, as each seed article states them.
SEED_FIGURES = [
    ("000", "over $4,200", "money", Decimal(4200), "USD", "", "over"),
    ("000", "up to 400,000", "count", Decimal(400_000), "", "weapons", "up_to"),
    ("000", "over 45%", "percent", Decimal(45), "", "", "over"),
    ("001", "nearly $7.2 billion", "money", Decimal(7_200_000_000), "USD", "", "nearly"),
    ("001", "78", "count", Decimal(78), "", "aircraft", ""),
    ("001", "more than 300,000", "count", Decimal(300_000), "", "weapons", "more_than"),
    ("001", "over 40,000", "count", Decimal(40_000), "", "vehicles", "over"),
    ("001", "9,524", "count", Decimal(9524), "", "munitions", ""),
    ("002", "$7.2 billion", "money", Decimal(7_200_000_000), "USD", "", ""),
    ("003", "Some 316,260", "count", Decimal(316_260), "", "arms", "about"),
    ("003", "More than $7 billion", "money", Decimal(7_000_000_000), "USD", "", "more_than"),
    ("004", "up to $2,400", "money", Decimal(2400), "USD", "", "up_to"),
    ("004", "$7.12 billion", "money", Decimal(7_120_000_000), "USD", "", ""),
    ("004", "roughly 600,000", "count", Decimal(600_000), "", "weapons", "about"),
    ("004", "nearly 300", "count", Decimal(300), "", "aircraft", "nearly"),
    ("004", "more than 300,000", "count", Decimal(300_000), "", "arms", "more_than"),
    ("004", "as little as $130", "money", Decimal(130), "USD", "", "at_least"),
]


@pytest.mark.parametrize("prefix,raw,kind,value,currency,unit,qualifier", SEED_FIGURES)
def test_seed_articles_yield_the_figures_named_in_the_issue(
    prefix, raw, kind, value, currency, unit, qualifier
):
    assert (raw, kind, value, currency, unit, qualifier) in found(seed_text(prefix))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_offset_slices_the_figure_text_and_no_year_is_a_count(prefix):
    text = seed_text(prefix)
    figures = extract(text)
    assert figures
    for f in figures:
        assert text[f.start : f.end] == f.text
        assert not (f.text.isdigit() and len(f.text) == 4 and f.text[:2] in ("19", "20")), f


def test_seed_article_dates_years_and_model_names_are_not_figures():
    texts = {f.text for p in ("000", "001", "002", "003", "004") for f in extract(seed_text(p))}
    for not_a_figure in (
        "2021",
        "2024",
        "2022",
        "2023",
        "2002",
        "1979",
        "24",
        "14",
        "19",
        "15",
        "30",
        "47",
        "16",
        "4",
    ):
        assert not_a_figure not in texts, not_a_figure


@pytest.mark.parametrize(
    "text",
    [
        "The withdrawal ended in August 2021.",
        "In 2024 alone, attacks rose.",
        "He was sworn in on Aug. 14 to lead the government.",
        "On June 19, a helicopter fired missiles.",
        "The ceremony was held on 24 August in Islamabad.",
        "the 21st century and the 2nd battalion, 3rd time, 4th floor",
        "An M4 rifle, an F-16 jet, AK-47s, the M16A4 and M249 machine guns.",
        "a 15-year uprising and the 30-year conflict in the 1990s",
        "They met at 9 a.m. and again at 10:30.",
        "Comments (0)",
        "See page 4 and section 12.",
        "the 9/11 attacks and the 1979-1989 war",
        "Version 2.0.1 was released.",
        "One of the most significant concerns.",
        "The road is 5m wide.",
    ],
)
def test_years_dates_ordinals_times_and_names_are_not_quantities(text):
    assert extract(text) == []


@pytest.mark.parametrize(
    "text,value,kind,currency,unit,qualifier",
    [
        ("Ninety-nine incidents were reported.", 99, "count", "", "incidents", ""),
        ("Fifty percent more personnel were killed.", 50, "percent", "", "", ""),
        ("costs rose 12 per cent", 12, "percent", "", "", ""),
        ("a budget of €3.5bn this year", 3_500_000_000, "money", "EUR", "", ""),
        ("some 2000 troops arrived", 2000, "count", "", "troops", "about"),
        ("at least 80 Pakistani soldiers who died", 80, "count", "", "soldiers", "at_least"),
        (
            "nearly 300 fixed-wing and rotary-wing aircraft are included",
            300,
            "count",
            "",
            "aircraft",
            "nearly",
        ),
        ("as many as 12 million people", 12_000_000, "count", "", "people", "up_to"),
        ("fewer than 50 staff", 50, "count", "", "staff", "less_than"),
        ("5 billion dollars in aid", 5_000_000_000, "money", "USD", "", ""),
        ("a loan of £120,000", 120_000, "money", "GBP", "", ""),
    ],
)
def test_qualifiers_scales_currencies_and_number_words(
    text, value, kind, currency, unit, qualifier
):
    (figure,) = extract(text)
    assert (figure.value, figure.kind, figure.currency, figure.unit, figure.qualifier) == (
        Decimal(value),
        kind,
        currency,
        unit,
        qualifier,
    )
    assert text[figure.start : figure.end] == figure.text


def test_a_price_range_gives_both_ends():
    assert [f.value for f in extract("selling these items for $500 to $1,000.")] == [500, 1000]


def test_absurdly_long_numbers_are_refused_not_stored():
    assert extract("a count of " + "9" * 40 + " weapons") == []
    assert extract("1,000,000,000,000,000,000 trillion rifles") == []


def test_offsets_stay_right_when_lower_casing_changes_the_length():
    text = "İİİ İstanbul saw more than 300 protesters and Ninety-nine arrests."
    figures = extract(text)
    assert [f.text for f in figures] == ["more than 300", "Ninety-nine"]
    assert all(text[f.start : f.end] == f.text for f in figures)


@pytest.mark.parametrize(
    "value,half",
    [
        (Decimal(7_200_000_000), Decimal(50_000_000)),
        (Decimal(7_120_000_000), Decimal(5_000_000)),
        (Decimal(316_260), Decimal(5)),
        (Decimal(300_000), Decimal(50_000)),
        (Decimal("0.5"), Decimal("0.05")),
    ],
)
def test_precision_is_half_a_unit_of_the_last_significant_digit(value, half):
    assert precision(value) == half


def test_import_stores_the_figures_of_every_passage(db):
    assert import_path(SEEDS).ok
    figures = list(Figure.objects.select_related("passage"))
    assert len(figures) == sum(len(extract(p.text)) for p in Passage.objects.all())
    for f in figures:
        assert f.passage.text[f.start : f.end] == f.text
    m4 = Figure.objects.get(text="over $4,200")
    assert (m4.kind, m4.value, m4.currency, m4.qualifier) == ("money", Decimal(4200), "USD", "over")
    assert "M4 rifle" in m4.passage.text


def test_extract_figures_command_rebuilds_stored_figures(db):
    assert import_path(SEEDS).ok
    before = Figure.objects.count()
    Figure.objects.filter(text="78").delete()
    Figure.objects.create(
        passage=Passage.objects.first(), kind="count", value=1, text="x", start=0, end=1
    )
    call_command("extract_figures")
    assert Figure.objects.count() == before
    assert Figure.objects.filter(text="78", unit="aircraft").exists()
    assert not Figure.objects.filter(text="x").exists()


def test_extract_figures_command_refuses_an_unknown_outlet(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No passages"):
        call_command("extract_figures", outlet="Nobody")

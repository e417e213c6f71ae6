"""annotate.display: how figures and text read on the pages."""

import math
from decimal import Decimal

import numpy as np
import pytest

from annotate.display import (
    code_words,
    count,
    display_name,
    duration,
    excerpt,
    number,
    number_range,
    p_value,
    percent,
    percent_range,
    plain_number,
    signed,
    undefined,
    weight,
)


@pytest.mark.parametrize("value", [None, math.nan, np.float64("nan"), np.float32("nan")])
def test_missing_values_are_undefined(value):
    assert undefined(value)
    assert number(value) == percent(value) == count(value) == duration(value) == "undefined"
    assert weight(value) == signed(value) == "undefined"
    assert number_range(value, 0.5) == number_range(0.5, value) == "undefined"
    assert percent_range(value, 0.5) == percent_range(0.5, value) == "undefined"


@pytest.mark.parametrize("value", [0, 0.0, 1, np.int64(3), np.float64(0.25), Decimal("2.5")])
def test_real_values_are_defined(value):
    assert not undefined(value)


def test_numbers_are_rounded_for_reading_and_counts_shown_as_integers():
    assert number(0.40612) == "0.406"
    assert number(0.40612, places=1) == "0.4"
    assert number(7) == 7
    assert percent(0.4875) == "48.8%"
    assert count(15.0) == 15 and isinstance(count(15.0), int)


def test_an_excerpt_is_cut_with_an_ellipsis_within_its_limit():
    assert excerpt("short") == "short"
    cut = excerpt("x" * 500, 160)
    assert len(cut) == 160 and cut.endswith("…")
    assert excerpt("y" * 160, 160) == "y" * 160


@pytest.mark.parametrize(
    "seconds,shown", [(0, "0 min 00 s"), (187.4, "3 min 07 s"), (7500, "2 h 05 min")]
)
def test_durations_read_in_minutes_or_hours(seconds, shown):
    assert duration(seconds) == shown


def test_codes_show_their_display_names_and_unknown_codes_show_as_they_are():
    names = {"attributed_claim": "Attributed claim"}
    assert display_name("attributed_claim", names) == "Attributed claim"
    assert display_name("satire", names) == "satire"


def test_decimals_read_as_people_write_them():
    assert plain_number(Decimal("7120000000.000000")) == "7,120,000,000"
    assert plain_number(Decimal("4.2E+3")) == "4200"
    assert plain_number(Decimal("0.250000")) == "0.25"
    assert plain_number(None) == ""


def test_fractional_counts_show_decimals_only_when_they_have_them():
    assert weight(12.0) == 12 and isinstance(weight(np.float64(12.0)), int)
    assert weight(18.5) == "18.5"
    assert weight(np.int64(7)) == 7


def test_differences_carry_their_sign_and_never_read_minus_zero():
    assert signed(3.21) == "+3.2"
    assert signed(-0.5) == "-0.5"
    assert signed(-0.04) == signed(0.04) == signed(0.0) == "0.0"
    assert signed(np.float64(-12.345), places=2) == "-12.35"


def test_intervals_read_as_ranges_and_negative_ends_use_to():
    assert number_range(0.12249, 0.6311) == "0.122–0.631"
    assert number_range(-0.027, 0.728) == "-0.027 to 0.728"
    assert number_range(21.46, 42.5, places=1) == "21.5–42.5"
    assert percent_range(0.3124, 0.6501) == "31–65%"
    assert percent_range(0.3124, 0.6501, places=1) == "31.2–65.0%"
    assert percent_range(0.0, 1.0) == "0–100%"


def test_p_values_read_to_three_decimals_with_a_floor_and_a_dash_when_untested():
    assert p_value(0.04912) == "0.049"
    assert p_value(0.0004) == "< 0.001"
    assert p_value(0.001) == "0.001"
    assert p_value(math.nan) == p_value(None) == "—"


def test_codes_without_a_display_name_read_as_words():
    assert code_words("attributed_claim") == "Attributed claim"
    assert code_words("opinion") == "Opinion"
    assert code_words("") == ""

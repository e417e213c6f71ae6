"""annotate.display: how figures and text read on the pages."""

import math
from decimal import Decimal

import numpy as np
import pytest

from annotate.display import (
    count,
    display_name,
    duration,
    excerpt,
    number,
    percent,
    plain_number,
    undefined,
)


@pytest.mark.parametrize("value", [None, math.nan, np.float64("nan"), np.float32("nan")])
def test_missing_values_are_undefined(value):
    assert undefined(value)
    assert number(value) == percent(value) == count(value) == duration(value) == "undefined"


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

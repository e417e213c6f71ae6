"""annotate.csvsafe.safe_cell: CSV cells a spreadsheet will not run as formulas."""

import csv
import io
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from annotate.csvsafe import safe_cell


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")', "-0.25", "=", "-"],
)
def test_text_starting_with_a_formula_character_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["opinion", "a=b", "1-2", "Le Monde", "", " =1", "'quoted", "0.5"])
def test_text_not_starting_with_a_formula_character_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "number",
    [
        0,
        3,
        -3,
        0.5,
        -0.25,
        -1e-9,
        np.float64(-0.743),
        np.int64(-2),
        np.float32(-1.5),
        Decimal("-1.5"),
        True,
    ],
)
def test_numbers_including_negative_floats_are_left_alone(number):
    result = safe_cell(number)
    assert result is number
    assert not isinstance(result, str)


@pytest.mark.parametrize(
    "missing", [None, math.nan, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT]
)
def test_missing_values_become_an_empty_cell(missing):
    assert safe_cell(missing) == ""


def test_a_written_row_keeps_negative_numbers_as_numbers_and_defuses_text():
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell(v) for v in ["=cmd|' /C calc'!A0", -0.25, math.nan, "ok"]])
    assert out.getvalue() == "'=cmd|' /C calc'!A0,-0.25,,ok\r\n"

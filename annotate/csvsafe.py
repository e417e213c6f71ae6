"""Spreadsheet-safe CSV cells.

A cell starting with =, +, -, @, tab or carriage return is run as a formula by
Excel and LibreOffice (CSV injection, OWASP). Text cells that start so get a
leading apostrophe; numbers (Python, NumPy or Decimal) are left alone, so the
number -0.25 stays a number. Missing values (None, NaN, pandas NA/NaT) become
an empty cell.
"""

import math
import numbers

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(DANGEROUS) else value
    if isinstance(value, numbers.Number):
        try:
            return "" if math.isnan(value) else value
        except (TypeError, ValueError):  # complex numbers, signalling Decimal NaN
            return value
    if _is_missing(value):
        return ""
    return value


def _is_missing(value):
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes have no single truth value
        return False

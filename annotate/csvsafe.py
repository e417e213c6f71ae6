"""Spreadsheet-safe CSV cells.

A cell starting with =, +, -, @, tab or carriage return is run as a formula by
Excel and LibreOffice (CSV injection, OWASP). Text cells that start so get a
leading apostrophe; numbers are left alone so "-0.25" stays a number.
"""

import math

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else value
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value

"""The CSV annotation file (pure, no Django): one row per annotation.

Columns: ``annotator``, ``label``, and either ``passage`` (a passage id) or ``document``
(a document id) with ``position`` (the passage's position in it, from 0); optional
``cited_source``, ``cited_type``, ``markers`` (separated by ``;``), ``confidence``,
``note`` and ``spans`` (a JSON list of spans in document offsets). Column names are
matched whatever their case. Stored values are expected (``opinion``, not "Opinion"):
this is the format Credence's own exports and scripts write. With an annotator given
for the whole file, the ``annotator`` column may be left out (and is overridden).
"""

from __future__ import annotations

import csv
import io

from annotate.interchange.formats.base import Parsed, ReadContext

REQUIRED = ("annotator", "label")


def decode(name: str, data: bytes, parsed: Parsed) -> str | None:
    """The file as text (UTF-8, a byte-order mark dropped), or None with the error noted."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        parsed.errors.append(f"{name}, line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return None


def read(name: str, data: bytes, context: ReadContext | None = None) -> Parsed:
    context = context or ReadContext()
    parsed = Parsed()
    text = decode(name, data, parsed)
    if text is None:
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as exc:
        parsed.errors.append(f"{name}, line 1: malformed CSV ({exc})")
        return parsed
    columns = [c.strip().lower() for c in header]
    required = [c for c in REQUIRED if not (c == "annotator" and context.annotator)]
    missing = [c for c in required if c not in columns]
    if "passage" not in columns and not {"document", "position"} <= set(columns):
        missing.append("passage (or document and position)")
    if missing:
        parsed.errors.append(f"{name}, line 1: missing column(s) {', '.join(missing)}")
        return parsed
    may_hold_nul = "\x00" in text
    empty = dict.fromkeys(columns, "")
    try:
        for row in reader:
            if not row:
                continue  # a blank line, as csv.DictReader skips it
            where = f"line {reader.line_num}"
            if len(row) > len(columns):
                parsed.errors.append(f"{name}, {where}: more cells than columns")
                continue
            # Missing trailing cells are empty, as csv.DictReader fills them.
            cells = {**empty, **{c: v.strip() for c, v in zip(columns, row, strict=False)}}
            if may_hold_nul and any("\x00" in v for v in cells.values()):
                # PostgreSQL cannot store NUL in text
                parsed.errors.append(f"{name}, {where}: a cell contains a NUL character")
                continue
            if context.annotator:
                cells["annotator"] = context.annotator
            parsed.rows.append((where, cells))
    except csv.Error as exc:
        parsed.errors.append(f"{name}, line {reader.line_num}: malformed CSV ({exc})")
    return parsed

"""Streaming exports of a campaign: the reports and claims as CSV, every annotation and every
evidence span as CSV or JSONL, the loaded terms per outlet as CSV, and the campaign's settings
(campaign.json) and data card (README.md) that explain them.

Each export is a generator of text chunks, so a download (StreamingHttpResponse) and the
export_report command write the same bytes and neither ever holds the whole file.
Annotations are read as they are written (annotate.reports.annotation_rows), so memory
stays constant whatever the number of annotations.

Every CSV text cell is neutralised by annotate.csvsafe's rule (safe_cell), so nothing a
spreadsheet would run as a formula gets through; values repeated on many rows (outlets,
titles, labels, user names, marker sets) are made safe once and remembered. Times are
written by the database and start with a digit. JSONL keeps JSON types and does not alter
strings: JSON is not opened by spreadsheets.

Column names are stable (ANNOTATION_COLUMNS and the reports' column lists) and
documented in the README.
"""

from __future__ import annotations

import json

from annotate.claims import selectors as claim_selectors
from annotate.csvsafe import DANGEROUS, safe_cell
from annotate.downloads import CSV, FLUSH_ROWS, csv_chunks, frame_rows, safe_rows
from annotate.reports import data_card, selectors, span_selectors
from annotate.reports.annotation_rows import ANNOTATION_COLUMNS, annotation_parts

KINDS = (
    "outlets.csv",
    "documents.csv",
    "reviewers.csv",
    "comparisons.csv",
    "claims.csv",
    "annotations.csv",
    "annotations.jsonl",
    "spans.csv",
    "spans.jsonl",
    "loaded_terms.csv",
    "campaign.json",  # the settings every figure depends on (annotate.reports.data_card)
    "README.md",  # the data card: what each file is and how to recompute the figures
)
# Free text people type on the Claims page; the rest of a claims row is article text, the
# outlet's, or a choice from a list, and is never altered (anonymise.py).
CLAIM_FREE_TEXT = ("claim_statement", "primary_source", "unit", "value_text", "attributed_to")


def filename(campaign, kind, anonymise=False) -> str:
    return f"{campaign.slug}{'-anonymised' if anonymise else ''}-{kind}"


def content_type(kind) -> str:
    if kind.endswith(".jsonl"):
        return "application/x-ndjson; charset=utf-8"
    if kind.endswith(".json"):
        return "application/json; charset=utf-8"
    if kind.endswith(".md"):
        return "text/markdown; charset=utf-8"
    return CSV


def export(campaign, kind, anonymise=False):
    """The export ``kind`` (one of KINDS) as a generator of str chunks."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r}; choose from {', '.join(KINDS)}")
    if kind == "annotations.csv":
        return _annotations_csv(campaign, anonymise)
    if kind == "annotations.jsonl":
        return _jsonl(annotation_parts(campaign, anonymise))
    if kind == "claims.csv":
        return _claims_csv(campaign, anonymise)
    if kind in ("spans.csv", "spans.jsonl"):
        return _spans(campaign, kind, anonymise)
    if kind == "loaded_terms.csv":
        frame = span_selectors.loaded_term_frame(campaign)
        return csv_chunks(list(frame.columns), frame_rows(frame))
    if kind == "campaign.json":
        return data_card.campaign_json(campaign, anonymise)
    if kind == "README.md":
        files = {k: filename(campaign, k, anonymise) for k in KINDS}
        return data_card.data_card(campaign, files, anonymise)
    return _report_csv(campaign, kind, anonymise)


def _claims_csv(campaign, anonymise):
    """The Claims page's CSV (annotate.claims.views.claims_csv), the same bytes; anonymised,
    people's names are scrubbed from the free text people typed (CLAIM_FREE_TEXT)."""
    rows = claim_selectors.csv_rows(campaign)
    if anonymise:
        scrub = selectors.name_scrubber()
        free = [claim_selectors.CSV_COLUMNS.index(c) for c in CLAIM_FREE_TEXT]

        def scrubbed(row):
            row = list(row)
            for i in free:
                if isinstance(row[i], str):
                    row[i] = scrub(row[i])
            return row

        rows = map(scrubbed, rows)
    return csv_chunks(claim_selectors.CSV_COLUMNS, safe_rows(rows))


def _spans(campaign, kind, anonymise):
    """Every evidence span, reviewers' and curators' (span_selectors.span_export_frame); the
    CSV's cells made safe, the JSONL's kept as JSON types (integers, strings, null)."""
    frame = span_selectors.span_export_frame(campaign, anonymise)
    records = span_selectors.span_records(frame)
    columns = span_selectors.SPAN_COLUMNS
    if kind == "spans.csv":
        yield from csv_chunks(columns, safe_rows(records))
        return
    chunk = []
    for record in records:
        chunk.append(json.dumps(dict(zip(columns, record, strict=True)), ensure_ascii=False))
        if len(chunk) == FLUSH_ROWS:
            yield "\n".join(chunk) + "\n"
            chunk = []
    if chunk:
        yield "\n".join(chunk) + "\n"


def _annotations_csv(campaign, anonymise):
    """The annotation CSV, the same text csv.writer would produce (tests hold them equal).

    annotation_parts hands over finished fields (neutralised, quoted: _csv_field), so a
    line is a join; csv.writer would rescan every character of a million rows. A
    passage's own fields and its final-label fields are joined once per passage.
    """
    chunk = [",".join(map(_csv_field, ANNOTATION_COLUMNS)) + "\r\n"]
    last = None
    for passage, row, final in annotation_parts(campaign, anonymise, _csv_field, str):
        if passage is not last:
            last, head, tail = passage, ",".join(passage) + ",", "," + ",".join(final) + "\r\n"
        chunk.append(head + ",".join(row) + tail)
        if len(chunk) >= FLUSH_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def _jsonl(rows):
    chunk = []
    for passage, row, final in rows:
        chunk.append(
            json.dumps(
                dict(zip(ANNOTATION_COLUMNS, passage + row + final, strict=True)),
                ensure_ascii=False,
            )
        )
        if len(chunk) == FLUSH_ROWS:
            yield "\n".join(chunk) + "\n"
            chunk = []
    if chunk:
        yield "\n".join(chunk) + "\n"


_DANGEROUS = frozenset(DANGEROUS)


def _csv_cell(value):
    """A CSV cell: lists (markers) joined with ';', missing values empty, formulas neutralised.

    Text takes csvsafe's rule inline (a leading apostrophe when it starts with one of
    csvsafe.DANGEROUS), a function call less on the million-row path; anything else goes
    through safe_cell itself. Tests hold the two equal.
    """
    if value.__class__ is str:
        return "'" + value if value[:1] in _DANGEROUS else value
    if isinstance(value, list):
        return _csv_cell(";".join(value))
    return safe_cell(value)


def _csv_field(value) -> str:
    """_csv_cell as finished CSV text: quoted as csv.writer's QUOTE_MINIMAL does (when it
    holds a quote, comma or line break; quotes doubled)."""
    text = _csv_cell(value)
    text = text if text.__class__ is str else str(text)
    if '"' in text or "," in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _report_csv(campaign, kind, anonymise):
    if kind == "outlets.csv":
        frame = selectors.outlet_report_frame(campaign)
    elif kind == "documents.csv":
        frame = selectors.document_report_frame(campaign)
    elif kind == "comparisons.csv":
        frame = selectors.comparison_frame(campaign)
    else:
        frame = selectors.reviewer_report_frame(campaign, anonymise=anonymise)
    return csv_chunks(list(frame.columns), frame_rows(frame))

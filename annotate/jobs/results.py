"""What a cached result holds, and how it is stored.

A payload is any Python object the page renders from, pickled and zlib-compressed into
ComputedResult.payload. Pickle rather than JSON because the tables are pandas DataFrames
whose dtypes (integers, floats with NaN, nullable columns) decide how the page and the CSVs
show them: pickled, a table read back is the table computed, so a CSV served from the cache
equals one computed afresh. Only this application writes payloads, from its own
computations, into its own database; anyone able to write that table could change the
application's data anyway. A payload that no longer unpickles (written by another pandas
version, say) counts as missing: unpack answers None and the page computes it again.

The agreement payload: the dashboard's tables (annotate.agreement.selectors.agreement_tables,
with the 1,000-resample bootstrap interval), the scheme's passage-type names, and every span
table (annotate.agreement.span_selectors.span_tables) with its two counts. The outlet report
payload: the per-outlet report frame (annotate.reports.selectors.outlet_report_frame), the
scheme's passage types and their names, and each outlet's top loaded terms; the page derives
its tables, totals and chart from these as it does from a fresh computation.
"""

import logging
import pickle
import zlib

from annotate.agreement.selectors import AgreementTables, agreement_tables
from annotate.agreement.span_selectors import SpanTables, span_tables
from annotate.reports import selectors as report_selectors
from annotate.reports import span_selectors as report_span_selectors

logger = logging.getLogger(__name__)

AGREEMENT_STEPS = 2
REPORT_STEPS = 3


def pack(payload):
    return zlib.compress(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(data):
    """The payload, or None if it cannot be read back."""
    try:
        return pickle.loads(zlib.decompress(bytes(data)))
    except Exception:  # any unreadable payload is recomputed, whatever broke it
        logger.warning("a cached result could not be read; it will be computed again")
        return None


def agreement_payload(campaign, progress=None):
    """Everything the Agreement page and its CSVs show, computed now."""
    if progress:
        progress(0, AGREEMENT_STEPS, "Passage-type agreement, with its bootstrap interval")
    tables = agreement_tables(campaign)
    if progress:
        progress(1, AGREEMENT_STEPS, "Span agreement and agreement per guidelines version")
    spans = span_tables(campaign)
    return {
        "tables": dict(tables),
        "label_names": dict(tables.label_names),
        "spans": dict(spans),
        "versions_recorded": spans.versions_recorded,
        "mixed_passages": spans.mixed_passages,
    }


def agreement_parts(payload):
    """(AgreementTables, SpanTables) from an agreement payload, as the selectors give them."""
    tables = AgreementTables(payload["tables"])
    tables.label_names = payload["label_names"]
    spans = SpanTables(payload["spans"])
    spans.versions_recorded = payload["versions_recorded"]
    spans.mixed_passages = payload["mixed_passages"]
    return tables, spans


def report_payload(campaign, progress=None):
    """Everything the per-outlet report page shows, computed now."""
    if progress:
        progress(0, REPORT_STEPS, "Reading the campaign and working out final labels")
    data = report_selectors.load(campaign)
    if progress:
        progress(1, REPORT_STEPS, "Shares, agreement and intervals per outlet")
    report = report_selectors.outlet_report_frame(campaign, data)
    if progress:
        progress(2, REPORT_STEPS, "Loaded terms per outlet")
    terms = report_span_selectors.loaded_term_frame(
        campaign, data, top=report_span_selectors.TOP_TERMS
    )
    return {
        "report": report,
        "labels": list(data.labels),
        "label_names": dict(data.label_names),
        "terms": terms,
    }

"""What a reader needs beside the exports to recompute each figure: the campaign's settings
and a data card.

* ``campaign.json`` (``campaign_settings``): every setting a figure depends on: the scheme,
  overlap, auto-accept, queue order, block and seed, the interval and test methods with their
  replicates and seeds, the Dawid-Skene settings, the rating rule, the time cap, the software
  version and the export time. Each value is read from where the reports take it (a module
  constant, or the default argument the report calls the function with), never copied, so
  the file cannot drift from the code;
* ``README.md`` (``data_card``): a short data card: what each file is and its row unit, how
  the final label is decided, how to recompute the figures, and the anonymisation rule.

Both are export kinds (annotate.reports.exports), so they download like the others and
``manage.py export_report`` writes them into the export folder (annotate.reports.export_folder).
tests/annotate/reports/test_export_folder.py recomputes every column of the four reports
from annotations.csv, claims.csv and campaign.json, with no database.
"""

from __future__ import annotations

import inspect
import json
import tomllib
from datetime import UTC
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from annotate import frames
from annotate.adjudication.consensus import MIN_AGREEING
from annotate.agreement import bootstrap_alpha
from annotate.reports import comparisons, selectors
from annotate.reports.clustered import METHOD_NAMES, clustered_intervals
from annotate.reports.dawid_skene import dawid_skene
from annotate.reports.loaded_terms import PER_WORDS, WORD
from annotate.reports.outlet_figures import INTERVAL_METHOD, MODEL_TOL
from annotate.reports.reliability import (
    MIN_DOCUMENTS_FOR_RATING,
    RATED_DOCUMENT_SHARE,
    TIME_CAP_SECONDS,
    Z95,
)
from annotate.reports.span_selectors import SPAN_EXPLAIN, TERM_EXPLAIN, TOP_TERMS

SOFTWARE = "credence"


def software_version() -> str:
    """credence's installed version, else the version in pyproject.toml (a source checkout)."""
    try:
        return metadata.version(SOFTWARE)
    except metadata.PackageNotFoundError:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return tomllib.load(handle)["project"]["version"]


def _default(function, name):
    """The default of ``function``'s argument ``name``: the value the reports use where they
    call ``function`` without it (read, not copied, so campaign.json follows the code)."""
    return inspect.signature(function).parameters[name].default


def campaign_settings(campaign, anonymise: bool = False, now=None) -> dict:
    """The settings every figure of the campaign's reports depends on (campaign.json).

    Three queries (the scheme, its types and markers, and, anonymised, the users whose names
    are scrubbed from the campaign's name). queue_order, queue_block and queue_seed are None on a campaign from
    before the queue had an order.
    """
    labels, markers, names = frames.scheme_parts(campaign.scheme, names=True)
    name = selectors.name_scrubber()(campaign.name) if anonymise else campaign.name
    now = now or timezone.now()
    return {
        "campaign": name,
        "slug": campaign.slug,
        "scheme": {
            "name": campaign.scheme.name,
            "labels": [{"value": v, "name": names.get(v, v)} for v in labels],
            "markers": [{"value": m.value, "name": m.name} for m in markers],
        },
        "overlap": campaign.overlap,
        "auto_accept_unanimous": campaign.auto_accept_unanimous,
        "blind_outlet": campaign.blind_outlet,
        "queue_order": getattr(campaign, "queue_order", None),
        "queue_block": getattr(campaign, "queue_block", None),
        "queue_seed": getattr(campaign, "queue_seed", None),
        "alpha_interval": {
            "method": "percentile bootstrap of Krippendorff's nominal alpha",
            "resampling": "documents (passages, for an outlet with one document holding a "
            "passage with two reviewers)",
            "replicates": selectors.N_BOOT,
            "seed": _default(selectors.outlet_report_frame, "seed"),
            "confidence": _default(bootstrap_alpha, "confidence"),
        },
        "share_intervals": {
            "wilson_z": Z95,
            "method": INTERVAL_METHOD,
            "description": METHOD_NAMES[INTERVAL_METHOD],
            "confidence": _default(clustered_intervals, "confidence"),
        },
        "comparisons": {
            "replicates": _default(comparisons.compare_outlets, "replicates"),
            "seed": _default(selectors.comparison_frame, "seed"),
            "confidence": _default(comparisons.compare_outlets, "confidence"),
            "min_documents": _default(comparisons.compare_outlets, "min_documents"),
            "correction": _default(comparisons.compare_outlets, "correction"),
            "family": _default(comparisons.compare_outlets, "family"),
            "method": comparisons.METHOD,
        },
        "dawid_skene": {
            "smoothing": _default(dawid_skene, "smoothing"),
            "tol": MODEL_TOL,
            "max_iter": _default(dawid_skene, "max_iter"),
        },
        "rating": {
            "min_documents_for_rating": MIN_DOCUMENTS_FOR_RATING,
            "rated_document_share": RATED_DOCUMENT_SHARE,
        },
        "time_cap_seconds": TIME_CAP_SECONDS,
        "loaded_terms": {
            "term": "span text lower-cased, white space made single spaces",
            "counted_on": "passages: the curator's spans where decided, else the terms more "
            "than half of the passage's reviewers marked",
            "word_pattern": WORD.pattern,
            "per_words": PER_WORDS,
            "top_on_page": TOP_TERMS,
        },
        "software": SOFTWARE,
        "software_version": software_version(),
        "exported_at": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "anonymised": anonymise,
    }


def campaign_json(campaign, anonymise: bool = False):
    """campaign.json as a generator of one chunk of text (exports.export's form)."""
    yield json.dumps(campaign_settings(campaign, anonymise), indent=2, ensure_ascii=False) + "\n"


# What each export is and what one row of it stands for, by kind (every kind of exports.KINDS).
FILES = {
    "outlets.csv": ("The per-outlet report.", "outlet"),
    "documents.csv": ("The per-document report.", "document, in reading order"),
    "reviewers.csv": (
        "The per-reviewer report: work, time, agreement with the final label, Dawid-Skene "
        "estimates.",
        "reviewer",
    ),
    "comparisons.csv": (
        "Outlet comparisons: every pair of outlets, and each outlet against the rest.",
        "comparison and measure",
    ),
    "claims.csv": (
        "The Claims page's table: claims reported by several outlets, with the passages "
        "that report them.",
        "accepted link of a claim to a passage (a claim without one: one row)",
    ),
    "annotations.csv": (
        "Every annotation with its passage and the passage's final label: the raw data.",
        "annotation (a passage nobody labelled: one row, annotation cells empty)",
    ),
    "annotations.jsonl": ("The same rows as JSON objects, one per line.", "annotation"),
    "spans.csv": (
        "Every evidence span: the words reviewers marked as the cited source or as loaded "
        "language, and the curators' final spans, with their passage and what became of "
        "each reviewer's span.",
        "span (a reviewer's, or one of a curator's decision)",
    ),
    "spans.jsonl": ("The same rows as JSON objects, one per line.", "span"),
    "loaded_terms.csv": (
        "The loaded terms of each outlet, most frequent first, per 1,000 words.",
        "outlet and term",
    ),
    "campaign.json": ("The settings every figure depends on.", "one object"),
    "README.md": ("This data card.", "-"),
}

COMPARISON_COLUMNS = (
    "`comparison` (pair, or vs rest), `outlet_a`, `outlet_b` (`rest`: every other outlet), "
    "`measure` (share_<type> or markers_per_100), `value_a`, `value_b`, `difference` "
    "(value_a - value_b), `low`, `high` (95% interval), `p_value`, `p_adjusted` (after "
    "`correction` over `family_size` comparisons of the `family`), `method`, `confidence`, "
    "`replicates`, `seed`, `n_documents_a`/`_b` (documents with a resolved passage), "
    "`denominator_a`/`_b` (resolved passages), `status` (compared; too few documents to "
    "compare, with no numbers; undefined) and `reason`."
)


def _glossary(title, lines):
    rows = "\n".join(f"| `{column}` | {text} |" for column, text in lines)
    return f"**{title}**\n\n| column | meaning |\n|---|---|\n{rows}\n"


def data_card(campaign, files, anonymise: bool = False):
    """README.md, the data card, as a generator of one chunk of text (exports.export's form).

    ``files``: {export kind: its file name}, every file of the folder in order."""
    s = campaign_settings(campaign, anonymise)
    labels = [label["value"] for label in s["scheme"]["labels"]]

    def name(kind):
        return files[kind]

    table = "\n".join(f"| `{name(kind)}` | {FILES[kind][0]} | {FILES[kind][1]} |" for kind in files)
    alpha, shares, compared, model = (
        s["alpha_interval"],
        s["share_intervals"],
        s["comparisons"],
        s["dawid_skene"],
    )
    rating, cap = s["rating"], s["time_cap_seconds"]
    accept = "yes" if s["auto_accept_unanimous"] else "no: every passage waits for a curator"
    types = ", ".join(f"`{label['value']}` ({label['name']})" for label in s["scheme"]["labels"])
    markers = ", ".join(f"`{m['value']}` ({m['name']})" for m in s["scheme"]["markers"])
    queue = (
        f"order `{s['queue_order']}`, block {s['queue_block']}, seed {s['queue_seed']}"
        if s["queue_order"]
        else "reading order"
    )
    status = "anonymised" if anonymise else "not anonymised"
    yield f"""# {s["campaign"]}: reliability report export

Written by {SOFTWARE} {s["software_version"]} from campaign `{s["slug"]}`, {status}. The time
of export and every setting a figure depends on are in `{name("campaign.json")}`.

- Passage types: {types}
- Bias markers: {markers or "none"}
- Overlap: {s["overlap"]} reviewers per passage; unanimous labels accepted: {accept}
- Queue: {queue}

## Files

| file | what it is | one row per |
|---|---|---|
{table}

CSV files are UTF-8, comma-separated, with a header row; a text cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return has a leading apostrophe so spreadsheets do not run it.
Markers are `;`-separated. Times are UTC, `YYYY-MM-DD HH:MM:SS[.ffffff]`. An empty cell is a
missing value; a figure that cannot be estimated is empty, with the reason in its `_note`
column.

## Final labels

Each passage's final label (`final_status`, `final_label`, `final_cited_type`,
`final_cited_source`, `final_markers` in `{name("annotations.csv")}`) is:

1. the curator's decision, `final_status` `adjudicated`: `adjudication_method` `chosen` is a
   decision with the curator's own rationale, `majority` the reviewers' majority accepted in
   bulk (only where at least {MIN_AGREEING} reviewers agree and they are more than half of
   those who labelled the passage);
2. else, when the campaign accepts unanimous labels (this one: {accept}) and at least
   {s["overlap"]} reviewers (the overlap) labelled the passage, all with one passage type,
   that type, `unanimous`; its cited type, cited source and markers are what more than half
   of the reviewers chose;
3. else `unresolved`: no final label. Reports count unresolved passages, they never guess one.

## Recomputing the figures

Everything below comes from `{name("annotations.csv")}`, `{name("claims.csv")}` and
`{name("campaign.json")}`:

1. Passages are the distinct `passage_id`s; documents the distinct `document_id`s; each row
   carries its `outlet`. Annotations are the rows with an `annotation_id`.
2. Counts per outlet or document: `resolved` passages have `final_status` `adjudicated` or
   `unanimous`; `adjudicated_curator` and `adjudicated_majority` split `adjudicated` by
   `adjudication_method`; `final_<type>` counts resolved passages by `final_label`;
   `share_<type>` = final_<type> / resolved with a Wilson score interval (z =
   {shares["wilson_z"]}); `claims` are resolved `attributed_claim`s, `anonymous_claims` those
   whose `final_cited_type` is `anonymous`; `final_markers` counts the markers of resolved
   passages; `markers_per_100` = 100 × final_markers / resolved.
3. `documents_rated`: documents with at least {rating["rated_document_share"]:.0%} of their
   passages resolved; `confidence` is `rating` from {rating["min_documents_for_rating"]} rated
   documents up.
4. `alpha`: Krippendorff's nominal alpha on `label` over the annotations of passages with two
   or more; `alpha_low`, `alpha_high`: {alpha["method"]}, {alpha["replicates"]} replicates
   drawn with NumPy's `default_rng({alpha["seed"]})`, resampling {alpha["resampling"]}.
5. `<measure>_doc_low`, `_doc_high`: {shares["description"]} (method `{shares["method"]}`,
   closed form: no seed), documents being the clusters.
6. `share_<type>_if_unresolved_low`, `_high`: with k passages of the type among n resolved and
   U unresolved, k / (n + U) and (k + U) / (n + U).
7. `share_<type>_model` and the reviewers' `model_accuracy`, `p_<given>_when_<true>`: the
   Dawid-Skene (1979) model fitted by EM to every annotation (`passage_id`, `reviewer`,
   `label`), passages a curator decided fixed at their final label (smoothing
   {model["smoothing"]}, tolerance {model["tol"]}, at most {model["max_iter"]} iterations);
   share_<type>_model is the mean posterior probability of the type over the outlet's
   annotated passages.
8. Reviewers: `on_resolved` and `agrees_with_final` compare `label` with `final_label`;
   `timed` counts annotations with a `claimed_at`; each one's seconds are `done_at` -
   `claimed_at`, both cut to the whole second, clipped to 0 to {cap} ({cap // 60} minutes),
   then summed (`time_spent_s`) and their median taken (`median_s`).
9. Comparisons: per-document counts as in step 2 over documents with a resolved passage; a
   percentile bootstrap resampling documents within each outlet ({compared["replicates"]}
   replicates, seed {compared["seed"]}), a Wald t test with the cluster-robust variance,
   comparisons with fewer than {compared["min_documents"]} documents on a side left out, and
   the `{compared["correction"]}` correction over each `{compared["family"]}`'s comparisons.
10. `claims_covered`, `claims_diverging`, `claims_unattributed`: per outlet, the distinct
    claims of `{name("claims.csv")}` it has a passage linked to; of those, the ones where its
    figure diverges (`diverges_from_others` or `diverges_from_primary`); the ones where it
    gives a `value` and `attributed` is False.

The bootstrap draws, the clustered intervals, the comparisons and the Dawid-Skene fit are
those of {SOFTWARE} {s["software_version"]}'s pure modules (`annotate/reports/`,
`annotate/agreement/`: NumPy, pandas and SciPy only), which give the same digits from these
files.

## Columns

{_glossary(name("outlets.csv"), selectors.outlet_explain(labels))}
{_glossary(name("documents.csv"), selectors.explain(selectors.document_columns(labels), labels))}
{_glossary(name("reviewers.csv"), selectors.explain(selectors.reviewer_columns(labels), labels))}
**{name("comparisons.csv")}**: {COMPARISON_COLUMNS}

{_glossary(name("annotations.csv") + ": columns not described above", ANNOTATION_EXTRA)}
{_glossary(name("spans.csv") + " and " + name("spans.jsonl"), SPAN_EXPLAIN.items())}
{_glossary(name("loaded_terms.csv"), TERM_EXPLAIN.items())}
## Evidence spans

{SPANS}

## Anonymisation

{ANONYMISED if anonymise else NOT_ANONYMISED}
"""


ANNOTATION_EXTRA = (
    (
        "guidelines_version",
        "The campaign's guidelines version when the annotation was last "
        "saved (empty: saved before versions were recorded, or imported).",
    ),
    (
        "spans",
        "The number of evidence spans the reviewer marked on the passage (listed in "
        "the spans file).",
    ),
)
SPANS = f"""A span is a stretch of a document's text a reviewer marked inside a passage: who is
cited (layer `source`, type a cited-source type) or a loaded word or phrase (layer `loaded`,
type a bias marker). `start` and `end` are character offsets into the document's text (Python
string indices, end exclusive; the passage's own `start` and `end` in the annotations file use
the same offsets), so `text` is document text [start:end]. Curators' spans (`kind` `final`) are
the final ones; a unanimous passage has no final spans of its own.

The loaded terms count, per outlet, the passages where a term is marked: on a passage a
curator decided, when the decision marks it; on any other passage, when more than half of
the reviewers who answered it marked it (each reviewer once per term). A term is the span's
text lower-cased, white space made single spaces. `per_1000_words` = 1000 × count / words,
words being the word tokens (pattern `{WORD.pattern}`) of the outlet's annotated passages."""

RULE = (
    "reviewers and curators are named by a stable pseudonym, `anon-` and 12 hexadecimal "
    "digits of an HMAC of the user id keyed with the server's secret key (the same in every "
    "export, not reversible without the key), and every user's user name, full name and "
    "e-mail address in free text (notes, rationales, cited sources, the claims' statements, "
    "sources and attributions) is replaced by that user's pseudonym where it stands as a "
    "whole word, in any case. A first or last name alone is left: it cannot be told from an "
    "ordinary word. Article text and outlet names are never altered."
)
ANONYMISED = f"This export is anonymised: {RULE}"
NOT_ANONYMISED = (
    "This export is not anonymised: it names reviewers and curators by their user names and "
    "keeps free text as written. `manage.py export_report CAMPAIGN --out DIR --anonymise` "
    f"writes an anonymised one, in which {RULE}"
)

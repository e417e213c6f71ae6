"""The answers a reviewer can give under the default scheme, as the annotation form posts them.

Labels and markers come from the default scheme itself (plain data, no Django), so a
benchmark never posts a value the scheme does not have; cited-source types and confidence
are model choices, listed here in their stored form.
"""

from annotate.campaigns.defaults import DEFAULT_LABELS, DEFAULT_MARKERS

LABELS = [label["value"] for label in DEFAULT_LABELS]  # sourced_fact, attributed_claim, opinion
MARKERS = [marker["value"] for marker in DEFAULT_MARKERS]
CITED = ["", "named_person", "official_body", "document", "anonymous", "other_outlet"]
CONFIDENCE = ["low", "medium", "high"]

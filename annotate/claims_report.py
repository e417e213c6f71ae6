"""Reads for the claim pages, the claims CSV and the per-outlet report's claim columns.

Each function is a fixed number of queries whatever the number of claims and links;
the maths (which values diverge, the per-outlet counts) is in annotate.claim_divergence.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.db.models import Count, Q

from annotate.claim_divergence import claim_divergence, outlet_claim_counts
from annotate.models import Claim, ClaimLink

Status = ClaimLink.Status
LINK_FIELDS = (
    "id",
    "claim_id",
    "passage_id",
    "passage__text",
    "passage__document_id",
    "passage__document__title",
    "passage__document__source__name",
    "value",
    "qualifier",
    "unit",
    "currency",
    "value_text",
    "attributed",
    "attributed_to",
    "cited_type",
    "status",
)


@dataclass
class LinkRow:
    """One accepted link as the claim page, the CSV and the report read it."""

    id: int
    claim_id: int
    passage_id: int
    text: str
    document_id: int
    document: str
    outlet: str
    value: object
    qualifier: str
    unit: str
    currency: str
    value_text: str
    attributed: bool
    attributed_to: str
    cited_type: str
    status: str
    diverges_from_others: bool = False
    diverges_from_primary: bool = False
    disagreeing: int = 0
    compared: int = 0
    flags: list = field(default_factory=list)

    @property
    def diverges(self):
        return self.diverges_from_others or self.diverges_from_primary


def _links(links_queryset):
    return [
        LinkRow(*row)
        for row in links_queryset.values_list(*LINK_FIELDS).order_by(
            "claim_id",
            "passage__document__source__name",
            "passage__document_id",
            "passage__position",
        )
    ]


def flag_links(claim, rows):
    """Set the divergence flags of one claim's accepted link rows (annotate.claim_divergence)."""
    if not rows:
        return rows
    frame = pd.DataFrame(
        [(r.id, r.outlet, r.value, r.qualifier, r.currency) for r in rows],
        columns=["link", "outlet", "value", "qualifier", "currency"],
    )
    primary = None
    if claim.primary_value is not None:
        primary = (claim.primary_value, claim.primary_qualifier, claim.currency)
    flags = claim_divergence(frame, primary)
    for row in rows:
        found = flags.loc[row.id]
        row.diverges_from_others = bool(found["diverges_from_others"])
        row.diverges_from_primary = bool(found["diverges_from_primary"])
        row.disagreeing, row.compared = int(found["disagreeing"]), int(found["compared"])
        row.flags = [
            text
            for on, text in (
                (row.diverges_from_others, "differs from other outlets"),
                (row.diverges_from_primary, "differs from the primary source"),
                (row.value is not None and not row.attributed, "no attribution"),
            )
            if on
        ]
    return rows


def claim_links(claim):
    """(accepted rows with flags, proposed rows) of one claim: one query."""
    rows = _links(ClaimLink.objects.filter(claim=claim).exclude(status=Status.REJECTED))
    accepted = [r for r in rows if r.status == Status.ACCEPTED]
    return flag_links(claim, accepted), [r for r in rows if r.status == Status.PROPOSED]


def campaign_link_rows(campaign):
    """Every claim of the campaign with its flagged accepted links: two queries."""
    claims = list(Claim.objects.filter(campaign=campaign).order_by("statement", "id"))
    for claim in claims:
        claim.campaign = campaign  # already loaded: no query per claim for its links
    rows = _links(ClaimLink.objects.filter(claim__campaign=campaign, status=Status.ACCEPTED))
    by_claim = {}
    for row in rows:
        by_claim.setdefault(row.claim_id, []).append(row)
    return [(claim, flag_links(claim, by_claim.get(claim.pk, []))) for claim in claims]


def claims_overview(campaign):
    """Claims with outlets, links, proposed links and diverging outlets counted: three queries."""
    counted = {
        c.pk: c
        for c in Claim.objects.filter(campaign=campaign).annotate(
            proposed=Count("links", filter=Q(links__status=Status.PROPOSED)),
        )
    }
    overview = []
    for claim, rows in campaign_link_rows(campaign):
        claim.proposed = counted[claim.pk].proposed if claim.pk in counted else 0
        claim.outlets = len({r.outlet for r in rows})
        claim.linked = len(rows)
        claim.diverging = len({r.outlet for r in rows if r.diverges})
        overview.append(claim)
    return overview


CSV_COLUMNS = [
    "claim",
    "claim_statement",
    "primary_value",
    "primary_qualifier",
    "primary_source",
    "outlet",
    "document",
    "passage",
    "passage_text",
    "value",
    "qualifier",
    "unit",
    "currency",
    "value_text",
    "attributed",
    "attributed_to",
    "cited_type",
    "diverges_from_others",
    "diverges_from_primary",
]


def plain(value):
    """A Decimal without storage padding or exponent: 4200, not 4200.000000 or 4.2E+3."""
    return None if value is None else Decimal(format(value.normalize(), "f"))


def csv_rows(campaign):
    """One row per accepted link of every claim (CSV_COLUMNS); claims without links get one
    row with empty link cells, so every claim appears."""
    for claim, rows in campaign_link_rows(campaign):
        head = [
            claim.pk,
            claim.statement,
            plain(claim.primary_value),
            claim.primary_qualifier,
            claim.primary_source,
        ]
        if not rows:
            yield head + [None] * (len(CSV_COLUMNS) - len(head))
        for r in rows:
            yield head + [
                r.outlet,
                r.document,
                r.passage_id,
                r.text,
                plain(r.value),
                r.qualifier,
                r.unit,
                r.currency,
                r.value_text,
                r.attributed,
                r.attributed_to,
                r.cited_type,
                r.diverges_from_others,
                r.diverges_from_primary,
            ]


def outlet_claim_columns(campaign, outlets=None) -> pd.DataFrame:
    """Per outlet name: claims_covered, claims_diverging, claims_unattributed (accepted links
    only; see annotate.claim_divergence.outlet_claim_counts). Two queries."""
    frame = pd.DataFrame(
        [
            (claim.pk, r.outlet, r.value is not None, r.attributed, r.diverges)
            for claim, rows in campaign_link_rows(campaign)
            for r in rows
        ],
        columns=["claim", "outlet", "has_value", "attributed", "diverges"],
    )
    return outlet_claim_counts(frame, outlets)

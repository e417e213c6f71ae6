"""Reads for the claim pages, the claims CSV, suggestions and the per-outlet report's claim columns.

Each function is a fixed number of queries whatever the number of claims and links;
the maths (which values diverge, the per-outlet counts) is in annotate.claims.divergence.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.db.models import Count, Q

from annotate.claims.divergence import (
    FIGURE_COLUMNS,
    LINK_COLUMNS,
    claim_divergence,
    outlet_claim_counts,
)
from annotate.models import (
    Adjudication,
    Annotation,
    Assignment,
    CampaignDocument,
    Claim,
    ClaimLink,
    ClaimSuggestion,
)
from corpus.models import Figure, Passage

Status = ClaimLink.Status
# What a curator may correct on a link (claims.services.update_link), in LinkRow's order.
EDITABLE_LINK_FIELDS = (
    "value",
    "qualifier",
    "unit",
    "currency",
    "value_text",
    "attributed",
    "attributed_to",
    "cited_type",
)
LINK_FIELDS = (
    "id",
    "claim_id",
    "passage_id",
    "passage__text",
    "passage__document_id",
    "passage__document__title",
    "passage__document__source__name",
    *EDITABLE_LINK_FIELDS,
    "status",
)
# What _read_figures takes from a linked passage's figures.
LINK_FIGURE_FIELDS = ("value", "currency", "qualifier", "unit", "kind", "low", "high", "change")


def claim_in(campaign, pk):
    """The campaign's claim ``pk``, or None."""
    return Claim.objects.filter(campaign=campaign, pk=pk).first()


def claim_of_link(campaign, link_id):
    """The claim of the campaign that link ``link_id`` belongs to, or None."""
    return Claim.objects.filter(campaign=campaign, links__pk=link_id).first()


def open_suggestions(campaign):
    """The campaign's suggestions waiting for a curator, best first."""
    return ClaimSuggestion.objects.filter(
        campaign=campaign, status=ClaimSuggestion.Status.OPEN
    ).order_by("rank", "id")


def own_place(campaign, pk, reviewer):
    """The reviewer's own place ``pk`` in the campaign with its passage and outlet, or None."""
    return (
        Assignment.objects.filter(campaign=campaign, pk=pk, reviewer=reviewer)
        .select_related("passage__document__source")
        .first()
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
    # From the passage's figure the value came from (_read_figures), for divergence.
    kind: str = ""
    low: object = None
    high: object = None
    change: str = ""
    # Whether anyone has said whom the passage cites: a reviewer's annotation or a curator's
    # decision exists (_read_attribution). Unknown is not the same as unattributed.
    attribution_known: bool = True

    @property
    def unattributed(self):
        """A figure given without saying who it comes from, as far as anyone has read it."""
        return self.value is not None and not self.attributed and self.attribution_known

    @property
    def diverges(self):
        return self.diverges_from_others or self.diverges_from_primary


def _links(links_queryset):
    """Link rows with their figures' kind, range and change: two queries."""
    rows = [
        LinkRow(*row)
        for row in links_queryset.values_list(*LINK_FIELDS).order_by(
            "claim_id",
            "passage__document__source__name",
            "passage__document_id",
            "passage__position",
        )
    ]
    if rows:
        _read_figures(rows, links_queryset)
        _read_attribution(rows, links_queryset)
    return rows


def _read_attribution(rows, links_queryset):
    """Mark the rows whose passage nobody has labelled or decided in the claim's campaign:
    their attribution is unknown, not missing (one query)."""
    passages = links_queryset.values("passage_id")
    campaigns = links_queryset.values("claim__campaign_id")
    read = Annotation.objects.filter(
        assignment__passage_id__in=passages, assignment__campaign_id__in=campaigns
    ).values_list("assignment__passage_id", flat=True)
    decided = Adjudication.objects.filter(
        passage_id__in=passages, campaign_id__in=campaigns
    ).values_list("passage_id", flat=True)
    known = set(read.order_by().union(decided.order_by()))
    for row in rows:
        row.attribution_known = row.attributed or row.passage_id in known


def _read_figures(rows, links_queryset):
    """Give each row the kind, range (low, high) and change of the figure of its passage
    that states the link's value, so divergence compares like with like (one query).

    A link records the value, qualifier, unit and currency; the figure it came from says
    the rest. A value the curator corrected matches no figure and stays a level of
    unknown kind, compared with any value in its currency."""
    by_passage = {}
    for passage_id, *figure in (
        Figure.objects.filter(passage_id__in=links_queryset.values("passage_id"))
        .values_list("passage_id", *LINK_FIGURE_FIELDS)
        .order_by("passage_id", "start")
    ):
        by_passage.setdefault(passage_id, []).append(
            dict(zip(LINK_FIGURE_FIELDS, figure, strict=True))
        )
    for row in rows:
        if row.value is None:
            continue
        same = [
            f
            for f in by_passage.get(row.passage_id, [])
            if f["value"] == row.value and f["currency"] == row.currency
        ]
        if not same:
            continue
        # Several figures may state this value ("$500 to $1,000" twice over): prefer the
        # one the link's qualifier and unit also describe.
        found = max(same, key=lambda f: (f["qualifier"] == row.qualifier, f["unit"] == row.unit))
        for key in ("kind", "low", "high", "change"):
            setattr(row, key, found[key])


def flag_links(claim, rows):
    """Set the divergence flags of one claim's accepted link rows (annotate.claims.divergence)."""
    if not rows:
        return rows
    fields = ("id", "outlet", "value", "qualifier", "currency", *FIGURE_COLUMNS)
    frame = pd.DataFrame(
        [[getattr(r, f) for f in fields] for r in rows], columns=[*LINK_COLUMNS, *FIGURE_COLUMNS]
    )
    primary = None
    if claim.primary_value is not None:
        primary = (claim.primary_value, claim.primary_qualifier, claim.currency, claim.kind)
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
                (row.unattributed, "no attribution"),
                (
                    row.value is not None and not row.attribution_known,
                    "attribution not known yet (nobody has labelled the passage)",
                ),
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
    only; see annotate.claims.divergence.outlet_claim_counts). Two queries."""
    # An attribution nobody has read yet is not counted as missing.
    frame = pd.DataFrame(
        [
            (claim.pk, r.outlet, r.value is not None, not r.unattributed, r.diverges)
            for claim, rows in campaign_link_rows(campaign)
            for r in rows
        ],
        columns=["claim", "outlet", "has_value", "attributed", "diverges"],
    )
    return outlet_claim_counts(frame, outlets)


# Passages and suggestions -------------------------------------------------------


def campaign_passages(campaign):
    """Passages of the campaign's documents that reviewers see (boilerplate is context only)."""
    return Passage.objects.filter(
        document_id__in=CampaignDocument.objects.filter(campaign=campaign).values("document_id")
    ).exclude(kind=Passage.Kind.BOILERPLATE)


def attribution(campaign, passage_id):
    """(cited source, cited type) reviewers give the passage: the curator's decision if there
    is one, else the most common pair among the reviewers' annotations ("", "" if none)."""
    decided = (
        Adjudication.objects.filter(campaign=campaign, passage_id=passage_id)
        .values_list("cited_source", "cited_type")
        .first()
    )
    if decided is not None:
        return decided
    given = Annotation.objects.filter(
        assignment__campaign=campaign, assignment__passage_id=passage_id
    ).values_list("cited_source", "cited_type")
    # Spellings of one source differ only in case and spacing; count them together.
    counts = Counter((" ".join(source.split()), kind) for source, kind in given)
    if not counts:
        return "", ""
    (source, kind), _ = max(counts.items(), key=lambda item: (item[1], bool(item[0][0]), item[0]))
    return source, kind


# What annotate.claims.suggest reads of each figure.
SUGGESTION_FIGURE_FIELDS = tuple(
    "kind unit currency value low high qualifier change entity text".split()
)


def suggestion_frames(campaign):
    """(passages, figures) long frames for annotate.claims.suggest: two queries."""
    passages = campaign_passages(campaign)
    with_figures = passages.filter(figures__isnull=False).distinct()
    passage_rows = list(
        with_figures.values_list("id", "document__source_id", "text").order_by("id")
    )
    figure_rows = list(
        Figure.objects.filter(passage__in=with_figures.values("id"))
        .values_list("passage_id", *SUGGESTION_FIGURE_FIELDS)
        .order_by("passage_id", "start")
    )
    return (
        pd.DataFrame(passage_rows, columns=["passage", "outlet", "text"]),
        pd.DataFrame(figure_rows, columns=["passage", *SUGGESTION_FIGURE_FIELDS]),
    )


def search_passages(campaign, query, limit=20):
    """Campaign passages whose text contains `query` (case-insensitive), with their outlet."""
    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    return list(
        campaign_passages(campaign)
        .filter(Q(text__icontains=query))
        .select_related("document__source")
        .order_by("document__source__name", "document_id", "position")[:limit]
    )


def statements_for_reviewers(campaign):
    """(id, statement) of the campaign's claims: all a reviewer sees of them. One query."""
    return list(
        Claim.objects.filter(campaign=campaign).order_by("statement").values_list("pk", "statement")
    )

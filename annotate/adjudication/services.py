"""Curators' decisions: writes for the adjudication queue.

A decision is one Adjudication row per (campaign, passage), revised in
place; every change appends an AdjudicationRevision with who, when, before
and after, so nothing a curator decided is ever lost. Unanimous passages
need no row: the final label is computed from the annotations (see
annotate.reports.reliability.final_labels), so it cannot drift from them.

A decision's evidence spans go through the same gate as a reviewer's
(annotate.spans.selectors.check_spans): a bad span refuses the whole decision
with its reason, and nothing is written.
"""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotate.adjudication.consensus import MIN_AGREEING, Vote, consensus, majority_rationale
from annotate.jobs.versions import bump
from annotate.models import (
    Adjudication,
    AdjudicationRevision,
    Annotation,
    CitedSourceType,
)
from annotate.retry import retry_when_busy
from annotate.spans.layers import SpanError
from annotate.spans.selectors import check_spans
from corpus.models import Passage

Method = Adjudication.Method


class AdjudicationError(Exception):
    """A decision that cannot be recorded; the message is shown to the curator."""


class SpansRefused(AdjudicationError):
    """The decision's evidence spans do not fit the passage or the scheme."""


def votes_by_passage(campaign, passage_ids):
    """{passage id: [Vote, ...]} for the given passages, in one query."""
    votes = defaultdict(list)
    rows = (
        Annotation.objects.filter(
            assignment__campaign=campaign, assignment__passage_id__in=passage_ids
        )
        .order_by("assignment__passage_id", "assignment__slot")
        .values_list(
            "assignment__passage_id", "label", "cited_type", "cited_source", "markers", "spans"
        )
    )
    for passage_id, label, cited_type, cited_source, markers, spans in rows:
        votes[passage_id].append(
            Vote(label, cited_type, cited_source, tuple(markers or ()), tuple(spans or ()))
        )
    return votes


def scheme_values(campaign):
    """The label and bias-marker codes a decision may use."""
    scheme = campaign.scheme
    return set(scheme.labels.values_list("value", flat=True)), set(
        scheme.markers.values_list("value", flat=True)
    )


def _validate(campaign, passage_id, data, allowed=None):
    """Refuse a decision the scheme or the campaign does not allow, before anything is written.

    Cleans ``data["spans"]`` in place (trimmed, in order); SpansRefused for a bad span."""
    labels, markers = allowed or scheme_values(campaign)
    if data["label"] not in labels:
        raise AdjudicationError(f"“{data['label']}” is not a label of this campaign's scheme.")
    unknown = set(data["markers"]) - markers
    if unknown:
        raise AdjudicationError(
            f"Not bias markers of this campaign's scheme: {', '.join(sorted(unknown))}."
        )
    if data["cited_type"] not in CitedSourceType.values:
        raise AdjudicationError(f"“{data['cited_type']}” is not a type of cited source.")
    if not data["rationale"].strip():
        raise AdjudicationError("Write a short rationale for the decision.")
    passage = (
        Passage.objects.filter(pk=passage_id, assignments__campaign=campaign)
        .values_list("text", "start")
        .first()
    )
    if passage is None:
        raise AdjudicationError("That passage is not part of this campaign.")
    text, start = passage
    try:
        data["spans"] = check_spans(
            campaign.scheme, text, start, data["spans"], data["cited_type"], data["markers"]
        )
    except SpanError as exc:
        raise SpansRefused(f"Nothing was saved: {exc}") from exc


@retry_when_busy(AdjudicationError)
def decide(campaign, curator, passage_id, data, method=Method.CHOSEN, now=None, allowed=None):
    """Record or revise the final answer for one passage; returns (adjudication, changed).

    `data` has label, cited_type, cited_source, markers, spans (evidence spans, see
    annotate.spans.layers; none when missing) and rationale. The same decision posted
    twice (a double submit) is stored once.
    """
    now = now or timezone.now()
    data = {
        "label": data["label"],
        "cited_type": data.get("cited_type") or "",
        "cited_source": (data.get("cited_source") or "").strip(),
        "markers": sorted(set(data.get("markers") or [])),
        "spans": data.get("spans") or [],
        "rationale": (data.get("rationale") or "").strip(),
        "method": method,
    }
    _validate(campaign, passage_id, data, allowed)
    with transaction.atomic():
        adjudication = _locked(campaign, passage_id)
        if adjudication is None:
            try:
                # A savepoint, so a curator who decided the same passage a moment earlier
                # turns this into a revision rather than an error.
                with transaction.atomic():
                    adjudication = Adjudication.objects.create(
                        campaign=campaign,
                        passage_id=passage_id,
                        decided_by=curator,
                        decided_at=now,
                        **data,
                    )
            except IntegrityError:
                adjudication = _locked(campaign, passage_id)
            else:
                AdjudicationRevision.objects.create(
                    adjudication=adjudication,
                    changed_by=curator,
                    changed_at=now,
                    before=None,
                    after=adjudication.snapshot(),
                )
                bump(campaign.pk)
                return adjudication, True
        before = adjudication.snapshot()
        for name, value in data.items():
            setattr(adjudication, name, value)
        after = adjudication.snapshot()
        if after == before:
            return adjudication, False
        adjudication.decided_by = curator
        adjudication.decided_at = now
        adjudication.save()
        AdjudicationRevision.objects.create(
            adjudication=adjudication,
            changed_by=curator,
            changed_at=now,
            before=before,
            after=after,
        )
        bump(campaign.pk)
        return adjudication, True


def _locked(campaign, passage_id):
    return (
        Adjudication.objects.select_for_update()
        .filter(campaign=campaign, passage_id=passage_id)
        .order_by("pk")
        .first()
    )


@retry_when_busy(AdjudicationError)
def accept_majority(campaign, curator, passage_ids, now=None):
    """Accept the reviewers' majority on each selected passage; returns (accepted, left).

    `left` maps passage ids to why they were left for the curator: no strict
    majority of at least two reviewers on the passage type, or none on the cited-source
    type, only one reviewer, no annotations, an existing decision (bulk accept never
    overrides a curator's choice), or, where the scheme requires spans, agreed spans
    that do not show the cited source and each marker. The final spans are those at
    least MIN_AGREEING reviewers marked identically (consensus.agreed_spans).
    All or nothing: one transaction for the whole selection.
    """
    now = now or timezone.now()
    passage_ids = sorted(set(passage_ids))
    decided = set(
        Adjudication.objects.filter(campaign=campaign, passage_id__in=passage_ids).values_list(
            "passage_id", flat=True
        )
    )
    votes = votes_by_passage(campaign, passage_ids)
    allowed = scheme_values(campaign)
    accepted, left = [], {}
    with transaction.atomic():
        for passage_id in passage_ids:
            if passage_id in decided:
                left[passage_id] = "already decided"
                continue
            c = consensus(votes.get(passage_id, []))
            if not c.reviewers:
                left[passage_id] = "no annotations"
                continue
            if not c.has_majority:
                left[passage_id] = (
                    "only one reviewer" if c.reviewers < MIN_AGREEING else "no majority"
                )
                continue
            decision = {
                "label": c.label,
                "cited_type": c.cited_type,
                "cited_source": c.cited_source,
                "markers": c.markers,
                "spans": c.spans,
                "rationale": majority_rationale(c),
            }
            try:
                decide(
                    campaign,
                    curator,
                    passage_id,
                    decision,
                    method=Method.MAJORITY,
                    now=now,
                    allowed=allowed,
                )
            except SpansRefused:
                # Refused before anything was written for this passage.
                left[passage_id] = "spans not agreed"
                continue
            accepted.append(passage_id)
    return accepted, left

"""Writes for claims: create claims, link passages, propose and decide links, suggestions.

Every public write runs in one transaction and raises ClaimError, with a message
for the page, on any bad input; nothing is written then. Nothing is linked without
a person: suggestions only become links when a curator accepts them, and links a
reviewer proposes wait for a curator.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from annotate.claims.selectors import (
    EDITABLE_LINK_FIELDS,
    attribution,
    campaign_passages,
    suggestion_frames,
)
from annotate.claims.suggest import suggest_pairs
from annotate.jobs.versions import bump
from annotate.models import Claim, ClaimLink, ClaimSuggestion
from corpus.models import Figure

Status = ClaimLink.Status
SUGGESTIONS_KEPT = 200


class ClaimError(Exception):
    """A claim request that cannot be honoured; the message is shown on the page."""


# Checks used by the writes ------------------------------------------------------


def _passage(campaign, passage_id):
    passage = (
        campaign_passages(campaign).filter(pk=passage_id).select_related("document__source").first()
    )
    if passage is None:
        raise ClaimError("That passage is not part of this campaign.")
    return passage


def _claim(campaign, claim_id):
    claim = Claim.objects.filter(campaign=campaign, pk=claim_id).first()
    if claim is None:
        raise ClaimError("There is no such claim in this campaign.")
    return claim


def pick_figure(claim, figures):
    """The passage's figure that best fits the claim: same kind and unit or currency, else a
    unit the statement names ("Aircraft left behind" picks "78 aircraft"), else same kind,
    else the first one; None when the passage states no figure."""
    figures = list(figures)
    if not figures:
        return None
    words = {w.strip(".,;:()\"'").lower() for w in claim.statement.split()}
    words |= {w[:-1] for w in words if w.endswith("s")}

    def fit(f):
        same_kind = not claim.kind or f.kind == claim.kind
        same_detail = (claim.unit and f.unit == claim.unit) or (
            claim.currency and f.currency == claim.currency
        )
        named = bool(f.unit) and (f.unit in words or f.unit.rstrip("s") in words)
        return (not (same_kind and same_detail), not named, not same_kind)

    return min(figures, key=fit)


def prefill(campaign, claim, passage):
    """A link's fields as proposed for a passage: value from its extracted figure,
    attribution from what reviewers (or the curator) said it cites."""
    figure = pick_figure(claim, Figure.objects.filter(passage=passage))
    source, cited_type = attribution(campaign, passage.pk)
    fields = {
        "attributed_to": source,
        "cited_type": cited_type,
        "attributed": bool(source or cited_type),
    }
    if figure is not None:
        fields.update(
            value=figure.value,
            qualifier=figure.qualifier,
            unit=figure.unit,
            currency=figure.currency,
            value_text=figure.text,
        )
    return fields


# Claims and links -----------------------------------------------------------------


DECISION_FIELDS = ["status", "decided_by", "decided_at", "updated_at"]


def _save_by(user, row, **options):
    """Save a claim or link, recording `user` in its history (django-simple-history): the
    request's user is not there when a command or a job makes the change."""
    row._history_user = user
    row.save(**options)
    return row


def create_claim(campaign, user, statement, **details):
    """A new claim; `details` may set kind, unit, currency, primary_value/qualifier/source."""
    statement = " ".join((statement or "").split())
    if not statement:
        raise ClaimError("Write the claim's statement: what is asserted, in a few words.")
    if len(statement) > 300:
        raise ClaimError("Keep the statement under 300 characters.")
    with transaction.atomic():
        if Claim.objects.filter(campaign=campaign, statement__iexact=statement).exists():
            raise ClaimError(f"A claim “{statement}” already exists in this campaign.")
        bump(campaign.pk)
        return _save_by(
            user, Claim(campaign=campaign, statement=statement, created_by=user, **details)
        )


def update_claim(campaign, user, claim_id, **details):
    with transaction.atomic():
        claim = _claim(campaign, claim_id)
        statement = " ".join((details.pop("statement", claim.statement) or "").split())
        if not statement:
            raise ClaimError("Write the claim's statement: what is asserted, in a few words.")
        clash = Claim.objects.filter(campaign=campaign, statement__iexact=statement).exclude(
            pk=claim.pk
        )
        if clash.exists():
            raise ClaimError(f"A claim “{statement}” already exists in this campaign.")
        claim.statement = statement
        for key, value in details.items():
            setattr(claim, key, value)
        bump(campaign.pk)
        return _save_by(user, claim)


def delete_claim(campaign, user, claim_id):
    with transaction.atomic():
        claim = _claim(campaign, claim_id)
        ClaimSuggestion.objects.filter(claim=claim).update(claim=None)
        claim._history_user = user
        claim.delete()
        bump(campaign.pk)


def link_passage(campaign, user, claim_id, passage_id):
    """A curator links a passage by hand: accepted at once, fields prefilled.

    A passage a reviewer proposed for the claim is accepted; a rejected one is
    accepted again with fresh prefilled values.
    """
    with transaction.atomic():
        claim = _claim(campaign, claim_id)
        passage = _passage(campaign, passage_id)
        now = timezone.now()
        link = ClaimLink.objects.select_for_update().filter(claim=claim, passage=passage).first()
        if link is not None and link.status == Status.ACCEPTED:
            raise ClaimError("That passage is already linked to this claim.")
        fields = prefill(campaign, claim, passage)
        bump(campaign.pk)
        if link is None:
            link = ClaimLink(
                claim=claim,
                passage=passage,
                status=Status.ACCEPTED,
                proposed_by=user,
                decided_by=user,
                decided_at=now,
                **fields,
            )
            return _save_by(user, link)
        for key, value in fields.items():
            setattr(link, key, value)
        link.status, link.decided_by, link.decided_at = Status.ACCEPTED, user, now
        return _save_by(user, link)


def propose_link(campaign, user, claim_id, passage_id):
    """A reviewer proposes that a passage they work on asserts a claim; a curator decides.

    Proposing again what is already proposed or accepted changes nothing; a
    rejected link stays rejected (the curator said no).
    """
    with transaction.atomic():
        claim = _claim(campaign, claim_id)
        passage = _passage(campaign, passage_id)
        link = ClaimLink.objects.filter(claim=claim, passage=passage).first()
        if link is not None:
            if link.status == Status.REJECTED:
                raise ClaimError(
                    "A curator already decided this passage does not assert that claim."
                )
            return link, False
        try:
            with transaction.atomic():
                link = ClaimLink(
                    claim=claim,
                    passage=passage,
                    status=Status.PROPOSED,
                    proposed_by=user,
                    **prefill(campaign, claim, passage),
                )
                _save_by(user, link)
                bump(campaign.pk)
        except IntegrityError:  # proposed at the same moment by someone else
            return ClaimLink.objects.get(claim=claim, passage=passage), False
        return link, True


def _link(campaign, link_id):
    link = (
        ClaimLink.objects.select_for_update().filter(claim__campaign=campaign, pk=link_id).first()
    )
    if link is None:
        raise ClaimError("There is no such link in this campaign.")
    return link


def decide_link(campaign, user, link_id, accept):
    with transaction.atomic():
        link = _link(campaign, link_id)
        link.status = Status.ACCEPTED if accept else Status.REJECTED
        link.decided_by, link.decided_at = user, timezone.now()
        bump(campaign.pk)
        return _save_by(user, link, update_fields=DECISION_FIELDS)


def update_link(campaign, user, link_id, data):
    """Correct what a link records (value, qualifier, attribution); the link is accepted."""
    with transaction.atomic():
        link = _link(campaign, link_id)
        if "value" in data and data["value"] != link.value:
            link.value_text = ""  # the passage's wording no longer matches: show the number
        for key in EDITABLE_LINK_FIELDS:
            if key in data:
                setattr(link, key, data[key])
        if link.value is not None and not link.value_text:
            link.value_text = format(Decimal(link.value).normalize(), "f")
        link.status, link.decided_by, link.decided_at = Status.ACCEPTED, user, timezone.now()
        bump(campaign.pk)
        return _save_by(user, link)


def remove_link(campaign, user, link_id):
    with transaction.atomic():
        link = _link(campaign, link_id)
        link._history_user = user
        link.delete()
        bump(campaign.pk)


# Suggestions -----------------------------------------------------------------------


def _settled_pairs(campaign):
    """Pairs never to suggest again: decided suggestions, and passages already in one claim."""
    pairs = set(
        ClaimSuggestion.objects.filter(campaign=campaign)
        .exclude(status=ClaimSuggestion.Status.OPEN)
        .values_list("passage_a_id", "passage_b_id")
    )
    by_claim = {}
    for claim_id, passage_id in (
        ClaimLink.objects.filter(claim__campaign=campaign)
        .exclude(status=Status.REJECTED)
        .values_list("claim_id", "passage_id")
    ):
        by_claim.setdefault(claim_id, []).append(passage_id)
    for members in by_claim.values():
        members.sort()
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def refresh_suggestions(campaign, limit=SUGGESTIONS_KEPT):
    """Recompute the campaign's open suggestions; decided ones stay as they are."""
    passages, figures = suggestion_frames(campaign)
    with transaction.atomic():
        settled = _settled_pairs(campaign)
        pairs = suggest_pairs(passages, figures, limit=limit, exclude=settled)
        ClaimSuggestion.objects.filter(
            campaign=campaign, status=ClaimSuggestion.Status.OPEN
        ).delete()
        ClaimSuggestion.objects.bulk_create(
            ClaimSuggestion(
                campaign=campaign,
                passage_a_id=row.passage_a,
                passage_b_id=row.passage_b,
                score=row.score,
                similarity=row.similarity,
                shared=row.shared[:200],
                rank=rank,
            )
            for rank, row in enumerate(pairs.itertuples(index=False), start=1)
        )
        bump(campaign.pk)
        return len(pairs)


def _open_suggestion(campaign, suggestion_id):
    suggestion = (
        ClaimSuggestion.objects.select_for_update()
        .filter(campaign=campaign, pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise ClaimError("There is no such suggestion in this campaign.")
    if suggestion.status != ClaimSuggestion.Status.OPEN:
        raise ClaimError(f"This suggestion was already {suggestion.get_status_display().lower()}.")
    return suggestion


def accept_suggestion(campaign, user, suggestion_id, statement="", claim_id=None):
    """Link both passages of a suggestion: into a new claim with `statement`, or into an
    existing claim. Returns the claim."""
    with transaction.atomic():
        suggestion = _open_suggestion(campaign, suggestion_id)
        if claim_id:
            claim = _claim(campaign, claim_id)
        elif (statement or "").strip():
            kind, detail = _shared_detail(suggestion.shared)
            claim = create_claim(
                campaign,
                user,
                statement,
                kind=kind,
                unit="" if kind == "money" else detail,
                currency=detail if kind == "money" else "",
            )
        else:
            raise ClaimError("Write a statement for the new claim, or pick an existing claim.")
        now = timezone.now()
        for passage_id in (suggestion.passage_a_id, suggestion.passage_b_id):
            link = ClaimLink.objects.filter(claim=claim, passage_id=passage_id).first()
            passage = _passage(campaign, passage_id)
            if link is None:
                link = ClaimLink(
                    claim=claim,
                    passage=passage,
                    status=Status.ACCEPTED,
                    proposed_by=user,
                    decided_by=user,
                    decided_at=now,
                    **prefill(campaign, claim, passage),
                )
                _save_by(user, link)
            elif link.status != Status.ACCEPTED:
                link.status, link.decided_by, link.decided_at = Status.ACCEPTED, user, now
                _save_by(user, link, update_fields=DECISION_FIELDS)
        suggestion.status, suggestion.claim = ClaimSuggestion.Status.ACCEPTED, claim
        suggestion.decided_by, suggestion.decided_at = user, now
        suggestion.save()
        bump(campaign.pk)
        return claim


def reject_suggestion(campaign, user, suggestion_id):
    with transaction.atomic():
        suggestion = _open_suggestion(campaign, suggestion_id)
        suggestion.status = ClaimSuggestion.Status.REJECTED
        suggestion.decided_by, suggestion.decided_at = user, timezone.now()
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
        bump(campaign.pk)
        return suggestion


# Signature details that name no unit a claim could record.
NO_UNIT = {"%", "×", "(unnamed)"}


def _shared_detail(shared):
    """(kind, unit or currency) from a suggestion's signature, the first part of ``shared``
    ("count weapons, 78 vs about 80, ..."); the rest says why the pair was proposed."""
    kind, _, detail = (shared or "").split(",")[0].strip().partition(" ")
    if not detail or detail.startswith("~"):
        return "", ""
    return kind, "" if detail in NO_UNIT else detail

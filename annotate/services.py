"""Writes that touch several rows: campaign activation, the queue, saving labels.

Each public function runs in one transaction. The queue's guarantees rest on
the database, not on Python: a passage has exactly `overlap` assignment slots,
a slot changes hands only through a conditional UPDATE, and unique constraints
stop a reviewer holding two slots of one passage or two claims at once.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from annotate.models import (
    Annotation,
    AnnotationRevision,
    Assignment,
    Campaign,
    CampaignDocument,
    Skip,
)
from corpus.models import Passage

CLAIM_RETRIES = 5


class QueueError(Exception):
    """A request the queue cannot honour; the message is shown to the reviewer."""


def activate_campaign(campaign):
    with transaction.atomic():
        campaign.status = Campaign.Status.ACTIVE
        campaign.save(update_fields=["status"])
        return sync_slots(campaign)


def add_documents(campaign, documents):
    """Add documents at the end of the campaign's reading order, then give them slots."""
    with transaction.atomic():
        start = CampaignDocument.objects.filter(campaign=campaign).aggregate(m=Max("position"))["m"]
        start = -1 if start is None else start
        present = set(CampaignDocument.objects.filter(campaign=campaign).values_list("document_id", flat=True))
        new = [d for d in documents if d.pk not in present]
        CampaignDocument.objects.bulk_create(
            CampaignDocument(campaign=campaign, document=d, position=start + 1 + i)
            for i, d in enumerate(new)
        )
        if campaign.status != Campaign.Status.DRAFT:
            sync_slots(campaign)
        return len(new)


def sync_slots(campaign):
    """Give every annotatable passage of the campaign `overlap` slots; return how many were made.

    Open slots above a lowered overlap are removed; claimed and done ones stay,
    because they hold a reviewer's work.
    """
    passages = (
        Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document__campaigndocument__position", "document_id", "position")
        .values_list("pk", flat=True)
    )
    existing = {}
    for passage_id, slot, sequence in Assignment.objects.filter(campaign=campaign).values_list(
        "passage_id", "slot", "sequence"
    ):
        existing.setdefault(passage_id, (sequence, set()))[1].add(slot)
    next_sequence = max((s for s, _ in existing.values()), default=-1) + 1
    new = []
    for passage_id in passages.iterator(chunk_size=5000):
        sequence, slots = existing.get(passage_id, (None, set()))
        if sequence is None:
            sequence, next_sequence = next_sequence, next_sequence + 1
        new.extend(
            Assignment(campaign=campaign, passage_id=passage_id, slot=slot, sequence=sequence)
            for slot in range(1, campaign.overlap + 1)
            if slot not in slots
        )
    Assignment.objects.bulk_create(new, batch_size=2000)
    Assignment.objects.filter(
        campaign=campaign, status=Assignment.Status.OPEN, slot__gt=campaign.overlap
    ).delete()
    return len(new)


def claim_next(campaign, reviewer, now=None):
    """Hand the reviewer their next passage, in reading order, or None when none is left.

    A reviewer who already holds a claim gets the same one back, so a reload,
    a second tab or a double click never spreads one reviewer over two passages.
    """
    if not campaign.is_active:
        raise QueueError("This campaign is not active; no passages are being handed out.")
    now = now or timezone.now()
    expires = now + timedelta(minutes=settings.CREDENCE_CLAIM_MINUTES)
    with transaction.atomic():
        # Serialise this reviewer's own requests (PostgreSQL row lock; SQLite
        # already serialises write transactions, see settings).
        get_user_model().objects.select_for_update().filter(pk=reviewer.pk).exists()
        current = Assignment.objects.for_reviewer(reviewer).pending().filter(campaign=campaign).first()
        if current is not None:
            current.expires_at = expires
            current.save(update_fields=["expires_at"])
            return current
        for _ in range(CLAIM_RETRIES):
            candidate = _first_available(campaign, reviewer, now)
            if candidate is None:
                return None
            # Conditional update: if another reviewer took this slot since we
            # read it, nothing changes and we look again.
            taken = (
                Assignment.objects.filter(pk=candidate.pk)
                .available(now)
                .update(
                    reviewer=reviewer,
                    status=Assignment.Status.CLAIMED,
                    claimed_at=now,
                    expires_at=expires,
                )
            )
            if taken:
                candidate.refresh_from_db()
                return candidate
        raise QueueError("Many reviewers asked at once; please try again.")


def _first_available(campaign, reviewer, now):
    held = Assignment.objects.filter(campaign=campaign, reviewer=reviewer, passage=OuterRef("passage"))
    skipped = Skip.objects.filter(campaign=campaign, reviewer=reviewer, passage=OuterRef("passage"))
    base = Assignment.objects.filter(campaign=campaign).exclude(Exists(held)).exclude(Exists(skipped))
    order = ("sequence", "slot")
    candidates = [
        base.filter(status=Assignment.Status.OPEN).order_by(*order).first(),
        base.filter(status=Assignment.Status.CLAIMED, expires_at__lt=now).order_by(*order).first(),
    ]
    candidates = [c for c in candidates if c is not None]
    return min(candidates, key=lambda a: (a.sequence, a.slot)) if candidates else None


def save_annotation(campaign, reviewer, assignment_id, data, now=None):
    """Store or revise the reviewer's annotation on an assignment; returns (annotation, changed).

    Saving the same values twice (a double submit) stores one annotation and
    one revision. Every change is recorded with who, when, before and after.
    """
    if not campaign.is_active:
        raise QueueError("This campaign is not active; labels can no longer be changed.")
    now = now or timezone.now()
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update().filter(pk=assignment_id, campaign=campaign).first()
        )
        if assignment is None:
            raise QueueError("That passage is not part of this campaign.")
        if assignment.reviewer_id != reviewer.pk:
            assignment = _reclaim(campaign, reviewer, assignment, now)
        annotation = Annotation.objects.filter(assignment=assignment).first()
        before = annotation.snapshot() if annotation else None
        if annotation is None:
            annotation = Annotation(assignment=assignment)
        for name, value in data.items():
            setattr(annotation, name, value)
        after = annotation.snapshot()
        if after == before:
            return annotation, False
        annotation.save()
        AnnotationRevision.objects.create(
            annotation=annotation, changed_by=reviewer, changed_at=now, before=before, after=after
        )
        if assignment.status != Assignment.Status.DONE:
            assignment.status = Assignment.Status.DONE
            assignment.done_at = now
            assignment.expires_at = None
            assignment.save(update_fields=["status", "done_at", "expires_at"])
        return annotation, True


def _reclaim(campaign, reviewer, lost, now):
    """The reviewer's claim expired and was handed on: find them another slot on the same passage."""
    mine = Assignment.objects.filter(campaign=campaign, passage_id=lost.passage_id, reviewer=reviewer).first()
    if mine is not None:
        return mine
    spare = (
        Assignment.objects.select_for_update()
        .filter(campaign=campaign, passage_id=lost.passage_id)
        .available(now)
        .order_by("slot")
        .first()
    )
    if spare is None:
        raise QueueError(
            "Your reservation of this passage expired and every reviewer place on it has been "
            "taken since; your labels were not saved. They are still in the form below."
        )
    spare.reviewer = reviewer
    spare.status = Assignment.Status.CLAIMED
    spare.claimed_at = now
    try:
        with transaction.atomic():
            spare.save(update_fields=["reviewer", "status", "claimed_at"])
    except IntegrityError:
        # The reviewer holds another claim; it is released so this work can land.
        Assignment.objects.for_reviewer(reviewer).pending().filter(campaign=campaign).update(
            reviewer=None, status=Assignment.Status.OPEN, claimed_at=None, expires_at=None
        )
        spare.save(update_fields=["reviewer", "status", "claimed_at"])
    return spare


def skip(campaign, reviewer, assignment_id, reason):
    """Pass on a claimed passage: it returns to the queue and this reviewer will not get it again."""
    reason = (reason or "").strip()
    if not reason:
        raise QueueError("Please say why you are skipping this passage.")
    if not campaign.is_active:
        raise QueueError("This campaign is not active.")
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .for_reviewer(reviewer)
            .filter(pk=assignment_id, campaign=campaign)
            .first()
        )
        if assignment is None:
            raise QueueError("That passage is not reserved for you.")
        if assignment.status == Assignment.Status.DONE:
            raise QueueError("You have already labelled this passage; change the labels instead.")
        Skip.objects.get_or_create(
            campaign=campaign,
            passage_id=assignment.passage_id,
            reviewer=reviewer,
            defaults={"reason": reason[:500]},
        )
        assignment.reviewer = None
        assignment.status = Assignment.Status.OPEN
        assignment.claimed_at = None
        assignment.expires_at = None
        assignment.save(update_fields=["reviewer", "status", "claimed_at", "expires_at"])

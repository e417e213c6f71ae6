"""Writes that touch several rows: campaign activation, the queue, saving labels.

Each public function runs in one transaction. The queue's guarantees rest on
the database, not on Python: a passage has exactly `overlap` assignment slots,
a slot changes hands only through a conditional UPDATE, and unique constraints
stop a reviewer holding two slots of one passage or two claims at once.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
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
ANALYZE_AFTER = 1000


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
        present = set(
            CampaignDocument.objects.filter(campaign=campaign).values_list("document_id", flat=True)
        )
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

    Raising the overlap adds slots; lowering it removes free and claimed slots
    above the new overlap and keeps every done one, because it holds a
    reviewer's work (see _shrink_to_overlap).
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
    _shrink_to_overlap(campaign)
    if len(new) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Fresh places have no planner statistics until autovacuum comes round; until then
        # PostgreSQL sorts every open place on each claim (119 ms against 0.6 ms after
        # ANALYZE with 43,560 places, measured by bench/load.py).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Assignment._meta.db_table}")
    return len(new)


def _shrink_to_overlap(campaign):
    """After overlap was lowered, keep at most `overlap` places per passage plus any done work.

    Work above the new overlap (done or claimed) moves down into a free place
    of the same passage, so lowering 3 to 2 with places 1 done, 2 free and
    3 done leaves two done places, not two done and one free. Places still
    above the overlap are then removed unless they hold done work: a claim
    there would let the passage reach more reviewers than the campaign asks.
    """
    high = list(
        Assignment.objects.filter(campaign=campaign, slot__gt=campaign.overlap)
        .exclude(status=Assignment.Status.OPEN)
        .order_by("passage_id", "-status", "slot")  # done before claimed
        .values_list("pk", "passage_id")
    )
    if high:
        free = {}
        for pk, passage_id, slot in (
            Assignment.objects.filter(
                campaign=campaign,
                passage_id__in={passage_id for _, passage_id in high},
                slot__lte=campaign.overlap,
                status=Assignment.Status.OPEN,
            )
            .order_by("slot")
            .values_list("pk", "passage_id", "slot")
        ):
            free.setdefault(passage_id, []).append((pk, slot))
        for pk, passage_id in high:
            while free.get(passage_id):
                open_pk, slot = free[passage_id].pop(0)
                # Conditional: a reviewer may have just claimed that free place.
                if Assignment.objects.filter(pk=open_pk, status=Assignment.Status.OPEN).delete()[0]:
                    Assignment.objects.filter(pk=pk).update(slot=slot)
                    break
    Assignment.objects.filter(campaign=campaign, slot__gt=campaign.overlap).exclude(
        status=Assignment.Status.DONE
    ).delete()


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
        _lock_reviewer(reviewer)
        current = (
            Assignment.objects.for_reviewer(reviewer)
            .pending()
            .filter(campaign=campaign)
            .order_by("pk")
            .first()
        )
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
            claim = {
                "reviewer": reviewer,
                "status": Assignment.Status.CLAIMED,
                "claimed_at": now,
                "expires_at": expires,
            }
            if Assignment.objects.filter(pk=candidate.pk).available(now).update(**claim):
                for name, value in claim.items():
                    setattr(candidate, name, value)
                return candidate
        raise QueueError("Many reviewers asked at once; please try again.")


def _lock_reviewer(reviewer):
    """Serialise one reviewer's queue writes (claim, save, skip) against each other.

    PostgreSQL: a row lock on the user, held to the end of the transaction.
    SQLite already serialises write transactions (IMMEDIATE mode, see settings).
    """
    list(get_user_model().objects.select_for_update().filter(pk=reviewer.pk).values_list("pk"))


def _first_available(campaign, reviewer, now):
    held = Assignment.objects.filter(
        campaign=campaign, reviewer=reviewer, passage=OuterRef("passage")
    )
    skipped = Skip.objects.filter(campaign=campaign, reviewer=reviewer, passage=OuterRef("passage"))
    base = (
        Assignment.objects.filter(campaign=campaign, slot__lte=campaign.overlap)
        .exclude(passage__kind=Passage.Kind.BOILERPLATE)
        .exclude(Exists(held))
        .exclude(Exists(skipped))
    )
    # PostgreSQL: lock the candidate and pass over slots other reviewers are
    # claiming right now, so eight reviewers asking at once do not all race for
    # the same first slot (ignored on SQLite, where writers take turns).
    base = base.select_for_update(skip_locked=True, of=("self",))
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
    data = dict(data)
    if "markers" in data:
        # Order-free: the same boxes ticked in another order are the same answer.
        data["markers"] = sorted(set(data["markers"] or []))
    with transaction.atomic():
        _lock_reviewer(reviewer)
        assignment = (
            # order_by("pk"): the model's default ordering joins the campaign,
            # and FOR UPDATE would then lock the campaign row too, serialising
            # every save of the campaign and deadlocking against _reclaim.
            Assignment.objects.select_for_update()
            .filter(pk=assignment_id, campaign=campaign)
            .order_by("pk")
            .first()
        )
        if assignment is None:
            raise QueueError("That passage is not part of this campaign.")
        if assignment.reviewer_id != reviewer.pk:
            assignment = _reclaim(campaign, reviewer, assignment, now)
        annotation = Annotation.objects.filter(assignment=assignment).order_by("pk").first()
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
    """The reviewer's claim expired and was handed on: find them another slot on the same passage.

    The spare place goes straight to done (the caller writes the annotation in
    the same transaction), so it never counts as a second claim and the claim
    the reviewer holds now stays theirs.
    """
    mine = (
        Assignment.objects.filter(campaign=campaign, passage_id=lost.passage_id, reviewer=reviewer)
        .order_by("pk")
        .first()
    )
    if mine is not None:
        return mine
    if Skip.objects.filter(
        campaign=campaign, passage_id=lost.passage_id, reviewer=reviewer
    ).exists():
        raise QueueError(
            "You skipped this passage, so it went to other reviewers; your labels were not saved."
        )
    spare_ids = (
        Assignment.objects.filter(
            campaign=campaign, passage_id=lost.passage_id, slot__lte=campaign.overlap
        )
        .available(now)
        .order_by("slot")
        .values_list("pk", flat=True)
    )
    for spare_id in spare_ids:
        # Conditional update, as in claim_next: the place must still be free.
        taken = (
            Assignment.objects.filter(pk=spare_id)
            .available(now)
            .update(
                reviewer=reviewer,
                status=Assignment.Status.DONE,
                claimed_at=now,
                expires_at=None,
                done_at=now,
            )
        )
        if taken:
            return Assignment.objects.get(pk=spare_id)
    raise QueueError(
        "Your reservation of this passage expired and every reviewer place on it has been "
        "taken since; your labels were not saved. They are still in the form below."
    )


def skip(campaign, reviewer, assignment_id, reason):
    """Pass on a claimed passage: it returns to the queue and this reviewer will not get it again."""
    reason = (reason or "").strip()
    if not reason:
        raise QueueError("Please say why you are skipping this passage.")
    if not campaign.is_active:
        raise QueueError("This campaign is not active.")
    with transaction.atomic():
        _lock_reviewer(reviewer)
        assignment = (
            Assignment.objects.select_for_update()
            .for_reviewer(reviewer)
            .filter(pk=assignment_id, campaign=campaign)
            .order_by("pk")  # no join, so only the assignment row is locked
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

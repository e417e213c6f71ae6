"""The queue's writes: handing out passages, saving labels, skipping.

Each public function runs in one transaction. The queue's guarantees rest on
the database, not on Python: a passage has exactly `overlap` assignment slots,
a slot changes hands only through a conditional UPDATE, and unique constraints
stop a reviewer holding two slots of one passage or two claims at once.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotate.jobs.versions import bump
from annotate.models import Annotation, AnnotationRevision, Assignment, Skip
from annotate.retry import retry_when_busy
from annotate.spans.layers import SpanError
from annotate.spans.selectors import check_spans
from corpus.models import Passage

CLAIM_RETRIES = 5


class QueueError(Exception):
    """A request the queue cannot honour; the message is shown to the reviewer."""


@retry_when_busy(QueueError)
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


@retry_when_busy(QueueError)
def save_annotation(campaign, reviewer, assignment_id, data, now=None):
    """Store or revise the reviewer's annotation on an assignment; returns (annotation, changed).

    Saving the same values twice (a double submit) stores one annotation and
    one revision. Every change is recorded with who, when, before and after.
    ``data["spans"]`` (evidence spans, see annotate.spans.layers) is checked against the
    passage and the scheme; a bad span refuses the whole save with its reason.
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
        _check_spans(campaign, assignment, annotation, spans_given="spans" in data)
        after = annotation.snapshot()
        if after == before:
            return annotation, False
        annotation.guidelines_version = campaign.guidelines_version
        annotation.save()
        AnnotationRevision.objects.create(
            annotation=annotation, changed_by=reviewer, changed_at=now, before=before, after=after
        )
        if assignment.status != Assignment.Status.DONE:
            assignment.status = Assignment.Status.DONE
            assignment.done_at = now
            assignment.expires_at = None
            assignment.save(update_fields=["status", "done_at", "expires_at"])
        bump(campaign.pk)
        return annotation, True


def _check_spans(campaign, assignment, annotation, spans_given):
    """Clean the annotation's spans in place, or refuse the save (QueueError)."""
    scheme = campaign.scheme
    if scheme.spans != scheme.Spans.REQUIRED and (not spans_given or not annotation.spans):
        # Nothing to check: no spans posted, or none marked (always valid unless required).
        if spans_given:
            annotation.spans = []
        return
    text, start = Passage.objects.values_list("text", "start").get(pk=assignment.passage_id)
    try:
        annotation.spans = check_spans(
            scheme, text, start, annotation.spans, annotation.cited_type, annotation.markers
        )
    except SpanError as exc:
        raise QueueError(f"Nothing was saved: {exc}") from exc


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


@retry_when_busy(QueueError)
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
        bump(campaign.pk)

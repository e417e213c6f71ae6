"""Writes for campaigns: activation, documents and their reviewer places, settings, members.

Each public function runs in one transaction. A passage has exactly `overlap` places
(assignment rows); sync_slots makes and trims them whenever documents or the overlap change.
"""

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max

from annotate.models import Assignment, Campaign, CampaignDocument, Membership
from corpus.models import Passage

ANALYZE_AFTER = 1000


class MemberError(Exception):
    """A membership change that cannot be made; the message is shown to the manager."""


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


def save_settings(form):
    """Save a valid CampaignSettingsForm; an active campaign gets the places its new overlap
    or activation asks for, in the same transaction."""
    was_active = Campaign.objects.filter(
        pk=form.instance.pk, status=Campaign.Status.ACTIVE
    ).exists()
    with transaction.atomic():
        campaign = form.save()
        if campaign.is_active and (not was_active or "overlap" in form.changed_data):
            sync_slots(campaign)
        return campaign


def set_member(campaign, username, role):
    """Make the user called ``username`` a member with ``role`` (or change their role)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise MemberError(f"There is no user called “{username}”.")
    with transaction.atomic():
        Membership.objects.update_or_create(campaign=campaign, user=user, defaults={"role": role})
    return user


def remove_member(campaign, member_id):
    """Remove a membership; the member's annotations are kept. Returns it, or None."""
    with transaction.atomic():
        member = campaign.memberships.select_related("user").filter(pk=member_id).first()
        if member is not None:
            member.delete()
        return member

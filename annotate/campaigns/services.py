"""Writes for campaigns: activation, documents and their reviewer places, settings (with the
guidelines version), members.

Each public function runs in one transaction. A passage has exactly `overlap` places
(assignment rows); sync_slots makes and trims them whenever documents or the overlap change.
"""

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max

from annotate.jobs.versions import bump
from annotate.models import Assignment, Campaign, CampaignDocument, Membership
from annotate.queue import ordering
from corpus.models import Passage

ANALYZE_AFTER = 1000
SEQUENCE_BATCH = 10_000  # places per UPDATE (about 250 kB of SQL)
QUEUE_FIELDS = ("queue_order", "queue_block", "queue_seed")


class MemberError(Exception):
    """A membership change that cannot be made; the message is shown to the manager."""


def activate_campaign(campaign):
    with transaction.atomic():
        campaign.status = Campaign.Status.ACTIVE
        campaign.save(update_fields=["status"])
        bump(campaign.pk)
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
        bump(campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            sync_slots(campaign)
        return len(new)


def sync_slots(campaign):
    """Give every annotatable passage of the campaign `overlap` slots; return how many were made.

    Raising the overlap adds slots; lowering it removes free and claimed slots
    above the new overlap and keeps every done one, because it holds a
    reviewer's work (see _shrink_to_overlap). New places, and the places of passages
    nobody has been handed yet, take their sequence from the campaign's queue order
    (see resequence), so documents added to a running interleaved campaign are mixed in
    among the passages still to do rather than queued behind them.
    """
    with transaction.atomic():
        passages = _passage_frame(campaign)
        places = _place_frame(campaign)
        plan = _plan(campaign, passages, places)
        new = _missing_places(campaign, plan, places)
        Assignment.objects.bulk_create(new, batch_size=2000)
        _write_sequences(campaign, plan, places)
        _shrink_to_overlap(campaign)
    if len(new) >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Fresh places have no planner statistics until autovacuum comes round; until then
        # PostgreSQL sorts every open place on each claim (119 ms against 0.6 ms after
        # ANALYZE with 43,560 places, measured by bench/load.py).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Assignment._meta.db_table}")
    return len(new)


def resequence(campaign):
    """Put the places nobody has been handed into the campaign's queue order; return how many
    places moved.

    A passage with any claimed or done place keeps its sequence (a reviewer was given it, and
    its other places should follow soon); the other passages are ordered by
    annotate.queue.ordering after every kept sequence. Running it twice moves nothing the
    second time. Two reads plus one UPDATE per 10,000 places that move.
    """
    with transaction.atomic():
        places = _place_frame(campaign)
        plan = _plan(campaign, _passage_frame(campaign), places)
        return _write_sequences(campaign, plan, places)


def _passage_frame(campaign):
    """passage, outlet, document, reading (0, 1, ...) for every annotatable passage. One query."""
    rows = (
        Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .order_by("document__campaigndocument__position", "document_id", "position")
        .values_list("pk", "document__source_id", "document_id")
    )
    frame = pd.DataFrame(
        np.array(list(rows.iterator(chunk_size=5000)), dtype=np.int64).reshape(-1, 3),
        columns=["passage", "outlet", "document"],
    )
    frame["reading"] = np.arange(len(frame))
    return frame


def _place_frame(campaign):
    """id, passage, slot, sequence, handed (claimed or done) for every place. One query."""
    rows = list(
        Assignment.objects.filter(campaign=campaign)
        .order_by()
        .values_list("pk", "passage_id", "slot", "sequence", "status")
    )
    frame = pd.DataFrame(rows, columns=["id", "passage", "slot", "sequence", "status"])
    numbers = frame[["id", "passage", "slot", "sequence"]].astype(np.int64)
    return numbers.assign(handed=frame["status"].ne(Assignment.Status.OPEN).to_numpy())


def _plan(campaign, passages, places):
    """Every passage's sequence (Series by passage id) and the ids of those not handed out.

    Kept: passages with a claimed or done place, and passages whose places no longer belong
    to the campaign's annotatable passages (their numbers stay taken). The rest follow the
    campaign's queue order, numbered on from the highest kept sequence.
    """
    handed = places.loc[places["handed"], "passage"].unique()
    kept_rows = places["passage"].isin(handed) | ~places["passage"].isin(passages["passage"])
    kept = places[kept_rows].groupby("passage")["sequence"].min()
    start = int(kept.max()) + 1 if len(kept) else 0
    queue = ordering.queue_sequence(
        passages, campaign.queue_order, campaign.queue_block, campaign.queue_seed
    )
    free = queue[~queue.index.isin(handed)].sort_values()
    planned = pd.Series(start + np.arange(len(free)), index=free.index)
    return pd.concat([kept[kept.index.isin(passages["passage"])], planned]), free.index


def _missing_places(campaign, plan, places):
    """Assignment rows for the slots 1..overlap each planned passage lacks."""
    sequences, _ = plan
    wanted = pd.MultiIndex.from_product(
        [sequences.index, range(1, campaign.overlap + 1)], names=["passage", "slot"]
    )
    have = pd.MultiIndex.from_arrays([places["passage"], places["slot"]])
    missing = wanted[~wanted.isin(have)]
    passage_ids = missing.get_level_values("passage")
    return [
        Assignment(campaign=campaign, passage_id=p, slot=s, sequence=q)
        for p, s, q in zip(
            passage_ids.tolist(),
            missing.get_level_values("slot").tolist(),
            sequences.loc[passage_ids].tolist(),
            strict=True,
        )
    ]


def _write_sequences(campaign, plan, places):
    """Give the places of passages nobody holds their planned sequence; return how many moved.

    One UPDATE per 10,000 places, joined to a VALUES list of (place id, passage id, sequence)
    (SQLite and PostgreSQL both name its columns column1, column2, ...), never a query per
    passage. Only places still open on passages still free are touched, so a claim made
    meanwhile keeps its sequence.

    Written so that neither planner can go quadratic (both did, measured on 100,000
    passages): rows are found by primary key (keyed by passage, SQLite scanned every open
    place per row: 368 s for 20,000 passages), and the "still free" test is a scalar
    subquery, which PostgreSQL runs per row on the (campaign, passage, slot) index; as NOT
    EXISTS it became an anti-join that, with statistics from before places were done,
    rescanned every done place per row (347 s for 90,000 passages).
    """
    sequences, free = plan
    mine = places[places["passage"].isin(free)]
    planned = sequences.loc[mine["passage"]].to_numpy()
    stale = mine["sequence"].to_numpy() != planned
    rows = list(
        zip(
            mine["id"].to_numpy()[stale].tolist(),
            mine["passage"].to_numpy()[stale].tolist(),
            planned[stale].tolist(),
            strict=True,
        )
    )
    table = connection.ops.quote_name(Assignment._meta.db_table)
    pk = connection.ops.quote_name(Assignment._meta.pk.column)
    open_ = Assignment.Status.OPEN
    moved = 0
    with connection.cursor() as cursor:
        for i in range(0, len(rows), SEQUENCE_BATCH):
            # Whole numbers written into the SQL with int(): nothing here comes from a user,
            # and SQLite's 999-parameter limit (as Django assumes it) does not apply.
            values = ", ".join(
                f"({int(a)}, {int(p)}, {int(q)})" for a, p, q in rows[i : i + SEQUENCE_BATCH]
            )
            cursor.execute(
                f"UPDATE {table} SET sequence = v.column3 FROM (VALUES {values}) AS v "
                f"WHERE {table}.{pk} = v.column1 AND {table}.status = %s "
                f"AND (SELECT COUNT(*) FROM {table} AS held WHERE held.campaign_id = %s "
                f"AND held.passage_id = v.column2 AND held.status <> %s) = 0",
                [open_, campaign.pk, open_],
            )
            moved += cursor.rowcount
    return moved


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
    or activation asks for, and a new queue order, block size or seed re-sequences the places
    nobody has been handed (resequence), in the same transaction. New guidelines text takes
    the next guidelines version (bump_guidelines_version)."""
    fields = ("status", "overlap", *QUEUE_FIELDS)
    with transaction.atomic():
        before = Campaign.objects.filter(pk=form.instance.pk).values(*fields).first() or {}
        bump_guidelines_version(form.instance)
        campaign = form.save()
        bump(campaign.pk)
        changed = {f for f in fields if before.get(f) != getattr(campaign, f)}
        if campaign.is_active:
            if before.get("status") != Campaign.Status.ACTIVE or "overlap" in changed:
                sync_slots(campaign)
            elif changed & set(QUEUE_FIELDS):
                resequence(campaign)
        return campaign


def _same_text(a, b):
    """Guidelines texts that differ only in line endings or surrounding space are the same
    (a browser posts CRLF line endings; the form strips the ends)."""

    def plain(text):
        return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()

    return plain(a) == plain(b)


def bump_guidelines_version(campaign):
    """Give ``campaign`` the next guidelines version if its (unsaved) guidelines text differs
    from the stored one; returns whether it did. The caller saves the campaign.

    Call it inside the transaction that saves the campaign, just before the save (the
    settings page through save_settings, the admin through CampaignAdmin.save_model):
    the stored row is read under a row lock, so two managers saving new guidelines at once
    take versions N+1 and N+2, and the version is written in the same save as the text, so
    each historical record (django-simple-history) pairs a version with its own wording.
    Saving the same text again keeps the version. A new campaign starts at its version.
    """
    if campaign.pk is None:
        return False
    with transaction.atomic():
        stored = (
            Campaign.objects.select_for_update()
            .filter(pk=campaign.pk)
            .order_by()
            .values("guidelines", "guidelines_version")
            .first()
        )
        if stored is None or _same_text(stored["guidelines"], campaign.guidelines):
            return False
        campaign.guidelines_version = stored["guidelines_version"] + 1
        return True


def set_member(campaign, username, role):
    """Make the user called ``username`` a member with ``role`` (or change their role)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise MemberError(f"There is no user called “{username}”.")
    with transaction.atomic():
        Membership.objects.update_or_create(campaign=campaign, user=user, defaults={"role": role})
        bump(campaign.pk)
    return user


def remove_member(campaign, member_id):
    """Remove a membership; the member's annotations are kept. Returns it, or None."""
    with transaction.atomic():
        member = campaign.memberships.select_related("user").filter(pk=member_id).first()
        if member is not None:
            member.delete()
            bump(campaign.pk)
        return member

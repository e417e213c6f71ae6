"""Cached results of a campaign's pages, kept at its data version (annotate.jobs.versions).

``cached_result`` answers a page with the newest result for a campaign, whether it is
current (its data version is the campaign's), and the job computing the current one,
queued on the first visit that finds it missing. Campaigns with at most
CREDENCE_INLINE_ANNOTATIONS annotations are computed in the request instead.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from annotate.jobs import results, selectors
from annotate.jobs.services import enqueue
from annotate.models import ComputedResult, Job

Status = Job.Status


def store_result(campaign_id, kind, version, payload, job=None, seconds=0.0):
    """Keep ``payload`` as the campaign's result of ``kind`` at ``version``, and drop older
    ones; a result already stored for a newer version wins (this one is out of date)."""
    with transaction.atomic():
        newer = ComputedResult.objects.filter(
            campaign_id=campaign_id, kind=kind, data_version__gt=version
        )
        if newer.exists():
            return False
        ComputedResult.objects.filter(
            campaign_id=campaign_id, kind=kind, data_version__lte=version
        ).delete()
        ComputedResult.objects.create(
            campaign_id=campaign_id,
            kind=kind,
            data_version=version,
            payload=results.pack(payload),
            job=job,
            seconds=seconds,
        )
    return True


@dataclass
class Cached:
    """What a page shows: ``inline`` (a small campaign: compute in the request), else the
    newest stored ``payload`` (None if none), whether it is ``fresh`` (computed at the
    campaign's current data version), and the ``job`` computing the current version (or
    the one that failed to)."""

    inline: bool = False
    payload: object = None
    fresh: bool = False
    computed_version: int | None = None
    computed_at: datetime | None = None
    job: Job | None = None


def cached_result(campaign, kind, user):
    """The page's data source for ``campaign`` (loaded in this request, so its data version
    is current): small campaigns compute inline; otherwise the cache, and, when it is not
    current, one job computing the current version (queued here unless one is queued or
    running, or the last one for this version failed: its page offers to try again)."""
    if selectors.is_small(campaign):
        return Cached(inline=True)
    stored = selectors.latest_result(campaign, kind)
    payload = results.unpack(stored.payload) if stored is not None else None
    if payload is None:
        stored = None
    cached = Cached(
        payload=payload,
        computed_version=stored.data_version if stored else None,
        computed_at=stored.computed_at if stored else None,
    )
    if stored is not None and stored.data_version >= campaign.data_version:
        cached.fresh = True
        return cached
    job = selectors.job_for_version(campaign, kind, campaign.data_version)
    if job is None or job.status == Status.DONE:
        job = _queue_computation(campaign, kind, user)
    cached.job = job
    return cached


def _queue_computation(campaign, kind, user):
    version = campaign.data_version
    try:
        with transaction.atomic():
            return enqueue(kind, campaign, user, data_version=version)
    except IntegrityError:  # another request queued it a moment ago (job_one_live_per_version)
        return selectors.job_for_version(campaign, kind, version)


def recompute(campaign, kind, user):
    """Queue a computation of the current version (after one failed); returns the job, or
    None for a small campaign, whose page computes it anyway."""
    if selectors.is_small(campaign):
        return None
    job = selectors.job_for_version(campaign, kind, campaign.data_version)
    if job is not None and job.is_live:
        return job
    return _queue_computation(campaign, kind, user)

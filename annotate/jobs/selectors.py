"""Reads for background jobs: who may see a job, what its page shows, cached results."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from annotate.access import CURATORS
from annotate.jobs import progress
from annotate.models import Assignment, ComputedResult, Job, Membership

Kind, Status = Job.Kind, Job.Status


def visible_job(user, pk):
    """The job if ``user`` may see it, else None: its creator, staff, and the curators and
    managers of its campaign. One query, two for a curator who did not start it."""
    job = Job.objects.select_related("campaign", "created_by").filter(pk=pk).first()
    if job is None:
        return None
    if user.is_staff or job.created_by_id == user.pk:
        return job
    if (
        job.campaign_id
        and Membership.objects.filter(
            campaign_id=job.campaign_id, user=user, role__in=CURATORS
        ).exists()
    ):
        return job
    return None


def stale_cutoff(now=None):
    return (now or timezone.now()) - timedelta(seconds=settings.CREDENCE_JOB_STALE_SECONDS)


def looks_stale(job, now=None):
    """A running job whose worker has not reported within CREDENCE_JOB_STALE_SECONDS."""
    last = job.heartbeat_at or job.started_at
    return job.status == Status.RUNNING and last is not None and last < stale_cutoff(now)


def result_url(job):
    """Where a finished job's result is read, or None."""
    slug = job.campaign.slug if job.campaign_id else None
    if job.kind == Kind.CORPUS_IMPORT:
        if job.status == Status.DONE:
            return reverse("admin:corpus_document_changelist")
        return reverse("admin:corpus_document_import") if job.status == Status.FAILED else None
    if job.status != Status.DONE or slug is None:
        return None
    return {
        Kind.ANNOTATION_IMPORT: reverse("annotate:campaign", args=[slug]),
        Kind.SUGGESTIONS: reverse("annotate:claim_suggestions", args=[slug]),
        Kind.AGREEMENT: reverse("annotate:agreement", args=[slug]),
        Kind.REPORT: reverse("annotate:reports", args=[slug]),
    }.get(job.kind)


# What a job's rows are, as its page counts them.
UNITS = {
    Kind.CORPUS_IMPORT: "documents",
    Kind.ANNOTATION_IMPORT: "rows",
    Kind.SUGGESTIONS: "steps",
    Kind.AGREEMENT: "steps",
    Kind.REPORT: "steps",
}

RESULT_LINKS = {
    Kind.CORPUS_IMPORT: "the document list",
    Kind.ANNOTATION_IMPORT: "the campaign",
    Kind.SUGGESTIONS: "the suggestions",
    Kind.AGREEMENT: "the agreement page",
    Kind.REPORT: "the outlet report",
}


def status(job, now=None):
    """What the job page shows, as JSON-ready values (the page and status.json)."""
    now = now or timezone.now()
    elapsed = None
    if job.started_at is not None:
        elapsed = ((job.finished_at or now) - job.started_at).total_seconds()
    finished = job.status in (Status.DONE, Status.FAILED)
    left = None if finished else progress.seconds_left(job.done, job.total, elapsed)
    url = result_url(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_name": job.get_kind_display(),
        "status": job.status,
        "status_name": job.get_status_display(),
        "finished": finished,
        "done": job.done,
        "total": job.total,
        "unit": UNITS.get(job.kind, "rows"),
        "percent": 100 if job.status == Status.DONE else progress.percent(job.done, job.total),
        "seconds_left": None if left is None else round(left),
        "time_left": progress.duration(left),
        "message": job.message,
        "error": job.error,
        "attempts": job.attempts,
        "result_url": url,
        "result_name": (
            "the import form"
            if job.kind == Kind.CORPUS_IMPORT and job.status == Status.FAILED
            else RESULT_LINKS.get(job.kind)
        )
        if url
        else None,
    }


def is_small(campaign):
    """Whether the campaign's agreement and reports are computed inside the request: at most
    CREDENCE_INLINE_ANNOTATIONS done reviewer places (one per annotation). One query."""
    limit = settings.CREDENCE_INLINE_ANNOTATIONS
    if limit <= 0:
        return False
    done = Assignment.objects.filter(campaign=campaign, status=Assignment.Status.DONE)
    return not done[limit : limit + 1].exists()


def latest_result(campaign, kind):
    """The newest cached result of ``kind`` for the campaign, payload included, or None."""
    return (
        ComputedResult.objects.filter(campaign=campaign, kind=kind)
        .order_by("-data_version")
        .first()
    )


def job_for_version(campaign, kind, version):
    """The newest job of ``kind`` asked for this data version of the campaign, or None."""
    return (
        Job.objects.filter(campaign=campaign, kind=kind, data_version=version)
        .order_by("-created_at", "-pk")
        .first()
    )


def live_job(campaign, kind):
    """A queued or running job of ``kind`` for the campaign, or None."""
    return (
        Job.objects.filter(campaign=campaign, kind=kind, status__in=Job.LIVE)
        .order_by("-created_at", "-pk")
        .first()
    )

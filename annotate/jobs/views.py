"""The job page and its JSON status (polled every 2 s by static/js/job.js).

A job is seen by whoever started it, staff, and the curators and managers of its campaign;
anyone else gets 404. The page settles jobs whose worker died (services.mark_stale: one
query when there are none); the status does when its own job looks dead, so a page left
open sees a killed worker's job queued again.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from annotate.jobs import selectors, services


def _job_or_404(request, pk, settle):
    job = selectors.visible_job(request.user, pk)
    if job is None:
        raise Http404("No such job.")
    if settle or selectors.looks_stale(job):
        if any(services.mark_stale()):
            job = selectors.visible_job(request.user, pk)
    return job


@login_required
def job(request, pk):
    job = _job_or_404(request, pk, settle=True)
    return render(
        request,
        "annotate/jobs/job.html",
        {"job": job, "state": selectors.status(job, timezone.now())},
    )


@login_required
def job_status(request, pk):
    job = _job_or_404(request, pk, settle=False)
    response = JsonResponse(selectors.status(job, timezone.now()))
    response["Cache-Control"] = "no-store"
    return response

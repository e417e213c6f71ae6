"""What each kind of job does: ``work(job, progress) -> result`` (see services.run).

A result is a JSON-ready dict; its "message" is shown on the job's page. A refusal a person
can act on (a file with errors) raises services.JobFailed with the errors as its result.
``progress(done, total=None, message=None)`` reports how far the work has got.
"""

import time
from pathlib import Path

from annotate.claims.services import refresh_suggestions
from annotate.interchange.annotation_import import import_annotations
from annotate.jobs import results, versions
from annotate.jobs.cache import store_result
from annotate.jobs.services import JobFailed
from annotate.models import Job
from corpus.importer import MAX_LISTED_ERRORS, import_upload

Kind = Job.Kind


def _file(job):
    path = Path(job.input_path)
    if not path.is_file():
        raise JobFailed(
            "The uploaded file is no longer on the server (CREDENCE_JOB_FILES); upload it again."
        )
    return path, job.args.get("name") or path.name


def corpus_import(job, progress):
    """Import an uploaded corpus file (corpus.importer.import_upload), all or nothing."""
    path, name = _file(job)
    report = import_upload(name, path.read_bytes(), mode=job.args["mode"], on_progress=progress)
    outcome = {
        "summary": report.summary(),
        "created": report.created,
        "unchanged": report.unchanged,
        "passages": report.passages,
        "outlets_created": report.outlets_created,
    }
    if not report.ok:
        raise JobFailed(
            "Nothing from this file was imported; fix the problems below and upload it again.",
            {**outcome, "errors": report.errors, "errors_not_listed": report.errors_not_listed},
        )
    return {**outcome, "message": report.summary()}


def annotation_import(job, progress):
    """Import an uploaded annotations file into the job's campaign, all or nothing
    (annotate.interchange.annotation_import.import_annotations, which bumps the campaign's
    data version in its own transaction). ``format`` and ``annotator``, when the job's args
    have them, are passed on."""
    path, name = _file(job)
    progress(0, None, f"{name}: checking every row")
    options = {key: job.args[key] for key in ("format", "annotator") if job.args.get(key)}
    outcome = import_annotations(
        job.campaign, name, path.read_bytes(), imported_by=job.created_by, **options
    )
    if not outcome.ok:
        errors = list(outcome.errors)
        raise JobFailed(
            f"Nothing was imported: {max(len(errors), getattr(outcome, 'problems', 0)):,} "
            "problem(s); fix them and upload the file again.",
            {"errors": errors[:MAX_LISTED_ERRORS]},
        )
    return {
        "created": outcome.created,
        "users_created": outcome.users_created,
        "message": f"{outcome.created:,} annotation(s) imported into {job.campaign.name}; "
        f"{outcome.users_created:,} new (inactive) annotator account(s).",
    }


def suggestions(job, progress):
    """Recompute the campaign's claim suggestions (annotate.claims.services)."""
    progress(0, None, "Comparing the figures and wording of passages across outlets")
    found = refresh_suggestions(job.campaign)
    return {
        "found": found,
        "message": f"{found:,} suggestion(s) found; pairs you accepted or rejected are not "
        "suggested again.",
    }


def _computed(job, progress, kind, compute, steps, what):
    """Compute a page's data and cache it at the campaign's data version, read before any
    data (annotate.jobs.versions)."""
    version = versions.current(job.campaign_id)
    started = time.monotonic()
    payload = compute(job.campaign, progress)
    seconds = time.monotonic() - started
    kept = store_result(job.campaign_id, kind, version, payload, job, seconds)
    progress(steps, steps, "Saved")
    return {
        "data_version": version,
        "seconds": round(seconds, 3),
        "message": f"{what} computed in {seconds:.1f} s"
        + ("." if kept else "; a newer result was stored meanwhile, so this one was dropped."),
    }


def agreement(job, progress):
    """The Agreement page's tables, cached."""
    return _computed(
        job,
        progress,
        Kind.AGREEMENT,
        results.agreement_payload,
        results.AGREEMENT_STEPS,
        "Agreement",
    )


def report(job, progress):
    """The per-outlet report page, cached."""
    return _computed(
        job,
        progress,
        Kind.REPORT,
        results.report_payload,
        results.REPORT_STEPS,
        "Outlet report",
    )


WORK = {
    Kind.CORPUS_IMPORT: corpus_import,
    Kind.ANNOTATION_IMPORT: annotation_import,
    Kind.SUGGESTIONS: suggestions,
    Kind.AGREEMENT: agreement,
    Kind.REPORT: report,
}

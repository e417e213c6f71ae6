"""Uploaded files waiting for their import job: stored in CREDENCE_JOB_FILES in chunks under
a fresh name (the name a person gave the file is only ever shown), then the job is queued.
The job deletes the file once it is settled (annotate.jobs.services.run)."""

import uuid
from pathlib import Path

from django.conf import settings

from annotate.jobs.services import enqueue
from annotate.models import Job

Kind = Job.Kind
NAME_CHARS = 200


def save_upload(upload, folder=None):
    """Write an uploaded file to CREDENCE_JOB_FILES in chunks (never whole in memory) under
    a fresh name; returns its path. The name a person gave the file is only ever shown."""
    folder = Path(folder or settings.CREDENCE_JOB_FILES)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(display_name(upload.name)).suffix.lower()
    suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 10 else ""
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def display_name(name):
    """A file name fit to show and store: no folders, no control characters, 200 at most."""
    name = "".join(ch for ch in Path(str(name or "")).name if ch.isprintable()).strip()
    return name[-NAME_CHARS:] or "upload"


def enqueue_corpus_upload(upload, mode, user):
    """The admin's Import documents form: store the upload and queue its import. Named in
    settings.CREDENCE_CORPUS_IMPORT_JOB, as the corpus app never imports annotate."""
    path = save_upload(upload)
    try:
        return enqueue(
            Kind.CORPUS_IMPORT,
            None,
            user,
            input_path=path,
            name=display_name(upload.name),
            mode=mode,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def enqueue_annotation_upload(campaign, upload, user):
    """Store an uploaded annotations CSV and queue its import into ``campaign``."""
    path = save_upload(upload)
    try:
        return enqueue(
            Kind.ANNOTATION_IMPORT, campaign, user, input_path=path, name=display_name(upload.name)
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise

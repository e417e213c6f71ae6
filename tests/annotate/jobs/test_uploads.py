"""Uploads stored for their import job (annotate/jobs/uploads.py); the jobs that import them
are in test_kinds.py and tests/corpus/test_admin.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotate.jobs import uploads
from annotate.models import Job


def test_an_upload_is_stored_under_a_fresh_name_and_shown_by_its_own(tmp_path, settings):
    settings.CREDENCE_JOB_FILES = tmp_path / "jobs"
    upload = SimpleUploadedFile("../../etc/bad\x00name.csv", b"a,b\n" * 50_000)
    path = uploads.save_upload(upload)
    assert path.parent == tmp_path / "jobs" and path.suffix == ".csv"
    assert path.read_bytes() == b"a,b\n" * 50_000
    assert uploads.display_name(upload.name) == "badname.csv"
    assert uploads.display_name("") == "upload"


def test_an_upload_whose_job_cannot_be_queued_is_not_left_behind(
    campaign, users, tmp_path, settings, monkeypatch
):
    settings.CREDENCE_JOB_FILES = tmp_path

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(uploads, "enqueue", broken)
    with pytest.raises(RuntimeError):
        uploads.enqueue_annotation_upload(campaign, SimpleUploadedFile("a.csv", b"x"), None)
    assert list(tmp_path.iterdir()) == [] and not Job.objects.exists()

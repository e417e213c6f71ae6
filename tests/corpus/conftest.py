import pytest


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    """Uploads wait for their import job in a folder of the test's own."""
    settings.CREDENCE_JOB_FILES = tmp_path / "jobs"
    return settings.CREDENCE_JOB_FILES

from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Holds the ``db_worker`` command only (see annotate.jobs); its models live in annotate."""

    name = "annotate.jobs"
    label = "annotate_jobs"
    verbose_name = "Background jobs"

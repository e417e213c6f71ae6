"""Background jobs (imports, suggestions, agreement and report computations) and the results
they cache against a campaign's data version.

A Job is what a person sees on its page (annotate.jobs): kind, status, progress, message or
error, a result. The work itself runs in a django-tasks task (the database backend's
``manage.py db_worker``) whose id is ``task_id``; annotate.jobs.services moves the status.

``Campaign.data_version`` goes up by one in the same transaction as every write that changes
a campaign's data (annotate.jobs.versions.bump). A ComputedResult holds what a page needs,
computed at one data version, so the page can tell at once whether it is current.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class DataVersionField(models.PositiveBigIntegerField):
    """A counter only ever moved by ``UPDATE ... SET data_version = data_version + 1``.

    Saving a whole row (a settings form, the admin) writes the column back as it stands in
    the database, never the instance's copy, which may be older than a bump made since it
    was read: written back, it would mark a cached result computed before that change as
    current. A new row starts at the field's default.
    """

    def pre_save(self, model_instance, add):
        if add:
            return super().pre_save(model_instance, add)
        return F(self.attname)


class Job(models.Model):
    class Kind(models.TextChoices):
        CORPUS_IMPORT = "corpus_import", "Document import"
        ANNOTATION_IMPORT = "annotation_import", "Annotation import"
        SUGGESTIONS = "suggestions", "Claim suggestions"
        REPORT = "report", "Outlet report"
        AGREEMENT = "agreement", "Agreement"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    LIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    campaign = models.ForeignKey(
        "annotate.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
        help_text="Empty for work on the corpus (document imports).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker running the job."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Rows to do, once known."
    )
    done = models.PositiveBigIntegerField(default=0, help_text="Rows done so far.")
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    args = models.JSONField(
        default=dict, blank=True, help_text="What the task needs besides the job itself."
    )
    input_path = models.CharField(
        max_length=500, blank=True, help_text="The uploaded file, stored in CREDENCE_JOB_FILES."
    )
    task_id = models.CharField(max_length=64, blank=True, help_text="The django-tasks result id.")
    data_version = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="For computations: the campaign's data version the job was asked for.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
            models.Index(fields=["campaign", "kind", "data_version"], name="job_campaign_kind"),
        ]
        constraints = [
            # Two curators opening an out-of-date page at once start one computation, not two.
            models.UniqueConstraint(
                fields=["campaign", "kind", "data_version"],
                condition=Q(status__in=["queued", "running"]),
                name="job_one_live_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("annotate:job", args=[self.pk])

    @property
    def is_live(self):
        return self.status in self.LIVE


class ComputedResult(models.Model):
    """A page's computed tables at one campaign data version (annotate.jobs.results).

    ``payload`` is the pickled, zlib-compressed Python object the page renders from
    (DataFrames keep their dtypes, so a CSV from the cache equals one computed afresh).
    Only this application writes it, from its own computations; a payload that no longer
    unpickles (after a pandas upgrade, say) counts as missing and is computed again.
    """

    campaign = models.ForeignKey(
        "annotate.Campaign", on_delete=models.CASCADE, related_name="computed_results"
    )
    kind = models.CharField(max_length=20, choices=Job.Kind.choices)
    data_version = models.PositiveBigIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0, help_text="How long the computation took.")
    payload = models.BinaryField()
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["campaign", "kind", "-data_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "data_version"], name="computed_result_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.campaign_id} at version {self.data_version}"

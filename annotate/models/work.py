"""The reviewers' work: assignment places, skips, annotations and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from annotate.models.campaigns import Campaign
from annotate.models.revisions import Revision
from corpus.models import Passage


class AssignmentQuerySet(models.QuerySet):
    def for_reviewer(self, user):
        return self.filter(reviewer=user)

    def pending(self):
        return self.filter(status=Assignment.Status.CLAIMED)

    def done(self):
        return self.filter(status=Assignment.Status.DONE)

    def available(self, now=None):
        """Slots that can be handed out: never claimed, or claimed and abandoned."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Assignment.Status.OPEN)
            | Q(status=Assignment.Status.CLAIMED, expires_at__lt=now)
        )


class Assignment(models.Model):
    """One reviewer slot on one passage of a campaign.

    A passage gets exactly `overlap` slots when the campaign is activated, so
    it can never be handed to more reviewers than the campaign asks for: the
    queue hands out slots, it does not count reviewers.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLAIMED = "claimed", "Claimed"
        DONE = "done", "Done"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="assignments")
    slot = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField(help_text="Place in the campaign's reading order.")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    claimed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        # By id, not "campaign": ordering by a relation joins its table into every query.
        ordering = ["campaign_id", "sequence", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "passage", "slot"], name="assignment_unique_slot"
            ),
            # A reviewer never holds two slots of one passage...
            models.UniqueConstraint(
                fields=["campaign", "passage", "reviewer"],
                condition=Q(reviewer__isnull=False),
                name="assignment_unique_reviewer",
            ),
            # ...and never has two passages claimed at once, so two requests of
            # one reviewer cannot be handed different passages.
            models.UniqueConstraint(
                fields=["campaign", "reviewer"],
                condition=Q(status="claimed"),
                name="assignment_one_claim_per_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(status="open", reviewer__isnull=True)
                | Q(~Q(status="open"), reviewer__isnull=False),
                name="assignment_reviewer_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "sequence"], name="assignment_queue_idx"),
            models.Index(fields=["campaign", "sequence"], name="assignment_order_idx"),
            models.Index(
                fields=["campaign", "reviewer", "status", "sequence"],
                name="assignment_reviewer_idx",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.passage_id}#{self.slot}"


class Skip(models.Model):
    """A reviewer passed on a passage; it goes back to the queue for someone else."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="skips")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="skips")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="skips"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "passage", "reviewer"], name="skip_unique"),
        ]

    def __str__(self):
        return f"{self.reviewer} skipped {self.passage_id}"


class CitedSourceType(models.TextChoices):
    NONE = "", "No one cited"
    NAMED_PERSON = "named_person", "Named person"
    OFFICIAL_BODY = "official_body", "Official body"
    DOCUMENT = "document", "Document or data"
    ANONYMOUS = "anonymous", "Anonymous source"
    OTHER_OUTLET = "other_outlet", "Other outlet"


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Annotation(models.Model):
    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="annotation"
    )
    label = models.CharField(max_length=50, help_text="A Label.value of the campaign's scheme.")
    cited_source = models.CharField(max_length=300, blank=True)
    cited_type = models.CharField(max_length=20, choices=CitedSourceType.choices, blank=True)
    markers = models.JSONField(default=list, blank=True, help_text="BiasMarker.value codes.")
    spans = models.JSONField(
        default=list,
        blank=True,
        help_text="Evidence spans: layer, label, start, end (document offsets), text; "
        "see annotate.spans.layers.",
    )
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    note = models.TextField(blank=True)
    guidelines_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The campaign's guidelines version when this answer was last saved "
        "(empty: made before versions were recorded).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.label} on {self.assignment}"

    def snapshot(self):
        """The reviewer-entered fields, as kept in the revision history."""
        return {
            "label": self.label,
            "cited_source": self.cited_source,
            "cited_type": self.cited_type,
            "markers": list(self.markers),
            "spans": list(self.spans),
            "confidence": self.confidence,
            "note": self.note,
        }


class AnnotationRevision(Revision):
    subject = "annotation"

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="revisions")

    class Meta:
        ordering = ["annotation", "changed_at", "id"]

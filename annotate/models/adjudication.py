"""Curators' decisions on passages and their history."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from annotate.models.campaigns import Campaign
from annotate.models.revisions import Revision
from annotate.models.work import CitedSourceType
from corpus.models import Passage


class Adjudication(models.Model):
    """A curator's final word on one passage of a campaign: the current decision.

    Revising a decision updates this row and appends an AdjudicationRevision,
    so who decided what, and when, is never lost.
    """

    class Method(models.TextChoices):
        CHOSEN = "chosen", "Chosen by the curator"
        MAJORITY = "majority", "Majority accepted"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="adjudications")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="adjudications")
    label = models.CharField(max_length=50, help_text="A Label.value of the campaign's scheme.")
    cited_source = models.CharField(max_length=300, blank=True)
    cited_type = models.CharField(max_length=20, choices=CitedSourceType.choices, blank=True)
    markers = models.JSONField(default=list, blank=True, help_text="BiasMarker.value codes.")
    spans = models.JSONField(
        default=list, blank=True, help_text="Final evidence spans; see annotate.spans.layers."
    )
    rationale = models.TextField()
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.CHOSEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign_id", "passage_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "passage"], name="adjudication_unique_passage"
            ),
        ]

    def __str__(self):
        return f"{self.label} on {self.passage_id} by {self.decided_by_id}"

    def snapshot(self):
        """The decision as kept in its revision history."""
        return {
            "label": self.label,
            "cited_source": self.cited_source,
            "cited_type": self.cited_type,
            "markers": list(self.markers),
            "spans": list(self.spans),
            "rationale": self.rationale,
            "method": self.method,
        }


class AdjudicationRevision(Revision):
    subject = "adjudication"

    adjudication = models.ForeignKey(
        Adjudication, on_delete=models.CASCADE, related_name="revisions"
    )

    class Meta:
        ordering = ["adjudication", "changed_at", "id"]

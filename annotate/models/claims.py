"""Claims shared across outlets: what is asserted, which passages assert it, and suggestions.

A Claim is a short statement ("small arms left in Afghanistan in 2021"); a ClaimLink
ties one passage to it with the value that passage gives and whom it attributes
it to. Links proposed by reviewers wait for a curator; links a curator makes are
accepted at once. ClaimSuggestion keeps the tool's proposed pairings and the
curators' answers, so that a rejected pair never comes back.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from annotate.models.campaigns import Campaign
from annotate.models.work import CitedSourceType
from corpus.models import Figure, Passage

VALUE_DIGITS, VALUE_PLACES = 30, 6  # as corpus.models.Figure.value


class Claim(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="claims")
    statement = models.CharField(max_length=300, help_text="What is asserted, in a few words.")
    kind = models.CharField(max_length=10, choices=Figure.Kind.choices, blank=True)
    unit = models.CharField(max_length=50, blank=True, help_text="What is counted, e.g. weapons.")
    currency = models.CharField(max_length=3, blank=True)
    primary_value = models.DecimalField(
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
        help_text="The value a primary document gives (a government report, an official statement).",
    )
    primary_qualifier = models.CharField(
        max_length=10, choices=Figure.Qualifier.choices, blank=True
    )
    primary_source = models.CharField(
        max_length=300,
        blank=True,
        help_text="The primary document, e.g. DoD report to Congress, 2022.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign_id", "statement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "statement"], name="claim_unique_statement"
            ),
        ]

    def __str__(self):
        return self.statement


class ClaimLink(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="claim_links")
    value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    qualifier = models.CharField(max_length=10, choices=Figure.Qualifier.choices, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    value_text = models.CharField(
        max_length=200, blank=True, help_text="The figure as the passage words it."
    )
    attributed = models.BooleanField(
        default=False, help_text="The passage says who gives the value."
    )
    attributed_to = models.CharField(max_length=300, blank=True)
    cited_type = models.CharField(max_length=20, choices=CitedSourceType.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim_id", "passage_id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "passage"], name="claimlink_unique_passage"),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_by__isnull=True) | ~Q(status="proposed"),
                name="claimlink_proposed_undecided",
            ),
        ]
        indexes = [models.Index(fields=["claim", "status"], name="claimlink_status_idx")]

    def __str__(self):
        return f"{self.passage_id} in {self.claim_id} ({self.status})"


class ClaimSuggestion(models.Model):
    """A pair of passages from two outlets the tool thinks assert one claim.

    The pair is stored with the lower passage id first, so each pair has one row;
    refreshing replaces the open rows and never touches decided ones.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="claim_suggestions"
    )
    passage_a = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="+")
    passage_b = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    similarity = models.FloatField(help_text="TF-IDF cosine similarity of the two passages.")
    shared = models.CharField(
        max_length=200, blank=True, help_text="Figure kinds and units both state."
    )
    rank = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign_id", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "passage_a", "passage_b"], name="claimsuggestion_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(passage_a__lt=F("passage_b")), name="claimsuggestion_ordered_pair"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "rank"], name="claimsuggestion_open_idx")
        ]

    def __str__(self):
        return f"{self.passage_a_id}~{self.passage_b_id} ({self.score:.2f}, {self.status})"

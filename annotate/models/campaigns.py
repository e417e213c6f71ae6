"""Label schemes, campaigns and who takes part in them."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from annotate.models.jobs import DataVersionField
from annotate.queue import keys, ordering
from annotate.spans import layers
from corpus.models import Document

MAX_OVERLAP = 50
MAX_QUEUE_BLOCK = 50
QUEUE_SEEDS = 1_000_000  # seeds 0..999,999: short enough to quote in a paper


def new_queue_seed():
    """A fresh random seed for a new campaign's queue order."""
    return secrets.randbelow(QUEUE_SEEDS)


class LabelScheme(models.Model):
    """What reviewers choose from: passage types and bias markers, edited in the admin."""

    class Spans(models.TextChoices):
        OFF = layers.OFF, "Off: passage-level answers only"
        OPTIONAL = layers.OPTIONAL, "Optional: reviewers may mark sources and loaded words"
        REQUIRED = layers.REQUIRED, "Required: a cited source and each marker are marked"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    spans = models.CharField(
        "evidence spans",
        max_length=10,
        choices=Spans.choices,
        default=Spans.OPTIONAL,
        help_text="Whether reviewers mark the cited source and loaded words in the text. "
        "Required: a passage with a cited source needs a source span, and each ticked bias "
        "marker needs a span of that marker.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Label(models.Model):
    scheme = models.ForeignKey(LabelScheme, on_delete=models.CASCADE, related_name="labels")
    value = models.SlugField(
        max_length=50, help_text="Stable code stored with annotations and exports."
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    example = models.TextField(blank=True)
    key = models.CharField(max_length=1, help_text="Keyboard shortcut on the annotation page.")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="label_unique_value"),
            models.UniqueConstraint(fields=["scheme", "key"], name="label_unique_key"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        problem = keys.reserved_message(self.key)
        if problem:
            raise ValidationError({"key": problem})


class BiasMarker(models.Model):
    scheme = models.ForeignKey(LabelScheme, on_delete=models.CASCADE, related_name="markers")
    value = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    key = models.CharField(
        max_length=1,
        blank=True,
        help_text="Keyboard shortcut on the annotation page: ticks the marker, or marks the "
        "selected words with it.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="marker_unique_value"),
            models.UniqueConstraint(
                fields=["scheme", "key"], condition=~Q(key=""), name="marker_unique_key"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        problem = keys.reserved_message(self.key)
        if problem:
            raise ValidationError({"key": problem})


class CampaignQuerySet(models.QuerySet):
    def for_user(self, user, roles=None):
        """Campaigns the user may see; staff see all. `roles` narrows the membership roles."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        members = Membership.objects.filter(user=user)
        if roles:
            members = members.filter(role__in=roles)
        return self.filter(pk__in=members.values("campaign_id"))


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class QueueOrder(models.TextChoices):
        READING = ordering.READING, "Reading order"
        INTERLEAVED = ordering.INTERLEAVED, "Interleaved across outlets"
        RANDOM_DOCUMENT = ordering.RANDOM_DOCUMENT, "Random by document"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    guidelines = models.TextField(blank=True, help_text="Shown to reviewers; plain text.")
    guidelines_version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one each time the guidelines text changes; every annotation "
        "records the version it was made under.",
    )
    scheme = models.ForeignKey(LabelScheme, on_delete=models.PROTECT, related_name="campaigns")
    overlap = models.PositiveSmallIntegerField(
        default=3,
        # Every passage gets `overlap` places at once; the column's own limit (32,767)
        # would write millions of rows in one request.
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OVERLAP)],
        help_text=f"How many reviewers label each passage (1 to {MAX_OVERLAP}).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    blind_outlet = models.BooleanField(
        default=False,
        help_text="Hide the outlet's name, byline and URL from reviewers, so reputation cannot sway them.",
    )
    auto_accept_unanimous = models.BooleanField(
        default=True,
        help_text="Take a label every reviewer agrees on as final without a curator's decision; "
        "off, every passage waits for a curator.",
    )
    queue_order = models.CharField(
        max_length=20,
        choices=QueueOrder.choices,
        default=QueueOrder.INTERLEAVED,
        help_text="The order passages are handed out in. Interleaved: a few consecutive passages "
        "of one article, then the next outlet, so partial progress covers every outlet. "
        "Reading order: document after document, so outlet after outlet. Random by document: "
        "whole articles in random order. Changing it moves only passages nobody has been "
        "given yet.",
    )
    queue_block = models.PositiveSmallIntegerField(
        "block size",
        default=ordering.DEFAULT_BLOCK,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUEUE_BLOCK)],
        help_text="Interleaved order: how many consecutive passages of one article come before "
        f"the queue moves to the next outlet (1 to {MAX_QUEUE_BLOCK}).",
    )
    queue_seed = models.PositiveIntegerField(
        "random seed",
        default=new_queue_seed,
        help_text="Fixes the random order of articles (interleaved and random orders): the same "
        "seed gives the same queue. Chosen at random when the campaign is made and recorded "
        "with its exports.",
    )
    attribution_suggestions = models.BooleanField(
        default=False,
        help_text="Propose who is cited (“according to X”, “X said”) on the "
        "annotation page, for the reviewer to accept with one key. Off by default: "
        "suggestions anchor reviewers, which biases an agreement study.",
    )
    documents = models.ManyToManyField(
        Document, through="CampaignDocument", related_name="campaigns"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    data_version = DataVersionField(
        default=0,
        editable=False,
        help_text="Goes up by one with every write that changes the campaign's data "
        "(annotate.jobs.versions.bump); results cached at an older version are out of date.",
    )

    objects = CampaignQuerySet.as_manager()
    # The data version is bookkeeping for cached results, not a configuration change.
    history = HistoricalRecords(excluded_fields=["data_version"])

    class Meta:
        ordering = ["-created_at", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(overlap__gte=1), name="campaign_overlap_positive"),
            models.CheckConstraint(
                condition=Q(queue_block__gte=1), name="campaign_queue_block_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class CampaignDocument(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    document = models.ForeignKey(Document, on_delete=models.PROTECT)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "document"], name="campaign_document_unique"
            ),
        ]

    def __str__(self):
        return f"{self.document} in {self.campaign}"


class Membership(models.Model):
    class Role(models.TextChoices):
        REVIEWER = "reviewer", "Reviewer"
        CURATOR = "curator", "Curator"
        MANAGER = "manager", "Manager"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.REVIEWER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="membership_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.campaign}"

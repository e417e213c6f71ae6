import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q

from corpus import segmentation


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SourceQuerySet(models.QuerySet):
    def with_counts(self):
        # Subquery-free aggregate: one query for the whole changelist.
        return self.annotate(
            document_count=Count("documents", distinct=True),
            passage_count=Count("documents__passages", distinct=True),
        )


class Source(models.Model):
    """A news outlet: the unit every reliability report is broken down by."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    homepage = models.URLField(blank=True)
    domain = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "outlet"

    def __str__(self):
        return self.name


class Document(models.Model):
    class Segmentation(models.TextChoices):
        SENTENCE = segmentation.SENTENCE, "Sentences"
        PARAGRAPH = segmentation.PARAGRAPH, "Paragraphs"

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64, editable=False)
    segmentation = models.CharField(
        max_length=20, choices=Segmentation.choices, default=Segmentation.SENTENCE
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source__name", "published", "title", "id"]
        constraints = [
            # The same text is never stored twice for one outlet; re-imports rely on it.
            models.UniqueConstraint(
                fields=["source", "content_hash"], name="document_unique_text_per_source"
            ),
        ]
        indexes = [models.Index(fields=["published"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)


class Passage(models.Model):
    class Kind(models.TextChoices):
        HEADLINE = segmentation.HEADLINE, "Headline"
        BODY = segmentation.BODY, "Body"
        BULLET = segmentation.BULLET, "Bullet"
        CAPTION = segmentation.CAPTION, "Caption"
        BOILERPLATE = segmentation.BOILERPLATE, "Boilerplate"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BODY)

    class Meta:
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="passage_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="passage_nonempty_span"
            ),
        ]

    def __str__(self):
        return f"{self.document_id}#{self.position}"

    def clean(self):
        if self.start is None or self.end is None or self.document_id is None:
            return  # clean_fields() reports the missing values
        if not 0 <= self.start < self.end <= len(self.document.text):
            raise ValidationError(
                f"Passage offsets {self.start}-{self.end} must lie inside the document text "
                f"(length {len(self.document.text)}) and enclose at least one character."
            )
        if self.document.text[self.start : self.end] != self.text:
            raise ValidationError("Passage text must equal the document text between its offsets.")


class Figure(models.Model):
    """A quantity a passage states (corpus.figures.extract): money, a count, a percentage,
    a share (a proportion, as a percentage) or a factor ("doubled").

    low/high hold the range the passage gives (both ends of "$500 to $1,000", or a vague
    count: "hundreds of thousands" is 200000-999999); change is "up"/"down" when the
    figure is the size of a change ("rose 3%"); entity is the model or name it is about,
    when the clause names one (a hint). Offsets are relative to the passage text:
    ``passage.text[start:end] == text`` (add passage.start for the document). Rows are
    rebuilt from the text by the importer and by ``manage.py extract_figures``, never
    edited by hand.
    """

    class Kind(models.TextChoices):
        MONEY = "money", "Money"
        COUNT = "count", "Count"
        PERCENT = "percent", "Percentage"
        SHARE = "share", "Share"
        FACTOR = "factor", "Factor"

    class Qualifier(models.TextChoices):
        NONE = "", "—"
        EXACTLY = "exactly", "exactly"
        ABOUT = "about", "about"
        NEARLY = "nearly", "nearly"
        OVER = "over", "over"
        MORE_THAN = "more_than", "more than"
        AT_LEAST = "at_least", "at least"
        UP_TO = "up_to", "up to"
        LESS_THAN = "less_than", "less than"

    class Change(models.TextChoices):
        NONE = "", "—"
        UP = "up", "up"
        DOWN = "down", "down"

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.DecimalField(max_digits=30, decimal_places=6)
    currency = models.CharField(max_length=3, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, blank=True)
    text = models.CharField(max_length=200)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # Defaults and nulls let backups written before these fields existed restore.
    low = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    high = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    change = models.CharField(max_length=4, choices=Change.choices, blank=True, default="")
    entity = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["passage_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["passage", "start"], name="figure_unique_start"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="figure_nonempty_span"
            ),
        ]

    def __str__(self):
        return self.text

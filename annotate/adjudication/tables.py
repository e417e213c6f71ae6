"""Tables of the adjudication pages: the queue, the decisions, one passage's answers."""

import django_tables2 as tables
from django.urls import reverse

from annotate.adjudication.selectors import PASSAGE, disagreements
from annotate.display import display_name, excerpt
from annotate.models import Adjudication, Annotation


class DisputedTable(tables.Table):
    """Passages waiting for a curator; the checkboxes feed the bulk accept form."""

    passage = tables.CheckBoxColumn(
        accessor=PASSAGE, attrs={"th__input": {"aria-label": "Select all"}}
    )
    outlet = tables.Column(
        accessor="assignment__passage__document__source__name", verbose_name="Outlet"
    )
    document = tables.Column(
        accessor="assignment__passage__document__title", verbose_name="Document"
    )
    position = tables.Column(accessor="assignment__passage__position", verbose_name="#")
    text = tables.Column(
        accessor="assignment__passage__text",
        verbose_name="Passage",
        linkify=lambda record, table: reverse(
            "annotate:adjudicate", args=[table.campaign.slug, record[PASSAGE]]
        ),
    )
    n = tables.Column(verbose_name="Annotations")
    disagree = tables.Column(empty_values=(), verbose_name="Disagree on")

    class Meta:
        attrs = {"class": "table"}
        orderable = False
        empty_text = "Nothing waits for a decision: every labelled passage is agreed on or decided."

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def render_text(self, value):
        return excerpt(value)

    def render_disagree(self, record):
        return (
            ", ".join(disagreements(record))
            or "nothing (unanimous; waits because auto-accept is off)"
        )


class DecidedTable(tables.Table):
    outlet = tables.Column(accessor="passage__document__source__name", verbose_name="Outlet")
    document = tables.Column(accessor="passage__document__title", verbose_name="Document")
    position = tables.Column(accessor="passage__position", verbose_name="#")
    text = tables.Column(
        accessor="passage__text",
        verbose_name="Passage",
        linkify=lambda record, table: reverse(
            "annotate:adjudicate", args=[table.campaign.slug, record.passage_id]
        ),
    )
    label = tables.Column(verbose_name="Final type")
    method = tables.Column(verbose_name="How")
    decided_by = tables.Column(accessor="decided_by__username", verbose_name="Decided by")
    decided_at = tables.DateTimeColumn(verbose_name="When", format="Y-m-d H:i")
    rationale = tables.Column()

    class Meta:
        model = Adjudication
        fields = ()
        attrs = {"class": "table"}
        orderable = False
        empty_text = "No decisions yet."

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def render_text(self, value):
        return excerpt(value)

    def render_method(self, record):
        return record.get_method_display()


class AnswersTable(tables.Table):
    """Every reviewer's answer on one passage, side by side."""

    reviewer = tables.Column(accessor="assignment__reviewer__username", verbose_name="Reviewer")
    label = tables.Column(verbose_name="Passage type")
    cited_source = tables.Column(verbose_name="Who is cited")
    cited_type = tables.Column(verbose_name="Source type")
    markers = tables.Column(verbose_name="Bias markers")
    confidence = tables.Column()
    note = tables.Column()
    updated_at = tables.DateTimeColumn(verbose_name="Saved", format="Y-m-d H:i")

    class Meta:
        model = Annotation
        fields = ()
        attrs = {"class": "table answers"}
        orderable = False
        empty_text = "No reviewer has labelled this passage yet."

    def __init__(self, *args, label_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_names = label_names

    def render_label(self, value):
        return display_name(value, self.label_names)

    def render_cited_type(self, record):
        return record.get_cited_type_display()

    def render_markers(self, value):
        return ", ".join(value) or "—"

    def render_confidence(self, record):
        return record.get_confidence_display()

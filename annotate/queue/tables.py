"""Tables of the work pages."""

import django_tables2 as tables

from annotate.display import excerpt
from annotate.models import Annotation


class CampaignAnnotationTable(tables.Table):
    """Everyone's work on a campaign: curators and managers only."""

    document = tables.Column(
        accessor="assignment__passage__document__title", verbose_name="Document"
    )
    position = tables.Column(accessor="assignment__passage__position", verbose_name="#")
    passage = tables.Column(accessor="assignment__passage__text", verbose_name="Passage")
    reviewer = tables.Column(accessor="assignment__reviewer__username", verbose_name="Reviewer")
    label = tables.Column()
    cited_source = tables.Column(verbose_name="Cited")
    cited_type = tables.Column(verbose_name="Source type")
    markers = tables.Column(verbose_name="Bias markers", orderable=False)
    confidence = tables.Column()
    updated_at = tables.DateTimeColumn(verbose_name="Saved", format="Y-m-d H:i")

    class Meta:
        model = Annotation
        fields = ()
        attrs = {"class": "table"}
        order_by = ("document", "position")

    def render_passage(self, value):
        return excerpt(value)

    def render_markers(self, value):
        return ", ".join(value) or "—"

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from annotate.models import Annotation


class CampaignProgressTable(tables.Table):
    name = tables.Column(
        verbose_name="Campaign",
        linkify=lambda record: reverse("annotate:campaign", args=[record.slug]),
    )
    role = tables.Column(verbose_name="Your role")
    status = tables.Column()
    done = tables.Column(verbose_name="Done", accessor="progress__done", orderable=False)
    assigned = tables.Column(
        verbose_name="Assigned", accessor="progress__assigned", orderable=False
    )
    progress = tables.Column(verbose_name="Progress", accessor="progress__percent", orderable=False)

    class Meta:
        attrs = {"class": "table"}
        orderable = False
        empty_text = "You are not a member of any campaign yet. Ask a campaign manager to add you."

    def render_status(self, record):
        return record.get_status_display()

    def render_progress(self, record):
        p = record.progress
        return format_html(
            '<progress max="{}" value="{}" aria-label="{} of {} done"></progress> {}%',
            p.assigned,
            p.done,
            p.done,
            p.assigned,
            p.percent,
        )


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
        return value if len(value) <= 160 else value[:157] + "…"

    def render_markers(self, value):
        return ", ".join(value) or "—"

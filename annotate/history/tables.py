"""Tables of the history pages: a member's own annotations, and the guidelines versions."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from annotate.display import display_name, excerpt
from annotate.history import readable
from annotate.models import Annotation
from annotate.queue.selectors import redact_outlet


class MyAnnotationTable(tables.Table):
    """What one member labelled in a campaign, with names rather than codes; blinded
    campaigns hide the outlet in titles and passages as the annotation page does."""

    title = tables.Column(accessor="assignment__passage__document__title", verbose_name="Article")
    passage = tables.Column(accessor="assignment__passage__text", verbose_name="Passage")
    label = tables.Column(verbose_name="Passage type")
    cited = tables.Column(accessor="cited_source", verbose_name="Cited source", empty_values=())
    markers = tables.Column(verbose_name="Bias markers", orderable=False, empty_values=())
    spans = tables.Column(verbose_name="Spans", orderable=False, empty_values=())
    confidence = tables.Column(order_by=("confidence_rank",))
    guidelines_version = tables.Column(verbose_name="Guidelines version")
    updated_at = tables.DateColumn(verbose_name="Last saved", format="j M Y")
    links = tables.Column(
        accessor="pk", verbose_name="", orderable=False, attrs={"td": {"class": "links"}}
    )

    class Meta:
        model = Annotation
        fields = ()
        attrs = {"class": "table"}
        order_by = ("-updated_at",)
        empty_text = "You have not labelled anything in this campaign yet."

    def __init__(self, *args, campaign, names, can_open, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.names = names
        self.can_open = can_open

    def _shown(self, record, text):
        if not self.campaign.blind_outlet:
            return text
        document = record.assignment.passage.document
        return redact_outlet(text, document.source, document)

    def render_title(self, value, record):
        return self._shown(record, value)

    def render_passage(self, value, record):
        return excerpt(self._shown(record, value))

    def render_label(self, value):
        return display_name(value, self.names[readable.LABELS])

    def render_cited(self, value, record):
        kind = record.cited_type
        kind_name = display_name(kind, self.names[readable.SOURCE_TYPES]) if kind else ""
        if value and kind_name:
            return f"{value} ({kind_name})"
        return value or kind_name or "—"

    def render_markers(self, value):
        markers = self.names[readable.MARKERS]
        return ", ".join(sorted(display_name(m, markers) for m in value or ())) or "—"

    def render_spans(self, value):
        return len(value or ())

    def render_confidence(self, value):
        return display_name(value, self.names[readable.CONFIDENCE])

    def render_links(self, value, record):
        slug = self.campaign.slug
        links = [("History", reverse("annotate:my_annotation_history", args=[slug, value]))]
        if self.can_open:
            links.insert(
                0, ("Open", reverse("annotate:passage", args=[slug, record.assignment_id]))
            )
        return format_html_join(" · ", '<a href="{}">{}</a>', ((url, name) for name, url in links))


class GuidelinesVersionTable(tables.Table):
    """The campaign's earlier guidelines versions, each linked to its text."""

    version = tables.Column(verbose_name="Version")
    changed_at = tables.DateTimeColumn(verbose_name="Changed", format="j M Y H:i")
    changed_by = tables.Column(verbose_name="By")

    class Meta:
        attrs = {"class": "table"}
        orderable = False
        empty_text = "No earlier versions: the guidelines have not changed."

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def render_version(self, value):
        url = reverse("annotate:guidelines_version", args=[self.campaign.slug, value])
        return format_html('<a href="{}">Version {}</a>', url, value)

"""Tables of the campaign pages."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html


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

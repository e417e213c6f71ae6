"""Tables of the campaign pages."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

NUMBER = {"th": {"class": "count"}, "td": {"class": "count"}}


def _bar(done, total, percent):
    return format_html(
        '<progress max="{}" value="{}" aria-label="{} of {} done"></progress> {}%',
        total,
        done,
        done,
        total,
        percent,
    )


class CampaignProgressTable(tables.Table):
    """The home page: each of the user's campaigns with its progress. A reviewer's row counts
    their own passages out of their share; a curator's, manager's or (non-reviewing) staff
    user's row counts the whole campaign's reviewer places (selectors.campaigns_with_progress)."""

    name = tables.Column(
        verbose_name="Campaign",
        linkify=lambda record: reverse("annotate:campaign", args=[record.slug]),
    )
    role = tables.Column(verbose_name="Your role")
    status = tables.Column()
    done = tables.Column(verbose_name="Done", accessor="progress__done", orderable=False)
    assigned = tables.Column(verbose_name="Out of", accessor="progress__assigned", orderable=False)
    progress = tables.Column(verbose_name="Progress", accessor="progress__percent", orderable=False)

    class Meta:
        attrs = {"class": "table"}
        orderable = False
        empty_text = "You are not a member of any campaign yet. Ask a campaign manager to add you."

    def render_status(self, record):
        return record.get_status_display()

    def render_assigned(self, record):
        p = record.progress
        if p.whole_campaign:
            return format_html("{} places in the campaign", p.places)
        return format_html("{} passages for you", p.assigned)

    def render_progress(self, record):
        p = record.progress
        return _bar(p.done, p.assigned, p.percent)


class OutletProgressTable(tables.Table):
    """The whole campaign's progress per outlet (selectors.campaign_progress)."""

    name = tables.Column(verbose_name="Outlet")
    passages = tables.Column(verbose_name="Passages", attrs=NUMBER)
    complete = tables.Column(
        verbose_name="Complete",
        attrs={**NUMBER, "th": {"class": "count", "title": "Passages with every place done"}},
    )
    done = tables.Column(verbose_name="Places done", attrs=NUMBER)
    places = tables.Column(verbose_name="Places", attrs=NUMBER)
    percent = tables.Column(verbose_name="% done", orderable=False)

    class Meta:
        attrs = {"class": "table", "id": "outlet-progress"}
        orderable = False
        empty_text = "No documents yet."

    def render_percent(self, record):
        return _bar(record.done, record.places, record.percent)


class DocumentPickTable(tables.Table):
    """The Documents step's preview: the documents the criteria pick
    (setup_selectors.preview)."""

    pk = tables.Column(verbose_name="Id", attrs=NUMBER)
    title = tables.Column()
    source = tables.Column(verbose_name="Outlet", accessor="source__name")
    published = tables.Column(verbose_name="Published", default="—")
    passage_count = tables.Column(verbose_name="Passages", attrs=NUMBER)
    in_campaign = tables.BooleanColumn(verbose_name="Already in the campaign", yesno="yes,")

    class Meta:
        attrs = {"class": "table", "id": "document-preview"}
        orderable = False
        empty_text = "No document matches."

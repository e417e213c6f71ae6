"""django-tables2 tables of the claim pages."""

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from annotate.display import display_name, excerpt, plain_number
from annotate.models import CitedSourceType
from corpus.models import Figure

EXCERPT = 220
QUALIFIERS = dict(Figure.Qualifier.choices)
CITED_TYPES = dict(CitedSourceType.choices)


class ClaimTable(tables.Table):
    statement = tables.Column(
        linkify=lambda record: reverse("annotate:claim", args=[record.campaign.slug, record.pk])
    )
    outlets = tables.Column(verbose_name="Outlets", orderable=False)
    linked = tables.Column(verbose_name="Passages", orderable=False)
    diverging = tables.Column(verbose_name="Outlets diverging", orderable=False)
    proposed = tables.Column(verbose_name="Proposed links", orderable=False)

    class Meta:
        attrs = {"class": "table", "id": "claims"}
        orderable = False
        empty_text = "No claims yet: create one below or accept a suggestion."


class OutletLinkTable(tables.Table):
    """One row per accepted link: what each outlet says, whom it cites, and the flags."""

    outlet = tables.Column()
    text = tables.Column(verbose_name="Passage")
    value_text = tables.Column(verbose_name="Value")
    qualifier = tables.Column(empty_values=())
    attributed_to = tables.Column(verbose_name="Cited source", empty_values=())
    cited_type = tables.Column(verbose_name="Source type", empty_values=())
    flags = tables.Column(verbose_name="Flags", orderable=False, empty_values=())
    edit = tables.Column(verbose_name="", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "table", "id": "claim-links"}
        orderable = False
        row_attrs = {"class": lambda record: "diverges" if record.diverges else ""}
        empty_text = "No passage is linked yet."

    def __init__(self, *args, request=None, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.claim = request, claim

    def render_text(self, value):
        return excerpt(value, EXCERPT)

    def render_value_text(self, record):
        if record.value is None:
            return "no figure"
        return record.value_text or plain_number(record.value)

    def render_qualifier(self, value):
        return display_name(value, QUALIFIERS) if value else "—"

    def render_attributed_to(self, record):
        if not record.attribution_known:
            return "not known yet"
        if not record.attributed:
            return "not attributed"
        return record.attributed_to or "attributed (unnamed)"

    def render_cited_type(self, value):
        return display_name(value, CITED_TYPES) or "—"

    def render_flags(self, record):
        if not record.flags:
            return "—"
        return format_html_join(" ", '<span class="flag">{}</span>', ((f,) for f in record.flags))

    def render_edit(self, record):
        return render_to_string(
            "annotate/claims/_link_edit.html",
            {
                "link": record,
                "claim": self.claim,
                "campaign": self.claim.campaign,
                "value": "" if record.value is None else format(record.value.normalize(), "f"),
                "qualifiers": Figure.Qualifier.choices,
                "cited_types": CitedSourceType.choices,
                "csrf_token": get_token(self.request),
            },
        )


class ProposedLinkTable(tables.Table):
    outlet = tables.Column()
    text = tables.Column(verbose_name="Passage")
    value_text = tables.Column(verbose_name="Value", empty_values=())
    decide = tables.Column(verbose_name="", empty_values=())

    class Meta:
        attrs = {"class": "table", "id": "proposed-links"}
        orderable = False

    def __init__(self, *args, request=None, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.claim = request, claim

    def render_text(self, value):
        return excerpt(value, EXCERPT)

    def render_value_text(self, record):
        return record.value_text or "no figure"

    def render_decide(self, record):
        return render_to_string(
            "annotate/claims/_decide_buttons.html",
            {
                "action": reverse(
                    "annotate:claim_link_decide", args=[self.claim.campaign.slug, record.id]
                ),
                "csrf_token": get_token(self.request),
            },
        )


class SearchResultTable(tables.Table):
    outlet = tables.Column(accessor="document__source__name")
    text = tables.Column(verbose_name="Passage")
    link = tables.Column(verbose_name="", empty_values=())

    class Meta:
        attrs = {"class": "table", "id": "search-results"}
        orderable = False
        empty_text = "No passage of this campaign contains that text."

    def __init__(self, *args, request=None, claim=None, linked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.claim, self.linked = request, claim, set(linked)

    def render_text(self, value):
        return excerpt(value, 300)

    def render_link(self, record):
        if record.pk in self.linked:
            return "linked"
        return format_html(
            '<form method="post" action="{}" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="passage" value="{}"><button type="submit" class="link-passage">Link</button></form>',
            reverse("annotate:claim_link", args=[self.claim.campaign.slug, self.claim.pk]),
            get_token(self.request),
            record.pk,
        )


class SuggestionTable(tables.Table):
    rank = tables.Column(verbose_name="#")
    first = tables.Column(verbose_name="Passage", empty_values=(), orderable=False)
    second = tables.Column(verbose_name="Passage", empty_values=(), orderable=False)
    score = tables.Column(verbose_name="Score")
    shared = tables.Column(verbose_name="Shared figures")
    decide = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table", "id": "suggestions"}
        orderable = False
        empty_text = "No open suggestions. Refresh to look for passages of different outlets that state the same figures."

    def __init__(self, *args, request=None, campaign=None, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.campaign, self.claims = request, campaign, claims

    def _passage(self, passage):
        return format_html(
            '<span class="muted">{}</span><br>{}',
            passage.document.source.name,
            excerpt(passage.text, EXCERPT),
        )

    def render_first(self, record):
        return self._passage(record.passage_a)

    def render_second(self, record):
        return self._passage(record.passage_b)

    def render_score(self, record):
        return format_html(
            '{} <span class="muted">(wording {})</span>',
            f"{record.score:.2f}",
            f"{record.similarity:.2f}",
        )

    def render_decide(self, record):
        return render_to_string(
            "annotate/claims/_suggestion_buttons.html",
            {
                "suggestion": record,
                "campaign": self.campaign,
                "claims": self.claims,
                "csrf_token": get_token(self.request),
            },
        )

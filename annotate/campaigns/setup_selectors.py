"""Reads for setting a campaign up without the shell: which documents a set of criteria picks,
a preview of them for the Documents step, and the names the set-up forms offer.

Writes are in annotate.campaigns.setup. Every function here is a fixed number of queries.
"""

from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Q

from annotate.campaigns.defaults import DEFAULT_SCHEME
from annotate.models import Campaign, CampaignDocument, LabelScheme, Membership
from corpus.models import Document, Passage, Source

# A search term longer than this is cut: the text search scans every article's text
# (icontains cannot use an index), and a pasted paragraph is never what was meant.
SEARCH_MAX = 200


def pick_documents(outlets=None, date_from=None, date_to=None, search=None, ids=None):
    """The documents that meet every criterion given (they narrow each other), in the corpus's
    order (outlet, publication date, title).

    outlets: outlet (Source) names; date_from/date_to: inclusive bounds on the publication
    date (``Document.published``; a document with no date is left out once either bound is
    given); search: case-insensitive text found in the title or the article text (cut to
    SEARCH_MAX characters); ids: document ids. With no criterion, every document.
    """
    documents = Document.objects.select_related("source")
    if outlets:
        documents = documents.filter(source__name__in=list(outlets))
    if date_from:
        documents = documents.filter(published__gte=date_from)
    if date_to:
        documents = documents.filter(published__lte=date_to)
    search = (search or "").strip()[:SEARCH_MAX].strip()
    if search:
        documents = documents.filter(Q(title__icontains=search) | Q(text__icontains=search))
    if ids:
        documents = documents.filter(pk__in=list(ids))
    return documents.order_by("source__name", "published", "title", "pk")


def preview(campaign, documents):
    """The picked documents with their passage count and whether the campaign already has
    them (``in_campaign``), for the preview table; one query per page of the table."""
    present = CampaignDocument.objects.filter(campaign=campaign, document=OuterRef("pk"))
    return documents.annotate(
        passage_count=Count("passages", filter=~Q(passages__kind=Passage.Kind.BOILERPLATE)),
        in_campaign=Exists(present),
    )


def pick_counts(campaign, documents):
    """(matched, already in the campaign) for the picked documents: one query."""
    present = CampaignDocument.objects.filter(campaign=campaign, document=OuterRef("pk"))
    counts = (
        documents.order_by()
        .annotate(in_campaign=Exists(present))
        .aggregate(matched=Count("pk"), present=Count("pk", filter=Q(in_campaign=True)))
    )
    return counts["matched"], counts["present"]


def may_create_campaigns(user):
    """Staff, and active users granted ``annotate.add_campaign`` (directly or through a
    group), may create campaigns: an organisation can let a researcher set campaigns up
    without making them an administrator. No query for staff; one otherwise (the permission
    as django.contrib.auth's ModelBackend grants it, in one query instead of its two)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        Permission.objects.filter(codename="add_campaign", content_type__app_label="annotate")
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def outlet_names():
    """Every outlet's name, alphabetically."""
    return list(Source.objects.order_by("name").values_list("name", flat=True))


def unknown_outlets(names):
    """The names among ``names`` that no outlet has, in the order given."""
    known = set(Source.objects.filter(name__in=list(names)).values_list("name", flat=True))
    return [n for n in names if n not in known]


def unknown_document_ids(ids):
    """The ids among ``ids`` that no document has, in the order given."""
    known = set(Document.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
    return [i for i in ids if i not in known]


def schemes():
    return LabelScheme.objects.order_by("name")


def default_scheme_if_made():
    """The default label scheme if it exists (a read: defaults.default_scheme would make it)."""
    return LabelScheme.objects.filter(slug=DEFAULT_SCHEME["slug"]).first()


def scheme_slugs():
    return list(LabelScheme.objects.order_by("slug").values_list("slug", flat=True))


def campaign_clash(name, slug):
    """The campaign whose name (any case) or slug a new campaign would clash with, or None."""
    return Campaign.objects.filter(Q(name__iexact=name) | Q(slug=slug)).order_by("pk").first()


def readiness(campaign):
    """What activating needs: {"documents", "passages", "reviewers"} counts; three queries."""
    return {
        "documents": CampaignDocument.objects.filter(campaign=campaign).count(),
        "passages": Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .count(),
        "reviewers": Membership.objects.filter(
            campaign=campaign, role=Membership.Role.REVIEWER
        ).count(),
    }

"""Reads for the campaign pages; each is a fixed number of queries whatever the corpus size."""

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from annotate.models import Assignment, Campaign, Membership
from corpus.models import Passage

CONTEXT_PASSAGES = 8
REDACTED = "[outlet]"


@dataclass
class Progress:
    done: int
    assigned: int
    passages: int

    @property
    def percent(self):
        return round(100 * self.done / self.assigned) if self.assigned else 100


def reviewer_progress(campaign, user):
    """Done out of assigned for one reviewer, in one query (see _with_progress)."""
    return _with_progress(Campaign.objects.filter(pk=campaign.pk), user)[0].progress


def campaigns_with_progress(user):
    """The user's campaigns, each with their role and their own progress, in one query."""
    return _with_progress(Campaign.objects.for_user(user), user)


def _progress(done, passages, overlap, reviewers):
    share = math.ceil(passages * overlap / max(reviewers or 1, 1))
    return Progress(done=done, assigned=max(min(share, passages), done), passages=passages)


def _with_progress(campaigns, user):
    """Campaigns with the user's role and progress.

    The queue is dynamic, so "assigned" is the reviewer's fair share of the
    campaign's places (passages x overlap / reviewers, at most one per passage),
    and never less than what they have done. The number of passages is read off
    the last place in reading order (an index lookup) rather than counted: a
    count over a campaign's 300,000 places costs more than the whole page.
    """
    last = (
        Assignment.objects.filter(campaign=OuterRef("pk"))
        .order_by("-sequence")
        .values("sequence")[:1]
    )
    done = (
        Assignment.objects.filter(
            campaign=OuterRef("pk"), reviewer=user, status=Assignment.Status.DONE
        )
        .values("campaign")
        .annotate(n=Count("id"))
        .values("n")
    )
    reviewers = (
        Membership.objects.filter(campaign=OuterRef("pk"), role=Membership.Role.REVIEWER)
        .values("campaign")
        .annotate(n=Count("id"))
        .values("n")
    )
    campaigns = campaigns.annotate(
        last_sequence=Subquery(last, output_field=IntegerField()),
        done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
        reviewers=Coalesce(Subquery(reviewers, output_field=IntegerField()), Value(0)),
        role=Subquery(
            Membership.objects.filter(campaign=OuterRef("pk"), user=user).values("role")[:1]
        ),
    )
    rows = []
    for c in campaigns:
        passages = 0 if c.last_sequence is None else c.last_sequence + 1
        c.progress = _progress(c.done, passages, c.overlap, c.reviewers)
        c.role = c.role or ("staff" if user.is_staff else "")
        rows.append(c)
    return rows


def context_passages(passage):
    """The passage and its neighbours in the document, for reading in context."""
    return list(
        Passage.objects.filter(
            document_id=passage.document_id,
            position__gte=passage.position - CONTEXT_PASSAGES,
            position__lte=passage.position + CONTEXT_PASSAGES,
        ).only("id", "position", "text", "kind", "document_id")
    )


def redact_outlet(text, source, document=None):
    """Hide what identifies the outlet in text shown to blinded reviewers.

    Always the outlet's name, domain and homepage host; with `document`, also
    its byline (each author: "By A and B" masks A and B) and URL.
    """
    pattern = _outlet_pattern(source, document)
    return pattern.sub(REDACTED, text) if pattern else text


def _outlet_pattern(source, document=None):
    terms = [source.name, source.domain, _host(source.homepage)]
    if document is not None:
        terms += [document.url, _host(document.url), *_byline_names(document.byline)]
    terms = sorted({t.strip() for t in terms if t and len(t.strip()) > 2}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def _host(url):
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def _byline_names(byline):
    """The byline and each name in it, without a leading "By"."""
    parts = [byline or "", *re.split(r"\s*(?:,|;|&|\band\b)\s*", byline or "")]
    return [re.sub(r"^\s*by\s+", "", part, flags=re.IGNORECASE) for part in parts]

"""Reads for the campaign pages; each is a fixed number of queries whatever the corpus size."""

import math
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from annotate.models import Assignment, Campaign, Membership


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


def current_claim(campaign, reviewer):
    """The place the reviewer holds a claim on in this campaign, or None."""
    return Assignment.objects.for_reviewer(reviewer).pending().filter(campaign=campaign).first()


def members(campaign):
    """The campaign's memberships with their users, by role then user name."""
    return campaign.memberships.select_related("user").order_by("role", "user__username")

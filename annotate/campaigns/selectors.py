"""Reads for the campaign pages; each is a fixed number of queries whatever the corpus size."""

import math
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from annotate.access import STAFF
from annotate.models import Assignment, Campaign, Membership
from corpus.models import Passage

# Roles that see the whole campaign's progress rather than their own ("staff": a staff user
# who is not a member; see annotate.access).
WHOLE_CAMPAIGN = (Membership.Role.CURATOR, Membership.Role.MANAGER, STAFF)


@dataclass
class Progress:
    """One reviewer's progress: passages done out of their fair share (``assigned``)."""

    done: int
    assigned: int
    passages: int
    whole_campaign = False

    @property
    def percent(self):
        return round(100 * self.done / self.assigned) if self.assigned else 100


@dataclass
class PlacesDone:
    """The whole campaign's progress, or one outlet's: reviewer places done out of
    ``places`` (passages x overlap) and passages complete (all their places done)."""

    passages: int
    complete: int
    places: int
    done: int
    name: str = ""
    whole_campaign = True

    @property
    def assigned(self):  # the home table's "out of" column reads every row's progress alike
        return self.places

    @property
    def percent(self):
        """Places done as a whole percentage, rounded down so that 100 means all done."""
        return 100 * self.done // self.places if self.places else 0


@dataclass
class CampaignProgress(PlacesDone):
    outlets: list = field(default_factory=list)  # a PlacesDone per outlet, by name


def campaign_progress(campaign):
    """How far the whole campaign is, in total and per outlet, in three aggregate queries
    whatever its size.

    A passage (not boilerplate) of one of the campaign's documents has ``overlap`` places;
    a place is done when a reviewer saved an annotation on it, and a passage is complete when
    all its places are. Places are counted up to the current overlap: work kept above a
    lowered overlap (services._shrink_to_overlap) is not counted twice. A draft campaign has
    its passages and places counted before they are made, so the numbers read the same
    before and after activation.
    """
    overlap = campaign.overlap
    passages = (
        Passage.objects.filter(document__campaigndocument__campaign=campaign)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .values("document__source_id", "document__source__name")
        .annotate(n=Count("pk"))
        .order_by("document__source__name")
    )
    done = _done_places(campaign)
    done_by_outlet = dict(
        done.values("passage__document__source_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("passage__document__source_id", "n")
    )
    complete_passages = (
        done.values("passage_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=overlap)
        .values("passage_id")
    )
    complete_by_outlet = dict(
        Passage.objects.filter(pk__in=complete_passages)
        .values("document__source_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("document__source_id", "n")
    )
    outlets = [
        PlacesDone(
            name=row["document__source__name"],
            passages=row["n"],
            complete=complete_by_outlet.get(row["document__source_id"], 0),
            places=row["n"] * overlap,
            done=done_by_outlet.get(row["document__source_id"], 0),
        )
        for row in passages
    ]
    return CampaignProgress(
        passages=sum(o.passages for o in outlets),
        complete=sum(o.complete for o in outlets),
        places=sum(o.places for o in outlets),
        done=sum(o.done for o in outlets),
        outlets=outlets,
    )


def _done_places(campaign):
    return Assignment.objects.filter(
        campaign=campaign, status=Assignment.Status.DONE, slot__lte=campaign.overlap
    ).exclude(passage__kind=Passage.Kind.BOILERPLATE)


def reviewer_progress(campaign, user):
    """Done out of assigned for one reviewer, in one query (see _with_progress)."""
    return _with_progress(Campaign.objects.filter(pk=campaign.pk), user)[0].progress


def campaigns_with_progress(user):
    """The user's campaigns, each with their role and progress: a reviewer's own, and the
    whole campaign's (places done out of all places, see campaign_progress) for curators,
    managers and staff who are not reviewers of it. Three queries."""
    rows = _with_progress(Campaign.objects.for_user(user), user)
    _whole_campaign_progress([c for c in rows if c.role in WHOLE_CAMPAIGN])
    return rows


def _whole_campaign_progress(campaigns):
    """Replace each campaign's ``progress`` by the whole campaign's places done: one query for
    the passages and one for the done places of all of them, counted as campaign_progress
    counts them."""
    if not campaigns:
        return
    ids = [c.pk for c in campaigns]
    passages = dict(
        Passage.objects.filter(document__campaigndocument__campaign__in=ids)
        .exclude(kind=Passage.Kind.BOILERPLATE)
        .values("document__campaigndocument__campaign")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("document__campaigndocument__campaign", "n")
    )
    done = dict(
        Assignment.objects.filter(
            campaign__in=ids, status=Assignment.Status.DONE, slot__lte=F("campaign__overlap")
        )
        .exclude(passage__kind=Passage.Kind.BOILERPLATE)
        .values("campaign")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("campaign", "n")
    )
    for c in campaigns:
        n = passages.get(c.pk, 0)
        # complete: not counted here (the home page does not show it).
        c.progress = PlacesDone(
            passages=n, complete=None, places=n * c.overlap, done=done.get(c.pk, 0)
        )


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

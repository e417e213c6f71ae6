"""Role checks shared by every campaign view.

Anything a user may not see answers 404, never 403: a reviewer must not learn
that a campaign or another reviewer's annotation exists.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from annotate.models import Campaign, Membership

Role = Membership.Role
STAFF = "staff"
CURATORS = (Role.CURATOR, Role.MANAGER)


def campaign_for(request, slug, *roles):
    """The campaign and the user's role in it, or 404 if the role is not among `roles`."""
    campaign = get_object_or_404(Campaign.objects.select_related("scheme"), slug=slug)
    if request.user.is_staff:
        return campaign, STAFF
    role = (
        Membership.objects.filter(campaign=campaign, user=request.user)
        .values_list("role", flat=True)
        .first()
    )
    if role is None or (roles and role not in roles):
        raise Http404("No such campaign.")
    return campaign, role


def can_annotate(role):
    return role in (Role.REVIEWER, STAFF)


def can_curate(role):
    return role in (*CURATORS, STAFF)


def can_manage(role):
    return role in (Role.MANAGER, STAFF)


def takes_places(campaign, user, role):
    """Whether the queue may hand ``user`` passages of ``campaign``: its reviewers, and staff
    only once they have joined it as a reviewer. Staff see every campaign, but seeing one is
    not labelling it: an administrator looking round must not use up reviewer places.
    One query for staff, none otherwise."""
    if role == Role.REVIEWER:
        return True
    if role != STAFF:
        return False
    return Membership.objects.filter(campaign=campaign, user=user, role=Role.REVIEWER).exists()

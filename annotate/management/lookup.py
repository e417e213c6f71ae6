"""Finding the campaign a management command names: the one lookup every command uses."""

from django.core.management.base import CommandError

from annotate.models import Campaign


def campaign_named(name, slug_only=False):
    """The campaign called ``name`` (its name, else its slug; only its slug with
    ``slug_only``), with its scheme; CommandError listing the campaigns there are if none."""
    campaigns = Campaign.objects.select_related("scheme")
    found = None if slug_only else campaigns.filter(name=name).first()
    found = found or campaigns.filter(slug=name).first()
    if found is not None:
        return found
    if slug_only:
        known = ", ".join(Campaign.objects.order_by("slug").values_list("slug", flat=True)[:20])
        raise CommandError(f"No campaign with slug {name!r}. Campaigns: {known or 'none'}")
    known = ", ".join(Campaign.objects.values_list("name", flat=True)[:20])
    raise CommandError(f"No campaign called {name!r}. Campaigns: {known or 'none'}")

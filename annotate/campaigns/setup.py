"""Setting a campaign up without the shell: create it, pick its documents, name its members,
activate it, close it; and let a staff user join one as a reviewer.

Used by the New campaign page and the manage pages (annotate.campaigns.views) and by
``manage.py create_campaign``. Each public function runs in one transaction and either does
all it was asked or raises SetupError with a message for the person setting up, changing
nothing. The work itself is done by annotate.campaigns.services (add_documents,
activate_campaign, set_member); reads are in annotate.campaigns.setup_selectors.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from annotate.campaigns import services, setup_selectors
from annotate.campaigns.defaults import default_scheme
from annotate.models import Campaign, LabelScheme, Membership
from annotate.models.campaigns import MAX_OVERLAP, MAX_QUEUE_BLOCK, QUEUE_SEEDS, new_queue_seed
from annotate.queue.ordering import DEFAULT_BLOCK

Role = Membership.Role
Status = Campaign.Status
SLUG_MAX = Campaign._meta.get_field("slug").max_length


class SetupError(Exception):
    """A set-up step that cannot be taken; the message says why and what to do instead."""


def create_campaign(
    user,
    name,
    scheme=None,
    overlap=3,
    blind_outlet=False,
    queue_order=Campaign.QueueOrder.INTERLEAVED,
    queue_block=DEFAULT_BLOCK,
    queue_seed=None,
    auto_accept_unanimous=True,
    guidelines="",
):
    """A new draft campaign; ``user`` (when given) becomes its manager.

    scheme: a LabelScheme, a scheme's slug, or None for the default scheme. queue_seed None
    draws a random seed. The slug is made from the name; a name or slug another campaign has
    (names compared in any case), an overlap outside 1..MAX_OVERLAP and the like raise
    SetupError.
    """
    name = (name or "").strip()
    if not name:
        raise SetupError("Give the campaign a name.")
    slug = slugify(name)[:SLUG_MAX].strip("-")
    if not slug:
        raise SetupError(f"“{name}” has no letters or digits to make the campaign's address from.")
    _check_range("overlap (reviewers per passage)", overlap, 1, MAX_OVERLAP)
    _check_range("block size", queue_block, 1, MAX_QUEUE_BLOCK)
    if queue_seed is not None:
        _check_range("random seed", queue_seed, 0, QUEUE_SEEDS - 1)
    if queue_order not in Campaign.QueueOrder.values:
        known = ", ".join(Campaign.QueueOrder.values)
        raise SetupError(f"Unknown queue order “{queue_order}”; choose one of {known}.")
    with transaction.atomic():
        scheme = _scheme(scheme)
        clash = setup_selectors.campaign_clash(name, slug)
        if clash is not None:
            raise SetupError(_clash_message(clash, name, slug))
        try:
            with transaction.atomic():
                campaign = Campaign.objects.create(
                    name=name,
                    slug=slug,
                    scheme=scheme,
                    overlap=overlap,
                    blind_outlet=bool(blind_outlet),
                    queue_order=queue_order,
                    queue_block=queue_block,
                    queue_seed=new_queue_seed() if queue_seed is None else queue_seed,
                    auto_accept_unanimous=bool(auto_accept_unanimous),
                    guidelines=(guidelines or "").strip(),
                )
        except IntegrityError as exc:  # made by someone else a moment ago
            raise SetupError(f"A campaign called “{name}” (or at /c/{slug}/) exists.") from exc
        if user is not None:
            Membership.objects.create(campaign=campaign, user=user, role=Role.MANAGER)
        return campaign


def _check_range(what, value, low, high):
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SetupError(f"The {what} must be a whole number from {low} to {high}; got {value!r}.")


def _scheme(scheme):
    if scheme is None:
        return default_scheme()
    if isinstance(scheme, LabelScheme):
        return scheme
    found = LabelScheme.objects.filter(slug=scheme).first()
    if found is None:
        known = ", ".join(setup_selectors.scheme_slugs()) or "none"
        raise SetupError(f"No label scheme “{scheme}”. Schemes: {known}.")
    return found


def _clash_message(clash, name, slug):
    if clash.name.lower() == name.lower():
        return f"A campaign called “{clash.name}” already exists; choose another name."
    return (
        f"The name “{name}” gives the address /c/{slug}/, which campaign “{clash.name}” "
        "already has; choose another name."
    )


def add_picked_documents(campaign, documents):
    """Add ``documents`` (a queryset, e.g. from setup_selectors.pick_documents) at the end of
    the campaign's reading order, through services.add_documents (an active campaign gets
    their places at once); returns how many were new to the campaign. A closed campaign
    refuses."""
    if campaign.status == Status.CLOSED:
        raise SetupError("This campaign is closed; reopen it before adding documents.")
    # Only the ids travel: a corpus of long articles need not be read into memory.
    return services.add_documents(campaign, documents.select_related(None).only("pk"))


def set_members(campaign, roles):
    """Give each user named in ``roles`` ({user name: role}) that role in the campaign, adding
    them if they are not members. Unknown user names or roles raise SetupError naming them
    all, and nothing changes. Returns the users, in the order given."""
    bad_roles = sorted({r for r in roles.values() if r not in Role.values})
    if bad_roles:
        raise SetupError(
            f"Unknown role(s): {', '.join(bad_roles)}; roles are {', '.join(Role.values)}."
        )
    found = set(
        get_user_model().objects.filter(username__in=list(roles)).values_list("username", flat=True)
    )
    missing = [u for u in roles if u not in found]
    if missing:
        raise SetupError(
            f"No user called {', '.join(f'“{u}”' for u in missing)}; nobody was added."
        )
    with transaction.atomic():
        return [services.set_member(campaign, username, role) for username, role in roles.items()]


def activate(campaign):
    """Open the campaign to its reviewers (services.activate_campaign gives every passage its
    places); returns how many places were made. Refuses an active campaign, and one with no
    documents, no passages to label or no reviewers, saying what to add."""
    with transaction.atomic():
        current = Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if current is None:
            raise SetupError("This campaign no longer exists.")
        if current.status == Status.ACTIVE:
            raise SetupError("This campaign is already active.")
        ready = setup_selectors.readiness(campaign)
        if not ready["documents"]:
            raise SetupError("Add documents before activating: the campaign has none.")
        if not ready["passages"]:
            raise SetupError(
                "The campaign's documents have no passages to label (only boilerplate)."
            )
        if not ready["reviewers"]:
            raise SetupError("Add at least one reviewer before activating: nobody could label.")
        return services.activate_campaign(campaign)


def close_campaign(campaign):
    """Close the campaign: the queue stops handing out passages and refuses new labels; the
    work done is kept, and curators can still adjudicate and report. Refuses a closed one."""
    with transaction.atomic():
        current = Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if current is None or current.status == Status.CLOSED:
            raise SetupError("This campaign is already closed.")
        campaign.status = Status.CLOSED
        campaign.save(update_fields=["status"])  # a save, so its history records who closed it
        return campaign


def join_as_reviewer(campaign, user):
    """Make ``user`` a reviewer of the campaign (staff, who see every campaign, take places
    only once they have joined); an existing membership takes the reviewer role."""
    with transaction.atomic():
        Membership.objects.update_or_create(
            campaign=campaign, user=user, defaults={"role": Role.REVIEWER}
        )

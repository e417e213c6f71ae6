"""Campaign pages: the home list, a campaign's page, its guidelines (and their earlier
versions), its management, and setting a campaign up (new campaign, documents, activation).

Who may create a campaign: staff, and any user granted the ``annotate.add_campaign``
permission (in the admin, directly or through a group), so an organisation can let a
researcher set up campaigns without making them an administrator. Everyone else gets 404
from the New campaign page, as from any page they may not see (annotate.access).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotate.access import STAFF, campaign_for, can_curate, can_manage, takes_places
from annotate.campaigns import definitions, selectors, services, setup, setup_selectors
from annotate.campaigns.forms import (
    CampaignSettingsForm,
    DocumentPickForm,
    MemberForm,
    NewCampaignForm,
)
from annotate.campaigns.tables import (
    CampaignProgressTable,
    DocumentPickTable,
    OutletProgressTable,
)
from annotate.history import selectors as history_selectors
from annotate.history.tables import GuidelinesVersionTable
from annotate.models import CitedSourceType, Confidence, LabelScheme, Membership
from annotate.paging import RequestConfig
from annotate.queue import keys

Role = Membership.Role


@login_required
def home(request):
    table = CampaignProgressTable(selectors.campaigns_with_progress(request.user))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "annotate/campaigns/home.html",
        {"table": table, "can_create": setup_selectors.may_create_campaigns(request.user)},
    )


@login_required
def campaign(request, slug):
    campaign, role = campaign_for(request, slug)
    context = {
        "campaign": campaign,
        "role": role,
        "can_curate": can_curate(role),
        "can_manage": can_manage(role),
    }
    if takes_places(campaign, request.user, role):
        context["progress"] = selectors.reviewer_progress(campaign, request.user)
        context["current"] = selectors.current_claim(campaign, request.user)
    elif role == STAFF:
        context["can_join"] = True
    if can_curate(role):
        context |= _whole_progress(request, campaign)
    return render(request, "annotate/campaigns/campaign.html", context)


def _whole_progress(request, campaign):
    """The whole campaign's progress and its per-outlet table (three queries)."""
    progress = selectors.campaign_progress(campaign)
    table = OutletProgressTable(progress.outlets, prefix="outlets-")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return {"campaign_progress": progress, "outlet_table": table}


@login_required
def guidelines(request, slug):
    campaign, role = campaign_for(request, slug)
    scheme = campaign.scheme
    labels, markers = list(scheme.labels.all()), list(scheme.markers.all())
    source_types = _defined(CitedSourceType.choices, definitions.SOURCE_TYPES, keys.SOURCE_KEYS)
    versions = history_selectors.guidelines_versions(campaign)
    current = next(v for v in versions if v["version"] == campaign.guidelines_version)
    earlier = [v for v in versions if v["version"] != campaign.guidelines_version]
    return render(
        request,
        "annotate/campaigns/guidelines.html",
        {
            "campaign": campaign,
            "labels": labels,
            "markers": markers,
            "fact_or_claim": definitions.FACT_OR_CLAIM,
            "source_types": source_types,
            "span_keys": {
                "source": [t for t in source_types if t["key"]],
                "loaded": [m for m in markers if m.key],
            },
            "confidence": _defined(
                Confidence.choices, definitions.CONFIDENCE, keys.CONFIDENCE_KEYS
            ),
            "spans": None if scheme.spans == LabelScheme.Spans.OFF else definitions.SPANS,
            "spans_mode": scheme.get_spans_display(),
            "current": current,
            "earlier": GuidelinesVersionTable(earlier, campaign=campaign) if earlier else None,
        },
    )


def _defined(choices, meanings, shortcuts):
    """Each choice (value, name) with its definition, example and keyboard key."""
    return [
        {"value": value, "name": name, "key": shortcuts.get(value, ""), **meanings[value]}
        for value, name in choices
    ]


@login_required
def guidelines_version(request, slug, version):
    campaign, role = campaign_for(request, slug)
    text = history_selectors.guidelines_text(campaign, version)
    if text is None:
        raise Http404("No such version of the guidelines.")
    found = [v for v in history_selectors.guidelines_versions(campaign) if v["version"] == version]
    return render(
        request,
        "annotate/history/guidelines_version.html",
        {
            "campaign": campaign,
            "text": text,
            "version": found[0] if found else {"version": version},
            "is_current": version == campaign.guidelines_version,
        },
    )


@login_required
def manage(request, slug):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    return _manage_page(request, campaign, CampaignSettingsForm(instance=campaign))


def _manage_page(request, campaign, form, status=200):
    return render(
        request,
        "annotate/campaigns/manage.html",
        {
            "campaign": campaign,
            "form": form,
            "member_form": MemberForm(),
            "members": selectors.members(campaign),
            "readiness": setup_selectors.readiness(campaign),
            **_whole_progress(request, campaign),
        },
        status=status,
    )


@login_required
@require_POST
def manage_settings(request, slug):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    form = CampaignSettingsForm(request.POST, instance=campaign)
    if not form.is_valid():
        return _manage_page(request, campaign, form, status=400)
    campaign = services.save_settings(form)
    messages.success(request, "Campaign settings saved.")
    return redirect("annotate:manage", slug=campaign.slug)


@login_required
@require_POST
def add_member(request, slug):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a user name and a role.")
        return redirect("annotate:manage", slug=slug)
    try:
        user = services.set_member(
            campaign, form.cleaned_data["username"], form.cleaned_data["role"]
        )
    except services.MemberError as exc:
        messages.error(request, str(exc))
        return redirect("annotate:manage", slug=slug)
    messages.success(
        request, f"{user.username} is now a {form.cleaned_data['role']} of this campaign."
    )
    return redirect("annotate:manage", slug=slug)


@login_required
@require_POST
def remove_member(request, slug, member_id):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    member = services.remove_member(campaign, member_id)
    if member is None:
        raise Http404("No such member.")
    messages.success(request, f"{member.user.username} was removed; their annotations are kept.")
    return redirect("annotate:manage", slug=slug)


# ---- setting a campaign up (annotate.campaigns.setup) ------------------------------------


@login_required
def new_campaign(request):
    if not setup_selectors.may_create_campaigns(request.user):
        raise Http404("No such page.")
    form_kwargs = {
        "schemes": setup_selectors.schemes(),
        "default_scheme": setup_selectors.default_scheme_if_made(),
    }
    form = NewCampaignForm(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            created = setup.create_campaign(request.user, **form.settings())
        except setup.SetupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Campaign “{created.name}” created as a draft, with you as its manager. "
                "Now add its documents and members, then activate it.",
            )
            return redirect("annotate:campaign_documents", slug=created.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "annotate/campaigns/new.html", {"form": form}, status=status)


@login_required
def campaign_documents(request, slug):
    """GET previews the documents the criteria pick; POST adds them."""
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    outlets = setup_selectors.outlet_names()
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = DocumentPickForm(data, outlets=outlets)
    context = {"campaign": campaign, "form": form, "readiness": setup_selectors.readiness(campaign)}
    if form.is_bound and form.is_valid():
        documents = setup_selectors.pick_documents(**form.criteria())
        if request.method == "POST":
            return _add_documents(request, campaign, documents)
        matched, present = setup_selectors.pick_counts(campaign, documents)
        table = DocumentPickTable(setup_selectors.preview(campaign, documents), prefix="docs-")
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        context |= {
            "table": table,
            "matched": matched,
            "present": present,
            "new": matched - present,
            # The same criteria, posted by "Add these N documents".
            "criteria": [(k, v) for k in form.fields for v in request.GET.getlist(k) if v],
        }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "annotate/campaigns/documents.html", context, status=status)


def _add_documents(request, campaign, documents):
    try:
        added = setup.add_picked_documents(campaign, documents)
    except setup.SetupError as exc:
        messages.error(request, str(exc))
        return redirect("annotate:campaign_documents", slug=campaign.slug)
    if added:
        messages.success(request, f"{added} document{'s' if added != 1 else ''} added.")
    else:
        messages.success(request, "Nothing added: the campaign already has every one of those.")
    return redirect("annotate:campaign_documents", slug=campaign.slug)


@login_required
@require_POST
def activate_campaign(request, slug):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    try:
        places = setup.activate(campaign)
    except setup.SetupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"The campaign is active: reviewers can start labelling ({places} new places).",
        )
    return redirect("annotate:manage", slug=slug)


@login_required
@require_POST
def close_campaign(request, slug):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    try:
        setup.close_campaign(campaign)
    except setup.SetupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "The campaign is closed: no more passages are handed out; the work done is kept.",
        )
    return redirect("annotate:manage", slug=slug)


@login_required
@require_POST
def join_campaign(request, slug):
    """A staff user joins a campaign as a reviewer (only then does the queue hand them
    passages: annotate.access.takes_places). Anyone else: 404."""
    campaign, role = campaign_for(request, slug)
    if role != STAFF:
        raise Http404("No such page.")
    setup.join_as_reviewer(campaign, request.user)
    messages.success(request, "You are now a reviewer of this campaign.")
    return redirect("annotate:campaign", slug=slug)

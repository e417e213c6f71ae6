"""Campaign pages: the home list, a campaign's page, its guidelines (and their earlier
versions), and its management."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotate.access import campaign_for, can_annotate, can_curate, can_manage
from annotate.campaigns import definitions, selectors, services
from annotate.campaigns.forms import CampaignSettingsForm, MemberForm
from annotate.campaigns.tables import CampaignProgressTable
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
    return render(request, "annotate/campaigns/home.html", {"table": table})


@login_required
def campaign(request, slug):
    campaign, role = campaign_for(request, slug)
    context = {
        "campaign": campaign,
        "role": role,
        "can_curate": can_curate(role),
        "can_manage": can_manage(role),
    }
    if can_annotate(role):
        context["progress"] = selectors.reviewer_progress(campaign, request.user)
        context["current"] = selectors.current_claim(campaign, request.user)
    return render(request, "annotate/campaigns/campaign.html", context)


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

"""Campaign pages: the home list, a campaign's page and guidelines, and its management."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotate.access import campaign_for, can_annotate, can_curate, can_manage
from annotate.campaigns import selectors, services
from annotate.campaigns.forms import CampaignSettingsForm, MemberForm
from annotate.campaigns.tables import CampaignProgressTable
from annotate.models import Membership
from annotate.paging import RequestConfig

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
    return render(
        request,
        "annotate/campaigns/guidelines.html",
        {
            "campaign": campaign,
            "labels": scheme.labels.all(),
            "markers": scheme.markers.all(),
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

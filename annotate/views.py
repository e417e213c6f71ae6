from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from annotate import figure_marks, selectors, services
from annotate.access import campaign_for, can_annotate, can_curate, can_manage
from annotate.forms import AnnotationForm, CampaignSettingsForm, MemberForm, SkipForm
from annotate.models import Annotation, Assignment, Membership
from annotate.paging import RequestConfig
from annotate.tables import CampaignAnnotationTable, CampaignProgressTable

Role = Membership.Role

# Assignment ids the queue handed to this browser session, newest last: proof
# that a reviewer whose claim expired and went to someone else may still post
# the labels they typed (the save lands on a spare place or fails clearly).
HANDED = "annotate_handed"
HANDED_KEEP = 100


def _remember_handed(request, assignment):
    handed = request.session.get(HANDED, [])
    if assignment.pk not in handed:
        request.session[HANDED] = [*handed, assignment.pk][-HANDED_KEEP:]


def _was_handed(request, assignment):
    return assignment.pk in request.session.get(HANDED, [])


@login_required
def home(request):
    table = CampaignProgressTable(selectors.campaigns_with_progress(request.user))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "annotate/home.html", {"table": table})


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
        context["current"] = (
            Assignment.objects.for_reviewer(request.user)
            .pending()
            .filter(campaign=campaign)
            .first()
        )
    return render(request, "annotate/campaign.html", context)


@login_required
def guidelines(request, slug):
    campaign, role = campaign_for(request, slug)
    scheme = campaign.scheme
    return render(
        request,
        "annotate/guidelines.html",
        {
            "campaign": campaign,
            "labels": scheme.labels.all(),
            "markers": scheme.markers.all(),
        },
    )


@login_required
@require_POST
def next_passage(request, slug):
    campaign, role = campaign_for(request, slug, Role.REVIEWER)
    try:
        assignment = services.claim_next(campaign, request.user)
    except services.QueueError as exc:
        messages.error(request, str(exc))
        return redirect("annotate:campaign", slug=slug)
    if assignment is None:
        messages.success(
            request,
            "Nothing left for you in this campaign: every passage you can label is done. Thank you!",
        )
        return redirect("annotate:campaign", slug=slug)
    _remember_handed(request, assignment)
    return redirect("annotate:passage", slug=slug, pk=assignment.pk)


@login_required
def passage(request, slug, pk):
    campaign, role = campaign_for(request, slug, Role.REVIEWER)
    assignment = (
        Assignment.objects.filter(campaign=campaign, pk=pk)
        .select_related("passage__document__source")
        .first()
    )
    # Only the reviewer's own assignments: anyone else's id answers 404. The
    # one exception is posting labels for a passage the queue handed to this
    # session whose reservation expired and went to someone else: the service
    # lands them on a spare place of that passage or refuses with a message.
    if assignment is None:
        raise Http404("No such passage.")
    own = assignment.reviewer_id == request.user.pk
    if not own and not (request.method == "POST" and _was_handed(request, assignment)):
        raise Http404("No such passage.")
    labels, markers = list(campaign.scheme.labels.all()), list(campaign.scheme.markers.all())
    form_kwargs = {"labels": labels, "markers": markers}
    if request.method == "POST":
        form = AnnotationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.save_annotation(campaign, request.user, assignment.pk, form.cleaned_data)
            except services.QueueError as exc:
                form.add_error(None, str(exc))
            else:
                return next_passage_after_save(request, campaign)
    # Never someone else's labels: a late poster sees only their own form.
    annotation = (
        Annotation.objects.filter(assignment=assignment).order_by("pk").first() if own else None
    )
    if request.method != "POST":
        form = AnnotationForm(initial=annotation.snapshot() if annotation else {}, **form_kwargs)
    return render(
        request,
        "annotate/passage.html",
        _passage_context(request, campaign, assignment, annotation, form, labels, markers),
    )


def next_passage_after_save(request, campaign):
    try:
        following = services.claim_next(campaign, request.user)
    except services.QueueError as exc:
        messages.error(request, str(exc))
        following = None
    if following is None:
        messages.success(request, "Saved. Nothing left for you in this campaign.")
        return redirect("annotate:campaign", slug=campaign.slug)
    _remember_handed(request, following)
    return redirect("annotate:passage", slug=campaign.slug, pk=following.pk)


def _passage_context(request, campaign, assignment, annotation, form, labels, markers):
    passage = assignment.passage
    document = passage.document
    blind = campaign.blind_outlet
    context_passages = selectors.context_passages(passage)
    # Figures marked on the original text (offsets), each plain segment redacted when blind.
    figure_marks.attach(
        context_passages,
        (lambda t: selectors.redact_outlet(t, document.source, document)) if blind else None,
    )
    title = document.title
    if blind:
        title = selectors.redact_outlet(title, document.source, document)
        for p in context_passages:
            p.text = selectors.redact_outlet(p.text, document.source, document)
    mine = Assignment.objects.for_reviewer(request.user).done().filter(campaign=campaign)
    return {
        "campaign": campaign,
        "assignment": assignment,
        "annotation": annotation,
        "passage": passage,
        "document": document,
        "title": title,
        "blind": blind,
        "context_passages": context_passages,
        "form": form,
        "labels": labels,
        "markers": markers,
        "skip_form": SkipForm(),
        "progress": selectors.reviewer_progress(campaign, request.user),
        "previous": mine.filter(sequence__lt=assignment.sequence)
        .order_by("-sequence")
        .values_list("pk", flat=True)
        .first(),
        "following": mine.filter(sequence__gt=assignment.sequence)
        .order_by("sequence")
        .values_list("pk", flat=True)
        .first(),
    }


@login_required
@require_POST
def skip(request, slug, pk):
    campaign, role = campaign_for(request, slug, Role.REVIEWER)
    get_object_or_404(
        Assignment.objects.for_reviewer(request.user).filter(campaign=campaign), pk=pk
    )
    form = SkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you skip this passage; it was not skipped.")
        return redirect("annotate:passage", slug=slug, pk=pk)
    try:
        services.skip(campaign, request.user, pk, form.cleaned_data["reason"])
    except services.QueueError as exc:
        messages.error(request, str(exc))
        return redirect("annotate:campaign", slug=slug)
    return next_passage_after_save(request, campaign)


@login_required
def annotations(request, slug):
    campaign, role = campaign_for(request, slug, Role.CURATOR, Role.MANAGER)
    queryset = Annotation.objects.filter(assignment__campaign=campaign).select_related(
        "assignment__passage__document", "assignment__reviewer"
    )
    table = CampaignAnnotationTable(queryset)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "annotate/annotations.html", {"campaign": campaign, "table": table})


@login_required
def manage(request, slug):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    members = campaign.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "annotate/manage.html",
        {
            "campaign": campaign,
            "form": CampaignSettingsForm(instance=campaign),
            "member_form": MemberForm(),
            "members": members,
        },
    )


@login_required
@require_POST
def manage_settings(request, slug):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    was_active = campaign.is_active
    form = CampaignSettingsForm(request.POST, instance=campaign)
    if not form.is_valid():
        members = campaign.memberships.select_related("user")
        return render(
            request,
            "annotate/manage.html",
            {
                "campaign": campaign,
                "form": form,
                "member_form": MemberForm(),
                "members": members,
            },
            status=400,
        )
    with transaction.atomic():
        campaign = form.save()
        if campaign.is_active and (not was_active or "overlap" in form.changed_data):
            services.sync_slots(campaign)
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
    user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
    if user is None:
        messages.error(request, f"There is no user called “{form.cleaned_data['username']}”.")
        return redirect("annotate:manage", slug=slug)
    Membership.objects.update_or_create(
        campaign=campaign, user=user, defaults={"role": form.cleaned_data["role"]}
    )
    messages.success(
        request, f"{user.username} is now a {form.cleaned_data['role']} of this campaign."
    )
    return redirect("annotate:manage", slug=slug)


@login_required
@require_POST
def remove_member(request, slug, member_id):
    campaign, role = campaign_for(request, slug, Role.MANAGER)
    member = campaign.memberships.filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    member.delete()
    messages.success(request, f"{member.user.username} was removed; their annotations are kept.")
    return redirect("annotate:manage", slug=slug)

"""The curator's adjudication pages: the queue, one passage's decision, bulk accept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotate import adjudication, adjudication_queue
from annotate.access import campaign_for
from annotate.adjudication_forms import AdjudicationForm, BulkAcceptForm
from annotate.adjudication_tables import AnswersTable, DecidedTable, DisputedTable
from annotate.consensus import Vote, consensus
from annotate.models import Membership
from annotate.paging import RequestConfig
from annotate.selectors import context_passages

CURATORS = (Membership.Role.CURATOR, Membership.Role.MANAGER)
PER_PAGE = 50


@login_required
def queue(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    table = DisputedTable(adjudication_queue.disputed(campaign), campaign=campaign)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "annotate/adjudication.html", {"campaign": campaign, "table": table})


@login_required
def decided(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    table = DecidedTable(adjudication_queue.decided(campaign), campaign=campaign)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request, "annotate/adjudication_decided.html", {"campaign": campaign, "table": table}
    )


@login_required
def adjudicate(request, slug, passage_id):
    campaign, role = campaign_for(request, slug, *CURATORS)
    passage = adjudication_queue.passage_in_campaign(campaign, passage_id)
    if passage is None:
        raise Http404("No such passage in this campaign.")
    scheme = campaign.scheme
    labels, markers = list(scheme.labels.all()), list(scheme.markers.all())
    answers = adjudication_queue.reviewer_answers(campaign, passage)
    majority = consensus(
        [Vote(a.label, a.cited_type, a.cited_source, tuple(a.markers)) for a in answers]
    )
    decision = adjudication_queue.decision_for(campaign, passage)
    form_kwargs = {"labels": labels, "markers": markers}
    if request.method == "POST":
        form = AdjudicationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                adjudication.decide(campaign, request.user, passage.pk, form.cleaned_data)
            except adjudication.AdjudicationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Decision saved.")
                following = adjudication_queue.next_disputed(campaign, passage.sequence)
                if following is None:
                    messages.success(request, "Nothing else waits for a decision.")
                    return redirect("annotate:adjudication", slug=slug)
                return redirect("annotate:adjudicate", slug=slug, passage_id=following)
    else:
        form = AdjudicationForm(initial=_initial(decision, majority), **form_kwargs)
    label_names = {label.value: label.name for label in labels}
    return render(
        request,
        "annotate/adjudicate.html",
        {
            "campaign": campaign,
            "passage": passage,
            "document": passage.document,
            "context_passages": context_passages(passage),
            "answers": AnswersTable(answers, label_names=label_names),
            "majority": majority,
            "majority_label": label_names.get(majority.label, majority.label),
            "decision": decision,
            "form": form,
        },
    )


def _initial(decision, majority):
    """Prefill with the current decision, else with what the majority of reviewers said."""
    if decision is not None:
        return decision.snapshot()
    return {
        "label": majority.label,
        "cited_type": majority.cited_type or "",
        "cited_source": majority.cited_source,
        "markers": majority.markers,
    }


@login_required
@require_POST
def bulk_accept(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    form = BulkAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Select the passages whose majority you accept; nothing was changed."
        )
        return redirect("annotate:adjudication", slug=slug)
    accepted, left = adjudication.accept_majority(
        campaign, request.user, form.cleaned_data["passage"]
    )
    if accepted:
        messages.success(
            request,
            f"Accepted the majority on {len(accepted)} passage{'s' if len(accepted) != 1 else ''}.",
        )
    if left:
        reasons = sorted(set(left.values()))
        messages.warning(
            request,
            f"Left {len(left)} passage{'s' if len(left) != 1 else ''} for you to decide ({', '.join(reasons)}).",
        )
    return redirect("annotate:adjudication", slug=slug)

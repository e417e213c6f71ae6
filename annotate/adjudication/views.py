"""The curator's adjudication pages: the queue, one passage's decision, bulk accept."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotate.access import CURATORS, campaign_for
from annotate.adjudication import selectors, services
from annotate.adjudication.consensus import Vote, consensus
from annotate.adjudication.forms import AdjudicationForm, BulkAcceptForm
from annotate.adjudication.highlights import marked_html, span_items, token_html
from annotate.adjudication.tables import AnswersTable, DecidedTable, DisputedTable
from annotate.display import display_name
from annotate.paging import RequestConfig
from annotate.queue.selectors import context_passages
from annotate.spans.layers import LAYERS, summary
from annotate.spans.selectors import span_labels

PER_PAGE = 50


@login_required
def queue(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    table = DisputedTable(selectors.disputed(campaign), campaign=campaign)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request, "annotate/adjudication/queue.html", {"campaign": campaign, "table": table}
    )


@login_required
def decided(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    table = DecidedTable(selectors.decided(campaign), campaign=campaign)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request, "annotate/adjudication/decided.html", {"campaign": campaign, "table": table}
    )


@login_required
def adjudicate(request, slug, passage_id):
    campaign, role = campaign_for(request, slug, *CURATORS)
    passage = selectors.passage_in_campaign(campaign, passage_id)
    if passage is None:
        raise Http404("No such passage in this campaign.")
    scheme = campaign.scheme
    labels, markers = list(scheme.labels.all()), list(scheme.markers.all())
    answers = selectors.reviewer_answers(campaign, passage)
    majority = consensus(
        [
            Vote(a.label, a.cited_type, a.cited_source, tuple(a.markers), tuple(a.spans))
            for a in answers
        ]
    )
    decision = selectors.decision_for(campaign, passage)
    form_kwargs = {"labels": labels, "markers": markers}
    if request.method == "POST":
        form = AdjudicationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.decide(campaign, request.user, passage.pk, form.cleaned_data)
            except services.AdjudicationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Decision saved.")
                following = selectors.next_disputed(campaign, passage.sequence)
                if following is None:
                    messages.success(request, "Nothing else waits for a decision.")
                    return redirect("annotate:adjudication", slug=slug)
                return redirect("annotate:adjudicate", slug=slug, passage_id=following)
    else:
        form = AdjudicationForm(initial=_initial(decision, majority), **form_kwargs)
    label_names = {label.value: label.name for label in labels}
    names = span_labels(scheme)
    final_spans = _posted_or_initial_spans(form)
    reviewers = _reviewers(answers, passage, names)
    return render(
        request,
        "annotate/adjudication/adjudicate.html",
        {
            "campaign": campaign,
            "passage": passage,
            "document": passage.document,
            "context_passages": context_passages(passage),
            "answers": AnswersTable(answers, label_names=label_names),
            "majority": majority,
            "majority_label": display_name(majority.label, label_names),
            "decision": decision,
            "history": _history(decision),
            "form": form,
            "labels": labels,
            "spans_on": bool(names),
            "span_choices": [(layer, LAYERS[layer], list(names[layer].items())) for layer in names],
            "reviewers": reviewers,
            "final_tokens": token_html(passage.text, passage.start, final_spans, names),
            "final_items": span_items(final_spans, names),
            # For static/js/adjudicate.js, as JSON in a data attribute (no inline script).
            "page_data": json.dumps(
                {
                    "passage": {"start": passage.start, "text": passage.text},
                    "layers": LAYERS,
                    "names": names,
                    "reviewers": [r["answer"] for r in reviewers],
                }
            ),
        },
    )


def _reviewers(answers, passage, names):
    """Each reviewer's answer, numbered in slot order, with their spans highlighted."""
    rows = []
    for number, a in enumerate(answers, start=1):
        spans = [s for s in a.spans if isinstance(s, dict)]
        rows.append(
            {
                "number": number,
                "username": a.assignment.reviewer.username,
                "marked": marked_html(passage.text, passage.start, spans, names),
                "spans": span_items(spans, names),
                "answer": {
                    "number": number,
                    "username": a.assignment.reviewer.username,
                    "label": a.label,
                    "cited_type": a.cited_type,
                    "cited_source": a.cited_source,
                    "markers": list(a.markers),
                    "spans": spans,
                },
            }
        )
    return rows


def _posted_or_initial_spans(form):
    """The final spans the page shows: as posted when the form comes back with an error,
    else as prefilled. Spans that cannot be read show as none (the page says so on save)."""
    if not form.is_bound:
        return form.initial.get("spans") or []
    try:
        spans = form.fields["spans"].clean(form.data.get("spans"))
    except ValidationError:
        return []
    return [s for s in spans if isinstance(s, dict)]


def _history(decision):
    """The decision's revisions, oldest first, each with its spans in words."""
    if decision is None:
        return []
    return [
        {"revision": r, "spans": summary(r.after.get("spans") or []) if r.after else ""}
        for r in decision.revisions.all()
    ]


def _initial(decision, majority):
    """Prefill with the current decision, else with what the majority of reviewers said
    (spans: those at least two reviewers marked identically)."""
    if decision is not None:
        return decision.snapshot()
    return {
        "label": majority.label,
        "cited_type": majority.cited_type or "",
        "cited_source": majority.cited_source,
        "markers": majority.markers,
        "spans": majority.spans,
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
    accepted, left = services.accept_majority(campaign, request.user, form.cleaned_data["passage"])
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

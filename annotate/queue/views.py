"""The reviewer's pages: the next passage, labelling it, skipping it; everyone's annotations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from annotate.access import CURATORS, STAFF, campaign_for, takes_places
from annotate.campaigns.selectors import reviewer_progress
from annotate.models import Assignment, CitedSourceType, Confidence, Membership
from annotate.paging import RequestConfig
from annotate.queue import figure_marks, keys, selectors, services, span_marks
from annotate.queue.forms import AnnotationForm, SkipForm
from annotate.queue.tables import CampaignAnnotationTable
from annotate.spans.attribution import suggest_attributions

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
@require_POST
def next_passage(request, slug):
    campaign, role = campaign_for(request, slug, Role.REVIEWER)
    if not takes_places(campaign, request.user, role):
        return _join_first(request, campaign)
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
    assignment = selectors.place(campaign, pk)
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
    annotation = selectors.annotation_of(assignment) if own else None
    if request.method != "POST":
        form = AnnotationForm(initial=annotation.snapshot() if annotation else {}, **form_kwargs)
    return render(
        request,
        "annotate/queue/passage.html",
        _passage_context(request, campaign, assignment, annotation, form, labels, markers),
    )


def _join_first(request, campaign):
    """A staff user who is not a reviewer of the campaign is handed nothing (access.takes_places)."""
    messages.error(
        request,
        "You are not a reviewer of this campaign, so no passages are handed to you. "
        "Join it as a reviewer to label.",
    )
    return redirect("annotate:campaign", slug=campaign.slug)


def next_passage_after_save(request, campaign):
    if request.user.is_staff and not takes_places(campaign, request.user, STAFF):
        messages.success(request, "Saved.")
        return _join_first(request, campaign)
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
    hidden = selectors.outlet_regions(passage.text, document.source, document) if blind else []
    figures = next((p.figure_spans for p in context_passages if p.pk == passage.pk), [])
    title = document.title
    if blind:
        title = selectors.redact_outlet(title, document.source, document)
        for p in context_passages:
            p.text = selectors.redact_outlet(p.text, document.source, document)
    previous, following = selectors.neighbours(campaign, request.user, assignment)
    return {
        "passage_tokens": span_marks.token_html(passage, hidden, figures),
        "spans_mode": campaign.scheme.spans,
        "source_types": [
            (value, name, keys.SOURCE_KEYS[value])
            for value, name in CitedSourceType.choices
            if value
        ],
        "confidences": [
            (value, name, keys.CONFIDENCE_KEYS[value]) for value, name in Confidence.choices
        ],
        "skip_reasons": list(enumerate(keys.SKIP_REASONS, 1)),
        "suggestions": _suggestions(campaign, passage, hidden, document),
        "campaign": campaign,
        "assignment": assignment,
        "annotation": annotation,
        "passage": passage,
        "document": document,
        "title": title,
        "article_position": selectors.article_position(assignment),
        "blind": blind,
        "context_passages": context_passages,
        "form": form,
        "labels": labels,
        "markers": markers,
        "skip_form": SkipForm(),
        "progress": reviewer_progress(campaign, request.user),
        "previous": previous,
        "following": following,
    }


def _suggestions(campaign, passage, hidden, document):
    """Proposed cited sources for the reviewer to accept, when the campaign turns them on
    (off by default: suggestions anchor reviewers). Text shown redacted when blind."""
    if not campaign.attribution_suggestions or campaign.scheme.spans == "off":
        return []
    names = dict(CitedSourceType.choices)
    found = suggest_attributions(passage.text, passage.start)
    return [
        {
            "start": s.start,
            "end": s.end,
            "label": s.source_type,
            "type_name": names.get(s.source_type, s.source_type),
            "text": selectors.redact_outlet(s.text, document.source, document)
            if hidden
            else s.text,
            "cue": s.cue_text,
        }
        for s in found
        if s.source_type in names
    ]


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
    campaign, role = campaign_for(request, slug, *CURATORS)
    table = CampaignAnnotationTable(selectors.campaign_annotations(campaign))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request, "annotate/queue/annotations.html", {"campaign": campaign, "table": table}
    )

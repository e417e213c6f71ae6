"""A member's own annotations in a campaign, and one annotation's history in words."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from annotate.access import campaign_for, can_annotate
from annotate.history import readable, selectors
from annotate.history.tables import MyAnnotationTable
from annotate.paging import RequestConfig
from annotate.queue.selectors import redact_outlet

PER_PAGE = 25


@login_required
def my_annotations(request, slug):
    campaign, role = campaign_for(request, slug)
    table = MyAnnotationTable(
        selectors.my_annotations(campaign, request.user),
        campaign=campaign,
        names=selectors.names(campaign.scheme),
        can_open=can_annotate(role),
    )
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "annotate/history/mine.html", {"campaign": campaign, "table": table})


@login_required
def my_annotation_history(request, slug, annotation_id):
    campaign, role = campaign_for(request, slug)
    # Only the member's own annotation: anyone else's id answers 404.
    annotation = selectors.my_annotation(campaign, request.user, annotation_id)
    if annotation is None:
        raise Http404("No such annotation.")
    names = selectors.names(campaign.scheme)
    revisions = [
        {
            "changed_at": revision.changed_at,
            "line": readable.line(
                revision.changed_by.username,
                readable.changes(revision.before, revision.after, names),
            ),
        }
        for revision in selectors.revisions(annotation)
    ]
    passage = annotation.assignment.passage
    document = passage.document
    title, text = document.title, passage.text
    if campaign.blind_outlet:
        title = redact_outlet(title, document.source, document)
        text = redact_outlet(text, document.source, document)
    return render(
        request,
        "annotate/history/annotation.html",
        {
            "campaign": campaign,
            "annotation": annotation,
            "title": title,
            "text": text,
            "revisions": revisions,
            "can_open": can_annotate(role),
        },
    )

"""The REST API (Django REST Framework): the pages' own selectors and services, as JSON.

Access follows the pages exactly (annotate.access.campaign_for): a campaign a user is not a
member of answers 404. Authentication: a personal token (annotate.api.authentication) or the
browser session. Big lists page by cursor, or stream as JSON lines.
"""

import json

from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from annotate.access import CURATORS, campaign_for
from annotate.agreement.selectors import TABLES, agreement_tables
from annotate.agreement.span_selectors import SPAN_TABLES, span_tables
from annotate.api import pagination
from annotate.campaigns.selectors import campaigns_with_progress, reviewer_progress
from annotate.claims.selectors import claims_overview
from annotate.downloads import attachment, csv_chunks, frame_rows
from annotate.jobs import cache as jobs_cache
from annotate.jobs.results import agreement_parts
from annotate.jobs.selectors import status as job_status
from annotate.models import Annotation, Job
from annotate.reports import exports
from annotate.reports import selectors as report_selectors

ANNOTATION_FIELDS = {
    "id": "pk",
    "passage": "assignment__passage_id",
    "document": "assignment__passage__document_id",
    "annotator": "assignment__reviewer__username",
    "label": "label",
    "cited_source": "cited_source",
    "cited_type": "cited_type",
    "markers": "markers",
    "spans": "spans",
    "confidence": "confidence",
    "note": "note",
    "guidelines_version": "guidelines_version",
    "updated_at": "updated_at",
}


class CampaignSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    status = serializers.CharField()
    overlap = serializers.IntegerField()
    blind_outlet = serializers.BooleanField()
    queue_order = serializers.CharField()
    queue_block = serializers.IntegerField()
    queue_seed = serializers.IntegerField()
    auto_accept_unanimous = serializers.BooleanField()
    guidelines_version = serializers.IntegerField()


class AnnotationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    passage = serializers.IntegerField()
    document = serializers.IntegerField()
    annotator = serializers.CharField()
    label = serializers.CharField()
    cited_source = serializers.CharField()
    cited_type = serializers.CharField()
    markers = serializers.ListField(child=serializers.CharField())
    spans = serializers.ListField(child=serializers.DictField())
    confidence = serializers.CharField()
    note = serializers.CharField()
    guidelines_version = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()


def campaign_json(campaign):
    """A campaign as every endpoint that returns one shows it."""
    return dict(CampaignSerializer(campaign).data)


@extend_schema(responses=CampaignSerializer(many=True))
@api_view(["GET"])
def campaigns(request):
    """The campaigns you are a member of (all of them for staff)."""
    rows = []
    for campaign in campaigns_with_progress(request.user):
        row = campaign_json(campaign)
        progress = getattr(campaign, "progress", None)
        if progress is not None:
            row["your_progress"] = {"done": progress.done, "assigned": progress.assigned}
        rows.append(row)
    return Response({"results": rows})


@extend_schema(responses=CampaignSerializer)
@api_view(["GET"])
def campaign(request, slug):
    """One campaign, with your own progress in it."""
    campaign, role = campaign_for(request, slug)
    row = campaign_json(campaign)
    progress = reviewer_progress(campaign, request.user)
    row["role"] = role
    row["your_progress"] = {"done": progress.done, "assigned": progress.assigned}
    return Response(row)


def _annotations(campaign):
    return (
        Annotation.objects.filter(assignment__campaign=campaign)
        .order_by("pk")
        .values(*ANNOTATION_FIELDS.values())
    )


def _annotation_row(values):
    row = {name: values[path] for name, path in ANNOTATION_FIELDS.items()}
    for name in ("markers", "spans"):  # SQLite hands JSON back as text
        if isinstance(row[name], str):
            row[name] = json.loads(row[name])
    return row


@extend_schema(
    responses=AnnotationSerializer(many=True),
    parameters=[OpenApiParameter("page_size", int, description="rows per page, at most 1000")],
)
@api_view(["GET"])
def annotations(request, slug):
    """Every reviewer's annotations (curators and managers), a page at a time by cursor."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    paginator = pagination.IdCursor()
    page = paginator.paginate_queryset(_annotations(campaign), request)
    return paginator.get_paginated_response([_annotation_row(v) for v in page])


@extend_schema(responses={(200, "application/x-ndjson"): bytes})
@api_view(["GET"])
def annotations_stream(request, slug):
    """All of the campaign's annotations as JSON lines, streamed (one object per line)."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    rows = _annotations(campaign).iterator(chunk_size=2000)
    lines = (json.dumps(_annotation_row(v), default=str) + "\n" for v in rows)
    return StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")


def _records(frame):
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def _computing(cached):
    """202 with the job computing the campaign's current tables (as the page's notice)."""
    job = cached.job
    body = {
        "status": "computing",
        "detail": "This campaign is large: its tables are being computed in the background.",
        "last_computed_at": cached.computed_at,
    }
    if job is not None:
        body["job"] = job_status(job)
        body["job"]["status_url"] = reverse("annotate:api_job", args=[job.pk])
    return Response(body, status=202)


@extend_schema(
    responses={200: dict, 202: dict, (200, "text/csv"): bytes},
    parameters=[
        OpenApiParameter("table", str, description="one table, e.g. overall, outlets, spans"),
        OpenApiParameter("as", str, description="json (default) or csv, with table"),
    ],
)
@api_view(["GET"])
def agreement(request, slug):
    """The Agreement page's tables as JSON ({table: [rows]}), or one ``table`` as JSON or
    CSV (``as=csv``). Large campaigns answer from the cache of the current data
    version; while it is being computed, 202 with the job to follow."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    wanted = request.query_params.get("table")
    if wanted and wanted not in TABLES and wanted not in SPAN_TABLES:
        raise NotFound(f"No table “{wanted}”; choose from {', '.join([*TABLES, *SPAN_TABLES])}.")
    cached = jobs_cache.cached_result(campaign, Job.Kind.AGREEMENT, request.user)
    if cached.inline:
        tables = dict(agreement_tables(campaign))
        tables.update(span_tables(campaign))
    elif cached.fresh:
        data, spans = agreement_parts(cached.payload)
        tables = {**dict(data), **dict(spans)}
    else:
        return _computing(cached)
    tables = {name: frame for name, frame in tables.items() if hasattr(frame, "to_json")}
    if not wanted:
        return Response({name: _records(frame) for name, frame in tables.items()})
    frame = tables[wanted]
    if request.query_params.get("as") == "csv":
        return attachment(
            csv_chunks(list(frame.columns), frame_rows(frame)),
            f"{campaign.slug}-agreement-{wanted}.csv",
        )
    return Response({wanted: _records(frame)})


REPORTS = {
    "outlets": lambda campaign, anonymise: report_selectors.outlet_report_frame(campaign),
    "documents": lambda campaign, anonymise: report_selectors.document_report_frame(campaign),
    "comparisons": lambda campaign, anonymise: report_selectors.comparison_frame(campaign),
    "reviewers": lambda campaign, anonymise: report_selectors.reviewer_report_frame(
        campaign, anonymise=anonymise
    ),
}


@extend_schema(responses=dict, parameters=[OpenApiParameter("anonymise", bool)])
@api_view(["GET"])
def report(request, slug, table):
    """A reliability report table as JSON rows: outlets, documents, reviewers or
    comparisons (the same numbers as the report pages and their CSV exports)."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    if table not in REPORTS:
        raise NotFound(f"No report “{table}”; choose from {', '.join(REPORTS)}.")
    anonymise = request.query_params.get("anonymise") in ("1", "true", "yes")
    return Response({"results": _records(REPORTS[table](campaign, anonymise))})


@extend_schema(
    responses={(200, "text/csv"): bytes},
    parameters=[OpenApiParameter("anonymise", bool)],
)
@api_view(["GET"])
def export(request, slug, kind):
    """One export file of the reports (outlets.csv, annotations.jsonl, spans.csv, …)."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    if kind not in exports.KINDS:
        raise NotFound(f"No export “{kind}”; choose from {', '.join(exports.KINDS)}.")
    anonymise = request.query_params.get("anonymise") in ("1", "true", "yes")
    return attachment(
        exports.export(campaign, kind, anonymise),
        exports.filename(campaign, kind, anonymise),
        content_type=exports.content_type(kind),
        streaming=True,
    )


@extend_schema(responses=dict)
@api_view(["GET"])
def claims(request, slug):
    """Claims shared across outlets, with how many outlets and passages assert each."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    rows = [
        {
            "id": c.pk,
            "statement": c.statement,
            "kind": c.kind,
            "unit": c.unit,
            "primary_value": None if c.primary_value is None else str(c.primary_value),
            "primary_source": c.primary_source,
            "outlets": c.outlets,
            "linked_passages": c.linked,
            "proposed_links": c.proposed,
            "diverging_outlets": c.diverging,
        }
        for c in claims_overview(campaign)
    ]
    return Response({"results": rows})

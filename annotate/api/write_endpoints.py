"""The API's writes and jobs: campaign set-up, imports (as background jobs) and job status.

Each endpoint calls the service its page calls (annotate.campaigns.setup and services,
annotate.jobs.uploads) and answers a refusal with the service's own message as JSON."""

import json
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from annotate.access import CURATORS, campaign_for
from annotate.api.endpoints import campaign_json
from annotate.campaigns import services as campaign_services
from annotate.campaigns import setup, setup_selectors
from annotate.campaigns.forms import CampaignSettingsForm
from annotate.campaigns.selectors import campaign_progress
from annotate.jobs import selectors as job_selectors
from annotate.jobs import uploads
from annotate.models import Membership

MANAGERS = (Membership.Role.MANAGER,)
CAMPAIGN_FIELDS = (
    "scheme",
    "overlap",
    "blind_outlet",
    "queue_order",
    "queue_block",
    "queue_seed",
    "auto_accept_unanimous",
    "guidelines",
)
MAX_JSON_DOCUMENTS = 10_000


PARSERS = [JSONParser, FormParser, MultiPartParser]


def _fields(request):
    """The request's fields as a plain dict, from JSON or a form (a form's repeated fields,
    such as several outlets, as lists)."""
    data = request.data
    if hasattr(data, "getlist"):
        return {k: (data.getlist(k) if k in ("outlets", "ids") else data.get(k)) for k in data}
    return data if isinstance(data, dict) else {}


def _refused(exc):
    return ValidationError({"detail": str(exc)})


def _job_body(job):
    body = job_selectors.status(job)
    body["status_url"] = reverse("annotate:api_job", args=[job.pk])
    result = job.result or {}
    if result.get("errors"):
        body["errors"] = result["errors"]
        body["errors_not_listed"] = result.get("errors_not_listed", 0)
    return body


@extend_schema(request=dict, responses={201: dict})
@api_view(["POST"])
@parser_classes(PARSERS)
def create_campaign(request):
    """Make a draft campaign; you become its manager. Body: name, and optionally scheme
    (slug), overlap, blind_outlet, queue_order, queue_block, queue_seed,
    auto_accept_unanimous, guidelines."""
    if not setup_selectors.may_create_campaigns(request.user):
        raise NotFound("Not found, or not yours to see.")
    data = _fields(request)
    options = {k: data[k] for k in CAMPAIGN_FIELDS if k in data}
    try:
        campaign = setup.create_campaign(request.user, data.get("name", ""), **options)
    except (setup.SetupError, TypeError, ValueError) as exc:
        raise _refused(exc) from exc
    return Response(campaign_json(campaign), status=status.HTTP_201_CREATED)


@extend_schema(request=dict, responses=dict)
@api_view(["POST"])
@parser_classes(PARSERS)
def add_documents(request, slug):
    """Add documents picked by outlets (names), date_from/date_to (YYYY-MM-DD), search
    (title and text) and ids; criteria narrow each other."""
    campaign, role = campaign_for(request, slug, *MANAGERS)
    data = _fields(request)
    outlets, ids = data.get("outlets") or [], data.get("ids") or []
    if not isinstance(outlets, list) or not isinstance(ids, list):
        raise ValidationError({"detail": "outlets and ids must be lists."})
    unknown = setup_selectors.unknown_outlets(outlets)
    if unknown:
        raise ValidationError({"detail": f"No outlet called {', '.join(unknown)}."})
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise ValidationError({"detail": "ids must be whole numbers."}) from None
    missing = setup_selectors.unknown_document_ids(ids)
    if missing:
        raise ValidationError({"detail": f"No document with id {', '.join(map(str, missing))}."})
    try:
        dates = [
            date.fromisoformat(data[k]) if data.get(k) else None for k in ("date_from", "date_to")
        ]
    except (TypeError, ValueError):
        raise ValidationError({"detail": "Dates are YYYY-MM-DD."}) from None
    if not any((outlets, *dates, data.get("search"), ids)):
        raise ValidationError({"detail": "Pick documents by outlets, dates, search or ids."})
    try:
        documents = setup_selectors.pick_documents(
            outlets=outlets or None,
            date_from=dates[0],
            date_to=dates[1],
            search=data.get("search") or None,
            ids=ids or None,
        )
        added = setup.add_picked_documents(campaign, documents)
    except setup.SetupError as exc:
        raise _refused(exc) from exc
    return Response({"added": added, "documents": campaign.documents.count()})


@extend_schema(request=dict, responses=dict)
@api_view(["POST"])
@parser_classes(PARSERS)
def set_members(request, slug):
    """Give users roles: {"members": {"alice": "reviewer", "carol": "curator"}}, or one user
    as form fields username and role."""
    campaign, role = campaign_for(request, slug, *MANAGERS)
    data = _fields(request)
    members = data.get("members")
    if members is None and data.get("username"):
        members = {data["username"]: data.get("role") or Membership.Role.REVIEWER}
    if not isinstance(members, dict) or not members:
        raise ValidationError({"detail": 'Send {"members": {"user name": "role", ...}}.'})
    try:
        users = setup.set_members(campaign, {str(k): str(v) for k, v in members.items()})
    except setup.SetupError as exc:
        raise _refused(exc) from exc
    return Response({"members": [u.username for u in users]})


@extend_schema(request=dict, responses=dict)
@api_view(["PATCH", "POST"])
@parser_classes(PARSERS)
def settings(request, slug):
    """Change settings (name, guidelines, overlap, status, blind_outlet,
    auto_accept_unanimous, attribution_suggestions, queue_order, queue_block, queue_seed);
    fields left out keep their values. PATCH or POST."""
    campaign, role = campaign_for(request, slug, *MANAGERS)
    current = CampaignSettingsForm(instance=campaign)
    data = {name: current[name].value() for name in current.fields}
    data.update(_fields(request))
    for name, value in list(data.items()):  # a form reads booleans from "on" or absence
        if value is False:
            del data[name]
    form = CampaignSettingsForm(data, instance=campaign)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return Response(campaign_json(campaign_services.save_settings(form)))


@extend_schema(request=None, responses=dict)
@api_view(["POST"])
def activate(request, slug):
    """Open the campaign to its reviewers."""
    campaign, role = campaign_for(request, slug, *MANAGERS)
    try:
        made = setup.activate(campaign)
    except setup.SetupError as exc:
        raise _refused(exc) from exc
    campaign.refresh_from_db()
    return Response({**campaign_json(campaign), "places_made": made})


@extend_schema(request=None, responses=dict)
@api_view(["POST"])
def close(request, slug):
    """Close the campaign: no more passages handed out; the work is kept."""
    campaign, role = campaign_for(request, slug, *MANAGERS)
    try:
        setup.close_campaign(campaign)
    except setup.SetupError as exc:
        raise _refused(exc) from exc
    return Response(campaign_json(campaign))


@extend_schema(responses=dict)
@api_view(["GET"])
def progress(request, slug):
    """Campaign-wide progress: places done, passages complete, and per outlet."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    p = campaign_progress(campaign)

    def row(x):
        return {
            "passages": x.passages,
            "complete": x.complete,
            "places": x.places,
            "done": x.done,
            "percent": x.percent,
        }

    return Response({**row(p), "outlets": [{"outlet": o.name, **row(o)} for o in p.outlets]})


@extend_schema(request=dict, responses={202: dict})
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser, JSONParser])
def import_corpus(request):
    """Import documents (staff): a file (field ``file``: .jsonl, .csv or .zip; ``mode``
    sentence or paragraph) or JSON ``{"documents": [{"outlet", "title", "text", ...}]}``.
    Runs as a background job: the answer is the job, to follow at its status_url."""
    if not request.user.is_staff:
        raise NotFound("Not found, or not yours to see.")
    mode = request.data.get("mode") or "sentence"
    if mode not in ("sentence", "paragraph"):
        raise ValidationError({"detail": "mode is sentence or paragraph."})
    upload = request.FILES.get("file")
    if upload is None:
        documents = request.data.get("documents")
        if not isinstance(documents, list) or not documents:
            raise ValidationError({"detail": 'Send a file, or {"documents": [...]}.'})
        if len(documents) > MAX_JSON_DOCUMENTS:
            raise ValidationError(
                {"detail": f"At most {MAX_JSON_DOCUMENTS:,} documents per request; send a file."}
            )
        if not all(isinstance(d, dict) for d in documents):
            raise ValidationError(
                {"detail": "Each document is an object with outlet, title, text."}
            )
        lines = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
        upload = SimpleUploadedFile("documents.jsonl", lines.encode("utf-8"))
    job = uploads.enqueue_corpus_upload(upload, mode, request.user)
    return Response(_job_body(job), status=status.HTTP_202_ACCEPTED)


@extend_schema(request=dict, responses={202: dict})
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def import_annotations(request, slug):
    """Import annotations (curators, managers): field ``file`` (CSV, Label Studio JSON or
    doccano JSONL, told apart by their content). Runs as a background job."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"detail": "Send the annotations as a file in the field 'file'."})
    job = uploads.enqueue_annotation_upload(campaign, upload, request.user)
    return Response(_job_body(job), status=status.HTTP_202_ACCEPTED)


@extend_schema(responses=dict)
@api_view(["GET"])
def job(request, pk):
    """A background job's status: percent, rows done, time left, errors."""
    found = job_selectors.visible_job(request.user, pk)
    if found is None:
        raise NotFound("Not found, or not yours to see.")
    return Response(_job_body(found))

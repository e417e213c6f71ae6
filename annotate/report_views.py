"""Reliability report pages and the export downloads (curators, managers, staff)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render

from annotate import exports, reports
from annotate.access import CURATORS, campaign_for
from annotate.paging import RequestConfig
from annotate.report_tables import (
    PER_PAGE,
    document_table,
    download_links,
    outlet_table,
    reviewer_table,
    share_chart,
)


def _page(request, campaign, template, **context):
    return render(
        request,
        template,
        {
            "campaign": campaign,
            "downloads": download_links(campaign),
            **context,
        },
    )


@login_required
def outlets(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = reports.load(campaign)
    report = reports.outlet_report_frame(campaign, data)
    extra = [c for ext in reports.outlet_extensions() for c in ext.columns]
    table = outlet_table(report, data.labels, data.label_names, extra)
    RequestConfig(request, paginate=False).configure(table)
    return _page(
        request,
        campaign,
        "annotate/reports.html",
        table=table,
        totals=reports.summary(report),
        labels=data.labels,
        chart=share_chart(report, data.labels, data.label_names) if len(report) else None,
        explain=reports.outlet_explain(data.labels),
    )


@login_required
def documents(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = reports.load(campaign)
    report = reports.document_report_frame(campaign, data)
    table = document_table(report, data.labels, data.label_names)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return _page(
        request,
        campaign,
        "annotate/report_documents.html",
        table=table,
        totals=reports.summary(report),
        explain=reports.explain(report.columns, data.labels),
    )


@login_required
def reviewers(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    report = reports.reviewer_report_frame(campaign)
    table = reviewer_table(report)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return _page(
        request,
        campaign,
        "annotate/report_reviewers.html",
        table=table,
        explain=reports.explain(reports.REVIEWER_COLUMNS, []),
    )


@login_required
def export(request, slug, kind):
    campaign, role = campaign_for(request, slug, *CURATORS)
    if kind not in exports.KINDS:
        raise Http404("No such export.")
    anonymise = request.GET.get("anonymise", "0")
    if anonymise not in ("0", "1"):
        return HttpResponseBadRequest(
            "anonymise must be 0 or 1.", content_type="text/plain; charset=utf-8"
        )
    anonymise = anonymise == "1"
    response = StreamingHttpResponse(
        exports.export(campaign, kind, anonymise), content_type=exports.content_type(kind)
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(campaign, kind, anonymise)}"'
    )
    return response

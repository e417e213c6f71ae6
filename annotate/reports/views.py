"""Reliability report pages and the export downloads (curators, managers, staff).

The per-outlet report of a campaign above CREDENCE_INLINE_ANNOTATIONS annotations is cached
against the campaign's data version (annotate.jobs.cache.cached_result).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render

from annotate.access import CURATORS, campaign_for
from annotate.downloads import attachment
from annotate.jobs import cache as jobs
from annotate.jobs.selectors import status as selectors_status
from annotate.models import Job
from annotate.paging import RequestConfig
from annotate.reports import exports, selectors, span_selectors
from annotate.reports.charts import forest_plot, share_chart
from annotate.reports.tables import (
    PER_PAGE,
    comparison_table,
    confusion_table,
    correction_name,
    document_table,
    download_links,
    loaded_terms_table,
    outlet_tables,
    reviewer_table,
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


def _live_outlets(campaign):
    """The per-outlet report's parts computed in this request (a small campaign)."""
    data = selectors.load(campaign)
    return {
        "report": selectors.outlet_report_frame(campaign, data),
        "labels": data.labels,
        "label_names": data.label_names,
        "terms": span_selectors.loaded_term_frame(campaign, data, top=span_selectors.TOP_TERMS),
    }


@login_required
def outlets(request, slug):
    """The per-outlet report. A small campaign's is computed here; a larger one's comes from
    the cache kept at the campaign's data version (annotate.jobs), shown marked out of date
    while one background job recomputes it (a POST asks again after that job failed)."""
    campaign, role = campaign_for(request, slug, *CURATORS)
    if request.method == "POST":
        job = jobs.recompute(campaign, Job.Kind.REPORT, request.user)
        return redirect(job) if job else redirect("annotate:reports", slug=slug)
    cached = jobs.cached_result(campaign, Job.Kind.REPORT, request.user)
    job_state = selectors_status(cached.job) if cached.job else None
    if cached.inline:
        parts = _live_outlets(campaign)
    elif cached.payload is None:
        return _page(
            request,
            campaign,
            "annotate/jobs/computing.html",
            title="Reliability per outlet",
            cached=cached,
            job_state=job_state,
        )
    else:
        parts = cached.payload
    report, labels, names = parts["report"], parts["labels"], parts["label_names"]
    extra = [c for ext in selectors.OUTLET_EXTENSIONS for c in ext.columns]
    sample, shares, claims = outlet_tables(report, labels, names, extra)
    terms = loaded_terms_table(parts["terms"])
    for table in (sample, shares, claims, terms):
        if table is not None:
            RequestConfig(request, paginate=False).configure(table)
    return _page(
        request,
        campaign,
        "annotate/reports/outlets.html" if cached.inline else "annotate/jobs/outlets_cached.html",
        sample=sample,
        shares=shares,
        claims=claims,
        terms=terms,
        top_terms=span_selectors.TOP_TERMS,
        totals=selectors.summary(report),
        labels=labels,
        chart=share_chart(report, labels, names) if len(report) else None,
        explain=selectors.outlet_explain(labels),
        rating={
            "documents": selectors.MIN_DOCUMENTS_FOR_RATING,
            "share": 100 * selectors.RATED_DOCUMENT_SHARE,
        },
        cached=None if cached.inline else cached,
        job_state=job_state,
    )


@login_required
def documents(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = selectors.load(campaign)
    report = selectors.document_report_frame(campaign, data)
    table = document_table(report, data.labels, data.label_names)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return _page(
        request,
        campaign,
        "annotate/reports/documents.html",
        table=table,
        totals=selectors.summary(report),
        explain=selectors.explain(report.columns, data.labels),
    )


@login_required
def reviewers(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = selectors.load(campaign, seconds=True)
    report = selectors.reviewer_report_frame(campaign, data)
    table = reviewer_table(report)
    confusion = confusion_table(report, data.labels, data.label_names)
    for shown in (table, confusion):
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(shown)
    return _page(
        request,
        campaign,
        "annotate/reports/reviewers.html",
        table=table,
        confusion=confusion,
        explain=selectors.explain(selectors.reviewer_columns(data.labels), data.labels),
    )


@login_required
def comparisons(request, slug):
    campaign, role = campaign_for(request, slug, *CURATORS)
    data = selectors.load(campaign)
    frame = selectors.comparison_frame(campaign, data)
    measures = selectors.comparison_measures(data.labels, data.label_names)
    measure = request.GET.get("measure")
    if measure not in measures:
        measure = next(iter(measures))
    rows = frame[frame["measure"] == measure].to_dict("records")
    correction = correction_name(frame["correction"].iloc[0] if len(frame) else "holm")
    table = comparison_table(rows, correction)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return _page(
        request,
        campaign,
        "annotate/reports/comparisons.html",
        table=table,
        measures=measures,
        measure=measure,
        measure_name=measures[measure],
        plot=forest_plot(rows, unit_percent=measure != "markers_per_100") if rows else None,
        correction=correction,
        family_size=int(frame[frame["measure"] == measure]["family_size"].max())
        if len(rows) and frame["family_size"].notna().any()
        else 0,
        min_documents=selectors.MIN_COMPARISON_DOCUMENTS,
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
    return attachment(
        exports.export(campaign, kind, anonymise),
        exports.filename(campaign, kind, anonymise),
        exports.content_type(kind),
        streaming=True,
    )

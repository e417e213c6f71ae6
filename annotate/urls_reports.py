"""URLs of the reports pages, kept apart so each feature owns its routes (joined in annotate.urls)."""

from django.urls import path

from annotate import report_views

urlpatterns = [
    path("c/<slug:slug>/reports/", report_views.outlets, name="reports"),
    path("c/<slug:slug>/reports/documents/", report_views.documents, name="report_documents"),
    path("c/<slug:slug>/reports/reviewers/", report_views.reviewers, name="report_reviewers"),
    # kind: outlets.csv, documents.csv, reviewers.csv, annotations.csv, annotations.jsonl
    path("c/<slug:slug>/export/<str:kind>", report_views.export, name="export"),
]

from django.urls import path

from annotate.reports import views

urlpatterns = [
    path("c/<slug:slug>/reports/", views.outlets, name="reports"),
    path("c/<slug:slug>/reports/documents/", views.documents, name="report_documents"),
    path("c/<slug:slug>/reports/reviewers/", views.reviewers, name="report_reviewers"),
    # kind: outlets.csv, documents.csv, reviewers.csv, annotations.csv, annotations.jsonl
    path("c/<slug:slug>/export/<str:kind>", views.export, name="export"),
]

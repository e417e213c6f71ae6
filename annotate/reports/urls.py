from django.urls import path

from annotate.reports import views

urlpatterns = [
    path("c/<slug:slug>/reports/", views.outlets, name="reports"),
    path("c/<slug:slug>/reports/documents/", views.documents, name="report_documents"),
    path("c/<slug:slug>/reports/reviewers/", views.reviewers, name="report_reviewers"),
    path("c/<slug:slug>/reports/comparisons/", views.comparisons, name="report_comparisons"),
    # kind: one of annotate.reports.exports.KINDS
    path("c/<slug:slug>/export/<str:kind>", views.export, name="export"),
]

"""URLs of the adjudication pages, kept apart so each feature owns its routes (joined in annotate.urls)."""

from django.urls import path

from annotate import adjudication_views

urlpatterns = [
    path("c/<slug:slug>/adjudication/", adjudication_views.queue, name="adjudication"),
    path(
        "c/<slug:slug>/adjudication/decided/",
        adjudication_views.decided,
        name="adjudication_decided",
    ),
    path(
        "c/<slug:slug>/adjudication/accept-majority/",
        adjudication_views.bulk_accept,
        name="adjudication_bulk",
    ),
    path(
        "c/<slug:slug>/adjudication/p/<int:passage_id>/",
        adjudication_views.adjudicate,
        name="adjudicate",
    ),
]

from django.urls import path

from annotate.adjudication import views

urlpatterns = [
    path("c/<slug:slug>/adjudication/", views.queue, name="adjudication"),
    path(
        "c/<slug:slug>/adjudication/decided/",
        views.decided,
        name="adjudication_decided",
    ),
    path(
        "c/<slug:slug>/adjudication/accept-majority/",
        views.bulk_accept,
        name="adjudication_bulk",
    ),
    path(
        "c/<slug:slug>/adjudication/p/<int:passage_id>/",
        views.adjudicate,
        name="adjudicate",
    ),
]
